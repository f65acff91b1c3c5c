import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from enterprises.models import DailyReport, Enterprise, Pass, ResumptionRequest


class EnterpriseTable(tables.Table):
    name = tables.Column(linkify=True)
    township = tables.Column(verbose_name=_("township"), order_by=("township__sort_order", "name"))
    locality = tables.Column(verbose_name=_("village or community"), empty_values=(), orderable=False)
    resumed = tables.BooleanColumn(verbose_name=_("resumed"), orderable=True)
    tag_list = tables.Column(verbose_name=_("tags"), empty_values=(), orderable=False)

    class Meta:
        model = Enterprise
        fields = ("name", "credit_code", "township", "locality", "scale", "industry", "registered_headcount", "resumed", "tag_list")
        order_by = ("township", "name")

    def render_locality(self, record):
        place = record.village or record.community
        return place.name if place else "—"

    def value_locality(self, record):
        place = record.village or record.community
        return place.name if place else ""

    def render_tag_list(self, record):
        return "、".join(tag.name for tag in record.tags.all()) or "—"

    def value_tag_list(self, record):
        return "、".join(tag.name for tag in record.tags.all())

    def render_industry(self, record):
        return record.industry

    def value_industry(self, record):
        return record.get_industry_display()


class ResumptionRequestTable(tables.Table):
    id = tables.Column(verbose_name="#", linkify=True)
    enterprise = tables.Column(verbose_name=_("enterprise"), order_by=("enterprise__name",))
    township = tables.Column(verbose_name=_("township"), accessor="enterprise__township", order_by=("enterprise__township__sort_order",))
    staff = tables.Column(verbose_name=_("staff to return"), accessor="staff_total", orderable=False)

    class Meta:
        model = ResumptionRequest
        fields = ("id", "enterprise", "township", "status", "planned_date", "staff", "submitted_at", "approved_at", "return_reason")

    def render_status(self, record, value):
        tone = {"approved": "success", "returned": "danger", "submitted": "warning", "resubmitted": "warning"}.get(record.status, "secondary")
        return format_html('<span class="badge text-bg-{}">{}</span>', tone, value)

    def value_status(self, record):
        return record.get_status_display()


class DailyReportTable(tables.Table):
    enterprise = tables.Column(verbose_name=_("enterprise"), linkify=lambda record: record.enterprise.get_absolute_url())
    township = tables.Column(verbose_name=_("township"), accessor="enterprise__township", orderable=False)
    headcount = tables.Column(verbose_name=_("registered headcount"), accessor="enterprise__registered_headcount")

    class Meta:
        model = DailyReport
        fields = ("date", "enterprise", "township", "staff_on_site", "staff_away", "capacity_percent", "headcount")


class MissingReportTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = Enterprise
        fields = ("name", "credit_code", "scale", "contact_mobile", "registered_headcount")


class PassTable(tables.Table):
    id = tables.Column(verbose_name="#", linkify=True)
    holder = tables.Column(verbose_name=_("holder"), accessor="holder_display", orderable=False)
    enterprise = tables.Column(verbose_name=_("enterprise"), order_by=("enterprise__name",))
    id_masked = tables.Column(verbose_name=_("resident ID number"), accessor="masked_id", orderable=False)

    class Meta:
        model = Pass
        fields = ("id", "kind", "number", "holder", "id_masked", "enterprise", "status", "valid_from", "valid_until", "applied_at", "issued_at")

    def render_status(self, record, value):
        tone = {"issued": "success", "pending": "warning", "revoked": "danger"}.get(record.status, "secondary")
        return format_html('<span class="badge text-bg-{}">{}</span>', tone, value)

    def value_status(self, record):
        return record.get_status_display()
