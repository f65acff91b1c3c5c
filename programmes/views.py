"""Pages of the townships' programmes. Every page starts from ``visible_to(user)``; every change calls
``programmes.services``. Built for a phone first: the field cadre reports from the checkpoint."""

import io
from datetime import date, timedelta

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from fuyang_portal import clock, policy
from fuyang_portal.metrics import week_of
from fuyang_portal.models import Township
from fuyang_portal.roles import Role
from fuyang_portal.uploads import serve_private
from fuyang_portal.views.actions import ModelPolicyMixin, ObjectServiceFormMixin, ServiceFormView, action_links
from fuyang_portal.views.generic import ActionFormView, ObjectDetailView, ObjectListView, RoleRequiredMixin, ScopedMixin
from fuyang_portal.workflow import ActionRefused
from programmes import filters, forms, services, stats, tables
from programmes.models import (CarRun, Clinic, ClinicAccount, Finding, HealthVoucher, HotlineCall, HotlineCoverage,
                               ItemUpdate, Lodging, Occupancy, ServiceStation, ShoppingRun, WorkItem, WorkList,
                               clinic_of)

FORM_TEMPLATE = "programmes/form.html"


class RegisterLinkMixin:
    """A refusal because the worker is not a registered returning worker links the form to the registration page."""

    def show_refusal(self, form, refusal):
        super().show_refusal(form, refusal)
        if isinstance(refusal, services.NotRegistered):
            form.register_url = refusal.register_url


class CreateView(RegisterLinkMixin, ModelPolicyMixin, ScopedMixin, ServiceFormView):
    """A page that creates a ``model`` record through ``perform(form)``: 403 before the form is read unless the
    policy lets this user create one."""

    template_name = FORM_TEMPLATE
    success_message = _("Saved.")
    form_user = False  # the form's choices depend on the user (visible_to)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.form_user:
            kwargs["user"] = self.request.user
        return kwargs


class ProgrammeActionView(RegisterLinkMixin, ObjectServiceFormMixin, ActionFormView):
    template_name = "programmes/action_form.html"


class CreatableListView(ObjectListView):
    """A list with a "New" button (``create_url_name``) for whom the policy lets create a ``model`` record."""

    actions_template = "programmes/_create_button.html"
    create_url_name = None

    def can_create(self):
        return policy.can(self.request.user, "create", model=self.model)

    def get_context_data(self, **kwargs):
        return super().get_context_data(create_url=reverse(self.create_url_name) if self.can_create() else "", **kwargs)


# --- figures -------------------------------------------------------------------------------------------------


class FiguresView(RoleRequiredMixin, TemplateView):
    """What each township's programmes did in a week; the district office sees every township side by side."""

    roles = (Role.DISTRICT, Role.TOWNSHIP)
    template_name = "programmes/figures.html"

    def get_context_data(self, **kwargs):
        try:
            day = date.fromisoformat(self.request.GET.get("week", ""))
        except ValueError:
            day = clock.today()
        start, end = week_of(day)
        user = self.request.user
        townships = list(Township.objects.all() if user.is_district else Township.objects.filter(pk=user.township_id))
        rows = stats.township_week(townships, start, end)
        totals = {key: sum(row[key] for row in rows) for key in stats.COLUMNS}
        return super().get_context_data(
            title=_("Township programmes: figures of the week"), rows=rows, totals=totals, start=start, end=end,
            previous=(start - timedelta(days=7)).isoformat(), next=(start + timedelta(days=7)).isoformat(), **kwargs,
        )


# --- work lists ----------------------------------------------------------------------------------------------


class WorkListListView(CreatableListView):
    model = WorkList
    title = _("Work lists")
    table_class = tables.WorkListTable
    filterset_class = filters.WorkListFilter
    create_url_name = "programmes:work-list-create"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "community", "village").annotate(
            item_count=Count("items"), done_count=Count("items", filter=Q(items__status=WorkItem.Status.DONE)),
        )


class WorkListCreateView(CreateView):
    model = WorkList
    form_class = forms.WorkListForm
    title = _("New work list")
    form_user = True

    def perform(self, form):
        return services.create_work_list(self.request.user, **form.cleaned_data)


