"""The contest's API: weeks, levels, indicators, results and scores (published ones only for the public
and every role but the district office), and the district's compute / recompute / publish / correct actions."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from fuyang_portal.api.base import HasRole
from fuyang_portal.roles import Role

from . import services
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


def _published_unless_district(queryset, user):
    if user.is_authenticated and user.is_district:
        return queryset
    return queryset.public()


class DistrictOnly(HasRole):
    pass


class ContestWeekViewSet(viewsets.ReadOnlyModelViewSet):
    """Contest weeks. The public sees published weeks; the district office every revision and the drafts."""

    serializer_class = ContestWeekSerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["level", "week_start", "status"]
    roles = (Role.DISTRICT,)

    def get_permissions(self):
        if self.action in ("compute", "recompute", "publish", "correct"):
            return [permissions.IsAuthenticated(), DistrictOnly()]
        return super().get_permissions()

    def get_queryset(self):
        return _published_unless_district(ContestWeek.objects.all(), self.request.user).order_by("-week_start", "level", "-revision")

    @extend_schema(request=ComputeSerializer, responses={201: ContestWeekSerializer})
    @action(detail=False, methods=["post"])
    def compute(self, request):
        serializer = ComputeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        week = services.compute_week(serializer.validated_data["level"], serializer.validated_data["week_start"], actor=request.user)
        return Response(ContestWeekSerializer(week).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ContestWeekSerializer)
    @action(detail=True, methods=["post"])
    def recompute(self, request, pk=None):
        week = self.get_object()
        week = services.compute_week(week.level, week.week_start, actor=request.user)
        return Response(ContestWeekSerializer(week).data)

    @extend_schema(request=PublishSerializer, responses=ContestWeekSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        week = self.get_object()
        serializer = PublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        week = services.publish_week(week, request.user, comment=serializer.validated_data.get("comment", ""))
        return Response(ContestWeekSerializer(week).data)

    @extend_schema(request=CorrectionSerializer, responses={201: ContestWeekSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        week = self.get_object()
        serializer = CorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        correction = services.open_correction(week, request.user, serializer.validated_data["reason"])
        return Response(ContestWeekSerializer(correction).data, status=status.HTTP_201_CREATED)


class LevelViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The three levels with their list size and data threshold."""

    serializer_class = LevelSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None
    queryset = LevelSetting.objects.all()


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = IndicatorSerializer
    permission_classes = [permissions.AllowAny]
    queryset = Indicator.objects.all()
    filterset_fields = ["source", "active"]


class UnitResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Each unit's total, rank, list and movement per week."""

    serializer_class = UnitResultSerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["week", "unit_type", "unit_id", "list_mark", "township_id"]

    def get_queryset(self):
        return _published_unless_district(UnitResult.objects.all(), self.request.user).order_by("week", RANK_ORDER, "unit_name")


class ScoreViewSet(viewsets.ReadOnlyModelViewSet):
    """Each unit's raw value, numerator, denominator and 0–100 score per indicator and week."""

    serializer_class = ScoreSerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["week", "unit_type", "unit_id", "indicator", "no_data"]

    def get_queryset(self):
        return _published_unless_district(Score.objects.select_related("indicator"), self.request.user).order_by("week", "unit_id", "indicator__sort_order")


def register(router):
    router.register("leaderboard/weeks", ContestWeekViewSet, basename="leaderboard-week")
    router.register("leaderboard/levels", LevelViewSet, basename="leaderboard-level")
    router.register("leaderboard/indicators", IndicatorViewSet, basename="leaderboard-indicator")
    router.register("leaderboard/results", UnitResultViewSet, basename="leaderboard-result")
    router.register("leaderboard/scores", ScoreViewSet, basename="leaderboard-score")
