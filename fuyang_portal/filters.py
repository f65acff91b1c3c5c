import django_filters
from django.utils.translation import gettext_lazy as _

from fuyang_portal.models import Agency, AuditEvent, Township


class TownshipFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))

    class Meta:
        model = Township
        fields = ["name", "kind"]


class AgencyFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))

    class Meta:
        model = Agency
        fields = ["name", "paired_township"]


class AuditEventFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(lookup_expr="icontains", label=_("user name"))
    at = django_filters.DateFromToRangeFilter(label=_("date range (from / to)"))

    class Meta:
        model = AuditEvent
        fields = ["kind", "username", "at"]
