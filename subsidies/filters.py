import django_filters
from django.utils.translation import gettext_lazy as _

from fuyang_portal.models import Township
from subsidies import regions
from subsidies.models import CharterTrip, SubsidyClaim, WorkerRegistration


class RegistrationFilter(django_filters.FilterSet):
    reference = django_filters.CharFilter(label=_("Reference number"))
    enterprise__name = django_filters.CharFilter(lookup_expr="icontains", label=_("Employer"))
    origin_province = django_filters.ChoiceFilter(label=_("Province of origin"), choices=regions.province_choices)
    return_date = django_filters.DateFromToRangeFilter(label=_("Return date (from / to)"))
    not_on_trip = django_filters.BooleanFilter(field_name="trip_seat", lookup_expr="isnull", label=_("Not yet on a trip"))

    class Meta:
        model = WorkerRegistration
        fields = ["reference", "enterprise__name", "origin_province", "travel_mode", "health_code", "return_date", "not_on_trip"]


class TripFilter(django_filters.FilterSet):
    enterprise__name = django_filters.CharFilter(lookup_expr="icontains", label=_("Enterprise"))
    origin_province = django_filters.ChoiceFilter(label=_("Province of origin"), choices=regions.province_choices)
    departure_date = django_filters.DateFromToRangeFilter(label=_("Departure (from / to)"))

    class Meta:
        model = CharterTrip
        fields = ["enterprise__name", "origin_province", "status", "departure_date"]


class ClaimFilter(django_filters.FilterSet):
    enterprise__name = django_filters.CharFilter(lookup_expr="icontains", label=_("Enterprise"))
    enterprise__township = django_filters.ModelChoiceFilter(queryset=Township.objects.all(), label=_("Township"))
    invoice_number = django_filters.CharFilter(label=_("Invoice number"))
    departure_date = django_filters.DateFromToRangeFilter(label=_("Departure (from / to)"))

    class Meta:
        model = SubsidyClaim
        fields = ["status", "enterprise__name", "enterprise__township", "invoice_number", "departure_date"]
