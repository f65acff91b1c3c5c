import django_filters
from django.utils.translation import gettext_lazy as _

from fuyang_portal.filters import DateRange
from fuyang_portal.models import Township
from programmes.models import (CarRun, Category, Finding, HealthVoucher, HotlineCall, HotlineCoverage, Lodging,
                               ServiceStation, ShoppingRun, Topic, WorkItem, WorkList)


def visible(model):
    return lambda request: model.objects.visible_to(getattr(request, "user", None))


def township_filter(field_name="township"):
    return django_filters.ModelChoiceFilter(field_name=field_name, queryset=visible(Township), label=_("Township"))


class WorkListFilter(django_filters.FilterSet):
    township = township_filter()

    class Meta:
        model = WorkList
        fields = ["township"]


class WorkItemFilter(django_filters.FilterSet):
    township = township_filter("work_list__township")
    title = django_filters.CharFilter(lookup_expr="icontains", label=_("Task"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Category"))
    status = django_filters.ChoiceFilter(choices=WorkItem.Status.choices, label=_("Status"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Mine"))
    deadline = DateRange(label=_("Deadline (from / to)"))

    class Meta:
        model = WorkItem
        fields = ["township", "title", "category", "status", "mine", "deadline"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(responsible_person=self.request.user) if value else queryset


class FindingFilter(django_filters.FilterSet):
    township = township_filter("item__work_list__township")
    status = django_filters.ChoiceFilter(choices=Finding.Status.choices, label=_("Status"))
    inspected_on = DateRange(label=_("Inspected (from / to)"))

    class Meta:
        model = Finding
        fields = ["township", "status", "inspected_on"]


class CallFilter(django_filters.FilterSet):
    township = township_filter()
    topic = django_filters.ChoiceFilter(choices=Topic.choices, label=_("Topic"))
    status = django_filters.ChoiceFilter(choices=HotlineCall.Status.choices, label=_("Status"))
    received_at = DateRange(label=_("Received (from / to)"))

    class Meta:
        model = HotlineCall
        fields = ["township", "topic", "status", "received_at"]


class CoverageFilter(django_filters.FilterSet):
    township = township_filter()
    day = DateRange(label=_("Day (from / to)"))

    class Meta:
        model = HotlineCoverage
        fields = ["township", "day"]


class LodgingFilter(django_filters.FilterSet):
    township = township_filter()
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("Name"))
    kind = django_filters.ChoiceFilter(choices=Lodging.Kind.choices, label=_("Kind"))

    class Meta:
        model = Lodging
        fields = ["township", "name", "kind"]


class VoucherFilter(django_filters.FilterSet):
    township = township_filter()
    code = django_filters.CharFilter(label=_("Voucher code"))
    status = django_filters.ChoiceFilter(choices=HealthVoucher.Status.choices, label=_("Status"))

    class Meta:
        model = HealthVoucher
        fields = ["township", "code", "status"]


class CarRunFilter(django_filters.FilterSet):
    township = township_filter()
    run_date = DateRange(label=_("Date (from / to)"))

    class Meta:
        model = CarRun
        fields = ["township", "run_date"]


class StationFilter(django_filters.FilterSet):
    township = township_filter()

    class Meta:
        model = ServiceStation
        fields = ["township"]


class ShoppingRunFilter(django_filters.FilterSet):
    township = township_filter()
    run_date = DateRange(label=_("Date (from / to)"))

    class Meta:
        model = ShoppingRun
        fields = ["township", "run_date"]
