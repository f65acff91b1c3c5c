"""The enterprises app's pages. Every one starts from ``visible_to(user)``; every state change goes through
``enterprises.services``."""

import io
import uuid

import segno
from django.contrib import messages
from django.core import signing
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Sum, Value, When
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
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
    DailyReport,
    Enterprise,
    EnterpriseExport,
    FirmAccount,
    Pass,
    PassKind,
    PassStatus,
    ResumptionRequest,
    Scale,
)
from enterprises.tables import DailyReportTable, EnterpriseTable, MissingReportTable, PassTable, ResumptionRequestTable
from fuyang_portal import audit, clock, policy
from fuyang_portal.identity import mask_name
from fuyang_portal.models import AuditEvent
from fuyang_portal.roles import Role
from fuyang_portal.uploads import serve_private
from fuyang_portal.views.generic import ActionFormView, NextInQueueMixin, ObjectDetailView, ObjectListView, RoleRequiredMixin, ScopedMixin
from fuyang_portal.workflow import ActionRefused

STAFF = (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY, Role.SPECIALIST)
VERIFY_SALT = "enterprises.pass.verify"


class ModelActionMixin(RoleRequiredMixin):
    """A page that creates a ``model`` record: 403 before the form is read unless the policy allows
    ``model_action`` on the model to this user."""

    model = None
    model_action = "create"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not policy.can(request.user, self.model_action, model=self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ObjectActionMixin:
    """An edit page of one object: out of scope 404, not allowed 403, both before the form is read."""

    action = "change"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if self.roles is None:
                self.roles = self.model.objects.open_roles()
            if request.user.is_superuser or request.user.role in self.roles:
                obj = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
                if not policy.can(request.user, self.action, obj):
                    raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def form_refusal(form, error):
    """Show a service's refusal on the form: a ValidationError by field, an ActionRefused on top."""
    if isinstance(error, ValidationError):
        form.add_error(None, error)
    else:
        form.add_error(None, error.message)


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
            .with_references("township", "village", "community")
            .with_tag_names()
            .with_resumed(clock.now())
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_register"] = policy.can(self.request.user, "create", model=Enterprise)
        return context


class EnterpriseDetailView(ObjectDetailView):
    model = Enterprise
    template_name = "enterprises/enterprise_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "village", "community").prefetch_related("tags")

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
        context["resumed"] = Enterprise.objects.resumed_as_of(clock.now()).filter(pk=firm.pk).exists()
        context["accounts"] = FirmAccount.objects.visible_to(user).filter(enterprise=firm).select_related("user")
        context["can_edit"] = policy.can(user, "change", firm)
        context["can_file"], context["filing_blocked"], context["current_request"] = filing_state(user, firm)
        context["can_report"] = policy.can(user, "create", firm, model=DailyReport)
        return context


def _q(**kwargs):
    return Q(**kwargs)


def filing_state(user, firm):
    """(may file, why not, the request that stands) for the "new resumption request" button: offered only to
    the firm itself, and only when a new request could go through; otherwise the reason is shown instead."""
    if firm is None or not policy.can(user, "create", firm, model=ResumptionRequest):
        return False, "", None
    blocker = services.filing_blocker(firm, ResumptionRequest.objects.visible_to(user))
    if blocker is None:
        return True, "", None
    return False, services.filing_refusal(blocker), blocker


class MyFirmView(RoleRequiredMixin, View):
    roles = (Role.ENTERPRISE,)

    def get(self, request):
        return redirect(request.user.enterprise.get_absolute_url())


class EnterpriseFormMixin:
    model = Enterprise
    form_class = EnterpriseForm
    template_name = "enterprises/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            self.object = self.save(data)
        except (ValidationError, ActionRefused) as error:
            form_refusal(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.object.get_absolute_url())


class EnterpriseCreateView(EnterpriseFormMixin, ModelActionMixin, CreateView):
    extra_context = {"title": _("Register a firm")}

    def save(self, data):
        return services.register_firm(self.request.user, **data)


class EnterpriseUpdateView(EnterpriseFormMixin, ObjectActionMixin, ScopedMixin, UpdateView):
    extra_context = {"title": _("Edit firm")}

    def save(self, data):
        return services.change_firm(self.object, self.request.user, **data)


class ImportView(ModelActionMixin, TemplateView):
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
    model = Enterprise
    model_action = "import"
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

    COLUMNS = {
        "firms": ((Enterprise, "import"), imports.FIRM_COLUMNS),
        PassKind.VEHICLE: ((Pass, "create"), imports.VEHICLE_COLUMNS),
        PassKind.EMPLOYEE: ((Pass, "create"), imports.EMPLOYEE_COLUMNS),
    }

    def get(self, request, kind):
        if kind not in self.COLUMNS:
            raise Http404
        (model, action), columns = self.COLUMNS[kind]
        if not policy.can(request.user, action, model=model):
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
    table_class = ResumptionRequestTable
    filterset_class = ResumptionRequestFilter
    title = _("Resumption requests")
    actions_template = "enterprises/_request_list_actions.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise__township").order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_file"], context["filing_blocked"], context["current_request"] = filing_state(user, user.enterprise)
        context["can_review"] = policy.can(self.request.user, "approve", model=ResumptionRequest)
        return context


