from functools import lru_cache

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy as _

from enterprises.models import DailyReport, Enterprise, Industry, Pass, ResumptionRequest, Scale

# On a phone the table scrolls sideways rather than breaking a firm's name into one character per line.
NOWRAP = {"td": {"class": "text-nowrap"}}


@lru_cache(maxsize=16)
def choice_labels(language):
    """({scale: label}, {industry: label}) in ``language`` (the active one)."""
    return {value: str(label) for value, label in Scale.choices}, {value: str(label) for value, label in Industry.choices}


class EnterpriseTable(tables.Table):
    name = tables.Column(linkify=True, attrs=NOWRAP)
    credit_code = tables.Column(attrs=NOWRAP)
    township = tables.Column(verbose_name=_("township"), order_by=("township__sort_order", "name"), attrs=NOWRAP)
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
        return self.value_tag_list(record) or "—"

    def value_tag_list(self, record):
        names = getattr(record, "tag_names", None)  # EnterpriseQuerySet.with_tag_names
        return "、".join(names if names is not None else (tag.name for tag in record.tags.all()))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The choice labels translated once per language, not once per cell (exports run to thousands of rows).
        self._scales, self._industries = choice_labels(get_language())

    def render_scale(self, value, record):
        return self._scales.get(record.scale, record.scale)

    def value_scale(self, value, record):
        return self._scales.get(record.scale, record.scale)

    def render_industry(self, record):
        return self._industries.get(record.industry, record.industry)

    def value_industry(self, record):
        return self._industries.get(record.industry, record.industry)

    def value_resumed(self, record):
        return self._yes if record.resumed else self._no

    _yes, _no = "✔", "✘"


class ResumptionRequestTable(tables.Table):
    id = tables.Column(verbose_name="#", linkify=True)
    # The firm's name leads (the card's title on a phone) and opens the request.
    enterprise = tables.Column(verbose_name=_("enterprise"), order_by=("enterprise__name",), attrs=NOWRAP, linkify=lambda record: record.get_absolute_url())
    township = tables.Column(verbose_name=_("township"), accessor="enterprise__township", order_by=("enterprise__township__sort_order",))
    staff = tables.Column(verbose_name=_("staff to return"), accessor="staff_total", orderable=False)

    class Meta:
        model = ResumptionRequest
        fields = ("enterprise", "id", "township", "status", "planned_date", "staff", "submitted_at", "approved_at", "return_reason")

    def render_status(self, record, value):
        tone = {"approved": "success", "returned": "danger", "submitted": "warning", "resubmitted": "warning"}.get(record.status, "secondary")
        return format_html('<span class="badge text-bg-{}">{}</span>', tone, value)

    def value_status(self, record):
        return record.get_status_display()


class DailyReportTable(tables.Table):
    enterprise = tables.Column(verbose_name=_("enterprise"), linkify=lambda record: record.enterprise.get_absolute_url(), attrs=NOWRAP)
    township = tables.Column(verbose_name=_("township"), accessor="enterprise__township", orderable=False)
    headcount = tables.Column(verbose_name=_("registered headcount"), accessor="enterprise__registered_headcount")

    class Meta:
        model = DailyReport
        fields = ("date", "enterprise", "township", "staff_on_site", "staff_away", "capacity_percent", "headcount")


class MissingReportTable(tables.Table):
    personal_data = True  # the contact person's mobile
    name = tables.Column(linkify=True, attrs=NOWRAP)

    class Meta:
        model = Enterprise
        fields = ("name", "credit_code", "scale", "contact_mobile", "registered_headcount")


class PassTable(tables.Table):
    personal_data = True  # holders' names and ID numbers
    id = tables.Column(verbose_name="#", linkify=True)
    # The holder leads (the card's title on a phone) and opens the pass.
    holder = tables.Column(verbose_name=_("holder"), accessor="holder_display", orderable=False, linkify=lambda record: record.get_absolute_url())
    enterprise = tables.Column(verbose_name=_("enterprise"), order_by=("enterprise__name",), attrs=NOWRAP)
    id_masked = tables.Column(verbose_name=_("resident ID number"), accessor="masked_id", orderable=False)

    class Meta:
        model = Pass
        fields = ("holder", "id", "kind", "number", "id_masked", "enterprise", "status", "valid_from", "valid_until", "applied_at", "issued_at")

    def render_status(self, record, value):
        tone = {"issued": "success", "pending": "warning", "revoked": "danger"}.get(record.status, "secondary")
        return format_html('<span class="badge text-bg-{}">{}</span>', tone, value)

    def value_status(self, record):
        return record.get_status_display()
