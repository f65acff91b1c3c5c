import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from fuyang_portal.filters import DateRange
from fuyang_portal.models import Township
from labour.models import Candidate, PartnerCounty, Trade, Vacancy


def visible(model):
    """A filter's choices: the rows of ``model`` the requesting user may see."""
    return lambda request: model.objects.visible_to(getattr(request, "user", None))


class VacancyFilter(django_filters.FilterSet):
    enterprise__name = django_filters.CharFilter(lookup_expr="icontains", label=_("Enterprise"))
    enterprise__township = django_filters.ModelChoiceFilter(queryset=visible(Township), label=_("Township"))
    start_date = DateRange(label=_("Start date (from / to)"))

    class Meta:
        model = Vacancy
        fields = ["status", "trade", "enterprise__name", "enterprise__township", "start_date"]


class CandidateFilter(django_filters.FilterSet):
    county = django_filters.ModelChoiceFilter(queryset=visible(PartnerCounty), label=_("Partner county"))
    vacancy__enterprise__name = django_filters.CharFilter(lookup_expr="icontains", label=_("Enterprise"))
    vacancy = django_filters.NumberFilter(label=_("Vacancy number"))
    earliest_travel_date = DateRange(label=_("Earliest travel date (from / to)"))

    class Meta:
        model = Candidate
        fields = ["status", "county", "vacancy__enterprise__name", "vacancy", "travel_mode", "earliest_travel_date"]


class BoardFilter(django_filters.FilterSet):
    """The public board's filters: township, trade, the lowest wage one will take, housing."""

    township = django_filters.ModelChoiceFilter(
        field_name="enterprise__township", queryset=Township.objects.order_by("sort_order"), label=_("Township"), empty_label=_("All townships")
    )
    trade = django_filters.ChoiceFilter(choices=Trade.choices, label=_("Trade"), empty_label=_("All trades"))
    wage = django_filters.NumberFilter(method="filter_wage", label=_("Wage at least (yuan a month)"), min_value=0)
    housing = django_filters.BooleanFilter(method="filter_housing", label=_("Housing provided"), widget=forms.CheckboxInput())

    class Meta:
        model = Vacancy
        fields = ["township", "trade", "wage", "housing"]

    def filter_wage(self, queryset, name, value):
        return queryset.filter(wage_max__gte=value) if value is not None else queryset

    def filter_housing(self, queryset, name, value):
        return queryset.filter(housing=True) if value else queryset


class VacancyApiFilter(django_filters.FilterSet):
    enterprise = django_filters.ModelChoiceFilter(queryset=visible(Enterprise))

    class Meta:
        model = Vacancy
        fields = ["status", "trade", "enterprise"]


class CandidateApiFilter(django_filters.FilterSet):
    vacancy = django_filters.ModelChoiceFilter(queryset=visible(Vacancy))

    class Meta:
        model = Candidate
        fields = ["status", "vacancy"]
