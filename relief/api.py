"""The relief API: the catalogue (with its versions), a firm's eligibility, awards and applications, each action
calling relief.services. Every endpoint starts from ``visible_to(user)``; the page and the API answer alike."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises.models import Enterprise
from fuyang_portal.api.actions import object_action, read_body
from fuyang_portal.api.base import ScopedViewSetMixin
from fuyang_portal.api.fields import ScopedModelSerializer, ScopedRelatedField
from relief import services
from relief.models import Application, Area, Award, Mode, Policy, PolicyVersion


class ReliefPolicyVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyVersion
        fields = ["number", "summary", "rule", "benefit", "period", "valid_from", "valid_until", "budget", "documents", "note", "created_at"]
        read_only_fields = fields


class ReliefPolicySerializer(ScopedModelSerializer):
    current_version = ReliefPolicyVersionSerializer(read_only=True)

    class Meta:
        model = Policy
        fields = ["id", "code", "title", "issuer", "document_number", "issued_on", "area", "mode", "status", "illustrative",
                  "published_at", "current_version"]
        read_only_fields = fields


class ReliefTermsSerializer(serializers.Serializer):
    summary = serializers.CharField()
    rule = serializers.JSONField(required=False, default=dict)
    benefit = serializers.JSONField()
    period = serializers.CharField(max_length=20)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2)
    documents = serializers.ListField(child=serializers.CharField(max_length=60), required=False, default=list)


class ReliefPolicyCreateSerializer(ReliefTermsSerializer):
    code = serializers.SlugField(max_length=40)
    title = serializers.CharField(max_length=200)
    issuer = serializers.CharField(max_length=100)
    document_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    issued_on = serializers.DateField()
    area = serializers.ChoiceField(choices=Area.choices)
    mode = serializers.ChoiceField(choices=Mode.choices)
    illustrative = serializers.BooleanField(required=False, default=False)


class ReliefReviseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False)
    rule = serializers.JSONField(required=False)
    benefit = serializers.JSONField(required=False)
    period = serializers.CharField(max_length=20, required=False)
    valid_from = serializers.DateField(required=False)
    valid_until = serializers.DateField(required=False, allow_null=True)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    documents = serializers.ListField(child=serializers.CharField(max_length=60), required=False)


class ReliefReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReliefLineSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    text = serializers.CharField()


class ReliefEligibilitySerializer(serializers.Serializer):
    policy = serializers.IntegerField(source="policy.pk")
    title = serializers.CharField(source="policy.title")
    mode = serializers.CharField(source="policy.mode")
    version = serializers.IntegerField(source="version.number")
    eligible = serializers.BooleanField()
    lines = ReliefLineSerializer(many=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    award = serializers.IntegerField(source="award.pk", default=None, allow_null=True)
    application = serializers.IntegerField(source="application.pk", default=None, allow_null=True)


def _revise(item, user, values):
    services.revise_policy(item, user, note=values.pop("note"), **values)


class PolicyViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The catalogue: published policies for every signed-in role, drafts for the district office."""

    model = Policy
    serializer_class = ReliefPolicySerializer
    filterset_fields = ["area", "mode", "status"]

    def get_queryset(self):
        return super().get_queryset().select_related("current_version")

    @extend_schema(request=ReliefPolicyCreateSerializer, responses={201: ReliefPolicySerializer})
    def create(self, request, *args, **kwargs):
        data = read_body(ReliefPolicyCreateSerializer, request)
        item = services.create_policy(request.user, **data)
        return Response(ReliefPolicySerializer(self.get_queryset().get(pk=item.pk)).data, status=status.HTTP_201_CREATED)

    publish = object_action("publish", lambda item, user, data: services.publish_policy(item, user),
                            body=None, answer=ReliefPolicySerializer)
    withdraw = object_action("withdraw", lambda item, user, data: services.withdraw_policy(item, user, data["reason"]),
                             body=ReliefReasonSerializer, answer=ReliefPolicySerializer)
    revise = object_action("revise", lambda item, user, data: _revise(item, user, dict(data)),
                           body=ReliefReviseSerializer, answer=ReliefPolicySerializer)

    read_actions = ("versions",)

    @extend_schema(responses=ReliefPolicyVersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request, pk=None):
        return Response(ReliefPolicyVersionSerializer(self.get_object().versions.order_by("-number"), many=True).data)


class EligibilityViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """A firm's standing under every policy in force (``/relief-eligibility/{firm id}/``): eligible or not and why,
    the amount, its award or application. A firm sees its own; staff the firms in their scope."""

    model = Enterprise
    serializer_class = ReliefEligibilitySerializer
    pagination_class = None  # one firm's standing: a short list, whole

    @extend_schema(responses=ReliefEligibilitySerializer(many=True))
    def retrieve(self, request, pk=None):
        firm = self.get_object()
        return Response(ReliefEligibilitySerializer(services.standings(firm), many=True).data)


class ReliefAwardSerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Award
        fields = ["id", "reference", "policy", "version", "enterprise", "enterprise_name", "period", "amount", "basis", "status",
                  "hold_reason", "created_at", "confirmed_at", "paid_at"]
        read_only_fields = fields


class ReliefConfirmSerializer(serializers.Serializer):
    bank = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    account_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    account_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class ReliefBatchSerializer(serializers.Serializer):
    awards = ScopedRelatedField(queryset=Award.objects.all(), many=True, allow_empty=False)


class ReliefBatchResultSerializer(serializers.Serializer):
    batch = serializers.IntegerField(source="batch.pk")
    number = serializers.CharField(source="batch.number")
    held = serializers.DictField(child=serializers.CharField())


class AwardViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Award
    serializer_class = ReliefAwardSerializer
    filterset_fields = ["policy", "status", "period", "enterprise"]

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    confirm = object_action("confirm", lambda award, user, data: services.confirm_award(award, user, **data),
                            body=ReliefConfirmSerializer, answer=ReliefAwardSerializer)
    cancel = object_action("cancel", lambda award, user, data: services.cancel_award(award, user, data["reason"]),
                           body=ReliefReasonSerializer, answer=ReliefAwardSerializer)
    recover = object_action("recover", lambda award, user, data: services.open_recovery(award, user, data["reason"]),
                            body=ReliefReasonSerializer, answer=ReliefAwardSerializer)

    @extend_schema(request=ReliefBatchSerializer, responses={201: ReliefBatchResultSerializer})
    @action(detail=False, methods=["post"])
    def batch(self, request):
        data = read_body(ReliefBatchSerializer, request, context=self.get_serializer_context())
        batch, held = services.batch_awards(request.user, data["awards"])
        return Response(ReliefBatchResultSerializer({"batch": batch, "held": {str(k): v for k, v in held.items()}}).data, status=status.HTTP_201_CREATED)


class ReliefDocumentSerializer(serializers.Serializer):
    name = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class ReliefApplicationSerializer(ScopedModelSerializer):
    documents = ReliefDocumentSerializer(many=True, read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Application
        fields = ["id", "policy", "version", "enterprise", "enterprise_name", "period", "status", "amount", "note", "review_comment",
                  "award", "submitted_at", "decided_at", "documents"]
        read_only_fields = fields


class ReliefApplicationCreateSerializer(serializers.Serializer):
    policy = ScopedRelatedField(queryset=Policy.objects.all())
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReliefAttachSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    file = serializers.FileField()


def _application_action(name, service, argument=None):
    def perform(application, user, data):
        service(application, user, *([data["reason"]] if argument else []))

    return object_action(name, perform, body=ReliefReasonSerializer if argument else None, answer=ReliefApplicationSerializer,
                         doc=service.__doc__)


class ApplicationViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = Application
    serializer_class = ReliefApplicationSerializer
    upload_actions = ("attach",)
    policy_actions = {"attach": "change"}
    filterset_fields = ["policy", "status"]

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise").prefetch_related("documents")

    @extend_schema(request=ReliefApplicationCreateSerializer, responses={201: ReliefApplicationSerializer})
    def create(self, request, *args, **kwargs):
        data = read_body(ReliefApplicationCreateSerializer, request, context=self.get_serializer_context())
        item = Policy.objects.select_related("current_version").get(pk=data["policy"].pk)
        application = services.start_application(request.user, item, note=data["note"])
        return Response(ReliefApplicationSerializer(self.get_queryset().get(pk=application.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": ReliefAttachSerializer}, responses=ReliefApplicationSerializer)
    @action(detail=True, methods=["post"])
    def attach(self, request, pk=None):
        application = self.get_object()
        data = read_body(ReliefAttachSerializer, request)
        services.attach_document(application, request.user, **data)
        return Response(ReliefApplicationSerializer(self.get_queryset().get(pk=application.pk)).data)

    submit = _application_action("submit", services.submit_application)
    township_approve = _application_action("township_approve", services.township_approve, "reason")
    township_return = _application_action("township_return", services.township_return, "reason")
    district_approve = _application_action("district_approve", services.district_approve, "reason")
    district_return = _application_action("district_return", services.district_return, "reason")
    district_reject = _application_action("district_reject", services.district_reject, "reason")


def register(router):
    router.register("relief-policies", PolicyViewSet, basename="relief-policy")
    router.register("relief-eligibility", EligibilityViewSet, basename="relief-eligibility")
    router.register("relief-awards", AwardViewSet, basename="relief-award")
    router.register("relief-applications", ApplicationViewSet, basename="relief-application")