class ResumptionQueueView(ResumptionListView):
    """Requests awaiting review, oldest first."""

    roles = (Role.DISTRICT, Role.TOWNSHIP)
    title = _("Resumption requests to review")
    actions_template = None

    def get_queryset(self):
        return super().get_queryset().awaiting_review().order_by("submitted_at", "pk")


class ResumptionFormMixin:
    """The request form: "Save and submit" files and submits in one step, or changes nothing; "Save draft"
    saves without submitting, and says so."""

    model = ResumptionRequest
    form_class = ResumptionRequestForm
    template_name = "enterprises/request_form.html"

    def get_form_kwargs(self):
        # Both plans are required unless the firm explicitly saves a draft.
        return {**super().get_form_kwargs(), "submitting": not (self.request.method == "POST" and "submit" not in self.request.POST)}

    def save_and_maybe_submit(self, form, save):
        submitting = "submit" in self.request.POST
        try:
            with transaction.atomic():
                self.object = save()
                if submitting:
                    services.submit_resumption(self.object, self.request.user)
        except (ValidationError, ActionRefused) as error:
            form_refusal(form, error)
            return self.form_invalid(form)
        if submitting:
            messages.success(self.request, _("Submitted to your township for review."))
        else:
            messages.warning(self.request, _("Saved as a draft: it is not submitted yet. Your township sees it only after you submit it."))
        return redirect(self.object.get_absolute_url())


class ResumptionCreateView(ResumptionFormMixin, ModelActionMixin, CreateView):
    """A new request; a firm already approved, or with a request awaiting review, is told why instead of
    being given a form it could not submit."""

    extra_context = {"title": _("New resumption request")}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and policy.can(request.user, "create", model=ResumptionRequest):
            _can, self.blocked, self.current = filing_state(request.user, request.user.enterprise)
            if self.blocked:
                status = 409 if request.method == "POST" else 200
                context = {"title": _("New resumption request"), "blocked": self.blocked, "current": self.current}
                return self.response_class(request, self.template_name, context, status=status)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        return self.save_and_maybe_submit(
            form, lambda: services.file_request(self.request.user, self.request.user.enterprise, **form.cleaned_data)
        )


class ResumptionUpdateView(ResumptionFormMixin, ObjectActionMixin, ScopedMixin, UpdateView):
    extra_context = {"title": _("Edit resumption request")}

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.object.is_editable:
            return self._not_editable()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.object.is_editable:
            return self._not_editable()
        return super().post(request, *args, **kwargs)

    def _not_editable(self):
        messages.error(self.request, _("A request can be changed only while it is a draft or after it was returned."))
        return redirect(self.object.get_absolute_url())

    def form_valid(self, form):
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        return self.save_and_maybe_submit(form, lambda: services.change_request(self.object, self.request.user, **changed))


class ResumptionDetailView(ObjectDetailView):
    model = ResumptionRequest
    template_name = "enterprises/request_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise__township", "reviewed_by", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj, user = self.object, self.request.user
        context["can_edit"] = obj.is_editable and policy.can(user, "change", obj)
        if {"submit", "resubmit"} & set(context["allowed_actions"]):
            # A draft that can never be submitted (the firm was approved meanwhile, or another request awaits
            # review) offers neither submit nor edit, but says why.
            blocker = services.filing_blocker(obj.enterprise_id, ResumptionRequest.objects.visible_to(user).exclude(pk=obj.pk))
            if blocker is not None:
                context["allowed_actions"] = [a for a in context["allowed_actions"] if a not in ("submit", "resubmit")]
                context["can_edit"] = False
                context["filing_blocked"], context["current_request"] = services.filing_refusal(blocker), blocker
        return context


