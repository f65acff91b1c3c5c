"""The subsidies API: registrations (public create, scoped read), trips, claims with their actions, payout
batches. Every endpoint starts from ``visible_to(user)`` and every change goes through ``subsidies.services``."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises.models import Enterprise
from fuyang_portal import audit
from fuyang_portal.api.base import PolicyPermission, ScopedReadOnlyViewSet, ScopedViewSetMixin
from fuyang_portal.api.fields import ScopedModelSerializer, ScopedRelatedField
from fuyang_portal.masking import MobileField
from fuyang_portal.validators import validate_mobile, validate_resident_id
from fuyang_portal.workflow import ActionRefused
from subsidies import regions, services
from subsidies.exports import transfer_file_response
from subsidies.filters import ClaimApiFilter, RegistrationApiFilter, TripApiFilter
from subsidies.models import (
    CharterTrip,
    HealthCode,
    PayoutBatch,
    SubsidyClaim,
    SubsidyPolicy,
    TravelMode,
    TripPassenger,
    WorkerRegistration,
)

# --- Serializers -----------------------------------------------------------------------------------


class WorkerRegistrationSerializer(ScopedModelSerializer):
    name = serializers.CharField(source="masked_name", read_only=True)
    id_number = serializers.CharField(source="masked_id", read_only=True)
    mobile = MobileField(read_only=True)  # in full to the employer that registered the worker
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    origin = serializers.CharField(source="origin_display", read_only=True)
    status = serializers.CharField(source="status_display", read_only=True)

    class Meta:
        model = WorkerRegistration
        fields = [
            "id", "reference", "name", "id_number", "mobile", "enterprise", "enterprise_name", "origin_province", "origin_county",
            "origin", "return_date", "travel_mode", "health_code", "source", "status", "created_at",
        ]
        read_only_fields = fields


class WorkerRegistrationCreateSerializer(serializers.Serializer):
    employer = serializers.CharField(
        max_length=100, required=False, help_text="Credit code or full name of the employer (the public form); an enterprise account registers its own staff."
    )
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=18, validators=[validate_resident_id], write_only=True)
    mobile = serializers.CharField(max_length=11, validators=[validate_mobile])
    origin_province = serializers.ChoiceField(choices=regions.province_choices())
    origin_county = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")
    return_date = serializers.DateField()
    travel_mode = serializers.ChoiceField(choices=TravelMode.choices)
    health_code = serializers.ChoiceField(choices=HealthCode.choices)


class WorkerRegistrationReceiptSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField()


class TripPassengerSerializer(ScopedModelSerializer):
    reference = serializers.CharField(source="registration.reference")
    name = serializers.CharField(source="registration.masked_name")
    id_number = serializers.CharField(source="registration.masked_id")

    class Meta:
        model = TripPassenger
        fields = ["id", "registration", "reference", "name", "id_number", "travelled"]


class CharterTripSerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    origin = serializers.CharField(source="origin_display", read_only=True)
    passengers = TripPassengerSerializer(many=True, read_only=True)

    class Meta:
        model = CharterTrip
        fields = [
            "id", "enterprise", "enterprise_name", "origin_province", "origin_county", "origin", "departure_date", "arrival_date",
            "seats", "status", "passengers",
        ]
        read_only_fields = fields


class CharterTripPlanSerializer(serializers.Serializer):
    enterprise = ScopedRelatedField(
        queryset=Enterprise.objects.all(), required=False, help_text="The firm (the district office); a firm account plans its own."
    )
    origin_province = serializers.ChoiceField(choices=regions.province_choices())
    origin_county = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")
    departure_date = serializers.DateField()
    seats = serializers.IntegerField(min_value=1, max_value=80)
    registrations = ScopedRelatedField(queryset=WorkerRegistration.objects.all(), many=True, allow_empty=False)


class CharterTripPassengersSerializer(serializers.Serializer):
    registrations = ScopedRelatedField(queryset=WorkerRegistration.objects.all(), many=True, allow_empty=False)


class CharterTripCompleteSerializer(serializers.Serializer):
    departure_date = serializers.DateField(required=False)
    arrival_date = serializers.DateField()
    travelled = serializers.ListField(child=serializers.IntegerField(), allow_empty=False, help_text="Passenger ids who travelled.")


class SubsidyReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class SubsidyClaimSerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    has_invoice_image = serializers.SerializerMethodField()

    class Meta:
        model = SubsidyClaim
        fields = [
            "id", "trip", "enterprise", "enterprise_name", "bus_company", "plate", "departure_date", "arrival_date", "origin_province",
            "origin_county", "invoice_number", "invoice_amount", "has_invoice_image", "payee_bank", "payee_account", "status",
            "status_display", "subsidy_amount", "approved_amount", "findings", "prechecked_at", "review_comment", "submitted_at",
            "decided_at",
        ]
        read_only_fields = fields

    def get_has_invoice_image(self, obj) -> bool:
        return bool(obj.invoice_image)


class SubsidyClaimCreateSerializer(ScopedModelSerializer):
    trip = ScopedRelatedField(queryset=CharterTrip.objects.all())

    class Meta:
        model = SubsidyClaim
        fields = [
            "trip", "bus_company", "plate", "departure_date", "arrival_date", "invoice_number", "invoice_amount", "invoice_image",
            "payee_bank", "payee_account",
        ]
        extra_kwargs = {"departure_date": {"required": False}, "arrival_date": {"required": False}, "invoice_number": {"validators": []}}


class PayoutItemSerializer(serializers.Serializer):
    claim = serializers.IntegerField(source="claim_id", allow_null=True)
    reference = serializers.CharField(source="line_label")
    enterprise = serializers.CharField(source="payee_name")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class PayoutBatchSerializer(ScopedModelSerializer):
    items = PayoutItemSerializer(many=True, read_only=True)

    class Meta:
        model = PayoutBatch
        fields = ["id", "number", "status", "transfer_reference", "created_at", "paid_at", "items"]
        read_only_fields = fields


class PayoutCreateSerializer(serializers.Serializer):
    claims = ScopedRelatedField(queryset=SubsidyClaim.objects.all(), many=True, allow_empty=False)


class PayoutMarkPaidSerializer(serializers.Serializer):
    transfer_reference = serializers.CharField(max_length=40)


class SubsidyPolicySerializer(ScopedModelSerializer):
    class Meta:
        model = SubsidyPolicy
        fields = ["version", "rate", "window_start", "window_end", "per_trip_cap", "per_enterprise_cap", "filing_days", "note", "created_at"]


# --- Views -----------------------------------------------------------------------------------------


class RegistrationPermission(PolicyPermission):
    """Anyone may register through the public endpoint (rate-limited, as the public form); a signed-in
    account registers as the policy allows, and reads as for any other endpoint."""

    def has_permission(self, request, view):
        if view.action == "create" and not request.user.is_authenticated:
            return True
        return super().has_permission(request, view)


@extend_schema_view(
    create=extend_schema(request=WorkerRegistrationCreateSerializer, responses={201: WorkerRegistrationReceiptSerializer}, auth=[{}, {"tokenAuth": []}]),
)
class RegistrationViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = WorkerRegistration
    serializer_class = WorkerRegistrationSerializer
    permission_classes = [RegistrationPermission]
    filterset_class = RegistrationApiFilter

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "trip_seat__trip")

    def get_serializer_class(self):
        return WorkerRegistrationCreateSerializer if self.action == "create" else WorkerRegistrationSerializer

    def create(self, request, *args, **kwargs):
        data = WorkerRegistrationCreateSerializer(data=request.data)
        user = request.user if request.user.is_authenticated else None
        try:
            if user is None:
                services.hit_rate_limit("ip", audit.client_ip(request) or "unknown")
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            employer = values.pop("employer", "")
            if user is not None:
                enterprise = user.enterprise  # an account registers its own firm's employees
            else:
                enterprise = services.find_enterprise(employer)
                if enterprise is None:
                    raise ActionRefused(_("No single registered firm matches this; enter its credit code or its full name."), ActionRefused.INVALID)
            if user is None:
                services.hit_rate_limit("mobile", values["mobile"])
            registration = services.register_worker(enterprise=enterprise, actor=user, **values)
        except services.RateLimited as refusal:
            return Response({"detail": str(refusal.message), "code": "rate_limited"}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        return Response({"reference": registration.reference, "status": str(registration.status_display)}, status=status.HTTP_201_CREATED)


class TripViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = CharterTrip
    serializer_class = CharterTripSerializer
    filterset_class = TripApiFilter

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise").prefetch_related("passengers__registration")

    @extend_schema(request=CharterTripPlanSerializer, responses={201: CharterTripSerializer})
    def create(self, request, *args, **kwargs):
        data = CharterTripPlanSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = request.user
        enterprise = user.enterprise or values.get("enterprise")  # a firm plans its own buses
        if enterprise is None:
            raise ActionRefused(_("Choose the firm."), ActionRefused.INVALID)
        trip = services.plan_trip(
            actor=user, enterprise=enterprise, origin_province=values["origin_province"], origin_county=values["origin_county"],
            departure_date=values["departure_date"], seats=values["seats"], registrations=values["registrations"],
        )
        return Response(CharterTripSerializer(trip).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CharterTripCompleteSerializer, responses=CharterTripSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        trip = self.get_object()
        data = CharterTripCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.complete_trip(trip, actor=request.user, **data.validated_data)
        return Response(CharterTripSerializer(self.get_queryset().get(pk=trip.pk)).data)

    @extend_schema(request=CharterTripPassengersSerializer, responses=CharterTripSerializer)
    @action(detail=True, methods=["post"], url_path="add-passengers")
    def add_passengers(self, request, pk=None):
        trip = self.get_object()
        data = CharterTripPassengersSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        services.add_passengers(trip, actor=request.user, registrations=set(data.validated_data["registrations"]))
        return Response(CharterTripSerializer(self.get_queryset().get(pk=trip.pk)).data)

    @extend_schema(request=SubsidyReasonSerializer, responses=CharterTripSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        trip = self.get_object()
        data = SubsidyReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.cancel_trip(trip, actor=request.user, reason=data.validated_data["reason"])
        return Response(CharterTripSerializer(self.get_queryset().get(pk=trip.pk)).data)


def _claim_action(name, service, argument=None):
    """One POST action per review step, each calling its service."""

    def act(self, request, pk=None):
        claim = self.get_object()
        if argument:
            data = SubsidyReasonSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            service(claim, actor=request.user, **{argument: data.validated_data["reason"]})
        else:
            service(claim, actor=request.user)
        return Response(SubsidyClaimSerializer(self.get_queryset().get(pk=claim.pk)).data)

    act.__name__ = name
    act.__doc__ = service.__doc__
    act = action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(act)
    return extend_schema(request=SubsidyReasonSerializer if argument else None, responses=SubsidyClaimSerializer)(act)


class ClaimViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = SubsidyClaim
    serializer_class = SubsidyClaimSerializer
    upload_actions = ("create",)  # the invoice image is a file
    filterset_class = ClaimApiFilter

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    @extend_schema(request=SubsidyClaimCreateSerializer, responses={201: SubsidyClaimSerializer})
    def create(self, request, *args, **kwargs):
        data = SubsidyClaimCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        trip = values.pop("trip")
        claim = services.start_claim(trip, actor=request.user, **{k: v for k, v in values.items() if v not in (None, "")})
        return Response(SubsidyClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    submit = _claim_action("submit", services.submit_claim)
    township_approve = _claim_action("township_approve", services.township_approve, "comment")
    township_return = _claim_action("township_return", services.township_return, "reason")
    district_approve = _claim_action("district_approve", services.district_approve, "comment")
    district_return = _claim_action("district_return", services.district_return, "reason")
    district_reject = _claim_action("district_reject", services.district_reject, "reason")


class PayoutBatchViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = PayoutBatch
    serializer_class = PayoutBatchSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("items__claim__enterprise")

    @extend_schema(request=PayoutCreateSerializer, responses={201: PayoutBatchSerializer})
    def create(self, request, *args, **kwargs):
        data = PayoutCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        batch = services.create_payout_batch(actor=request.user, claims=data.validated_data["claims"])
        return Response(PayoutBatchSerializer(self.get_queryset().get(pk=batch.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        return transfer_file_response(request, self.get_object())

    @extend_schema(request=PayoutMarkPaidSerializer, responses=PayoutBatchSerializer)
    @action(detail=True, methods=["post"], url_path="mark-paid")
    def mark_paid(self, request, pk=None):
        batch = self.get_object()
        data = PayoutMarkPaidSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.mark_batch_paid(batch, actor=request.user, transfer_reference=data.validated_data["transfer_reference"])
        return Response(PayoutBatchSerializer(self.get_queryset().get(pk=batch.pk)).data)


class PolicyViewSet(ScopedReadOnlyViewSet):
    """The charter subsidy policy, newest version first."""

    model = SubsidyPolicy
    serializer_class = SubsidyPolicySerializer
    lookup_field = "version"


def register(router):
    router.register("worker-registrations", RegistrationViewSet, basename="worker-registration")
    router.register("charter-trips", TripViewSet, basename="charter-trip")
    router.register("subsidy-claims", ClaimViewSet, basename="subsidy-claim")
    router.register("payout-batches", PayoutBatchViewSet, basename="payout-batch")
    router.register("subsidy-policies", PolicyViewSet, basename="subsidy-policy")