class WorkListDetailView(ObjectDetailView):
    model = WorkList
    template_name = "programmes/work_list_detail.html"

    def get_context_data(self, **kwargs):
        items = self.object.items.select_related("responsible_person").annotate(
            open_findings=Count("findings", filter=Q(findings__status=Finding.Status.OPEN))
        )
        return super().get_context_data(items=items, can_add=policy.can(self.request.user, "change", self.object), **kwargs)


class WorkItemAddView(ProgrammeActionView):
    model = WorkList
    action = "change"
    form_class = forms.WorkItemForm
    title = _("Add an item")
    success_message = _("Item added.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "work_list": self.object}

    def perform(self, obj, form):
        services.add_item(self.request.user, obj, **form.cleaned_data)


class WorkItemListView(ObjectListView):
    model = WorkItem
    title = _("Work-list items")
    table_class = tables.WorkItemTable
    filterset_class = filters.WorkItemFilter

    def get_queryset(self):
        # Each list's items together, the lists in the order they were drawn up: the order of the unique index on
        # (work list, number). The model's order puts the lists in township order, a sort of every item the user sees.
        return (
            super().get_queryset()
            .select_related("responsible_person")
            .with_references("work_list__township", "work_list__village", "work_list__community")
            .order_by("work_list_id", "number")
        )


class WorkItemDetailView(ObjectDetailView):
    model = WorkItem
    template_name = "programmes/item_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("work_list__township", "responsible_person")

    def get_context_data(self, **kwargs):
        user, item = self.request.user, self.object
        links = {
            "report": (reverse("programmes:item-report", args=[item.pk]), _("Report progress"), "btn-primary"),
            "reopen": (reverse("programmes:item-reopen", args=[item.pk]), _("Reopen"), "btn-outline-secondary"),
        }
        buttons = action_links(user, item, links)
        if policy.can(user, "inspect", item):
            buttons.append((reverse("programmes:item-inspect", args=[item.pk]), _("Record an inspection"), "btn-warning"))
        return super().get_context_data(
            indicator=dict(services.indicator_choices()).get(item.indicator_code, item.indicator_code),
            updates=item.updates.select_related("author"), findings=item.findings.select_related("inspector"), action_links=buttons, **kwargs
        )


class ReportView(ProgrammeActionView):
    model = WorkItem
    action = "report"
    form_class = forms.ReportForm
    title = _("Report progress")
    success_message = _("Progress reported.")

    def perform(self, obj, form):
        data = form.cleaned_data
        services.report_progress(obj, self.request.user, note=data["note"], photo=data.get("photo"), done=data["done"])


class ReopenView(ProgrammeActionView):
    model = WorkItem
    action = "reopen"
    form_class = forms.ReasonForm
    title = _("Reopen the item")
    success_message = _("Reopened.")

    def perform(self, obj, form):
        services.reopen_item(obj, self.request.user, form.cleaned_data["reason"])


class InspectView(ProgrammeActionView):
    model = WorkItem
    action = "inspect"
    form_class = forms.InspectForm
    title = _("Record an inspection")
    success_message = _("Inspection recorded.")

    def perform(self, obj, form):
        data = form.cleaned_data
        self.finding = services.inspect_item(obj, self.request.user, outcome=data["outcome"], points=data.get("points") or 0,
                                             description=data.get("description", ""), rectify_by=data.get("rectify_by"))


class UpdatePhotoView(ScopedMixin, View):
    """The photo of an update, served only through the update's scope."""

    model = ItemUpdate

    def get(self, request, pk):
        update = get_object_or_404(self.get_queryset(), pk=pk)
        if not update.photo:
            raise Http404
        return serve_private(update.photo, download_name=f"evidence-{update.pk}{update.photo.name[-4:]}")


class FindingListView(ObjectListView):
    model = Finding
    title = _("Inspection findings")
    table_class = tables.FindingTable
    filterset_class = filters.FindingFilter

    def get_queryset(self):
        return super().get_queryset().select_related("item__work_list__township")


class FindingDetailView(ObjectDetailView):
    model = Finding
    template_name = "programmes/finding_detail.html"

    def get_context_data(self, **kwargs):
        links = {"rectify": (reverse("programmes:finding-rectify", args=[self.object.pk]), _("Confirm rectified"), "btn-primary")}
        return super().get_context_data(action_links=action_links(self.request.user, self.object, links), **kwargs)


class RectifyView(ProgrammeActionView):
    model = Finding
    action = "rectify"
    form_class = forms.RectifyForm
    title = _("Confirm the rectification")
    success_message = _("Rectification confirmed.")

    def perform(self, obj, form):
        services.rectify_finding(obj, self.request.user, form.cleaned_data["note"])


# --- hotline -------------------------------------------------------------------------------------------------


class CallListView(CreatableListView):
    model = HotlineCall
    title = _("Hotline calls")
    table_class = tables.CallTable
    filterset_class = filters.CallFilter
    create_url_name = "programmes:call-create"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "caller_enterprise")


