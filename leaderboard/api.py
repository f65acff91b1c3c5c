"""The contest's API: weeks, levels, indicators, results and scores, each read from ``visible_to(user)``
(published weeks and their rows for every signed-in role, drafts for the district office), and the
actions of leaderboard/policies.py: compute, recompute, publish, correct.

Every action is judged by the policy before its body is read: the wrong role gets 403 (404 for a draft
it cannot see) even for an empty POST. The public red and black lists are a page (leaderboard.views),
not this API.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from fuyang_portal.api.base import ScopedViewSetMixin

from . import appeals, services
from .filters import ScoreFilter, UnitResultFilter
from .models import RANK_ORDER, ContestWeek, Indicator, LevelSetting, Objection, Score, UnitResult
from .sensitivity import week_panel
from .serializers import (
    CloseAppealsSerializer,
    ObjectionCreateSerializer,
    ObjectionDecisionSerializer,
    ObjectionSerializer,
    ComputeSerializer,
    ContestWeekSerializer,
    CorrectionSerializer,
    IndicatorSerializer,
    LevelSerializer,
    PublishSerializer,
    ScoreSerializer,
    SensitivitySerializer,
    UnitResultSerializer,
)


class ContestWeekViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Contest weeks: the published revisions for every role; every revision and the drafts for the district office."""

    model = ContestWeek
    serializer_class = ContestWeekSerializer
    filterset_fields = ["level", "week_start", "status"]
    # Reading the sensitivity panel is the district office's, as running the arithmetic is.
    policy_actions = {"recompute": "compute", "close_appeals": "close-appeals"}

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

    @extend_schema(request=CloseAppealsSerializer, responses=ContestWeekSerializer)
    @action(detail=True, methods=["post"], url_path="close-appeals")
    def close_appeals(self, request, pk=None):
        """End the draft's window for objections early, with a reason."""
        week = self.get_object()  # the policy first: 403/404 before the body is read
        serializer = CloseAppealsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        week = appeals.close_appeals(week, request.user, reason=serializer.validated_data["reason"])
        return Response(ContestWeekSerializer(week, context=self.get_serializer_context()).data)

    @extend_schema(responses=SensitivitySerializer)
    @action(detail=True, methods=["get"], pagination_class=None)
    def sensitivity(self, request, pk=None):
        """The week's lists under the rule and three other scorings, and the units that change list."""
        week = self.get_object()  # 404 outside the user's scope, then the policy: 403 but for the district office
        return Response(SensitivitySerializer({"week": week, "panel": week_panel(week, request.user)}).data)


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


class ObjectionViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Objections to a draft's figures: township and agency staff file them on their own units' figures while
    the window is open; the district office accepts (the week is recomputed as a new revision) or rejects."""

    model = Objection
    serializer_class = ObjectionSerializer
    filterset_fields = ["status", "level", "week_start", "indicator"]
    upload_actions = ("create",)  # the evidence is a file

    def get_queryset(self):
        return super().get_queryset().select_related("indicator").order_by("-filed_at", "-pk")

    @extend_schema(request=ObjectionCreateSerializer, responses={201: ObjectionSerializer})
    def create(self, request, *args, **kwargs):
        data = ObjectionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        score = get_object_or_404(appeals.objectable_scores(request.user), pk=values["score"])
        objection = appeals.file_objection(
            request.user, score, reason=values["reason"], evidence=values.get("evidence"), proposed_value=values.get("proposed_value")
        )
        return Response(ObjectionSerializer(objection, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ObjectionDecisionSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        objection = self.get_object()  # the policy first: 403/404 before the body is read
        data = ObjectionDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = appeals.accept_objection(
            objection, request.user, reason=data.validated_data["reason"], corrected_value=data.validated_data.get("corrected_value")
        )
        return Response(ObjectionSerializer(objection, context=self.get_serializer_context()).data)

    @extend_schema(request=ObjectionDecisionSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        objection = self.get_object()  # the policy first: 403/404 before the body is read
        data = ObjectionDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = appeals.reject_objection(objection, request.user, reason=data.validated_data["reason"])
        return Response(ObjectionSerializer(objection, context=self.get_serializer_context()).data)


def register(router):
    router.register("leaderboard/weeks", ContestWeekViewSet, basename="leaderboard-week")
    router.register("leaderboard/levels", LevelViewSet, basename="leaderboard-level")
    router.register("leaderboard/indicators", IndicatorViewSet, basename="leaderboard-indicator")
    router.register("leaderboard/results", UnitResultViewSet, basename="leaderboard-result")
    router.register("leaderboard/scores", ScoreViewSet, basename="leaderboard-score")
    router.register("leaderboard/objections", ObjectionViewSet, basename="leaderboard-objection")
