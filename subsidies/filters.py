import django_filters
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from fuyang_portal.models import Township
from fuyang_portal.filters import DateRange
from subsidies import regions
from subsidies.models import CharterTrip, SubsidyClaim, WorkerRegistration


def visible(model):
    """A filter's choices: the rows of ``model`` the requesting user may see."""
    return lambda request: model.objects.visible_to(getattr(request, "user", None))


class RegistrationFilter(django_filters.FilterSet):
    reference = django_filters.CharFilter(label=_("Reference number"))
    enterprise__name = django_filters.CharFilter(lookup_expr="icontains", label=_("Employer"))
    origin_province = django_filters.ChoiceFilter(label=_("Province of origin"), choices=regions.province_choices)
    return_date = DateRange(label=_("Return date (from / to)"))
    not_on_trip = django_filters.BooleanFilter(field_name="trip_seat", lookup_expr="isnull", label=_("Not yet on a trip"))

    class Meta:
        model = WorkerRegistration
        fields = ["reference", "enterprise__name", "origin_province", "travel_mode", "health_code", "return_date", "not_on_trip"]


class TripFilter(django_filters.FilterSet):
    enterprise__name = django_filters.CharFilter(lookup_expr="icontains", label=_("Enterprise"))
    origin_province = django_filters.ChoiceFilter(label=_("Province of origin"), choices=regions.province_choices)
    departure_date = DateRange(label=_("Departure (from / to)"))

    class Meta:
        model = CharterTrip
        fields = ["enterprise__name", "origin_province", "status", "departure_date"]


class ClaimFilter(django_filters.FilterSet):
    enterprise__name = django_filters.CharFilter(lookup_expr="icontains", label=_("Enterprise"))
    enterprise__township = django_filters.ModelChoiceFilter(queryset=visible(Township), label=_("Township"))
    invoice_number = django_filters.CharFilter(label=_("Invoice number"))
    departure_date = DateRange(label=_("Departure (from / to)"))

    class Meta:
        model = SubsidyClaim
        fields = ["status", "enterprise__name", "enterprise__township", "invoice_number", "departure_date"]


# The API's filters: a firm to filter by is one the user may see.


class RegistrationApiFilter(django_filters.FilterSet):
    enterprise = django_filters.ModelChoiceFilter(queryset=visible(Enterprise))

    class Meta:
        model = WorkerRegistration
        fields = ["travel_mode", "origin_province", "enterprise"]


class TripApiFilter(django_filters.FilterSet):
    enterprise = django_filters.ModelChoiceFilter(queryset=visible(Enterprise))

    class Meta:
        model = CharterTrip
        fields = ["status", "origin_province", "enterprise"]


class ClaimApiFilter(django_filters.FilterSet):
    enterprise = django_filters.ModelChoiceFilter(queryset=visible(Enterprise))

    class Meta:
        model = SubsidyClaim
        fields = ["status", "enterprise"]
