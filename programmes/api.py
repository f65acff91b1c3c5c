"""The programmes' API: work lists and items (report with a photo, inspect), findings (rectify), hotline calls
(log, answer, raise as a problem), coverage, lodgings (check in / out, occupancy by day), vouchers (issue,
redeem by code, cancel), car runs, stations and shopping runs. Every endpoint starts from ``visible_to(user)``;
every change calls ``programmes.services``."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from enterprises.models import Enterprise
from fuyang_portal import policy
from fuyang_portal.api.actions import read_body
from fuyang_portal.api.base import ScopedReadOnlyViewSet, ScopedViewSetMixin
from fuyang_portal.api.fields import ScopedModelSerializer, ScopedRelatedField
from fuyang_portal.models import User
from programmes import services
from programmes.models import (PHOTO_MAX_BYTES, CarRun, Category, Clinic, Finding, HealthVoucher, HotlineCall,
                               HotlineCoverage, ItemUpdate, Lodging, Occupancy, ServiceStation, ShoppingRun, Topic,
                               WorkItem, WorkList)
from specialists.models import Category as ProblemCategory


def _not_registered(refusal):
    return Response({"detail": str(refusal.message), "code": refusal.code, "register_url": refusal.register_url},
                    status=status.HTTP_400_BAD_REQUEST)


# --- serializers ---------------------------------------------------------------------------------------------


class WorkListSerializer(ScopedModelSerializer):
    class Meta:
        model = WorkList
        fields = ["id", "township", "community", "village", "title", "created_at"]
        read_only_fields = ["id", "township", "created_at"]
        extra_kwargs = {"community": {"required": False}, "village": {"required": False}}


class ItemUpdateSerializer(ScopedModelSerializer):
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = ItemUpdate
        fields = ["id", "note", "status_after", "author", "created_at", "has_photo"]

    def get_has_photo(self, obj) -> bool:
        return bool(obj.photo)


class WorkItemSerializer(ScopedModelSerializer):
    class Meta:
        model = WorkItem
        fields = ["id", "work_list", "number", "category", "indicator_code", "title", "responsible_unit", "responsible_person",
                  "deadline", "status", "last_update_at", "done_at"]
        read_only_fields = fields


class WorkItemCreateSerializer(serializers.Serializer):
    work_list = ScopedRelatedField(queryset=WorkList.objects.all())
    number = serializers.IntegerField(min_value=1, max_value=999, required=False)
    category = serializers.ChoiceField(choices=Category.choices)
    indicator_code = serializers.SlugField(max_length=40)
    title = serializers.CharField(max_length=200)
    responsible_unit = serializers.CharField(max_length=60)
    responsible_person = ScopedRelatedField(queryset=User.objects.filter(is_active=True))
    deadline = serializers.DateField()


class ItemReportSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)
    photo = serializers.FileField(required=False, max_length=200)
    done = serializers.BooleanField(required=False, default=False)

    def validate_photo(self, value):
        if value and value.size > PHOTO_MAX_BYTES:
            raise serializers.ValidationError("too large")
        return value


class ItemReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class ItemInspectSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Finding.Outcome.choices)
    points = serializers.IntegerField(min_value=0, max_value=10, required=False, default=0)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    rectify_by = serializers.DateField(required=False, allow_null=True, default=None)


class FindingSerializer(ScopedModelSerializer):
    late = serializers.BooleanField(read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "item", "inspected_on", "outcome", "points", "description", "rectify_by", "status", "rectified_on",
                  "rectification_note", "late"]
        read_only_fields = fields


class RectifyNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000)


class HotlineCallSerializer(ScopedModelSerializer):
    caller = serializers.CharField(source="caller_display", read_only=True)

    class Meta:
        model = HotlineCall
        fields = ["id", "township", "received_at", "caller_enterprise", "caller", "topic", "question", "answer", "follow_up", "status",
                  "responded_at", "response_minutes", "problem"]
        read_only_fields = fields


class HotlineCallCreateSerializer(serializers.Serializer):
    received_at = serializers.DateTimeField()
    caller_enterprise = ScopedRelatedField(queryset=Enterprise.objects.all(), required=False, allow_null=True, default=None)
    caller_name = serializers.CharField(max_length=50)
    caller_mobile = serializers.CharField(max_length=11, required=False, allow_blank=True, default="")
    topic = serializers.ChoiceField(choices=Topic.choices)
    question = serializers.CharField(max_length=2000)
    answer = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    follow_up = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class CallAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=2000)


class CallRaiseSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=ProblemCategory.choices)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class HotlineCoverageSerializer(ScopedModelSerializer):
    class Meta:
        model = HotlineCoverage
        fields = ["id", "township", "day", "hours", "staff", "note"]
        read_only_fields = ["id", "township"]


class LodgingSerializer(ScopedModelSerializer):
    staying = serializers.IntegerField(source="staying_count", read_only=True)

    class Meta:
        model = Lodging
        fields = ["id", "township", "name", "kind", "address", "capacity", "active", "staying"]
        read_only_fields = ["id", "township", "active", "staying"]


class LodgingCheckInSerializer(serializers.Serializer):
    worker = serializers.CharField(max_length=18, help_text="Registration reference or resident ID number.")
    day = serializers.DateField(required=False, allow_null=True, default=None)


class LodgingStaySerializer(ScopedModelSerializer):
    name = serializers.CharField(source="registration.masked_name", read_only=True)
    reference = serializers.CharField(source="registration.reference", read_only=True)

    class Meta:
        model = Occupancy
        fields = ["id", "lodging", "reference", "name", "check_in", "check_out", "observation_end", "status"]
        read_only_fields = fields


class LodgingCheckOutSerializer(serializers.Serializer):
    day = serializers.DateField(required=False, allow_null=True, default=None)


class HealthVoucherSerializer(ScopedModelSerializer):
    holder = serializers.CharField(source="registration.masked_name", read_only=True)

    class Meta:
        model = HealthVoucher
        fields = ["id", "code", "township", "holder", "issued_at", "expires_on", "status", "clinic", "redeemed_at"]
        read_only_fields = fields


class HealthVoucherIssueSerializer(serializers.Serializer):
    worker = serializers.CharField(max_length=18, help_text="Registration reference or resident ID number.")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


class VoucherRedeemSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=16)


class CarRunSerializer(ScopedModelSerializer):
    class Meta:
        model = CarRun
        fields = ["id", "township", "run_date", "origin", "destination", "people", "driver", "plate", "note"]
        read_only_fields = ["id", "township"]


class ServiceStationSerializer(ScopedModelSerializer):
    class Meta:
        model = ServiceStation
        fields = ["id", "township", "name", "place", "hours", "services", "active"]
        read_only_fields = ["id", "township", "active"]


class ShoppingRunSerializer(ScopedModelSerializer):
    class Meta:
        model = ShoppingRun
        fields = ["id", "township", "station", "run_date", "for_enterprise", "for_household", "items", "runner"]
        read_only_fields = ["id", "township"]
        extra_kwargs = {"for_household": {"default": ""}}


# --- views ---------------------------------------------------------------------------------------------------


class WorkListViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = WorkList
    serializer_class = WorkListSerializer

    def get_queryset(self):
        return super().get_queryset().order_by("pk")

    def create(self, request, *args, **kwargs):
        data = read_body(WorkListSerializer, request, context=self.get_serializer_context())
        work_list = services.create_work_list(request.user, **data)
        return Response(WorkListSerializer(work_list).data, status=status.HTTP_201_CREATED)


class WorkItemViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = WorkItem
    serializer_class = WorkItemSerializer
    filterset_fields = ["status", "category", "work_list"]

    def get_queryset(self):
        return super().get_queryset().order_by("work_list", "number")

    @extend_schema(request=WorkItemCreateSerializer, responses={201: WorkItemSerializer})
    def create(self, request, *args, **kwargs):
        data = read_body(WorkItemCreateSerializer, request, context=self.get_serializer_context())
        values = dict(data)
        item = services.add_item(request.user, values.pop("work_list"), **values)
        return Response(WorkItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": ItemReportSerializer}, responses=ItemUpdateSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, JSONParser])
    def report(self, request, pk=None):
        item = self.get_object()
        data = read_body(ItemReportSerializer, request)
        update = services.report_progress(item, request.user, **data)
        return Response(ItemUpdateSerializer(update).data)

    @extend_schema(request=ItemReasonSerializer, responses=WorkItemSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        item = self.get_object()
        data = read_body(ItemReasonSerializer, request)
        return Response(WorkItemSerializer(services.reopen_item(item, request.user, data["reason"])).data)

    @extend_schema(request=ItemInspectSerializer, responses={201: FindingSerializer})
    @action(detail=True, methods=["post"])
    def inspect(self, request, pk=None):
        item = self.get_object()
        data = read_body(ItemInspectSerializer, request)
        finding = services.inspect_item(item, request.user, **data)
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    read_actions = ("updates",)

    @extend_schema(responses=ItemUpdateSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def updates(self, request, pk=None):
        item = self.get_object()
        return Response(ItemUpdateSerializer(item.updates.all(), many=True).data)


class FindingViewSet(ScopedReadOnlyViewSet):
    model = Finding
    serializer_class = FindingSerializer
    filterset_fields = ["status", "outcome", "item"]

    def get_queryset(self):
        return super().get_queryset().order_by("-inspected_on", "-pk")

    @extend_schema(request=RectifyNoteSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def rectify(self, request, pk=None):
        finding = self.get_object()
        data = read_body(RectifyNoteSerializer, request)
        return Response(FindingSerializer(services.rectify_finding(finding, request.user, data["note"])).data)


class HotlineCallViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = HotlineCall
    serializer_class = HotlineCallSerializer
    filterset_fields = ["status", "topic"]
    policy_actions = {"answer": "close_follow_up", "raise_problem": "raise_problem"}

    def get_queryset(self):
        return super().get_queryset().select_related("caller_enterprise").order_by("-received_at", "-pk")

    @extend_schema(request=HotlineCallCreateSerializer, responses={201: HotlineCallSerializer})
    def create(self, request, *args, **kwargs):
        data = read_body(HotlineCallCreateSerializer, request, context=self.get_serializer_context())
        call = services.log_call(request.user, **data)
        return Response(HotlineCallSerializer(call).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CallAnswerSerializer, responses=HotlineCallSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        call = self.get_object()
        data = read_body(CallAnswerSerializer, request)
        return Response(HotlineCallSerializer(services.close_follow_up(call, request.user, data["answer"])).data)

    @extend_schema(request=CallRaiseSerializer, responses=HotlineCallSerializer)
    @action(detail=True, methods=["post"], url_path="raise-problem")
    def raise_problem(self, request, pk=None):
        call = self.get_object()
        data = read_body(CallRaiseSerializer, request)
        return Response(HotlineCallSerializer(services.raise_problem_from_call(call, request.user, **data)).data)


class CoverageViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = HotlineCoverage
    serializer_class = HotlineCoverageSerializer

    def get_queryset(self):
        return super().get_queryset().order_by("-day", "township")

    def create(self, request, *args, **kwargs):
        data = read_body(HotlineCoverageSerializer, request, context=self.get_serializer_context())
        coverage = services.set_coverage(request.user, **data)
        return Response(HotlineCoverageSerializer(coverage).data, status=status.HTTP_201_CREATED)


class LodgingViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = Lodging
    serializer_class = LodgingSerializer

    def policy_action(self):
        if self.action in ("check_in", "occupancy", "occupants"):
            return None  # the service asks the policy about the stay it creates; reads are reads
        return super().policy_action()

    def get_queryset(self):
        from django.db.models import Count, Q

        return super().get_queryset().annotate(
            staying_count=Count("occupancies", filter=Q(occupancies__status=Occupancy.Status.STAYING))
        ).order_by("pk")

    def create(self, request, *args, **kwargs):
        data = read_body(LodgingSerializer, request, context=self.get_serializer_context())
        lodging = services.add_lodging(request.user, **data)
        return Response(LodgingSerializer(self.get_queryset().get(pk=lodging.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LodgingCheckInSerializer, responses={201: LodgingStaySerializer})
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        lodging = self.get_object()
        if not policy.can(request.user, "create", Occupancy(lodging=lodging)):
            raise PermissionDenied()
        data = read_body(LodgingCheckInSerializer, request)
        try:
            registration = services.find_registration(request.user, data["worker"])
        except services.NotRegistered as refusal:
            return _not_registered(refusal)
        stay = services.check_in(request.user, lodging, registration, data["day"])
        return Response(LodgingStaySerializer(stay).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=LodgingStaySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def occupants(self, request, pk=None):
        lodging = self.get_object()
        return Response(LodgingStaySerializer(lodging.occupancies.select_related("registration"), many=True).data)

    @extend_schema(responses={200: {"type": "array", "items": {"type": "object"}}})
    @action(detail=True, methods=["get"])
    def occupancy(self, request, pk=None):
        lodging = self.get_object()
        rows = services.occupancy_by_day(Lodging.objects.filter(pk=lodging.pk), services.last_fortnight())
        return Response([{"day": day.isoformat(), "staying": n} for day, n in rows])


class OccupancyViewSet(ScopedReadOnlyViewSet):
    model = Occupancy
    serializer_class = LodgingStaySerializer
    policy_actions = {"check_out": "check_out"}

    def get_queryset(self):
        return super().get_queryset().select_related("registration").order_by("-check_in", "-pk")

    @extend_schema(request=LodgingCheckOutSerializer, responses=LodgingStaySerializer)
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request, pk=None):
        stay = self.get_object()
        data = read_body(LodgingCheckOutSerializer, request)
        return Response(LodgingStaySerializer(services.check_out(stay, request.user, data["day"])).data)


class VoucherViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = HealthVoucher
    serializer_class = HealthVoucherSerializer
    filterset_fields = ["status"]

    def get_queryset(self):
        return super().get_queryset().select_related("registration").order_by("-issued_at", "-pk")

    def policy_action(self):
        if self.action == "redeem":
            return None  # the service decides: a listed clinic, once
        return super().policy_action()

    def detail_action(self):
        return False if self.action == "redeem" else super().detail_action()

    @extend_schema(request=HealthVoucherIssueSerializer, responses={201: HealthVoucherSerializer})
    def create(self, request, *args, **kwargs):
        data = read_body(HealthVoucherIssueSerializer, request)
        try:
            registration = services.find_registration(request.user, data["worker"])
        except services.NotRegistered as refusal:
            return _not_registered(refusal)
        voucher = services.issue_voucher(request.user, registration, expires_on=data["expires_on"])
        return Response(HealthVoucherSerializer(voucher).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VoucherRedeemSerializer, responses=HealthVoucherSerializer)
    @action(detail=False, methods=["post"])
    def redeem(self, request):
        """A clinic scans a voucher's code and redeems it (once)."""
        data = read_body(VoucherRedeemSerializer, request)
        voucher = services.find_voucher(data["code"])
        if voucher is None:
            return Response({"detail": "Not found.", "code": "not_found"}, status=status.HTTP_404_NOT_FOUND)
        redeemed = services.redeem_voucher(voucher, request.user)
        return Response(HealthVoucherSerializer(redeemed).data)

    @extend_schema(request=ItemReasonSerializer, responses=HealthVoucherSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        voucher = self.get_object()
        data = read_body(ItemReasonSerializer, request)
        return Response(HealthVoucherSerializer(services.void_voucher(voucher, request.user, data["reason"])).data)


class ClinicViewSet(ScopedReadOnlyViewSet):
    model = Clinic

    serializer_class = None  # set below

    def get_queryset(self):
        return super().get_queryset().order_by("pk")


class ClinicSerializer(ScopedModelSerializer):
    class Meta:
        model = Clinic
        fields = ["id", "township", "name", "address", "phone", "active"]


ClinicViewSet.serializer_class = ClinicSerializer


def _ledger_viewset(model_, serializer_, service, basename):
    class LedgerViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
        model = model_
        serializer_class = serializer_

        def get_queryset(self):
            return super().get_queryset().order_by("-pk")

        def create(self, request, *args, **kwargs):
            data = read_body(serializer_, request, context=self.get_serializer_context())
            obj = service(request.user, **data)
            return Response(serializer_(obj).data, status=status.HTTP_201_CREATED)

    LedgerViewSet.__name__ = LedgerViewSet.__qualname__ = f"{model_.__name__}ViewSet"
    return LedgerViewSet


CarRunViewSet = _ledger_viewset(CarRun, CarRunSerializer, services.log_car_run, "car-run")
StationViewSet = _ledger_viewset(ServiceStation, ServiceStationSerializer, services.open_station, "service-station")
ShoppingRunViewSet = _ledger_viewset(ShoppingRun, ShoppingRunSerializer, services.log_shopping_run, "shopping-run")


def register(router):
    router.register("work-lists", WorkListViewSet, basename="work-list")
    router.register("work-items", WorkItemViewSet, basename="work-item")
    router.register("inspection-findings", FindingViewSet, basename="inspection-finding")
    router.register("hotline-calls", HotlineCallViewSet, basename="hotline-call")
    router.register("hotline-coverage", CoverageViewSet, basename="hotline-coverage")
    router.register("lodgings", LodgingViewSet, basename="lodging")
    router.register("lodging-stays", OccupancyViewSet, basename="lodging-stay")
    router.register("health-vouchers", VoucherViewSet, basename="health-voucher")
    router.register("clinics", ClinicViewSet, basename="clinic")
    router.register("car-runs", CarRunViewSet, basename="car-run")
    router.register("service-stations", StationViewSet, basename="service-station")
    router.register("shopping-runs", ShoppingRunViewSet, basename="shopping-run")