class ResumptionSubmitView(ActionFormView):
    model = ResumptionRequest
    action = "submit"  # "resubmit" for a returned request: the same rule (the firm itself)
    form_class = ConfirmForm
    title = _("Submit for review")
    success_message = _("Submitted to your township for review.")

    def perform(self, obj, form):
        services.submit_resumption(obj, self.request.user)


class ResumptionReviewMixin(NextInQueueMixin):
    """Approve and return: then the next request of the township's queue."""

    queue_url = "enterprises:queue"
    queue_actions = ("approve", "return")

    def queue(self):
        return (
            ResumptionRequest.objects.visible_to(self.request.user).awaiting_review()
            .select_related("enterprise").order_by("submitted_at", "pk")
        )


class ResumptionApproveView(ResumptionReviewMixin, ActionFormView):
    model = ResumptionRequest
    action = "approve"
    form_class = CommentForm
    title = _("Approve resumption")
    success_message = _("Approved: the firm counts as resumed from now.")

    def perform(self, obj, form):
        services.approve_resumption(obj, self.request.user, form.cleaned_data["comment"])


class ResumptionReturnView(ResumptionReviewMixin, ActionFormView):
    model = ResumptionRequest
    action = "return"
    form_class = ReasonForm
    title = _("Return to the firm")
    success_message = _("Returned to the firm with your reason.")

    def perform(self, obj, form):
        services.return_resumption(obj, self.request.user, form.cleaned_data["reason"])


class PlanDownloadView(ScopedMixin, View):
    model = ResumptionRequest
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


class ReportCreateView(ModelActionMixin, FormView):
    model = DailyReport
    form_class = DailyReportForm
    template_name = "enterprises/report_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = clock.today()
        mine = DailyReport.objects.visible_to(self.request.user)
        context.update(
            title=_("Today's headcount report"),
            today=today,
            todays=mine.filter(date=today).first(),
            recent=mine.order_by("-date")[:7],
        )
        return context

    def form_valid(self, form):
        try:
            services.file_report(self.request.user, self.request.user.enterprise, **form.cleaned_data)
        except ActionRefused as refusal:
            form_refusal(form, refusal)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you: today's report is in."))
        return redirect("enterprises:report-new")


class ReportListView(ObjectListView):
    model = DailyReport
    table_class = DailyReportTable
    filterset_class = DailyReportFilter
    title = _("Headcount reports")
    actions_template = "enterprises/_report_list_actions.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise__township").order_by("-date", "enterprise__name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_report"] = policy.can(self.request.user, "create", model=DailyReport)
        return context


class LatestReportListView(ReportListView):
    roles = (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY)
    title = _("Latest report of each firm")

    def get_queryset(self):
        return super().get_queryset().latest_per_firm(clock.today())


class MissingReportListView(ObjectListView):
    """Resumed firms without a report today."""

    model = Enterprise
    roles = (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY)
    table_class = MissingReportTable
    filterset_class = EnterpriseFilter
    title = _("Resumed firms that have not reported today")

    def get_queryset(self):
        today = clock.today()
        return (
            super()
            .get_queryset()
            .resumed_as_of(clock.now())
            .exclude(Exists(DailyReport.objects.filter(enterprise=OuterRef("pk"), date=today)))
            .select_related("township")
        )


class ResumptionStatsView(RoleRequiredMixin, TemplateView):
    """Resumption by township and scale, computed in one GROUP BY query with conditional aggregation."""

    roles = (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY)
    template_name = "enterprises/stats.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = clock.now()
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
    table_class = PassTable
    filterset_class = PassFilter
    title = _("Passes")
    actions_template = "enterprises/_pass_list_actions.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise").order_by("-applied_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_apply"] = policy.can(self.request.user, "create", model=Pass)
        context["can_issue"] = policy.can(self.request.user, "issue", model=Pass)
        return context


class PassQueueView(PassListView):
    roles = (Role.DISTRICT, Role.TOWNSHIP)
    title = _("Passes awaiting approval")
    actions_template = None

    def get_queryset(self):
        return super().get_queryset().filter(status=PassStatus.PENDING).order_by("applied_at", "pk")


