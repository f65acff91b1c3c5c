import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Scale
from fuyang_portal import clock
from fuyang_portal.models import Agency, Township
from fuyang_portal.filters import DateRange
from specialists.models import Assignment, Category, Problem, Specialist, TrackedProject, Visit


def townships(request):
    return Township.objects.visible_to(request.user if request else None)


def agencies(request):
    return Agency.objects.visible_to(request.user if request else None)


class ProblemFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Problem.Status.choices, label=_("status"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("category"))
    township = django_filters.ModelChoiceFilter(field_name="enterprise__township", queryset=townships, label=_("township"))
    agency = django_filters.ModelChoiceFilter(queryset=agencies, label=_("agency"))
    enterprise = django_filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains", label=_("enterprise"))
    overdue = django_filters.BooleanFilter(label=_("overdue"), method="filter_overdue")
    late_3x = django_filters.BooleanFilter(label=_("three times late"), method="filter_late_3x")
    due_soon = django_filters.BooleanFilter(label=_("due in the next 2 working days"), method="filter_due_soon")
    closed_how = django_filters.ChoiceFilter(choices=[c for c in Problem.Closed.choices if c[0]], label=_("closed"))

    class Meta:
        model = Problem
        fields = ["status", "category", "township", "agency", "enterprise", "overdue", "late_3x", "due_soon", "closed_how"]

    def filter_late_3x(self, queryset, name, value):
        late = queryset.late_3x()
        return late if value else queryset.exclude(pk__in=late.values("pk"))

    def filter_due_soon(self, queryset, name, value):
        soon = queryset.due_soon()
        return soon if value else queryset.exclude(pk__in=soon.values("pk"))

    def filter_overdue(self, queryset, name, value):
        # As of the business clock, as the table's column shows it (the stored flag waits for the next sweep).
        # Issue 18: with the specialist or the township past the deadline is overdue too.
        late = Q(status__in=Problem.DEADLINE_STATES, deadline__lt=clock.today())
        return queryset.filter(late) if value else queryset.exclude(late)


class VisitFilter(django_filters.FilterSet):
    visited_on = DateRange(label=_("date range (from / to)"))
    township = django_filters.ModelChoiceFilter(field_name="enterprise__township", queryset=townships, label=_("township"))
    enterprise = django_filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains", label=_("enterprise"))

    class Meta:
        model = Visit
        fields = ["visited_on", "mode", "township", "enterprise"]


class ProjectFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("project name"))

    class Meta:
        model = TrackedProject
        fields = ["name", "stage"]


class AssignmentFilter(django_filters.FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="enterprise__township", queryset=townships, label=_("township"))
    enterprise = django_filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains", label=_("enterprise"))
    specialist = django_filters.CharFilter(field_name="specialist__user__full_name", lookup_expr="icontains", label=_("specialist"))

    class Meta:
        model = Assignment
        fields = ["township", "enterprise", "specialist"]


class SpecialistFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(field_name="user__full_name", lookup_expr="icontains", label=_("name"))
    agency = django_filters.ModelChoiceFilter(queryset=agencies, label=_("agency"))
    township = django_filters.ModelChoiceFilter(field_name="townships", queryset=townships, label=_("township served"))

    class Meta:
        model = Specialist
        fields = ["name", "agency", "township", "active"]


class FirmSelectionFilter(django_filters.FilterSet):
    """Which firms a bulk assignment applies to."""

    township = django_filters.ModelChoiceFilter(queryset=townships, label=_("township"))
    scale = django_filters.ChoiceFilter(choices=Scale.choices, label=_("scale"))
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))
    uncovered = django_filters.BooleanFilter(method="filter_uncovered", label=_("only firms with no active specialist"))

    def filter_uncovered(self, queryset, name, value):
        from specialists.models import active_on

        if value:
            assignments = Assignment.objects.visible_to(self.request.user if self.request else None)
            return queryset.exclude(pk__in=assignments.filter(active_on()).values("enterprise_id"))
        return queryset

    class Meta:
        model = Enterprise
        fields = ["township", "scale", "name", "uncovered"]


class RiskFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("category"))
    agency = django_filters.ModelChoiceFilter(queryset=agencies, label=_("agency"))

    class Meta:
        model = Problem
        fields = ["category", "agency"]
