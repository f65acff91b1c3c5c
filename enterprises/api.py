"""This app's API routes, added to the portal's router by fuyang_portal/api/urls.py.

Every viewset starts from ``visible_to(user)``; every state change goes through ``enterprises.services``.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.response import Response

from enterprises import services
from enterprises.filters import EnterpriseFilter
from enterprises.models import DailyReport, Enterprise, HealthCode, Pass, PassKind, ResumptionRequest, VehicleType
from fuyang_portal.api.base import ScopedViewSetMixin
from fuyang_portal.roles import Role
from fuyang_portal.validators import normalize_credit_code, normalize_plate, validate_plate, validate_resident_id

# Endpoints without uploads take JSON or a plain form; only the resumption request itself takes files.
NO_FILES = [JSONParser, FormParser]
ALL = (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY, Role.SPECIALIST, Role.ENTERPRISE)
PASS_ROLES = (Role.DISTRICT, Role.TOWNSHIP, Role.ENTERPRISE)


class EnterpriseSerializer(serializers.ModelSerializer):
    resumed = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "id", "name", "credit_code", "township", "village", "community", "address", "industry", "scale", "tags",
            "legal_representative", "contact_mobile", "registered_headcount", "resumed",
        ]
        extra_kwargs = {"credit_code": {"validators": []}}

    def get_resumed(self, obj) -> bool:
        return bool(getattr(obj, "resumed", False))

    def validate_credit_code(self, value):
        code = normalize_credit_code(value)
        qs = Enterprise.objects.filter(credit_code=code)
        if self.instance is not None:
            qs = qs.exclude(pk=self.instance.pk)
        message = services.duplicate_firm_message(code) if qs.exists() else None
        if message:
            raise serializers.ValidationError(message)
        return code

    def validate(self, data):
        user = self.context["request"].user
        township = data.get("township") or getattr(self.instance, "township", None)
        if not services.manages_registry(user, township.pk if township else None):
            raise PermissionDenied(_("You may register firms of your own township only."))
        village, community = data.get("village"), data.get("community")
        if village and community:
            raise serializers.ValidationError(_("Choose a village or a community, not both."))
        for place in (village, community):
            if place and township and place.township_id != township.pk:
                raise serializers.ValidationError(_("%(place)s is not in %(township)s.") % {"place": place, "township": township})
        return data


class EnterpriseViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Firms in the user's scope; district and township staff register and edit them."""

    parser_classes = NO_FILES
    model = Enterprise
    roles = ALL
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter  # q (name or credit code), township, scale, industry, tag

    def get_queryset(self):
        from django.utils import timezone

        return super().get_queryset().prefetch_related("tags").with_resumed(timezone.now()).order_by("township__sort_order", "name")

    def check_registrar(self):
        user = self.request.user
        if not (user.is_superuser or user.role in (Role.DISTRICT, Role.TOWNSHIP)):
            raise PermissionDenied(_("Only district and township staff register firms."))

    def create(self, request, *args, **kwargs):
        self.check_registrar()
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        self.check_registrar()
        return super().update(request, *args, **kwargs)


class ResumptionRequestSerializer(serializers.ModelSerializer):
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
    roles = ALL
    serializer_class = ResumptionRequestSerializer
    filterset_fields = ["status", "enterprise"]

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise").order_by("-created_at", "-pk")

    def perform_create(self, serializer):
        user = self.request.user
        if user.role != Role.ENTERPRISE:
            raise PermissionDenied(_("Only a firm files its own resumption request."))
        serializer.save(enterprise=user.enterprise, created_by=user)

    def perform_update(self, serializer):
        services.ensure_editable(serializer.instance, self.request.user)
        serializer.save()

    def _respond(self, obj):
        return Response(ResumptionRequestSerializer(obj, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=ResumptionRequestSerializer)
    @action(detail=True, methods=["post"], parser_classes=NO_FILES)
    def submit(self, request, pk=None):
        return self._respond(services.submit_resumption(self.get_object(), request.user))

    @extend_schema(request=CommentSerializer, responses=ResumptionRequestSerializer)
    @action(detail=True, methods=["post"], parser_classes=NO_FILES)
    def approve(self, request, pk=None):
        obj = self.get_object()  # out of scope answers 404 before the body is judged
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(services.approve_resumption(obj, request.user, data.validated_data["comment"]))

    @extend_schema(request=ReasonSerializer, responses=ResumptionRequestSerializer)
    @action(detail=True, methods=["post"], url_path="return", parser_classes=NO_FILES)
    def return_(self, request, pk=None):
        obj = self.get_object()  # out of scope answers 404 before the body is judged
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(services.return_resumption(obj, request.user, data.validated_data["reason"]))


class DailyReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = DailyReport
        fields = ["id", "enterprise", "date", "staff_on_site", "staff_away", "capacity_percent", "note"]
        read_only_fields = ["enterprise", "date"]


class DailyReportViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Headcount reports; a firm files today's, once."""

    parser_classes = NO_FILES
    model = DailyReport
    roles = ALL
    serializer_class = DailyReportSerializer
    filterset_fields = ["enterprise", "date"]

    def get_queryset(self):
        return super().get_queryset().order_by("-date", "enterprise_id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if request.user.role != Role.ENTERPRISE:
            raise PermissionDenied(_("Only the firm itself may report its headcount."))
        report = services.file_report(request.user, request.user.enterprise, **serializer.validated_data)
        return Response(DailyReportSerializer(report).data, status=status.HTTP_201_CREATED)


class PassSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=18)
    masked_id = serializers.CharField(read_only=True)
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

    parser_classes = NO_FILES
    model = Pass
    roles = PASS_ROLES
    serializer_class = PassSerializer
    filterset_fields = ["kind", "status", "enterprise"]

    def get_queryset(self):
        return super().get_queryset().order_by("-applied_at", "-pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if request.user.role != Role.ENTERPRISE:
            raise PermissionDenied(_("Only the firm itself may apply for its passes."))
        data = dict(serializer.validated_data)
        kind = data.pop("kind")
        pass_ = services.apply_for_pass(request.user, request.user.enterprise, kind, **data)
        return Response(PassSerializer(pass_).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CommentSerializer, responses=PassSerializer)
    @action(detail=True, methods=["post"], parser_classes=NO_FILES)
    def approve(self, request, pk=None):
        obj = self.get_object()  # out of scope answers 404 before the body is judged
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(PassSerializer(services.approve_pass(obj, request.user, data.validated_data["comment"])).data)

    @extend_schema(request=ReasonSerializer, responses=PassSerializer)
    @action(detail=True, methods=["post"], parser_classes=NO_FILES)
    def revoke(self, request, pk=None):
        obj = self.get_object()  # out of scope answers 404 before the body is judged
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(PassSerializer(services.revoke_pass(obj, request.user, data.validated_data["reason"])).data)


def register(router):
    router.register("enterprises", EnterpriseViewSet, basename="enterprise")
    router.register("resumption-requests", ResumptionRequestViewSet, basename="resumption-request")
    router.register("headcount-reports", DailyReportViewSet, basename="daily-report")
    router.register("passes", PassViewSet, basename="pass")