class CallCreateView(CreateView):
    model = HotlineCall
    form_class = forms.CallForm
    title = _("Log a hotline call")
    form_user = True
    success_message = _("Call logged.")

    def perform(self, form):
        return services.log_call(self.request.user, **form.cleaned_data)


class CallDetailView(ObjectDetailView):
    model = HotlineCall
    template_name = "programmes/call_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "caller_enterprise", "problem", "taken_by")

    def get_context_data(self, **kwargs):
        pk = self.object.pk
        links = {
            "close_follow_up": (reverse("programmes:call-close", args=[pk]), _("Record the answer"), "btn-primary"),
            "raise_problem": (reverse("programmes:call-raise", args=[pk]), _("Raise as a problem"), "btn-warning"),
        }
        from specialists.models import Problem

        problem_visible = bool(self.object.problem_id) and Problem.objects.visible_to(self.request.user).filter(pk=self.object.problem_id).exists()
        return super().get_context_data(action_links=action_links(self.request.user, self.object, links), problem_visible=problem_visible, **kwargs)


class CallCloseView(ProgrammeActionView):
    model = HotlineCall
    action = "close_follow_up"
    form_class = forms.AnswerForm
    title = _("Record the answer")
    success_message = _("Answer recorded.")

    def perform(self, obj, form):
        services.close_follow_up(obj, self.request.user, form.cleaned_data["answer"])


class CallRaiseView(ProgrammeActionView):
    model = HotlineCall
    action = "raise_problem"
    form_class = forms.RaiseForm
    title = _("Raise the call as a problem")
    success_message = _("The call is now a problem.")

    def perform(self, obj, form):
        services.raise_problem_from_call(obj, self.request.user, **form.cleaned_data)


class CoverageListView(CreatableListView):
    model = HotlineCoverage
    title = _("Hotline hours covered")
    table_class = tables.CoverageTable
    filterset_class = filters.CoverageFilter
    create_url_name = "programmes:coverage-create"

    def get_queryset(self):
        return super().get_queryset().select_related("township")


class CoverageCreateView(CreateView):
    model = HotlineCoverage
    form_class = forms.CoverageForm
    title = _("Record hotline hours")

    def perform(self, form):
        return services.set_coverage(self.request.user, **form.cleaned_data)

    def success_url_for(self, obj):
        return reverse("programmes:coverage")


# --- lodgings ------------------------------------------------------------------------------------------------


class LodgingListView(CreatableListView):
    model = Lodging
    title = _("Temporary lodgings")
    template_name = "programmes/lodging_list.html"
    table_class = tables.LodgingTable
    filterset_class = filters.LodgingFilter
    create_url_name = "programmes:lodging-create"

    def get_queryset(self):
        staying = Count("occupancies", filter=Q(occupancies__status=Occupancy.Status.STAYING))
        return super().get_queryset().select_related("township").annotate(staying_count=staying, free_count=F("capacity") - staying)

    def get_context_data(self, **kwargs):
        by_day = services.occupancy_by_day(Lodging.objects.visible_to(self.request.user), services.last_fortnight())
        return super().get_context_data(by_day=by_day, **kwargs)


class LodgingCreateView(CreateView):
    model = Lodging
    form_class = forms.LodgingForm
    title = _("Add a temporary lodging")

    def perform(self, form):
        return services.add_lodging(self.request.user, **form.cleaned_data)


class LodgingDetailView(ObjectDetailView):
    model = Lodging
    template_name = "programmes/lodging_detail.html"

    def get_context_data(self, **kwargs):
        lodging = self.object
        stays = lodging.occupancies.select_related("registration__enterprise").order_by("status", "-check_in")
        staying = sum(1 for stay in stays if stay.status == Occupancy.Status.STAYING)
        can_check_out = policy.can(self.request.user, "check_out", model=Occupancy)
        return super().get_context_data(
            stays=stays, staying=staying, free=lodging.capacity - staying, by_day=services.occupancy_by_day(Lodging.objects.filter(pk=lodging.pk), services.last_fortnight()),
            can_check_in=policy.can(self.request.user, "create", Occupancy(lodging=lodging)), can_check_out=can_check_out, **kwargs
        )


