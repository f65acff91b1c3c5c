import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from relief import rules
from relief.models import Area, Award, Mode

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
JSON_HELP = _("JSON, e.g. %(example)s")


class JSONText(forms.CharField):
    """A JSON object typed in a text area (the rule and the benefit formula)."""

    widget = forms.Textarea(attrs={"rows": 5, "class": "font-monospace", "spellcheck": "false"})

    def prepare_value(self, value):
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return {}
        try:
            return json.loads(value)
        except ValueError as error:
            raise ValidationError(_("Not valid JSON: %(error)s") % {"error": error})


def _checked(value, validate):
    """``value`` once ``validate`` (relief.rules) accepts it; its messages, as the field's errors, otherwise."""
    try:
        validate(value)
    except ValidationError as error:
        raise ValidationError(error.messages)
    return value


class TermsForm(forms.Form):
    summary = forms.CharField(label=_("Benefit (as the firm reads it)"), widget=forms.Textarea(attrs={"rows": 2}))
    rule = JSONText(label=_("Eligibility rule"), required=False,
                    help_text=_("Facts: %(facts)s. Empty: every firm.") % {"facts": ", ".join(rules.FACTS)})
    benefit = JSONText(label=_("Benefit formula"), help_text=JSON_HELP % {"example": '{"base": "registered_headcount", "rate": "300", "cap": "20000"}'})
    period = forms.CharField(label=_("Period paid for"), max_length=20)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE, required=False)
    budget = forms.DecimalField(label=_("Budget (yuan)"), max_digits=14, decimal_places=2, min_value=0.01)
    documents = forms.CharField(label=_("Documents to attach (申请即享), one per line"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_rule(self):
        return _checked(self.cleaned_data["rule"], rules.validate_rule)

    def clean_benefit(self):
        return _checked(self.cleaned_data["benefit"], rules.validate_benefit)

    def clean_documents(self):
        return [line.strip() for line in self.cleaned_data["documents"].splitlines() if line.strip()]


class PolicyForm(TermsForm):
    code = forms.SlugField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200)
    issuer = forms.CharField(label=_("Issuing body"), max_length=100)
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)
    area = forms.ChoiceField(label=_("Area"), choices=Area.choices)
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices, widget=forms.RadioSelect)
    illustrative = forms.BooleanField(label=_("The figures are illustrative"), required=False)

    field_order = ["code", "title", "issuer", "document_number", "issued_on", "area", "mode", "illustrative"]


class ReviseForm(TermsForm):
    note = forms.CharField(label=_("Reason for the change"), max_length=200)
    field_order = ["note"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class BankForm(forms.Form):
    bank = forms.CharField(label=_("Bank"), max_length=100)
    account_name = forms.CharField(label=_("Account holder"), max_length=100)
    account_number = forms.CharField(label=_("Bank account number"), max_length=40, widget=forms.TextInput(attrs={"inputmode": "numeric"}))


class ConfirmForm(forms.Form):
    """Confirm an award; the first time, with the account the money goes to."""

    def __init__(self, *args, needs_account, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_account:
            self.fields.update(BankForm().fields)


class BatchForm(forms.Form):
    awards = forms.ModelMultipleChoiceField(label=_("Confirmed awards awaiting payout"), queryset=Award.objects.none(),
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awards"].queryset = queryset
        self.fields["awards"].label_from_instance = lambda a: f"{a.reference} {a.enterprise.name} · {a.policy.title} · ¥{a.amount}" + (
            f" — {a.hold_reason}" if a.hold_reason else "")


class ApplyForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DocumentForm(forms.Form):
    name = forms.ChoiceField(label=_("Document"), choices=[])
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word (DOCX), JPEG or PNG, at most 20 MB."))

    def __init__(self, *args, names, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = [(n, n) for n in names]


class SettleForm(forms.Form):
    reference = forms.CharField(label=_("Repayment reference"), max_length=40)
