"""This app's API routes, added to the portal's router by fuyang_portal/api/urls.py.

Every viewset starts from ``visible_to(user)``; every state change goes through ``enterprises.services``.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises import services
from enterprises.filters import DailyReportAPIFilter, EnterpriseFilter, PassAPIFilter, ResumptionRequestAPIFilter
from enterprises.models import DailyReport, Enterprise, HealthCode, Pass, PassKind, ResumptionRequest, VehicleType
from fuyang_portal import clock
from fuyang_portal.api.base import ScopedViewSetMixin
from fuyang_portal.api.fields import ScopedModelSerializer
from fuyang_portal.masking import MobileField
from fuyang_portal.validators import normalize_plate, validate_mobile, validate_plate, validate_resident_id

@contextmanager
def field_errors():
    """A service's ValidationError (by field, from the model's validators) answers 400 with those fields."""
    try:
        yield
    except DjangoValidationError as error:
        raise serializers.ValidationError(serializers.as_serializer_error(error))


class EnterpriseSerializer(ScopedModelSerializer):
    # The registry service checks the code (length, check digit, duplicates) with the model's validators,
    # as for the page and the import, so the field here only reads it.
    credit_code = serializers.CharField(label=_("unified social credit code"))
    industry_display = serializers.CharField(source="get_industry_display", read_only=True, label=_("industry section"))
    resumed = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "id", "name", "credit_code", "township", "village", "community", "address", "industry", "industry_display", "scale", "tags",
            "legal_representative", "contact_mobile", "registered_headcount", "resumed",
        ]
    def get_resumed(self, obj) -> bool:
        return bool(getattr(obj, "resumed", False))


class EnterpriseViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Firms in the user's scope; district and township staff register and edit them (the registry service)."""

    model = Enterprise
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter  # q (name or credit code), township, scale, industry, tag

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags").with_resumed(clock.now()).order_by("township__sort_order", "name")

    def perform_create(self, serializer):
        with field_errors():
            serializer.instance = services.register_firm(self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        with field_errors():
            serializer.instance = services.change_firm(serializer.instance, self.request.user, **serializer.validated_data)


class ResumptionRequestSerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = ResumptionRequest
        fields = [
            "id", "enterprise", "enterprise_name", "status", "planned_date", "staff_local", "staff_outside", "masks",
            "thermometers", "disinfectant_litres", "has_canteen", "has_dormitory", "site_arrangements",
            "resumption_plan", "prevention_plan", "return_reason", "submitted_at", "approved_at", "created_at",
        ]
        read_only_fields = ["enterprise", "status", "return_reason", "submitted_at", "approved_at", "created_at"]
        extra_kwargs = {"resumption_plan": {"write_only": True}, "prevention_plan": {"write_only": True}}


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ResumptionRequestViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Resumption requests; the firm files and submits, its township approves or returns."""

    model = ResumptionRequest
    serializer_class = ResumptionRequestSerializer
    filterset_class = ResumptionRequestAPIFilter
    policy_actions = {"return_": "return"}
    upload_actions = ("create", "update", "partial_update")  # the two plans are files

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise").order_by("-created_at", "-pk")

    def perform_create(self, serializer):
        user = self.request.user
        with field_errors():
            serializer.instance = services.file_request(user, user.enterprise, **serializer.validated_data)

    def perform_update(self, serializer):
        with field_errors():
            serializer.instance = services.change_request(serializer.instance, self.request.user, **serializer.validated_data)

    def _respond(self, obj):
        return Response(ResumptionRequestSerializer(obj, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=ResumptionRequestSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._respond(services.submit_resumption(self.get_object(), request.user))

    @extend_schema(request=CommentSerializer, responses=ResumptionRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        obj = self.get_object()  # out of scope answers 404 before the body is judged
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(services.approve_resumption(obj, request.user, data.validated_data["comment"]))

    @extend_schema(request=ReasonSerializer, responses=ResumptionRequestSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        obj = self.get_object()  # out of scope answers 404 before the body is judged
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(services.return_resumption(obj, request.user, data.validated_data["reason"]))


class DailyReportSerializer(ScopedModelSerializer):
    class Meta:
        model = DailyReport
        fields = ["id", "enterprise", "date", "staff_on_site", "staff_away", "capacity_percent", "note"]
        read_only_fields = ["enterprise", "date"]


class DailyReportViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Headcount reports; a firm files today's, once."""

    model = DailyReport
    serializer_class = DailyReportSerializer
    filterset_class = DailyReportAPIFilter

    def get_queryset(self):
        return super().get_queryset().order_by("-date", "enterprise_id")

    def create(self, request, *args, **kwargs):
        # The policy (PolicyPermission) has already refused every role but a firm's, before this body is read.
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.file_report(request.user, request.user.enterprise, **serializer.validated_data)
        return Response(DailyReportSerializer(report).data, status=status.HTTP_201_CREATED)


class PassSerializer(ScopedModelSerializer):
    id_number = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=18)
    masked_id = serializers.CharField(read_only=True)
    # Written in full by the firm; read back in full by the firm, masked to anyone else.
    mobile = MobileField(label=_("mobile"), max_length=11, validators=[validate_mobile])
    holder = serializers.CharField(source="holder_display", read_only=True)
    vehicle_type = serializers.ChoiceField(choices=VehicleType.choices, required=False, allow_blank=True)
    health_code = serializers.ChoiceField(choices=HealthCode.choices, required=False, allow_blank=True)

    class Meta:
        model = Pass
        fields = [
            "id", "kind", "enterprise", "status", "number", "holder", "valid_from", "valid_until", "plate", "vehicle_type",
            "driver_name", "route", "holder_name", "id_number", "masked_id", "origin", "health_code", "mobile",
            "applied_at", "issued_at", "revoked_at", "revoke_reason",
        ]
        read_only_fields = ["enterprise", "status", "number", "applied_at", "issued_at", "revoked_at", "revoke_reason"]
        extra_kwargs = {"plate": {"validators": []}}
        # Duplicates are refused by the service under lock (409), not by a pre-check here.
        validators = []

    def validate(self, data):
        if data.get("kind") == PassKind.VEHICLE:
            plate = normalize_plate(data.get("plate"))
            try:
                validate_plate(plate)
            except Exception as error:
                raise serializers.ValidationError({"plate": list(error.messages)})
            data["plate"] = plate
            missing = [f for f in ("vehicle_type", "driver_name", "route") if not data.get(f)]
        else:
            try:
                validate_resident_id(data.get("id_number", ""))
            except Exception as error:
                raise serializers.ValidationError({"id_number": list(error.messages)})
            missing = [f for f in ("holder_name", "origin", "health_code") if not data.get(f)]
        if missing:
            raise serializers.ValidationError({name: [_("This field is required.")] for name in missing})
        return data


class PassViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Vehicle and employee passes; the firm applies, its township issues or revokes. ID numbers are masked."""

    model = Pass
    serializer_class = PassSerializer
    filterset_class = PassAPIFilter
    policy_actions = {"approve": "issue"}

    def get_queryset(self):
        return super().get_queryset().order_by("-applied_at", "-pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        kind = data.pop("kind")
        pass_ = services.apply_for_pass(request.user, request.user.enterprise, kind, **data)
        return Response(PassSerializer(pass_, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CommentSerializer, responses=PassSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        obj = self.get_object()  # out of scope answers 404 before the body is judged
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(PassSerializer(services.approve_pass(obj, request.user, data.validated_data["comment"]), context=self.get_serializer_context()).data)

    @extend_schema(request=ReasonSerializer, responses=PassSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        obj = self.get_object()  # out of scope answers 404 before the body is judged
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(PassSerializer(services.revoke_pass(obj, request.user, data.validated_data["reason"]), context=self.get_serializer_context()).data)


def register(router):
    router.register("enterprises", EnterpriseViewSet, basename="enterprise")
    router.register("resumption-requests", ResumptionRequestViewSet, basename="resumption-request")
    router.register("headcount-reports", DailyReportViewSet, basename="daily-report")
    router.register("passes", PassViewSet, basename="pass")
