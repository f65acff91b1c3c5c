"""Filters of the contest's lists and API: every choice of a related record starts from ``visible_to``, so
a draft week the user may not see answers exactly like one that does not exist."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import ContestWeek, Indicator, InspectionScore, Score, UnitResult


def visible(model):
    return lambda request: model.objects.visible_to(getattr(request, "user", None))


class UnitResultFilter(django_filters.FilterSet):
    week = django_filters.ModelChoiceFilter(queryset=visible(ContestWeek), label=_("contest week"))

    class Meta:
        model = UnitResult
        fields = ["week", "unit_type", "unit_id", "list_mark", "township_id"]


class ScoreFilter(django_filters.FilterSet):
    week = django_filters.ModelChoiceFilter(queryset=visible(ContestWeek), label=_("contest week"))
    indicator = django_filters.ModelChoiceFilter(queryset=visible(Indicator), label=_("indicator"))

    class Meta:
        model = Score
        fields = ["week", "unit_type", "unit_id", "indicator", "no_data"]


class InspectionScoreFilter(django_filters.FilterSet):
    indicator = django_filters.ModelChoiceFilter(queryset=visible(Indicator), label=_("indicator"))

    class Meta:
        model = InspectionScore
        fields = ["level", "week_start", "indicator"]
