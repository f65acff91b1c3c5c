from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from fuyang_portal import clock
from fuyang_portal.models import Agency
from fuyang_portal.uploads import DOCUMENT_KINDS, FileCheck
from specialists.models import Category, DeadlineRule, Specialist, TrackedProject, Visit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VisitForm(forms.Form):
    """One form for the phone: the visit, what was checked, and up to three problems found."""

    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), label=_("enterprise"))
    visited_on = forms.DateField(label=_("date"), widget=DATE, initial=clock.today)
    mode = forms.ChoiceField(choices=Visit.Mode.choices, label=_("mode"), widget=forms.RadioSelect(attrs={"class": "btn-check"}), initial=Visit.Mode.ON_SITE)
    checks = forms.MultipleChoiceField(
        choices=[
            ("checked_dual_plan", _("Dual plan")),
            ("checked_supplies", _("Supplies")),
            ("checked_staff", _("Staff")),
            ("checked_production", _("Production")),
        ],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
        label=_("What was checked"),
    )
    project = forms.ModelChoiceField(queryset=TrackedProject.objects.none(), required=False, label=_("tracked project"))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("notes"))
    PROBLEM_SLOTS = 3

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")
        self.fields["project"].queryset = TrackedProject.objects.visible_to(user).filter(specialist__user=user)
        for slot in range(1, self.PROBLEM_SLOTS + 1):
            self.fields[f"problem{slot}_category"] = forms.ChoiceField(
                choices=[("", "—")] + list(Category.choices), required=False, label=_("Problem %(n)d: category") % {"n": slot}
            )
            self.fields[f"problem{slot}_description"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Problem %(n)d: description") % {"n": slot}
            )

    def clean(self):
        data = super().clean()
        problems = []
        for slot in range(1, self.PROBLEM_SLOTS + 1):
            category, description = data.get(f"problem{slot}_category"), (data.get(f"problem{slot}_description") or "").strip()
            if category and not description:
                self.add_error(f"problem{slot}_description", _("Describe the problem."))
            elif description and not category:
                self.add_error(f"problem{slot}_category", _("Choose a category."))
            elif category:
                problems.append({"category": category, "description": description})
        data["problems"] = problems
        return data


class ProblemForm(forms.Form):
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), label=_("enterprise"))
    category = forms.ChoiceField(choices=Category.choices, label=_("category"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label=_("description"))
    attachment = forms.FileField(
        required=False, label=_("attachment"), validators=[FileCheck(DOCUMENT_KINDS)],
        help_text=_("PDF, Word, JPEG or PNG; checked by content."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        firms = Enterprise.objects.visible_to(user)
        self.fields["enterprise"].queryset = firms.order_by("name")
        if user is not None and user.enterprise_id:
            self.fields["enterprise"].initial = user.enterprise_id
            self.fields["enterprise"].widget = forms.HiddenInput()


class ProjectForm(forms.ModelForm):
    class Meta:
        model = TrackedProject
        fields = ["enterprise", "name", "stage", "next_step", "due_on"]
        widgets = {"due_on": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")


class TextForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label=_("text"))

    def __init__(self, *args, label=None, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label
        self.fields["text"].required = required


class AssignForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("agency"))
    deadline = forms.DateField(
        required=False, widget=DATE, label=_("deadline"),
        help_text=_("Leave empty to count the category's working days from today."),
    )
    comment = forms.CharField(required=False, label=_("instructions"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.visible_to(user)


class ExtensionForm(forms.Form):
    days = forms.IntegerField(min_value=1, max_value=30, label=_("extra working days"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("reason"))


class DecideExtensionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("grant", _("Grant")), ("refuse", _("Refuse"))], widget=forms.RadioSelect, label=_("decision"))
    comment = forms.CharField(required=False, label=_("comment"))


class ConfirmForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(5, 0, -1)], coerce=int, widget=forms.RadioSelect, label=_("rating (1–5)")
    )
    feedback = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("feedback"))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("file"), validators=[FileCheck(DOCUMENT_KINDS)])


class BulkAssignForm(forms.Form):
    specialist = forms.ModelChoiceField(queryset=Specialist.objects.none(), label=_("specialist"))
    starts_on = forms.DateField(widget=DATE, initial=clock.today, label=_("starts on"))
    ends_on = forms.DateField(widget=DATE, required=False, label=_("ends on"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].queryset = Specialist.objects.visible_to(user).filter(active=True).select_related("user", "agency")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (XLSX)"), validators=[FileCheck(("xlsx",))],
                           help_text=_("Columns: credit code, specialist's published mobile, start date, end date."))


class SpecialistProfileForm(forms.ModelForm):
    class Meta:
        model = Specialist
        fields = ["agency", "published_mobile", "domains", "townships", "active"]
        widgets = {"domains": forms.CheckboxSelectMultiple, "townships": forms.CheckboxSelectMultiple}


class SpecialistRegistrationForm(SpecialistProfileForm):
    username = forms.SlugField(label=_("user name"), max_length=150)
    full_name = forms.CharField(label=_("full name"), max_length=50)

    class Meta(SpecialistProfileForm.Meta):
        fields = ["username", "full_name", "agency", "published_mobile", "domains", "townships"]


class DeadlineRuleForm(forms.ModelForm):
    class Meta:
        model = DeadlineRule
        fields = list(DeadlineRule.LIMIT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the handling days must be given; a limit left empty keeps its current value.
        for name in DeadlineRule.LIMIT_FIELDS[1:]:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in DeadlineRule.LIMIT_FIELDS[1:]:
            if data.get(name) in (None, ""):
                data[name] = getattr(self.instance, name)
        return data


class DirectoryForm(forms.Form):
    township = forms.ModelChoiceField(queryset=None, required=False, label=_("township"), empty_label=_("All townships"))
    domain = forms.ModelChoiceField(queryset=None, required=False, label=_("service domain"), empty_label=_("All domains"),
                                    to_field_name="code")
    q = forms.CharField(required=False, label=_("name or agency"))

    def __init__(self, *args, **kwargs):
        from fuyang_portal.models import Township
        from specialists.models import ServiceDomain

        super().__init__(*args, **kwargs)
        # The public directory's choices: the published list of townships and service domains, for anyone.
        self.fields["township"].queryset = Township.objects.all()
        self.fields["domain"].queryset = ServiceDomain.objects.all()
