"""The enterprises app's pages. Every one starts from ``visible_to(user)``; every state change goes through
``enterprises.services``."""

import io
import uuid

import segno
from django.contrib import messages
from django.core import signing
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Sum, Value, When
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import CreateView, FormView, TemplateView, UpdateView, View

from enterprises import imports, services
from enterprises.filters import DailyReportFilter, EnterpriseFilter, PassFilter, ResumptionRequestFilter
from enterprises.forms import (
    CommentForm,
    ConfirmForm,
    DailyReportForm,
    EmployeePassForm,
    EnterpriseForm,
    ImportForm,
    ReasonForm,
    ResumptionRequestForm,
    VehiclePassForm,
)
from enterprises.models import (
    AWAITING_REVIEW,
    DailyReport,
    Enterprise,
    Pass,
    PassKind,
    PassStatus,
    ResumptionRequest,
    ResumptionStatus,
    Scale,
)
from enterprises.tables import DailyReportTable, EnterpriseTable, MissingReportTable, PassTable, ResumptionRequestTable
from fuyang_portal import audit
from fuyang_portal.identity import mask_name
from fuyang_portal.models import AuditEvent
from fuyang_portal.roles import Role
from fuyang_portal.uploads import serve_private
from fuyang_portal.views.generic import ActionFormView, ObjectDetailView, ObjectListView, RoleRequiredMixin, ScopedMixin
from fuyang_portal.workflow import ActionRefused, log_transition

STAFF = (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY, Role.SPECIALIST)
REGISTRARS = (Role.DISTRICT, Role.TOWNSHIP)
FIRM = (Role.ENTERPRISE,)
REVIEWERS = (Role.TOWNSHIP,)
ALL = (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY, Role.SPECIALIST, Role.ENTERPRISE)
PASS_ROLES = (Role.DISTRICT, Role.TOWNSHIP, Role.ENTERPRISE)
VERIFY_SALT = "enterprises.pass.verify"


def refusal_message(request, refusal):
    messages.error(request, refusal.message)


# --- registry ----------------------------------------------------------------------------------------


class EnterpriseListView(ObjectListView):
    model = Enterprise
    roles = STAFF
    table_class = EnterpriseTable
    filterset_class = EnterpriseFilter
    title = _("Enterprises")
    actions_template = "enterprises/_enterprise_list_actions.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("township", "village", "community")
            .prefetch_related("tags")
            .with_resumed(timezone.now())
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_register"] = self.request.user.is_superuser or self.request.user.role in REGISTRARS
        return context


class EnterpriseDetailView(ObjectDetailView):
    model = Enterprise
    roles = ALL
    template_name = "enterprises/enterprise_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "village", "community").prefetch_related("tags", "accounts")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        firm = self.object
        context["requests"] = ResumptionRequest.objects.visible_to(user).filter(enterprise=firm).order_by("-created_at")[:20]
        context["reports"] = DailyReport.objects.visible_to(user).filter(enterprise=firm).order_by("-date")[:14]
        passes = Pass.objects.visible_to(user).filter(enterprise=firm)
        context["passes"] = passes.order_by("-applied_at")[:20]
        context["pass_counts"] = passes.aggregate(
            vehicle=Count("pk", filter=_q(kind=PassKind.VEHICLE, status=PassStatus.ISSUED)),
            employee=Count("pk", filter=_q(kind=PassKind.EMPLOYEE, status=PassStatus.ISSUED)),
            pending=Count("pk", filter=_q(status=PassStatus.PENDING)),
        )
        context["resumed"] = Enterprise.objects.resumed_as_of(timezone.now()).filter(pk=firm.pk).exists()
        context["can_edit"] = services.manages_registry(user, firm.township_id)
        context["is_owner"] = services.acts_for_firm(user, firm.pk)
        return context


def _q(**kwargs):
    return Q(**kwargs)


class MyFirmView(RoleRequiredMixin, View):
    roles = FIRM

    def get(self, request):
        return redirect(request.user.enterprise.get_absolute_url())