class CheckInView(ProgrammeActionView):
    model = Lodging
    action = None  # the service asks the policy (create an Occupancy in this lodging)
    form_class = forms.CheckInForm
    title = _("Check a worker in")
    success_message = _("Checked in.")

    def check_action(self, obj):
        if not policy.can(self.request.user, "create", Occupancy(lodging=obj)):
            raise PermissionDenied

    def perform(self, obj, form):
        registration = services.find_registration(self.request.user, form.cleaned_data["worker"])
        services.check_in(self.request.user, obj, registration, form.cleaned_data.get("day"))


class CheckOutView(ProgrammeActionView):
    model = Occupancy
    action = "check_out"
    form_class = forms.CheckOutForm
    title = _("Check the worker out")
    success_message = _("Checked out.")

    def perform(self, obj, form):
        services.check_out(obj, self.request.user, form.cleaned_data.get("day"))


# --- vouchers ------------------------------------------------------------------------------------------------


class VoucherListView(CreatableListView):
    model = HealthVoucher
    title = _("Health-check vouchers")
    table_class = tables.VoucherTable
    filterset_class = filters.VoucherFilter
    create_url_name = "programmes:voucher-issue"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "clinic", "registration")

    def get_context_data(self, **kwargs):
        return super().get_context_data(lookup_url=reverse("programmes:voucher-lookup"), **kwargs)


class VoucherIssueView(CreateView):
    model = HealthVoucher
    form_class = forms.IssueVoucherForm
    title = _("Issue a health-check voucher")
    success_message = _("Voucher issued.")

    def perform(self, form):
        registration = services.find_registration(self.request.user, form.cleaned_data["worker"])
        return services.issue_voucher(self.request.user, registration, expires_on=form.cleaned_data.get("expires_on"))


def voucher_url(request, voucher):
    path = reverse("programmes:voucher-verify", args=[voucher.code])
    return request.build_absolute_uri(path) if request is not None else path


def voucher_qr(request, voucher):
    buffer = io.BytesIO()
    segno.make(voucher_url(request, voucher), error="m").save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=str(_("Health-check voucher code"))
    )
    return mark_safe(buffer.getvalue().decode())


class VoucherDetailView(ObjectDetailView):
    model = HealthVoucher
    template_name = "programmes/voucher_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "clinic", "registration__enterprise")

    def get_context_data(self, **kwargs):
        voucher = self.object
        links = {"void": (reverse("programmes:voucher-void", args=[voucher.pk]), _("Cancel the voucher"), "btn-outline-danger")}
        qr = voucher_qr(self.request, voucher) if voucher.status == HealthVoucher.Status.ISSUED else ""
        return super().get_context_data(qr_svg=qr, action_links=action_links(self.request.user, voucher, links), **kwargs)


class VoucherVoidView(ProgrammeActionView):
    model = HealthVoucher
    action = "void"
    form_class = forms.ReasonForm
    title = _("Cancel the voucher")
    success_message = _("Voucher cancelled.")

    def perform(self, obj, form):
        services.void_voucher(obj, self.request.user, form.cleaned_data["reason"])


@method_decorator(never_cache, name="dispatch")
class VoucherVerifyView(TemplateView):
    """Public, no sign-in: the voucher's code (its QR) says whether it is valid, for whom (masked), where it can
    be used. A signed-in clinic sees a button to redeem it; the redemption is a POST of its own."""

    template_name = "programmes/voucher_verify.html"

    def get(self, request, code):
        voucher = services.find_voucher(code)
        if voucher is None:
            return self.render_to_response({"found": False, "title": _("Health-check voucher")}, status=404)
        clinic = clinic_of(request.user) if request.user.is_authenticated else None
        return self.render_to_response({
            "found": True, "voucher": voucher, "title": _("Health-check voucher"), "today": clock.today(),
            "clinics": Clinic.objects.filter(township_id=voucher.township_id, active=True),
            "clinic": clinic, "can_redeem": clinic is not None and voucher.status == HealthVoucher.Status.ISSUED,
        })


