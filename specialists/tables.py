import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fuyang_portal import clock
from specialists.models import Assignment, Problem, Specialist, TrackedProject, Visit


class OverdueColumn(tables.Column):
    """Overdue as of the business clock: still with the specialist, the township or the agency after its deadline (the stored flag waits for the
    next sweep). A red badge, and nothing for the others."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("overdue"))
        super().__init__(empty_values=(), **kwargs)

    @staticmethod
    def is_overdue(record):
        return record.status in Problem.DEADLINE_STATES and record.deadline is not None and record.deadline < clock.today()

    def render(self, record):
        if self.is_overdue(record):
            return format_html('<span class="badge text-bg-danger">{}</span>', _("Overdue"))
        return "—"

    def value(self, record):
        return str(_("Overdue")) if self.is_overdue(record) else ""


class ProblemTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name="#")
    # The firm's name leads (the card's title on a phone) and opens the problem.
    enterprise = tables.Column(verbose_name=_("enterprise"), linkify=lambda record: record.get_absolute_url())
    status = tables.Column(verbose_name=_("status"))
    deadline = tables.DateColumn(format="Y-m-d", verbose_name=_("deadline"))
    raised_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("raised"))
    overdue = OverdueColumn(order_by=("deadline",))

    class Meta:
        model = Problem
        fields = ("enterprise", "id", "category", "status", "agency", "deadline", "overdue", "raised_at", "rating")
        attrs = {"class": "table table-sm table-hover"}

    # What the cells read (ObjectListView.get_table_data): a problem has some forty fields, its firm fifteen.
    row_fields = ("enterprise__name", "category", "status", "agency", "deadline", "overdue", "raised_at", "rating")


class RiskTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name="#")
    enterprise = tables.Column(verbose_name=_("enterprise"), linkify=lambda record: record.get_absolute_url())
    deadline = tables.DateColumn(format="Y-m-d", verbose_name=_("deadline"))
    overdue = OverdueColumn(order_by=("deadline",))
    agency_on_time = tables.Column(verbose_name=_("agency's on-time rate so far"), accessor="agency_on_time_rate", orderable=True)

    class Meta:
        model = Problem
        fields = ("enterprise", "id", "category", "status", "agency", "deadline", "overdue", "extension", "agency_on_time")
        attrs = {"class": "table table-sm table-hover"}

    def render_agency_on_time(self, record):
        if not record.agency_answered:
            return "—"
        return f"{record.agency_on_time_rate:.0%} ({record.agency_on_time}/{record.agency_answered})"


class VisitTable(tables.Table):
    visited_on = tables.DateColumn(format="Y-m-d", linkify=True, verbose_name=_("date"))
    problem_count = tables.Column(verbose_name=_("problems found"), orderable=True)

    class Meta:
        model = Visit
        fields = ("visited_on", "enterprise", "specialist", "mode", "checked_dual_plan", "checked_supplies", "checked_staff",
                  "checked_production", "problem_count")
        attrs = {"class": "table table-sm table-hover"}


class ProjectTable(tables.Table):
    name = tables.Column(linkify=True)
    due_on = tables.DateColumn(format="Y-m-d")
    visit_count = tables.Column(verbose_name=_("visits"), orderable=True)

    class Meta:
        model = TrackedProject
        fields = ("name", "enterprise", "specialist", "stage", "next_step", "due_on", "visit_count")
        attrs = {"class": "table table-sm table-hover"}


class AssignmentTable(tables.Table):
    starts_on = tables.DateColumn(format="Y-m-d")
    ends_on = tables.DateColumn(format="Y-m-d")
    township = tables.Column(accessor="enterprise__township", verbose_name=_("township"))
    agency = tables.Column(accessor="specialist__agency", verbose_name=_("agency of origin"))
    end = tables.Column(verbose_name="", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta:
        model = Assignment
        fields = ("specialist", "agency", "enterprise", "township", "starts_on", "ends_on", "end")
        attrs = {"class": "table table-sm table-hover"}

    def render_end(self, record):
        # No per-row template: a TemplateColumn would run the context processors once per row.
        if not record.is_active:
            return ""
        return format_html(
            '<a class="btn btn-sm btn-outline-danger" href="{}">{}</a>', reverse("specialists:end-assignment", args=[record.pk]), _("End")
        )


class SpecialistTable(tables.Table):
    user = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("name"))
    load = tables.Column(verbose_name=_("firms served now"), accessor="load", orderable=True)
    domain_list = tables.Column(verbose_name=_("service domains"), empty_values=(), orderable=False)

    class Meta:
        model = Specialist
        fields = ("user", "agency", "published_mobile", "domain_list", "load", "active")
        attrs = {"class": "table table-sm table-hover"}

    def render_domain_list(self, record):
        return "、".join(domain.name for domain in record.domains.all())

    def value_domain_list(self, record):
        return self.render_domain_list(record)


class FirmTable(tables.Table):
    name = tables.Column(verbose_name=_("enterprise"))
    township = tables.Column(verbose_name=_("township"))
    scale = tables.Column(verbose_name=_("scale"))
    last_visit = tables.DateColumn(format="Y-m-d", verbose_name=_("last visit"))
    open_problems = tables.Column(verbose_name=_("open problems"))

    class Meta:
        attrs = {"class": "table table-sm table-hover"}
