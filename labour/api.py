"""The labour API: vacancies with their workflow, referrals (JSON or an xlsx file, all rows or none), candidates
with the firm's decisions, and the partner counties. Every endpoint starts from ``visible_to(user)`` and every
change goes through ``labour.services``."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from enterprises.imports import ImportFileError, read_table
from enterprises.models import Enterprise
from fuyang_portal.api.actions import object_action, read_body
from fuyang_portal.api.base import ScopedReadOnlyViewSet, ScopedViewSetMixin
from fuyang_portal.api.fields import ScopedModelSerializer, ScopedRelatedField
from fuyang_portal.masking import MobileField
from fuyang_portal.workflow import ActionRefused
from labour import services
from labour.filters import CandidateApiFilter, VacancyApiFilter
from labour.models import Candidate, PartnerCounty, Trade, Vacancy
from subsidies.models import HealthCode, TravelMode

# --- serializers -------------------------------------------------------------------------------------


class VacancySerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    township = serializers.CharField(source="enterprise.township.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    trade_display = serializers.CharField(source="get_trade_display", read_only=True)

    class Meta:
        model = Vacancy
        fields = [
            "id", "enterprise", "enterprise_name", "township", "position", "trade", "trade_display", "headcount", "skills", "wage_min",
            "wage_max", "housing", "meals", "start_date", "contact_name", "contact_mobile", "status", "status_display", "review_comment",
            "created_at", "published_at", "closed_at",
        ]
        read_only_fields = fields


class VacancyCreateSerializer(serializers.Serializer):
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all(), required=False, help_text="A specialist names the firm; a firm account posts its own.")
    position = serializers.CharField(max_length=60)
    trade = serializers.ChoiceField(choices=Trade.choices)
    headcount = serializers.IntegerField(min_value=1, max_value=500)
    skills = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    wage_min = serializers.IntegerField(min_value=1000, max_value=50000)
    wage_max = serializers.IntegerField(min_value=1000, max_value=50000)
    housing = serializers.BooleanField(default=False)
    meals = serializers.BooleanField(default=False)
    start_date = serializers.DateField()
    contact_name = serializers.CharField(max_length=30)
    contact_mobile = serializers.CharField(max_length=11)
    submit = serializers.BooleanField(default=False, help_text="Submit to the township at once.")


class VacancyReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class DaySerializer(serializers.Serializer):
    day = serializers.DateField(required=False, help_text="Default: today.")


class CandidateRowSerializer(serializers.Serializer):
    """One referred worker. The row is checked by the service (ID check digit, mobile, date)."""

    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=18, write_only=True)
    mobile = serializers.CharField(max_length=11)
    skills = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    earliest_travel_date = serializers.DateField()
    travel_mode = serializers.ChoiceField(choices=TravelMode.choices, default=TravelMode.CHARTER)
    health_code = serializers.ChoiceField(choices=HealthCode.choices, default=HealthCode.GREEN)


class ReferSerializer(serializers.Serializer):
    candidates = CandidateRowSerializer(many=True, allow_empty=False)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class CandidateSerializer(ScopedModelSerializer):
    name = serializers.CharField(source="masked_name", read_only=True)
    id_number = serializers.CharField(source="masked_id", read_only=True)
    mobile = MobileField(read_only=True)  # in full to the county that referred the worker
    county_name = serializers.CharField(source="county.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    registration_reference = serializers.CharField(source="registration.reference", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Candidate
        fields = [
            "id", "vacancy", "county", "county_name", "name", "id_number", "mobile", "skills", "earliest_travel_date", "travel_mode",
            "health_code", "status", "status_display", "reason", "warning", "registration_reference", "referred_at", "arrived_on", "hired_on",
        ]
        read_only_fields = fields


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())


class RowsRefusedSerializer(serializers.Serializer):
    """A referral refused: the message and, when rows were read, what is wrong with each (or field errors)."""

    detail = serializers.CharField(required=False)
    code = serializers.CharField(required=False)
    rows = RowErrorSerializer(many=True, required=False)


class PartnerCountySerializer(ScopedModelSerializer):
    class Meta:
        model = PartnerCounty
        fields = ["id", "name", "region_code", "pairing", "active"]
        read_only_fields = fields


def _rows_refused(refusal):
    rows = [{"line": row.line, "errors": row.errors, "warnings": row.warnings} for row in refusal.rows]
    return Response({"detail": str(refusal.message), "code": "invalid", "rows": rows}, status=status.HTTP_400_BAD_REQUEST)


# --- views ---------------------------------------------------------------------------------------


def _vacancy_action(name, service, argument=None):
    def perform(vacancy, user, data):
        service(vacancy, actor=user, **({argument: data["reason"]} if argument else {}))

    return object_action(name, perform, body=VacancyReasonSerializer, answer=VacancySerializer, doc=service.__doc__)


class VacancyViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = Vacancy
    serializer_class = VacancySerializer
    filterset_class = VacancyApiFilter
    policy_actions = {"upload": "refer", "return_vacancy": "return"}

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise__township")

    @extend_schema(request=VacancyCreateSerializer, responses={201: VacancySerializer})
    def create(self, request, *args, **kwargs):
        data = read_body(VacancyCreateSerializer, request, context=self.get_serializer_context())
        values = dict(data)
        enterprise = request.user.enterprise or values.pop("enterprise", None)
        values.pop("enterprise", None)
        if enterprise is None:
            raise ActionRefused(_("Choose the firm."), ActionRefused.INVALID)
        vacancy = services.post_vacancy(actor=request.user, enterprise=enterprise, **values)
        return Response(VacancySerializer(self.get_queryset().get(pk=vacancy.pk)).data, status=status.HTTP_201_CREATED)

    submit = _vacancy_action("submit", services.submit_vacancy)
    publish = _vacancy_action("publish", services.publish_vacancy, "comment")
    # ``return`` is a Python keyword: the endpoint is named return-vacancy.
    return_vacancy = _vacancy_action("return_vacancy", services.return_vacancy, "reason")
    fill = _vacancy_action("fill", services.fill_vacancy, "comment")
    withdraw = _vacancy_action("withdraw", services.withdraw_vacancy, "reason")

    @extend_schema(request=ReferSerializer, responses={201: CandidateSerializer(many=True), 400: OpenApiResponse(RowsRefusedSerializer)})
    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None):
        """Refer a list of workers (the partner county's labour office): all rows or none."""
        vacancy = self.get_object()
        data = read_body(ReferSerializer, request)
        try:
            created = services.refer_candidates(vacancy, actor=request.user, rows=data["candidates"])
        except services.RowsRefused as refusal:
            return _rows_refused(refusal)
        return Response(CandidateSerializer(created, many=True, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={201: CandidateSerializer(many=True)})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def upload(self, request, pk=None):
        """Refer a list as an xlsx or CSV file (columns as the page's template): all rows or none."""
        from labour.views import CANDIDATE_COLUMNS, CANDIDATE_REQUIRED

        vacancy = self.get_object()
        data = read_body(UploadSerializer, request)
        try:
            rows = read_table(data["file"], CANDIDATE_COLUMNS, CANDIDATE_REQUIRED)
            created = services.refer_candidates(vacancy, actor=request.user, rows=[{**values, "line": line} for line, values in rows])
        except ImportFileError as problem:
            return Response({"detail": str(problem.message), "code": "invalid"}, status=status.HTTP_400_BAD_REQUEST)
        except services.RowsRefused as refusal:
            return _rows_refused(refusal)
        return Response(CandidateSerializer(created, many=True, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)


def _candidate_action(name, service, argument=None):
    serializer = DaySerializer if argument in ("arrived_on", "hired_on") else VacancyReasonSerializer

    def perform(candidate, user, data):
        value = data.get("day" if serializer is DaySerializer else "reason")
        service(candidate, actor=user, **({argument: value} if argument else {}))

    return object_action(name, perform, body=serializer, answer=CandidateSerializer, doc=service.__doc__)


class CandidateViewSet(ScopedReadOnlyViewSet):
    model = Candidate
    serializer_class = CandidateSerializer
    filterset_class = CandidateApiFilter

    def get_queryset(self):
        return super().get_queryset().select_related("county", "vacancy__enterprise__township", "registration")

    accept = _candidate_action("accept", services.accept_candidate, "comment")
    decline = _candidate_action("decline", services.decline_candidate, "reason")
    depart = _candidate_action("depart", services.depart_candidate, "comment")
    arrive = _candidate_action("arrive", services.confirm_arrival, "arrived_on")
    hire = _candidate_action("hire", services.hire_candidate, "hired_on")
    no_show = _candidate_action("no_show", services.no_show, "reason")


class PartnerCountyViewSet(ScopedReadOnlyViewSet):
    """The district's paired counties."""

    model = PartnerCounty
    serializer_class = PartnerCountySerializer


def register(router):
    router.register("vacancies", VacancyViewSet, basename="vacancy")
    router.register("candidates", CandidateViewSet, basename="candidate")
    router.register("partner-counties", PartnerCountyViewSet, basename="partner-county")