class EnterpriseFormMixin:
    model = Enterprise
    form_class = EnterpriseForm
    template_name = "enterprises/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        response = super().form_valid(form)
        changed = ", ".join(form.changed_data)
        log_transition(
            self.object,
            actor=self.request.user,
            action="update" if self.editing else "register",
            from_state="registered" if self.editing else "",
            to_state="registered",
            comment=changed,
        )
        messages.success(self.request, _("Saved."))
        return response


class EnterpriseCreateView(EnterpriseFormMixin, RoleRequiredMixin, CreateView):
    roles = REGISTRARS
    editing = False
    extra_context = {"title": _("Register a firm")}


class EnterpriseUpdateView(EnterpriseFormMixin, ScopedMixin, UpdateView):
    roles = REGISTRARS
    editing = True
    extra_context = {"title": _("Edit firm")}


class ImportView(RoleRequiredMixin, TemplateView):
    """Upload → preview with every row's errors → import the whole file or nothing."""

    template_name = "enterprises/import.html"
    title = None
    session_prefix = "enterprises-import"

    def columns(self):
        raise NotImplementedError

    def check(self, rows):
        raise NotImplementedError

    def run(self, rows):
        raise NotImplementedError

    def done_url(self):
        raise NotImplementedError

    template_kind = None

    def get_context_data(self, **kwargs):
        columns, required = self.columns()
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportForm())
        context.update(
            title=self.title,
            columns=[(names[0], name in required) for name, names in columns.items()],
            template_url=reverse("enterprises:import-template", args=[self.get_template_kind()]),
        )
        return context

    def get_template_kind(self):
        return self.template_kind

    def post(self, request, *args, **kwargs):
        token = request.POST.get("confirm")
        if token:
            rows = imports.unstash(request.session, f"{self.session_prefix}-{token}")
            if rows is None:
                messages.error(request, _("The preview has expired; upload the file again."))
                return redirect(request.path)
            try:
                count = self.run(rows)
            except ActionRefused as refusal:
                messages.error(request, refusal.message)
                return redirect(request.path)
            messages.success(request, _("Imported %(count)d rows.") % {"count": count})
            return redirect(self.done_url())
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        columns, required = self.columns()
        try:
            rows = imports.read_table(form.cleaned_data["file"], columns, required)
        except imports.ImportFileError as error:
            form.add_error("file", error.message)
            return self.render_to_response(self.get_context_data(form=form))
        results = self.check(rows)
        context = self.get_context_data(form=ImportForm(), results=results, error_count=sum(1 for r in results if not r.ok))
        if not context["error_count"]:
            token = uuid.uuid4().hex
            imports.stash(request.session, f"{self.session_prefix}-{token}", rows)
            context["token"] = token
        return self.render_to_response(context)


class EnterpriseImportView(ImportView):
    roles = REGISTRARS
    title = _("Import firms")
    template_kind = "firms"

    def columns(self):
        return imports.FIRM_COLUMNS, imports.FIRM_REQUIRED

    def check(self, rows):
        results = imports.check_firm_rows(rows, self.request.user)
        for result in results:
            result.shown = [result.values["_shown"].get(name, "") for name in imports.FIRM_COLUMNS]
        return results

    def run(self, rows):
        return imports.import_firms(self.request.user, rows)

    def done_url(self):
        return "enterprises:list"


class ImportTemplateView(RoleRequiredMixin, View):
    """An empty workbook with the column names (in Chinese) of an import, to fill in."""

    roles = (Role.DISTRICT, Role.TOWNSHIP, Role.ENTERPRISE)
    COLUMNS = {
        "firms": (REGISTRARS, imports.FIRM_COLUMNS),
        PassKind.VEHICLE: (FIRM, imports.VEHICLE_COLUMNS),
        PassKind.EMPLOYEE: (FIRM, imports.EMPLOYEE_COLUMNS),
    }

    def get(self, request, kind):
        if kind not in self.COLUMNS:
            raise Http404
        roles, columns = self.COLUMNS[kind]
        if not (request.user.is_superuser or request.user.role in roles):
            raise PermissionDenied
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append([names[0] for names in columns.values()])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="import-{kind}.xlsx"'
        return response


