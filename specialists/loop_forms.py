"""Forms of the problem loop's steps (issue 18): co-handled assignment, return review, 不予受理, merge, callback."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fuyang_portal.models import Agency
from specialists.forms import DATE, AssignForm
from specialists.models import Problem


class LoopAssignForm(AssignForm):
    """Assign to a lead agency (主办) and optionally co-handling agencies (协办)."""

    needs_user = True
    co_agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(), required=False, label=_("co-handling agencies"),
        help_text=_("Each answers its part; the lead agency's answer closes the problem."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    field_order = ["agency", "co_agencies", "deadline", "comment"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["co_agencies"].queryset = Agency.objects.visible_to(user)


class ReviewReturnForm(forms.Form):
    needs_user = True
    decision = forms.ChoiceField(
        choices=[("overrule", _("Overrule: send it back to the same agency")), ("accept", _("Accept the return and reassign"))],
        widget=forms.RadioSelect, label=_("decision"),
    )
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False, label=_("reassign to"))
    deadline = forms.DateField(required=False, widget=DATE, label=_("new deadline"),
                               help_text=_("Leave empty: the clock is not restarted."))
    comment = forms.CharField(required=False, label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.visible_to(user)


class MergeForm(forms.Form):
    needs_object = True
    into = forms.ModelChoiceField(queryset=Problem.objects.none(), label=_("the earlier problem it duplicates"))
    comment = forms.CharField(required=False, label=_("comment"))

    def __init__(self, *args, user=None, problem=None, **kwargs):
        super().__init__(*args, **kwargs)
        if problem is not None:
            self.fields["into"].queryset = (
                Problem.objects.visible_to(user).filter(enterprise_id=problem.enterprise_id).exclude(pk=problem.pk)
                .exclude(status__in=Problem.CLOSED_STATES).order_by("raised_at")
            )


class CallbackForm(forms.Form):
    reached = forms.TypedChoiceField(
        choices=[("1", _("Reached")), ("0", _("Not reached"))], coerce=lambda v: v == "1", widget=forms.RadioSelect,
        label=_("firm reached by phone"),
    )
    satisfaction = forms.ChoiceField(
        choices=[("", "—")] + [c for c in Problem.Satisfaction.choices if c[0]], required=False, label=_("satisfaction"),
    )
    comment = forms.CharField(required=False, label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Required when the firm is dissatisfied: the agency gets it back with this reason."))
