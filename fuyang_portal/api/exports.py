"""The approved exports of personal data in the API: list, read, file a request, approve, refuse, and the one
download. The same service and the same answers as the pages (fuyang_portal/views/exports.py)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from fuyang_portal import export_approvals
from fuyang_portal.api.base import ScopedViewSetMixin
from fuyang_portal.api.schema import ErrorSerializer
from fuyang_portal.models import ExportRequest
from fuyang_portal.views.exports import STATUS_FOR, as_download, producer
from fuyang_portal.workflow import ActionRefused

FILE_TYPES = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class ExportRequestSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None, allow_null=True)
    list_title = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()

    class Meta:
        model = ExportRequest
        fields = ["id", "path", "view_name", "list_title", "query", "format", "reason", "status", "state", "requested_by", "created_at",
                  "decided_by", "decided_at", "decision_note", "expires_at", "downloaded_at"]
        read_only_fields = fields

    def get_list_title(self, obj) -> str:
        return str(export_approvals.list_title(obj))

    def get_state(self, obj) -> str:
        """The status, or ``expired`` for an approval past its window."""
        return "expired" if obj.expired else obj.status


class ExportRequestCreateSerializer(serializers.Serializer):
    path = serializers.CharField(max_length=200, help_text="The list page's path, e.g. /subsidies/registrations/.")
    query = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="", help_text="The list's filters, as its query string.")
    format = serializers.ChoiceField(choices=ExportRequest.Format.choices)
    reason = serializers.CharField(max_length=500)


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RefusalSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500)


class ExportRequestViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = ExportRequest
    serializer_class = ExportRequestSerializer
    filterset_fields = ["status"]  # not ``format``: DRF reads that query parameter as the response's format

    def get_queryset(self):
        return super().get_queryset().select_related("requested_by", "decided_by")

    @extend_schema(request=ExportRequestCreateSerializer, responses={201: ExportRequestSerializer})
    def create(self, request, *args, **kwargs):
        data = ExportRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        export = export_approvals.file_request(request.user, **data.validated_data)
        return Response(ExportRequestSerializer(export).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses=ExportRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        export = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(ExportRequestSerializer(export_approvals.approve(export, request.user, data.validated_data["note"])).data)

    @extend_schema(request=RefusalSerializer, responses=ExportRequestSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        export = self.get_object()
        data = RefusalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(ExportRequestSerializer(export_approvals.refuse(export, request.user, data.validated_data["note"])).data)

    @extend_schema(
        request=None,
        responses={
            **{(200, media): OpenApiResponse(OpenApiTypes.BINARY, description="The file, once.") for media in FILE_TYPES},
            410: OpenApiResponse(ErrorSerializer, description="Downloaded already, or the approval expired: file a new request."),
        },
    )
    @action(detail=True, methods=["post"])
    def download(self, request, pk=None):
        export = self.get_object()
        try:
            return as_download(export_approvals.download(export, request.user, producer(request._request)))
        except ActionRefused as refusal:
            # Answered here, not by the exception handler: its rollback would take the refusal's audit row with it.
            return Response({"detail": str(refusal.message), "code": refusal.code}, status=STATUS_FOR.get(refusal.code, 400))