class VoucherRedeemView(RoleRequiredMixin, View):
    """POST by a clinic account: redeem the voucher of ``code`` (a refusal is shown on the voucher's page)."""

    roles = (Role.CLINIC,)
    http_method_names = ["post"]

    def post(self, request, code):
        voucher = services.find_voucher(code)
        if voucher is None:
            raise Http404
        try:
            services.redeem_voucher(voucher, request.user)
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
            response = redirect("programmes:voucher-verify", code=voucher.code)
            response.status_code = 303
            return response
        messages.success(request, _("Redeemed: the health check can go ahead."))
        return redirect("programmes:voucher-verify", code=voucher.code)


class ClinicListView(CreatableListView):
    model = Clinic
    title = _("Clinics")
    table_class = tables.ClinicTable
    create_url_name = "programmes:clinic-create"

    def get_queryset(self):
        return super().get_queryset().select_related("township")

    def can_create(self):
        # A clinic is named, and its account opened, by its township.
        return super().can_create() and self.request.user.role == Role.TOWNSHIP

    def get_context_data(self, **kwargs):
        return super().get_context_data(account_url=reverse("programmes:clinic-account-create") if self.can_create() else "", **kwargs)


class ClinicAccountCreateView(CreateView):
    """The township opens an account for a clinic it lists; the one-time password is shown once."""

    model = ClinicAccount
    form_class = forms.ClinicAccountForm
    title = _("Open a clinic account")
    form_user = True

    def perform(self, form):
        import secrets

        password = secrets.token_urlsafe(9)
        user = services.open_clinic_account(self.request.user, password=password, **form.cleaned_data)
        self.success_message = _("Account %(username)s opened; its one-time password is %(password)s.") % {
            "username": user.username, "password": password}
        return user

    def success_url_for(self, obj):
        return reverse("programmes:clinics")


class VoucherLookupView(RoleRequiredMixin, FormView):
    """A clinic (or a cadre) types the code printed under the QR: the voucher's page follows."""

    roles = (Role.CLINIC, Role.TOWNSHIP, Role.DISTRICT)
    form_class = forms.VoucherCodeForm
    template_name = FORM_TEMPLATE

    def form_valid(self, form):
        voucher = services.find_voucher(form.cleaned_data["code"])
        if voucher is None:
            form.add_error("code", _("No voucher has this code."))
            return self.form_invalid(form)
        return redirect("programmes:voucher-verify", code=voucher.code)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Find a voucher by its code"), **kwargs)


class ClinicCreateView(CreateView):
    model = Clinic
    form_class = forms.ClinicForm
    title = _("Name a clinic")

    def perform(self, form):
        return services.add_clinic(self.request.user, **form.cleaned_data)

    def success_url_for(self, obj):
        return reverse("programmes:clinics")


# --- car runs, stations, shopping runs -----------------------------------------------------------------------


class CarRunListView(CreatableListView):
    model = CarRun
    title = _("Car runs")
    table_class = tables.CarRunTable
    filterset_class = filters.CarRunFilter
    create_url_name = "programmes:car-run-create"

    def get_queryset(self):
        return super().get_queryset().select_related("township")


class CarRunCreateView(CreateView):
    model = CarRun
    form_class = forms.CarRunForm
    title = _("Log a car run")

    def perform(self, form):
        return services.log_car_run(self.request.user, **form.cleaned_data)


class StationListView(CreatableListView):
    model = ServiceStation
    title = _("Service stations")
    table_class = tables.StationTable
    filterset_class = filters.StationFilter
    create_url_name = "programmes:station-create"

    def get_queryset(self):
        return super().get_queryset().select_related("township").annotate(run_count=Count("shopping_runs"))


class StationCreateView(CreateView):
    model = ServiceStation
    form_class = forms.StationForm
    title = _("Open a service station")

    def perform(self, form):
        return services.open_station(self.request.user, **form.cleaned_data)


class ShoppingRunListView(CreatableListView):
    model = ShoppingRun
    title = _("Party members' shopping runs")
    table_class = tables.ShoppingRunTable
    filterset_class = filters.ShoppingRunFilter
    create_url_name = "programmes:shopping-run-create"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "station", "for_enterprise")


class ShoppingRunCreateView(CreateView):
    model = ShoppingRun
    form_class = forms.ShoppingRunForm
    title = _("Log a shopping run")
    form_user = True

    def perform(self, form):
        return services.log_shopping_run(self.request.user, **form.cleaned_data)
