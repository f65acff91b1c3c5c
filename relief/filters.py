import django_filters
from django.utils.translation import gettext_lazy as _

from fuyang_portal.filters import DateRange
from fuyang_portal.models import Township
from relief.models import Application, Award, Policy


class PolicyFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label=_("title"))

    class Meta:
        model = Policy
        fields = ["title", "area", "mode", "status"]


class AwardFilter(django_filters.FilterSet):
    enterprise = django_filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains", label=_("enterprise"))
    township = django_filters.ModelChoiceFilter(field_name="enterprise__township", queryset=Township.objects.all(), label=_("township"))
    created_at = DateRange(label=_("awarded (from / to)"))

    class Meta:
        model = Award
        fields = ["enterprise", "policy", "status", "township", "period", "created_at"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.filters["policy"].queryset = Policy.objects.visible_to(user)


class ApplicationFilter(django_filters.FilterSet):
    enterprise = django_filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains", label=_("enterprise"))

    class Meta:
        model = Application
        fields = ["enterprise", "policy", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["policy"].queryset = Policy.objects.visible_to(getattr(request, "user", None))