class PassCreateView(ModelActionMixin, FormView):
    model = Pass
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
            form_refusal(form, refusal)
            return self.form_invalid(form)
        messages.success(self.request, _("Applied: your township will review the pass."))
        return redirect(pass_.get_absolute_url())


class PassImportView(ImportView):
    model = Pass
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
    template_name = "enterprises/pass_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise__township", "issued_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, obj = self.request.user, self.object
        context.update(
            can_unmask=policy.can(user, "unmask", obj),
            full_id=kwargs.get("full_id"),
            revealed=kwargs.get("revealed", False),
            qr_svg=_qr_svg(self.request, obj) if obj.status == PassStatus.ISSUED else "",
        )
        return context


class PassUnmaskView(PassDetailView):
    """One allowed to see it sees the holder's full ID number and mobile (a vehicle pass: the driver's mobile); every
    such view is in the audit log."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not policy.can(request.user, "unmask", self.object):
            raise PermissionDenied
        employee = self.object.kind == PassKind.EMPLOYEE
        detail = f"ID number and mobile {self.object.masked_id}" if employee else f"driver's mobile {self.object.plate}"
        audit.record(AuditEvent.Kind.UNMASK, request, target=f"{Pass._meta.label}#{self.object.pk}", detail=detail)
        full_id = self.object.id_number if employee else None
        response = self.render_to_response(self.get_context_data(object=self.object, full_id=full_id, revealed=True))
        response["Cache-Control"] = "private, no-store"
        return response


class PassReviewMixin(NextInQueueMixin):
    """Issuing a pending pass, or revoking one from the queue: then the next pass awaiting approval."""

    queue_url = "enterprises:pass-queue"
    queue_actions = ("issue",)

    def in_queue(self):
        # A pending pass decided by its township; the district office revoking one has no queue to go on with.
        return self.object.status == PassStatus.PENDING and policy.can(self.request.user, "issue", self.object)

    def queue(self):
        return (
            Pass.objects.visible_to(self.request.user).filter(status=PassStatus.PENDING)
            .select_related("enterprise").order_by("applied_at", "pk")
        )


class PassApproveView(PassReviewMixin, ActionFormView):
    model = Pass
    action = "issue"
    form_class = CommentForm
    title = _("Issue the pass")
    success_message = _("Issued.")

    def perform(self, obj, form):
        services.approve_pass(obj, self.request.user, form.cleaned_data["comment"])


class PassRevokeView(PassReviewMixin, ActionFormView):
    model = Pass
    action = "revoke"
    form_class = ReasonForm
    title = _("Revoke the pass")
    success_message = _("Revoked.")

    def perform(self, obj, form):
        services.revoke_pass(obj, self.request.user, form.cleaned_data["reason"])


class PassPrintView(ScopedMixin, TemplateView):
    model = Pass
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
        # Public by design: whoever holds the signed code of a pass (a checkpoint) may check it, so the pass
        # is read without a user's scope; the page shows nothing beyond validity, the firm and a masked holder.
        pass_ = Pass.objects.select_related("enterprise").filter(pk=pk).first()
        if pass_ is None:
            return self.render_to_response({"found": False}, status=404)
        today = clock.today()
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


class EnterpriseExportCreateView(ModelActionMixin, View):
    """POST: queue an xlsx export of the firm list as filtered; the page that follows shows its progress."""

    model = EnterpriseExport
    http_method_names = ["post"]

    def post(self, request):
        export = services.request_firm_export(request.user, request.POST.get("query", "")[:500])
        audit.record(AuditEvent.Kind.EXPORT, request, target=Enterprise._meta.label, detail=f"xlsx (background) {export.query}")
        return redirect(export.get_absolute_url())


class EnterpriseExportDetailView(ScopedMixin, TemplateView):
    """The export's progress; with ``?format=json`` the figures the page's script polls."""

    model = EnterpriseExport
    template_name = "enterprises/export_detail.html"

    def get(self, request, pk):
        export = get_object_or_404(self.get_queryset(), pk=pk)
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


class EnterpriseExportDownloadView(ScopedMixin, View):
    model = EnterpriseExport

    def get(self, request, pk):
        export = get_object_or_404(self.get_queryset(), pk=pk, status=EnterpriseExport.Status.DONE)
        audit.record(AuditEvent.Kind.DOWNLOAD, request, target=str(export), detail=export.query)
        return serve_private(export.file, download_name=f"firms-{export.created_at:%Y%m%d}-{export.pk}.xlsx")
