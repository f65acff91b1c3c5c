"""Tables of the programmes' pages (django-tables2): sortable, exportable, a card per row on a phone."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from programmes.services import indicator_choices
from programmes.models import (CarRun, Clinic, Finding, HealthVoucher, HotlineCall, HotlineCoverage, Lodging,
                               ServiceStation, ShoppingRun, WorkItem, WorkList)


class WorkListTable(tables.Table):
    title = tables.Column(linkify=True)
    unit = tables.Column(verbose_name=_("Unit"), accessor="township", order_by=("township__sort_order",))
    items = tables.Column(verbose_name=_("Items"), accessor="item_count")
    done = tables.Column(verbose_name=_("Done"), accessor="done_count")

    class Meta:
        model = WorkList
        fields = ("title", "unit", "items", "done", "created_at")

    def render_unit(self, record):
        return record.unit_name


class WorkItemTable(tables.Table):
    title = tables.Column(linkify=True)
    indicator_code = tables.Column(verbose_name=_("Contest indicator"))
    # The list's unit: items numbered 1 in two villages' lists of one township are told apart by it.
    unit = tables.Column(verbose_name=_("Unit"), accessor="work_list__township__name", order_by=("work_list__township__sort_order",))
    responsible_person = tables.Column(verbose_name=_("Responsible person"), accessor="responsible_person__full_name")

    class Meta:
        model = WorkItem
        fields = ("title", "number", "unit", "category", "indicator_code", "responsible_unit", "responsible_person", "deadline",
                  "status", "last_update_at")

    # What the cells read (ObjectListView.get_table_data): of the responsible person's account, the name alone.
    row_fields = (
        "title", "number", "category", "indicator_code", "responsible_unit", "responsible_person__full_name", "deadline",
        "status", "last_update_at", "work_list__township", "work_list__village", "work_list__community",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator_names = dict(indicator_choices())  # one query for the whole table

    def render_indicator_code(self, value):
        return self.indicator_names.get(value, value)

    def render_unit(self, record):
        return record.work_list.unit_name


class FindingTable(tables.Table):
    item = tables.Column(verbose_name=_("Item"), linkify=lambda record: record.get_absolute_url())
    township = tables.Column(verbose_name=_("Township"), accessor="item__work_list__township__name")

    class Meta:
        model = Finding
        fields = ("item", "township", "inspected_on", "outcome", "points", "rectify_by", "status", "rectified_on")


class CallTable(tables.Table):
    personal_data = True  # callers' names
    caller = tables.Column(verbose_name=_("Caller"), accessor="caller_display", order_by=("caller_name",),
                           linkify=lambda record: record.get_absolute_url())
    township = tables.Column(verbose_name=_("Township"), accessor="township__name")
    response_minutes = tables.Column(verbose_name=_("Minutes to answer"))

    class Meta:
        model = HotlineCall
        fields = ("caller", "received_at", "township", "topic", "status", "response_minutes")


class CoverageTable(tables.Table):
    township = tables.Column(verbose_name=_("Township"), accessor="township__name")

    class Meta:
        model = HotlineCoverage
        fields = ("day", "township", "hours", "staff", "note")


class LodgingTable(tables.Table):
    name = tables.Column(linkify=True)
    township = tables.Column(verbose_name=_("Township"), accessor="township__name")
    staying = tables.Column(verbose_name=_("Staying"), accessor="staying_count")
    free = tables.Column(verbose_name=_("Free"), accessor="free_count")

    class Meta:
        model = Lodging
        fields = ("name", "township", "kind", "capacity", "staying", "free", "active")


class VoucherTable(tables.Table):
    personal_data = True  # holders' names
    holder = tables.Column(verbose_name=_("Holder"), accessor="registration__masked_name", order_by=("registration__name",),
                           linkify=lambda record: record.get_absolute_url())
    township = tables.Column(verbose_name=_("Township"), accessor="township__name")
    clinic = tables.Column(verbose_name=_("Redeemed at"), accessor="clinic__name", default="—")

    class Meta:
        model = HealthVoucher
        fields = ("holder", "code", "township", "issued_at", "expires_on", "status", "clinic", "redeemed_at")


class ClinicTable(tables.Table):
    township = tables.Column(verbose_name=_("Named by township"), accessor="township__name")

    class Meta:
        model = Clinic
        fields = ("name", "township", "address", "phone", "active")


class CarRunTable(tables.Table):
    personal_data = True  # drivers' names
    township = tables.Column(verbose_name=_("Township"), accessor="township__name")

    class Meta:
        model = CarRun
        fields = ("run_date", "township", "origin", "destination", "people", "driver", "plate", "note")


class StationTable(tables.Table):
    township = tables.Column(verbose_name=_("Township"), accessor="township__name")
    runs = tables.Column(verbose_name=_("Shopping runs"), accessor="run_count")

    class Meta:
        model = ServiceStation
        fields = ("name", "township", "place", "hours", "services", "runs", "active")


class ShoppingRunTable(tables.Table):
    personal_data = True  # the households served
    beneficiary = tables.Column(verbose_name=_("For"), accessor="beneficiary", order_by=("for_household",))
    township = tables.Column(verbose_name=_("Township"), accessor="township__name")
    station = tables.Column(verbose_name=_("Service station"), accessor="station__name", default="—")

    class Meta:
        model = ShoppingRun
        fields = ("run_date", "beneficiary", "township", "station", "items", "runner")
