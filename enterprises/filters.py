import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import DailyReport, Enterprise, EnterpriseTag, Industry, Pass, PassKind, PassStatus, ResumptionRequest, ResumptionStatus, Scale
from fuyang_portal import clock
from fuyang_portal.models import Township
from fuyang_portal.filters import DateRange


def visible_firms(request):
    """The firms a filter may name: those the user sees (a hidden firm answers like a missing one)."""
    return Enterprise.objects.visible_to(getattr(request, "user", None))


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("name or credit code"), method="search")
    township = django_filters.ModelChoiceFilter(queryset=Township.objects.all(), label=_("township"))
    scale = django_filters.ChoiceFilter(choices=Scale.choices, label=_("scale"))
    industry = django_filters.ChoiceFilter(choices=Industry.choices, label=_("industry"))
    tag = django_filters.ModelChoiceFilter(queryset=EnterpriseTag.objects.all(), field_name="tags", label=_("tag"))
    resumed = django_filters.ChoiceFilter(
        choices=(("yes", _("Resumed")), ("no", _("Not resumed yet"))), label=_("resumed"), method="resumed_now"
    )

    class Meta:
        model = Enterprise
        fields = ["q", "township", "scale", "industry", "tag", "resumed"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__iexact=value.upper())) if value else queryset

    def resumed_now(self, queryset, name, value):
        # The firm's own resumed_at, as of the business clock (the column the list shows).
        return queryset.resumed_filter(value == "yes", clock.now())


class ResumptionRequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("firm name or credit code"), method="search")
    status = django_filters.ChoiceFilter(choices=ResumptionStatus.choices, label=_("status"))
    township = django_filters.ModelChoiceFilter(queryset=Township.objects.all(), field_name="enterprise__township", label=_("township"))
    scale = django_filters.ChoiceFilter(choices=Scale.choices, field_name="enterprise__scale", label=_("scale"))
    planned = DateRange(field_name="planned_date", label=_("planned date (from / to)"))

    class Meta:
        model = ResumptionRequest
        fields = ["q", "status", "township", "scale", "planned"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__credit_code__iexact=value.upper())) if value else queryset


class DailyReportFilter(django_filters.FilterSet):
    date = DateRange(label=_("date (from / to)"))
    township = django_filters.ModelChoiceFilter(queryset=Township.objects.all(), field_name="enterprise__township", label=_("township"))
    scale = django_filters.ChoiceFilter(choices=Scale.choices, field_name="enterprise__scale", label=_("scale"))

    class Meta:
        model = DailyReport
        fields = ["date", "township", "scale"]


class PassFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("number, plate or firm"), method="search")
    kind = django_filters.ChoiceFilter(choices=PassKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=PassStatus.choices, label=_("status"))
    township = django_filters.ModelChoiceFilter(queryset=Township.objects.all(), field_name="enterprise__township", label=_("township"))

    class Meta:
        model = Pass
        fields = ["q", "kind", "status", "township"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__iexact=value) | Q(plate__iexact=value.upper().replace(" ", "")) | Q(enterprise__name__icontains=value)
        )


# The API's filters: a firm is chosen among the firms the user sees.


class ResumptionRequestAPIFilter(django_filters.FilterSet):
    enterprise = django_filters.ModelChoiceFilter(queryset=visible_firms)

    class Meta:
        model = ResumptionRequest
        fields = ["status", "enterprise"]


class DailyReportAPIFilter(django_filters.FilterSet):
    enterprise = django_filters.ModelChoiceFilter(queryset=visible_firms)

    class Meta:
        model = DailyReport
        fields = ["enterprise", "date"]


class PassAPIFilter(django_filters.FilterSet):
    enterprise = django_filters.ModelChoiceFilter(queryset=visible_firms)

    class Meta:
        model = Pass
        fields = ["kind", "status", "enterprise"]
