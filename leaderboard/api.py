"""The contest's API: weeks, levels, indicators, results and scores, each read from ``visible_to(user)``
(published weeks and their rows for every signed-in role, drafts for the district office), and the
actions of leaderboard/policies.py: compute, recompute, publish, correct.

Every action is judged by the policy before its body is read: the wrong role gets 403 (404 for a draft
it cannot see) even for an empty POST. The public red and black lists are a page (leaderboard.views),
not this API.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from fuyang_portal.api.base import ScopedViewSetMixin

from . import services
from .filters import ScoreFilter, UnitResultFilter
from .models import RANK_ORDER, ContestWeek, Indicator, LevelSetting, Score, UnitResult
from .serializers import (
    ComputeSerializer,
    ContestWeekSerializer,
    CorrectionSerializer,
    IndicatorSerializer,
    LevelSerializer,
    PublishSerializer,
    ScoreSerializer,
    UnitResultSerializer,
)


class ContestWeekViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Contest weeks: the published revisions for every role; every revision and the drafts for the district office."""

    model = ContestWeek
    serializer_class = ContestWeekSerializer
    filterset_fields = ["level", "week_start", "status"]
    policy_actions = {"recompute": "compute"}

    def get_queryset(self):
        return super().get_queryset().order_by("-week_start", "level", "-revision")

    @extend_schema(request=ComputeSerializer, responses={201: ContestWeekSerializer})
    @action(detail=False, methods=["post"])
    def compute(self, request):
        serializer = ComputeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        week = services.compute_week(serializer.validated_data["level"], serializer.validated_data["week_start"], actor=request.user)
        return Response(ContestWeekSerializer(week, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ContestWeekSerializer)
    @action(detail=True, methods=["post"])
    def recompute(self, request, pk=None):
        week = self.get_object()
        week = services.compute_week(week.level, week.week_start, actor=request.user)
        return Response(ContestWeekSerializer(week, context=self.get_serializer_context()).data)

    @extend_schema(request=PublishSerializer, responses=ContestWeekSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        week = self.get_object()  # the policy first: 403/404 before the body is read
        serializer = PublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        week = services.publish_week(week, request.user, comment=serializer.validated_data.get("comment", ""))
        return Response(ContestWeekSerializer(week, context=self.get_serializer_context()).data)

    @extend_schema(request=CorrectionSerializer, responses={201: ContestWeekSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        week = self.get_object()  # the policy first: 403/404 before the body is read
        serializer = CorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        correction = services.open_correction(week, request.user, serializer.validated_data["reason"])
        return Response(ContestWeekSerializer(correction, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)


class LevelViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The three levels with their list size and data threshold."""

    model = LevelSetting
    serializer_class = LevelSerializer
    pagination_class = None


class IndicatorViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Indicator
    serializer_class = IndicatorSerializer
    filterset_fields = ["source", "active"]


class UnitResultViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Each unit's total, rank, list and movement per week."""

    model = UnitResult
    serializer_class = UnitResultSerializer
    filterset_class = UnitResultFilter

    def get_queryset(self):
        return super().get_queryset().order_by("week", RANK_ORDER, "unit_name")


class ScoreViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Each unit's raw value, numerator, denominator and 0–100 score per indicator and week."""

    model = Score
    serializer_class = ScoreSerializer
    filterset_class = ScoreFilter

    def get_queryset(self):
        return super().get_queryset().select_related("indicator").order_by("week", "unit_id", "indicator__sort_order")


def register(router):
    router.register("leaderboard/weeks", ContestWeekViewSet, basename="leaderboard-week")
    router.register("leaderboard/levels", LevelViewSet, basename="leaderboard-level")
    router.register("leaderboard/indicators", IndicatorViewSet, basename="leaderboard-indicator")
    router.register("leaderboard/results", UnitResultViewSet, basename="leaderboard-result")
    router.register("leaderboard/scores", ScoreViewSet, basename="leaderboard-score")