# --- resumption requests ----------------------------------------------------------------------------------


class ResumptionListView(ObjectListView):
    model = ResumptionRequest
    roles = ALL
    table_class = ResumptionRequestTable
    filterset_class = ResumptionRequestFilter
    title = _("Resumption requests")
    actions_template = "enterprises/_request_list_actions.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise__township").order_by("-created_at", "-pk")


class ResumptionQueueView(ResumptionListView):
    """Requests awaiting review, oldest first."""

    roles = (Role.DISTRICT, Role.TOWNSHIP)
    title = _("Resumption requests to review")
    actions_template = None

    def get_queryset(self):
        return super().get_queryset().awaiting_review().order_by("submitted_at", "pk")


class ResumptionCreateView(RoleRequiredMixin, CreateView):
    roles = FIRM
    model = ResumptionRequest
    form_class = ResumptionRequestForm
    template_name = "enterprises/request_form.html"
    extra_context = {"title": _("New resumption request")}

    def form_valid(self, form):
        form.instance.enterprise = self.request.user.enterprise
        form.instance.created_by = self.request.user
        self.object = form.save()
        log_transition(self.object, actor=self.request.user, action="create", from_state="", to_state=ResumptionStatus.DRAFT)
        return _save_and_maybe_submit(self.request, self.object)


def _save_and_maybe_submit(request, obj):
    if "submit" in request.POST:
        try:
            services.submit_resumption(obj, request.user)
        except ActionRefused as refusal:
            refusal_message(request, refusal)
        else:
            messages.success(request, _("Submitted to your township for review."))
    else:
        messages.success(request, _("Saved as a draft."))
    return redirect(obj.get_absolute_url())


