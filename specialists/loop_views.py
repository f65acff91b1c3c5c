"""Pages of the problem loop (issue 18): the co-handling agencies' steps, the agency scorecard, and what the
problem's page shows of parts, callbacks and supervision notices. Every page starts from ``visible_to`` and asks
the policy before reading a form; every change calls a service."""

import django_filters
import django_tables2 as tables
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from fuyang_portal import policy
from fuyang_portal.filters import DateRange
from fuyang_portal.models import Agency
from fuyang_portal.roles import Role
from fuyang_portal.views.actions import StepTableMixin
from fuyang_portal.views.generic import ActionFormView, ObjectListView
from specialists import forms, metrics, services
from specialists.models import Callback, ProblemPart, Supervision

PART_ACTIONS = {
    "accept": (_("Sign for our part (签收)"), lambda part, user, data: services.accept_part(part, user)),
    "answer": (_("Answer our part"), lambda part, user, data: services.answer_part(part, user, data["text"])),
}


def loop_context(user, problem):
    """The problem page's co-handled parts (with the steps this user may take on each), callbacks, supervision
    notices and the time limits it runs on."""
    parts = list(ProblemPart.objects.visible_to(user).filter(problem=problem).select_related("agency", "answered_by"))
    for part in parts:
        part.buttons = [(action, PART_ACTIONS[action][0]) for action in policy.allowed_actions(user, part) if action in PART_ACTIONS]
        if problem.status not in problem.AGENCY_STATES:
            part.buttons = []
    return {
        "parts": parts,
        "callbacks": list(Callback.objects.visible_to(user).filter(problem=problem).select_related("called_by")),
        "supervisions": list(Supervision.objects.visible_to(user).filter(problem=problem).select_related("agency")[:50]),
        "limits": problem.rule_version,
    }


class PartActionView(StepTableMixin, ActionFormView):
    """A co-handling agency's step on its part: 404 out of scope, 403 unless the part's workflow allows it."""

    model = ProblemPart
    steps = PART_ACTIONS

    def choose_step(self, step):
        self.title, self.perform_action = step
        self.success_message = _("%(action)s: done.") % {"action": self.title}

    def get_queryset(self):
        return super().get_queryset().filter(problem_id=self.kwargs["problem_pk"]).select_related("problem", "agency")

    def check_action(self, obj):
        if not policy.can(self.request.user, self.slug, obj):
            raise PermissionDenied

    def get_form_class(self):
        if self.slug == "answer":
            return lambda *args, **kwargs: forms.TextForm(*args, label=_("Answer"), **kwargs)
        return lambda *args, **kwargs: forms.TextForm(*args, label=_("comment"), required=False, **kwargs)

    def perform(self, obj, form):
        self.perform_action(obj, self.request.user, form.cleaned_data)

    def get_success_url(self):
        return self.object.problem.get_absolute_url()


class RateColumn(tables.Column):
    def __init__(self, numerator, denominator, **kwargs):
        self.numerator, self.denominator = numerator, denominator
        super().__init__(**kwargs)

    def render(self, value, record):
        return f"{value:.0%} ({getattr(record, self.numerator)}/{getattr(record, self.denominator)})"

    def value(self, value, record):
        return round(value * 100, 1) if value is not None else ""


class ScorecardTable(tables.Table):
    name = tables.Column(verbose_name=_("agency"))
    assigned = tables.Column(verbose_name=_("assigned"))
    sign_for_rate = RateColumn("signed_on_time", "signed", verbose_name=_("signed for on time"))
    on_time_rate = RateColumn("answered_on_time", "answered", verbose_name=_("answered on time"))
    satisfaction_rate = RateColumn("satisfied", "rated", verbose_name=_("firms satisfied"))
    reopen_rate = RateColumn("reopened", "answered", verbose_name=_("reopened"))
    returned = tables.Column(verbose_name=_("returned"))
    late_now = tables.Column(verbose_name=_("late now"))
    urged = tables.Column(verbose_name=_("催办 notices"))
    supervised = tables.Column(verbose_name=_("督办 notices"))

    class Meta:
        attrs = {"class": "table table-sm table-hover"}
        order_by = ("-supervised",)


class ScorecardFilter(django_filters.FilterSet):
    """The period (problems first assigned in it; notices sent in it) and the agency's name."""

    period = DateRange(label=_("first assigned (from / to)"), method="keep")
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("agency"))

    class Meta:
        model = Agency
        fields = ["period", "name"]

    def keep(self, queryset, name, value):
        return queryset  # the period shapes the figures themselves (AgencyScorecardView.get_queryset)


class AgencyScorecardView(ObjectListView):
    """For every agency: how fast it signs for and finishes, how satisfied the firms were, how often it was
    reopened, urged and supervised (one query: specialists.metrics.agency_scorecard). The district office sees
    every agency; an agency its own row."""

    model = Agency
    roles = (Role.DISTRICT, Role.AGENCY)
    table_class = ScorecardTable
    filterset_class = ScorecardFilter
    title = _("Agency scorecard")

    def get_queryset(self):
        period = ScorecardFilter(self.request.GET or None, queryset=Agency.objects.none())
        start = end = None
        if period.is_valid() and period.form.cleaned_data.get("period"):
            value = period.form.cleaned_data["period"]
            start = value.start.date() if value.start else None
            end = value.stop.date() if value.stop else None
        if (start is None) != (end is None):
            start, end = start or end, end or start
        rows = metrics.agency_scorecard(start, end)
        user = self.request.user
        if user.role == Role.AGENCY and not user.is_superuser:
            rows = rows.filter(pk=user.agency_id)
        return rows

    def get_export_filename(self, export_format):
        from fuyang_portal import clock

        return f"agency-scorecard-{clock.today():%Y%m%d}.{export_format}"
