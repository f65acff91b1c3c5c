"""This app's API routes, added to the portal's router by fuyang_portal/api/urls.py.

Every viewset starts from ``visible_to(user)`` and asks the policy (specialists/policies.py) before reading a
request's body; every change goes through ``specialists.services``. The one exception is deliberate: the
public directory (``specialist-directory``), which publishes active specialists' published fields to anyone.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from fuyang_portal import policy
from fuyang_portal.api.base import PolicyPermission, ScopedReadOnlyViewSet, ScopedViewSetMixin
from fuyang_portal.api.fields import ScopedModelSerializer, ScopedRelatedField
from fuyang_portal.uploads import DOCUMENT_KINDS, FileCheck
from fuyang_portal.workflow import ActionRefused
from specialists import services
from specialists.models import (
    Assignment,
    Callback,
    Category,
    Problem,
    ProblemPart,
    ServiceDomain,
    Specialist,
    Supervision,
    TrackedProject,
    Visit,
)

# ---------------------------------------------------------------- public directory (no sign-in)


class DirectorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name", read_only=True)
    agency = serializers.CharField(source="agency.name", read_only=True)
    domains = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    domain_codes = serializers.SlugRelatedField(source="domains", many=True, read_only=True, slug_field="code")
    townships = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Specialist
        fields = ["id", "name", "agency", "domains", "domain_codes", "townships", "published_mobile"]


@extend_schema(
    parameters=[
        OpenApiParameter("township", int, description="township id"),
        OpenApiParameter("domain", str, description="service domain code, e.g. water, power, passes"),
    ]
)
class DirectoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The public directory of service specialists: no sign-in needed; published fields only.

    Deliberately not ``visible_to``: a publication of ``Specialist.objects.public()``, like the directory page.
    """

    serializer_class = DirectorySerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    def get_queryset(self):
        queryset = Specialist.objects.public().select_related("user", "agency").prefetch_related(
            Prefetch("domains", queryset=ServiceDomain.objects.only("pk", "code", "name")), "townships"
        )
        township, domain = self.request.query_params.get("township"), self.request.query_params.get("domain")
        if township:
            queryset = queryset.filter(townships=township if township.isdigit() else -1)
        if domain:
            queryset = queryset.filter(domains__code=domain)
        return queryset.order_by("agency__code", "user__full_name", "pk")


# ---------------------------------------------------------------- specialists, in the user's scope


class SpecialistSerializer(ScopedModelSerializer):
    name = serializers.CharField(source="user.full_name", read_only=True)
    domains = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    townships = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Specialist
        fields = ["id", "name", "agency", "published_mobile", "domains", "townships", "active", "created_at"]
        read_only_fields = fields


class SpecialistViewSet(ScopedReadOnlyViewSet):
    """Service specialists in the user's scope: the same rows, and the same 404s, as the specialists' pages."""

    model = Specialist
    serializer_class = SpecialistSerializer
    filterset_fields = ["agency", "active"]

    def get_queryset(self):
        return super().get_queryset().select_related("user").prefetch_related(
            Prefetch("domains", queryset=ServiceDomain.objects.only("pk", "code")), "townships"
        ).order_by("agency__code", "user__full_name", "pk")


# ---------------------------------------------------------------- assignments


class AssignmentSerializer(ScopedModelSerializer):
    specialist = ScopedRelatedField(queryset=Specialist.objects.filter(active=True))
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "specialist", "enterprise", "starts_on", "ends_on", "active", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"starts_on": {"required": False}}
        validators = []  # overlaps are refused by the service, with a clear message


class AssignmentViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Assignments of specialists to firms; the district office and township staff create and end them."""

    model = Assignment
    serializer_class = AssignmentSerializer
    filterset_fields = ["specialist", "enterprise"]

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "specialist").order_by("-starts_on", "pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.assign_specialist(
            self.request.user, data["specialist"], data["enterprise"], data.get("starts_on"), data.get("ends_on")
        )

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        assignment = services.end_assignment(request.user, self.get_object())
        return Response(AssignmentSerializer(assignment, context=self.get_serializer_context()).data)


# ---------------------------------------------------------------- visits and projects


class ProblemInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    description = serializers.CharField()


class VisitSerializer(ScopedModelSerializer):
    problems_found = ProblemInputSerializer(many=True, write_only=True, required=False)
    problems = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id", "specialist", "enterprise", "project", "visited_on", "mode", "checked_dual_plan", "checked_supplies",
            "checked_staff", "checked_production", "notes", "problems_found", "problems", "created_at",
        ]
        read_only_fields = ["specialist", "created_at"]


class VisitViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Visits; a specialist logs one (with the problems found) through services.log_visit."""

    model = Visit
    serializer_class = VisitSerializer
    filterset_fields = ["enterprise", "specialist", "mode", "visited_on"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("problems").order_by("-visited_on", "-pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        checks = [name for name in services.CHECKS if data.get(name)]
        visit, _problems = services.log_visit(
            self.request.user, data["enterprise"], visited_on=data.get("visited_on"), mode=data.get("mode", Visit.Mode.ON_SITE),
            checks=checks, notes=data.get("notes", ""), project=data.get("project"), problems=data.get("problems_found", []),
        )
        serializer.instance = visit


class ProjectSerializer(ScopedModelSerializer):
    visits = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = TrackedProject
        fields = ["id", "specialist", "enterprise", "name", "stage", "next_step", "due_on", "visits", "created_at"]
        read_only_fields = ["specialist", "created_at"]


class ProjectViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Tracked projects (跟踪项目) with their visits; a specialist creates and updates their own."""

    model = TrackedProject
    serializer_class = ProjectSerializer
    filterset_fields = ["enterprise", "specialist", "stage"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("visits").order_by("due_on", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.save_project(self.request.user, TrackedProject(**serializer.validated_data))

    def perform_update(self, serializer):
        project = serializer.instance
        for field, value in serializer.validated_data.items():
            setattr(project, field, value)
        serializer.instance = services.save_project(self.request.user, project)


# ---------------------------------------------------------------- problems


class PartSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProblemPart
        fields = ["id", "problem", "agency", "status", "assigned_at", "sign_for_due", "accepted_at", "signed_on_time", "answer",
                  "answered_at"]
        read_only_fields = fields


class CallbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Callback
        fields = ["id", "called_at", "reached", "satisfaction", "comment"]
        read_only_fields = fields


class ProblemSerializer(ScopedModelSerializer):
    attachments = serializers.SerializerMethodField()
    parts = PartSerializer(many=True, read_only=True)
    callbacks = CallbackSerializer(many=True, read_only=True)
    supervision_count = serializers.SerializerMethodField()

    class Meta:
        model = Problem
        fields = [
            "id", "enterprise", "specialist", "visit", "category", "description", "status", "raised_at", "resolution",
            "escalation_note", "triage_due", "agency", "deadline", "overdue", "sign_for_due", "accepted_at", "signed_on_time",
            "remind_on", "late3x_on", "answer", "answered_at", "return_reason", "return_count", "decline_reason", "merged_into",
            "extension", "extension_days", "extension_reason", "rating", "feedback", "closed_at", "closed_how", "satisfaction",
            "callback_due", "reopen_count", "attachments", "parts", "callbacks", "supervision_count",
        ]
        read_only_fields = [f for f in fields if f not in ("enterprise", "category", "description")]

    def get_attachments(self, obj) -> list[str]:
        return [attachment.original_name for attachment in obj.attachments.all()]

    def get_supervision_count(self, obj) -> int:
        return len([n for n in obj.supervisions.all() if n.kind == Supervision.Kind.SUPERVISE])


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    agency = serializers.IntegerField(help_text=_("the agency's id"))
    co_agencies = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                        help_text=_("co-handling agencies' ids"))
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ExtensionSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True)


class DecisionSerializer(serializers.Serializer):
    grant = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ConfirmSerializer(serializers.Serializer):
    rating = serializers.IntegerField(help_text=_("1 to 5"))
    feedback = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewReturnSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text=_("true: accept the return and reassign; false: overrule it"))
    agency = serializers.IntegerField(required=False, allow_null=True, default=None, help_text=_("the agency's id"))
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class MergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(help_text=_("the id of the problem it duplicates"))
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CallbackInputSerializer(serializers.Serializer):
    reached = serializers.BooleanField()
    satisfaction = serializers.ChoiceField(choices=[c for c in Problem.Satisfaction.choices if c[0]], required=False,
                                           allow_blank=True, default="")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(validators=[FileCheck(DOCUMENT_KINDS)])


def problem_action(name, input_serializer, perform):
    """A POST action on one problem: find it in scope and ask the policy (404/403, before anything is read),
    then validate the input, call the service, answer with the problem."""

    @extend_schema(request=input_serializer, responses=ProblemSerializer)
    def handler(self, request, pk=None):
        problem = self.get_object()
        data = {}
        if input_serializer is not None:
            serializer = input_serializer(data=request.data)
            if not serializer.is_valid():
                # A type error (a rating of "abc") is the same refusal the service gives.
                raise ActionRefused(
                    "; ".join(f"{field}: {' '.join(map(str, errors))}" for field, errors in serializer.errors.items()),
                    ActionRefused.INVALID,
                )
            data = serializer.validated_data
        updated = perform(problem, request.user, data)
        updated = self.get_queryset().get(pk=updated.pk)
        return Response(ProblemSerializer(updated, context=self.get_serializer_context()).data)

    handler.__name__ = handler.__qualname__ = name
    return handler


class ProblemPermission(PolicyPermission):
    """The policy's permission; a reopen is the workflow action it is for this problem (back to the agency
    that answered it, or to the specialist)."""

    def has_object_permission(self, request, view, obj):
        if view.action == "reopen":
            return policy.can(request.user, services.reopen_action(obj), obj)
        return super().has_object_permission(request, view, obj)


class ProblemViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Problems (诉求) in the user's scope, and each step of their lifecycle as a POST action."""

    model = Problem
    serializer_class = ProblemSerializer
    permission_classes = [ProblemPermission]
    # The workflow's names (specialists/policies.py) of the actions whose URL says it differently.
    policy_actions = {
        "return_to_district": "return", "extend": "request_extension", "decide_extension": "grant_extension",
        "review_return": "accept_return",
    }
    filterset_fields = ["status", "category", "agency", "enterprise", "overdue", "closed_how"]
    upload_actions = ("attach",)  # the attachment is a file

    def get_queryset(self):
        return super().get_queryset().prefetch_related(
            "attachments", "parts", "callbacks", Prefetch("supervisions", queryset=Supervision.objects.only("pk", "kind", "problem_id"))
        ).order_by("-raised_at", "-pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.raise_problem(self.request.user, data["enterprise"], data["category"], data["description"])

    resolve = action(detail=True, methods=["post"])(problem_action("resolve", TextSerializer, lambda p, u, d: services.resolve(p, u, d["text"])))
    escalate = action(detail=True, methods=["post"])(problem_action("escalate", TextSerializer, lambda p, u, d: services.escalate(p, u, d["text"])))
    assign = action(detail=True, methods=["post"])(
        problem_action("assign", AssignSerializer, lambda p, u, d: services.assign(
            p, u, d["agency"], d["deadline"], d["comment"], co_agencies=d["co_agencies"]))
    )
    refer_to_township = action(detail=True, methods=["post"], url_path="refer-to-township")(
        problem_action("refer_to_township", TextSerializer, lambda p, u, d: services.refer_to_township(p, u, d["text"]))
    )
    township_resolve = action(detail=True, methods=["post"], url_path="township-resolve")(
        problem_action("township_resolve", TextSerializer, lambda p, u, d: services.township_resolve(p, u, d["text"]))
    )
    pass_up = action(detail=True, methods=["post"], url_path="pass-up")(
        problem_action("pass_up", TextSerializer, lambda p, u, d: services.pass_up(p, u, d["text"]))
    )
    decline = action(detail=True, methods=["post"])(
        problem_action("decline", TextSerializer, lambda p, u, d: services.decline(p, u, d["text"]))
    )
    merge = action(detail=True, methods=["post"])(
        problem_action("merge", MergeSerializer, lambda p, u, d: services.merge(p, u, d["into"], d["comment"]))
    )
    review_return = action(detail=True, methods=["post"], url_path="review-return")(
        problem_action("review_return", ReviewReturnSerializer, lambda p, u, d: services.review_return(
            p, u, d["accept"], agency=d["agency"], comment=d["comment"], deadline=d["deadline"]))
    )
    callback = action(detail=True, methods=["post"])(
        problem_action("callback", CallbackInputSerializer, lambda p, u, d: services.record_callback(
            p, u, d["reached"], d["satisfaction"], d["comment"]))
    )
    accept = action(detail=True, methods=["post"])(problem_action("accept", None, lambda p, u, d: services.accept(p, u)))
    return_to_district = action(detail=True, methods=["post"], url_path="return", url_name="return")(
        problem_action("return_to_district", TextSerializer, lambda p, u, d: services.return_to_district(p, u, d["text"]))
    )
    extend = action(detail=True, methods=["post"])(
        problem_action("extend", ExtensionSerializer, lambda p, u, d: services.request_extension(p, u, d["days"], d["reason"]))
    )
    decide_extension = action(detail=True, methods=["post"], url_path="decide-extension")(
        problem_action("decide_extension", DecisionSerializer, lambda p, u, d: services.decide_extension(p, u, d["grant"], d["comment"]))
    )
    answer = action(detail=True, methods=["post"])(problem_action("answer", TextSerializer, lambda p, u, d: services.answer(p, u, d["text"])))
    confirm = action(detail=True, methods=["post"])(
        problem_action("confirm", ConfirmSerializer, lambda p, u, d: services.confirm(p, u, d["rating"], d["feedback"]))
    )
    reopen = action(detail=True, methods=["post"])(problem_action("reopen", TextSerializer, lambda p, u, d: services.reopen(p, u, d["text"])))

    @extend_schema(request={"multipart/form-data": AttachmentUploadSerializer}, responses=ProblemSerializer)
    @action(detail=True, methods=["post"])
    def attach(self, request, pk=None):
        problem = self.get_object()
        upload = request.FILES.get("file")
        if upload is None:
            raise ActionRefused(_("Choose a file."), ActionRefused.INVALID)
        services.add_attachment(request.user, problem, upload)
        return Response(ProblemSerializer(self.get_queryset().get(pk=problem.pk), context=self.get_serializer_context()).data)


class PartViewSet(ScopedReadOnlyViewSet):
    """Co-handled parts (协办) in the user's scope; the co-handling agency signs for and answers its part."""

    model = ProblemPart
    serializer_class = PartSerializer
    filterset_fields = ["problem", "agency", "status"]

    def get_queryset(self):
        return super().get_queryset().order_by("problem", "pk")

    @extend_schema(request=None, responses=PartSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        part = services.accept_part(self.get_object(), request.user)
        return Response(PartSerializer(part).data)

    @extend_schema(request=TextSerializer, responses=PartSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        part = self.get_object()
        serializer = TextSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(PartSerializer(services.answer_part(part, request.user, serializer.validated_data["text"])).data)


class ScorecardSerializer(serializers.Serializer):
    agency = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    assigned = serializers.IntegerField()
    signed = serializers.IntegerField()
    signed_on_time = serializers.IntegerField()
    answered = serializers.IntegerField()
    answered_on_time = serializers.IntegerField()
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    reopened = serializers.IntegerField()
    returned = serializers.IntegerField()
    late_now = serializers.IntegerField()
    urged = serializers.IntegerField()
    supervised = serializers.IntegerField()
    sign_for_rate = serializers.FloatField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)
    satisfaction_rate = serializers.FloatField(allow_null=True)
    reopen_rate = serializers.FloatField(allow_null=True)


@extend_schema(
    parameters=[OpenApiParameter("start", str, description="YYYY-MM-DD"), OpenApiParameter("end", str, description="YYYY-MM-DD")],
    responses=ScorecardSerializer(many=True),
)
class ScorecardViewSet(viewsets.ViewSet):
    """The agency scorecard (specialists.metrics.agency_scorecard): the district office sees every agency, an
    agency its own row; other roles 403."""

    def list(self, request):
        from datetime import date

        from fuyang_portal.roles import Role
        from specialists import metrics

        user = request.user
        if not user.is_authenticated or not (user.is_superuser or user.role in (Role.DISTRICT, Role.AGENCY)):
            raise ActionRefused(_("You may not do this to this record."), ActionRefused.FORBIDDEN)
        try:
            start = date.fromisoformat(request.query_params["start"]) if request.query_params.get("start") else None
            end = date.fromisoformat(request.query_params["end"]) if request.query_params.get("end") else None
        except ValueError:
            raise ActionRefused(_("Dates are YYYY-MM-DD."), ActionRefused.INVALID) from None
        if (start is None) != (end is None):
            start, end = start or end, end or start
        rows = metrics.agency_scorecard(start, end)
        if user.role == Role.AGENCY and not user.is_superuser:
            rows = rows.filter(pk=user.agency_id)
        return Response(ScorecardSerializer(rows, many=True).data)


def register(router):
    router.register("specialist-directory", DirectoryViewSet, basename="specialist-directory")
    router.register("specialists", SpecialistViewSet, basename="specialist")
    router.register("specialist-assignments", AssignmentViewSet, basename="specialist-assignment")
    router.register("visits", VisitViewSet, basename="visit")
    router.register("tracked-projects", ProjectViewSet, basename="tracked-project")
    router.register("problems", ProblemViewSet, basename="problem")
    router.register("problem-parts", PartViewSet, basename="problem-part")
    router.register("agency-scorecard", ScorecardViewSet, basename="agency-scorecard")