class ResumptionUpdateView(ScopedMixin, UpdateView):
    roles = FIRM
    model = ResumptionRequest
    form_class = ResumptionRequestForm
    template_name = "enterprises/request_form.html"
    extra_context = {"title": _("Edit resumption request")}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.roles:
            obj = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
            try:
                services.ensure_editable(obj, request.user)
            except ActionRefused as refusal:
                refusal_message(request, refusal)
                return redirect(obj.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        self.object = form.save()
        return _save_and_maybe_submit(self.request, self.object)


class ResumptionDetailView(ObjectDetailView):
    model = ResumptionRequest
    roles = ALL
    template_name = "enterprises/request_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise__township", "reviewed_by", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, obj = self.request.user, self.object
        context["is_owner"] = services.acts_for_firm(user, obj.enterprise_id)
        context["is_reviewer"] = services.reviews_firm(user, obj.enterprise)
        context["awaiting"] = obj.status in AWAITING_REVIEW
        return context


class ResumptionSubmitView(ActionFormView):
    model = ResumptionRequest
    roles = FIRM
    form_class = ConfirmForm
    title = _("Submit for review")
    success_message = _("Submitted to your township for review.")

    def perform(self, obj, form):
        services.submit_resumption(obj, self.request.user)


class ResumptionApproveView(ActionFormView):
    model = ResumptionRequest
    roles = REVIEWERS
    form_class = CommentForm
    title = _("Approve resumption")
    success_message = _("Approved: the firm counts as resumed from now.")

    def perform(self, obj, form):
        services.approve_resumption(obj, self.request.user, form.cleaned_data["comment"])


class ResumptionReturnView(ActionFormView):
    model = ResumptionRequest
    roles = REVIEWERS
    form_class = ReasonForm
    title = _("Return to the firm")
    success_message = _("Returned to the firm with your reason.")

    def perform(self, obj, form):
        services.return_resumption(obj, self.request.user, form.cleaned_data["reason"])


class PlanDownloadView(ScopedMixin, View):
    model = ResumptionRequest
    roles = ALL
    FIELDS = {"resumption": "resumption_plan", "prevention": "prevention_plan"}

    def get(self, request, pk, which):
        if which not in self.FIELDS:
            raise Http404
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        field_file = getattr(obj, self.FIELDS[which])
        if not field_file:
            raise Http404
        audit.record(AuditEvent.Kind.DOWNLOAD, request, target=f"{obj._meta.label}#{obj.pk}", detail=which)
        return serve_private(field_file, download_name=f"{which}-{obj.pk}{_suffix(field_file.name)}")


def _suffix(name):
    return name[name.rfind(".") :] if "." in name else ""


# --- headcount reports ------------------------------------------------------------------------------------


class ReportCreateView(RoleRequiredMixin, FormView):
    roles = FIRM
    form_class = DailyReportForm
    template_name = "enterprises/report_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        firm = self.request.user.enterprise
        context.update(
            title=_("Today's headcount report"),
            today=timezone.localdate(),
            todays=DailyReport.objects.filter(enterprise=firm, date=timezone.localdate()).first(),
            recent=DailyReport.objects.filter(enterprise=firm).order_by("-date")[:7],
        )
        return context

    def form_valid(self, form):
        try:
            services.file_report(self.request.user, self.request.user.enterprise, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you: today's report is in."))
        return redirect("enterprises:report-new")


class ReportListView(ObjectListView):
    model = DailyReport
    roles = ALL
    table_class = DailyReportTable
    filterset_class = DailyReportFilter
    title = _("Headcount reports")
    actions_template = "enterprises/_report_list_actions.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise__township").order_by("-date", "enterprise__name")


class LatestReportListView(ReportListView):
    roles = (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY)
    title = _("Latest report of each firm")

    def get_queryset(self):
        return super().get_queryset().latest_per_firm(timezone.localdate())


class MissingReportListView(ObjectListView):
    """Resumed firms without a report today."""

    model = Enterprise
    roles = (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY)
    table_class = MissingReportTable
    filterset_class = EnterpriseFilter
    title = _("Resumed firms that have not reported today")

    def get_queryset(self):
        today = timezone.localdate()
        return (
            super()
            .get_queryset()
            .resumed_as_of(timezone.now())
            .exclude(Exists(DailyReport.objects.filter(enterprise=OuterRef("pk"), date=today)))
            .select_related("township")
        )


class ResumptionStatsView(RoleRequiredMixin, TemplateView):
    """Resumption by township and scale, computed in one GROUP BY query with conditional aggregation."""

    roles = (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY)
    template_name = "enterprises/stats.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        firms = Enterprise.objects.visible_to(self.request.user)
        resumed_case = Case(When(_resumed(now), then=Value(1)), default=Value(0), output_field=IntegerField())
        rows = list(
            firms.values("township_id", "township__name", "township__sort_order")
            .annotate(
                total=Count("pk"),
                resumed=Sum(resumed_case),
                **{f"{s}_total": Count("pk", filter=_q(scale=s)) for s in Scale.values},
                **{
                    f"{s}_resumed": Sum(Case(When(_q(scale=s) & _resumed(now), then=Value(1)), default=Value(0), output_field=IntegerField()))
                    for s in Scale.values
                },
            )
            .order_by("township__sort_order")
        )
        for row in rows:
            row["rate"] = _rate(row["resumed"], row["total"])
            row["scales"] = [(row[f"{s}_resumed"], row[f"{s}_total"], _rate(row[f"{s}_resumed"], row[f"{s}_total"])) for s in Scale.values]
        totals = {"total": sum(r["total"] for r in rows), "resumed": sum(r["resumed"] for r in rows)}
        totals["rate"] = _rate(totals["resumed"], totals["total"])
        totals["scales"] = []
        for s in Scale.values:
            resumed, total = sum(r[f"{s}_resumed"] for r in rows), sum(r[f"{s}_total"] for r in rows)
            totals["scales"].append((resumed, total, _rate(resumed, total)))
        context.update(title=_("Resumption by township and scale"), rows=rows, totals=totals, scales=Scale.choices, as_of=now)
        return context


def _resumed(moment):
    return Exists(ResumptionRequest.objects.approved_before(moment).filter(enterprise=OuterRef("pk")))


def _rate(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


# --- passes --------------------------------------------------------------------------------------------


class PassListView(ObjectListView):
    model = Pass
    roles = PASS_ROLES
    table_class = PassTable
    filterset_class = PassFilter
    title = _("Passes")
    actions_template = "enterprises/_pass_list_actions.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise").order_by("-applied_at", "-pk")


class PassQueueView(PassListView):
    roles = (Role.DISTRICT, Role.TOWNSHIP)
    title = _("Passes awaiting approval")
    actions_template = None

    def get_queryset(self):
        return super().get_queryset().filter(status=PassStatus.PENDING).order_by("applied_at", "pk")


class PassCreateView(RoleRequiredMixin, FormView):
    roles = FIRM
    template_name = "enterprises/form.html"
    kind = None

    def get_form_class(self):
        return VehiclePassForm if self.kind == PassKind.VEHICLE else EmployeePassForm

    def get_context_data(self, **kwargs):
        title = _("Apply for a vehicle pass") if self.kind == PassKind.VEHICLE else _("Apply for an employee pass")
        return super().get_context_data(title=title, **kwargs)

    def form_valid(self, form):
        try:
            pass_ = services.apply_for_pass(self.request.user, self.request.user.enterprise, self.kind, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Applied: your township will review the pass."))
        return redirect(pass_.get_absolute_url())


class PassImportView(ImportView):
    roles = FIRM
    kind = None

    @property
    def title(self):
        return _("Import vehicle passes") if self.kind == PassKind.VEHICLE else _("Import employee passes")

    def columns(self):
        return imports.pass_columns(self.kind)

    def get_template_kind(self):
        return self.kind

    def check(self, rows):
        results = imports.check_pass_rows(rows, self.kind)
        columns, _required = self.columns()
        for result in results:
            result.shown = [result.values["shown"].get(name, "") for name in columns]
        return results

    def run(self, rows):
        return len(imports.import_passes(self.request.user, self.request.user.enterprise, self.kind, rows))

    def done_url(self):
        return "enterprises:passes"


class PassDetailView(ObjectDetailView):
    model = Pass
    roles = PASS_ROLES
    template_name = "enterprises/pass_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise__township", "issued_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, obj = self.request.user, self.object
        context.update(
            is_reviewer=services.reviews_firm(user, obj.enterprise),
            can_revoke=obj.status in (PassStatus.PENDING, PassStatus.ISSUED)
            and (services.reviews_firm(user, obj.enterprise) or user.is_superuser or user.role == Role.DISTRICT),
            can_unmask=obj.kind == PassKind.EMPLOYEE and (user.is_superuser or user.role == Role.DISTRICT),
            full_id=kwargs.get("full_id"),
            qr_svg=_qr_svg(self.request, obj) if obj.status == PassStatus.ISSUED else "",
        )
        return context


class PassUnmaskView(PassDetailView):
    """A district user sees one full ID number; every such view is in the audit log."""

    roles = (Role.DISTRICT,)
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.kind != PassKind.EMPLOYEE:
            raise Http404
        audit.record(AuditEvent.Kind.UNMASK, request, target=f"{Pass._meta.label}#{self.object.pk}", detail=self.object.masked_id)
        response = self.render_to_response(self.get_context_data(object=self.object, full_id=self.object.id_number))
        response["Cache-Control"] = "private, no-store"
        return response


class PassApproveView(ActionFormView):
    model = Pass
    roles = REVIEWERS
    form_class = CommentForm
    title = _("Issue the pass")
    success_message = _("Issued.")

    def perform(self, obj, form):
        services.approve_pass(obj, self.request.user, form.cleaned_data["comment"])


class PassRevokeView(ActionFormView):
    model = Pass
    roles = (Role.DISTRICT, Role.TOWNSHIP)
    form_class = ReasonForm
    title = _("Revoke the pass")
    success_message = _("Revoked.")

    def perform(self, obj, form):
        services.revoke_pass(obj, self.request.user, form.cleaned_data["reason"])


class PassPrintView(ScopedMixin, TemplateView):
    model = Pass
    roles = PASS_ROLES
    template_name = "enterprises/pass_print.html"

    def get_context_data(self, **kwargs):
        obj = get_object_or_404(self.get_queryset().select_related("enterprise"), pk=kwargs["pk"], status=PassStatus.ISSUED)
        return super().get_context_data(object=obj, qr_svg=_qr_svg(self.request, obj), **kwargs)


def verification_token(pass_):
    return signing.dumps(pass_.pk, salt=VERIFY_SALT, compress=True)


def verification_url(request, pass_):
    path = reverse("enterprises:verify", args=[verification_token(pass_)])
    return request.build_absolute_uri(path) if request is not None else path


def _qr_svg(request, pass_):
    buffer = io.BytesIO()
    segno.make(verification_url(request, pass_), error="m").save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=str(_("Pass verification code"))
    )
    return mark_safe(buffer.getvalue().decode())


def mask_plate(plate):
    return plate[:2] + "*" * max(len(plate) - 4, 0) + plate[-2:] if len(plate) > 4 else plate


@method_decorator(never_cache, name="dispatch")
class VerifyPassView(TemplateView):
    """Public, no login: valid or not, validity dates, the firm, the holder masked. Nothing else."""

    template_name = "enterprises/pass_verify.html"

    def get(self, request, token):
        try:
            pk = signing.loads(token, salt=VERIFY_SALT)
        except signing.BadSignature:
            return self.render_to_response({"found": False}, status=404)
        pass_ = Pass.objects.select_related("enterprise").filter(pk=pk).first()
        if pass_ is None:
            return self.render_to_response({"found": False}, status=404)
        today = timezone.localdate()
        holder = mask_plate(pass_.plate) if pass_.kind == PassKind.VEHICLE else mask_name(pass_.holder_name)
        return self.render_to_response(
            {
                "found": True,
                "valid": pass_.is_valid_on(today),
                "kind": pass_.get_kind_display(),
                "valid_from": pass_.valid_from,
                "valid_until": pass_.valid_until,
                "firm": pass_.enterprise.name,
                "holder": holder,
                "today": today,
            }
        )



# --- background xlsx export of the firm list --------------------------------------------------------------


class EnterpriseExportCreateView(RoleRequiredMixin, View):
    """POST: queue an xlsx export of the firm list as filtered; the page that follows shows its progress."""

    roles = STAFF
    http_method_names = ["post"]

    def post(self, request):
        from django.db import transaction

        from enterprises.models import EnterpriseExport
        from enterprises.tasks import export_enterprises

        query = request.POST.get("query", "")[:500]
        export = EnterpriseExport.objects.create(requested_by=request.user, query=query)
        audit.record(AuditEvent.Kind.EXPORT, request, target=Enterprise._meta.label, detail=f"xlsx (background) {query}")
        transaction.on_commit(lambda: export_enterprises.delay(export.pk))
        return redirect(export.get_absolute_url())


class EnterpriseExportDetailView(RoleRequiredMixin, TemplateView):
    """The export's progress; with ``?format=json`` the figures the page's script polls."""

    roles = STAFF
    template_name = "enterprises/export_detail.html"

    def get(self, request, pk):
        from django.http import JsonResponse

        from enterprises.models import EnterpriseExport

        export = get_object_or_404(EnterpriseExport.objects.visible_to(request.user), pk=pk)
        if request.GET.get("format") == "json":
            response = JsonResponse(
                {
                    "status": export.status,
                    "status_display": str(export.get_status_display()),
                    "rows_done": export.rows_done,
                    "rows_total": export.rows_total,
                    "percent": export.percent,
                    "download": reverse("enterprises:export-download", args=[export.pk]) if export.status == export.Status.DONE else "",
                }
            )
            response["Cache-Control"] = "no-store"
            return response
        return self.render_to_response({"export": export, "title": _("Firm export")})


class EnterpriseExportDownloadView(RoleRequiredMixin, View):
    roles = STAFF

    def get(self, request, pk):
        from enterprises.models import EnterpriseExport

        export = get_object_or_404(EnterpriseExport.objects.visible_to(request.user), pk=pk, status=EnterpriseExport.Status.DONE)
        audit.record(AuditEvent.Kind.DOWNLOAD, request, target=str(export), detail=export.query)
        return serve_private(export.file, download_name=f"firms-{export.created_at:%Y%m%d}-{export.pk}.xlsx")
