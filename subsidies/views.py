"""Pages of the worker-return and charter-subsidy service. Every page starts from ``visible_to(user)``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_http_methods
from django.views.generic import FormView, TemplateView

from enterprises.models import Enterprise
from fuyang_portal import audit, policy
from fuyang_portal.models import AuditEvent
from fuyang_portal.navigation import role_of
from fuyang_portal.roles import Role
from fuyang_portal.uploads import serve_private
from fuyang_portal.views.generic import ActionFormView as BaseActionFormView, NextInQueueMixin, ObjectDetailView, ObjectListView, RoleRequiredMixin, ScopedMixin
from fuyang_portal.workflow import ActionRefused
from subsidies import regions, services, stats
from subsidies.exports import transfer_file_response
from subsidies.filters import ClaimFilter, RegistrationFilter, TripFilter
from subsidies.forms import (
    AddPassengersForm,
    ClaimForm,
    LookupForm,
    MarkPaidForm,
    PayoutCreateForm,
    PolicyForm,
    PublicRegistrationForm,
    ReasonForm,
    RegistrationForm,
    TripCompleteForm,
    TripPlanForm,
)
from subsidies.models import CharterTrip, PayoutBatch, SubsidyClaim, SubsidyPolicy, WorkerRegistration
from subsidies.tables import ClaimTable, PayoutTable, RegistrationTable, TripTable

S = SubsidyClaim.Status


class ActionFormView(BaseActionFormView):
    """The portal's action form, with this app's form layout (radio buttons, checkbox lists)."""

    template_name = "subsidies/action_form.html"


class CreateView(ScopedMixin, FormView):
    """A page that creates a ``model`` record: roles that see none of its rows get 403, and so does a user
    the policy does not let create one, before the form is read."""

    template_name = "subsidies/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not policy.can(request.user, "create", model=self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def action_links(user, obj, links):
    """The buttons of a detail page: the workflow actions the policy allows this user in this state, in the
    table's order, each with its page (``links``: action → (url, label, style))."""
    return [links[action] for action in policy.allowed_actions(user, obj) if action in links]


# --- Public: register and check status -------------------------------------------------------------


def _refused(form, refusal):
    form.add_error(None, refusal.message)


@require_http_methods(["GET", "POST"])
def public_register(request):
    """The worker's own form: no sign-in, built for a phone."""
    form = PublicRegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            services.hit_rate_limit("ip", audit.client_ip(request) or "unknown")
            if form.is_valid():
                services.hit_rate_limit("mobile", form.cleaned_data["mobile"])
                registration = services.register_worker(enterprise=form.cleaned_data["employer"], **form.service_kwargs())
                request.session["subsidies_reference"] = registration.reference
                return redirect("subsidies:public-done")
        except ActionRefused as refusal:
            status = 429 if isinstance(refusal, services.RateLimited) else 200
            _refused(form, refusal)
    return render(request, "subsidies/public_register.html", {"form": form, "title": _("Register your return to work in Fuyang")}, status=status)


def public_done(request):
    reference = request.session.get("subsidies_reference")
    if not reference:
        return redirect("subsidies:public-register")
    return render(request, "subsidies/public_done.html", {"reference": reference, "title": _("Registration received")})


@require_http_methods(["GET", "POST"])
def public_status(request):
    """Reference number and mobile together show the worker's status; anything else shows nothing."""
    form = LookupForm(request.POST or None)
    registration = None
    not_found = False
    status = 200
    if request.method == "POST":
        try:
            services.hit_rate_limit("lookup", audit.client_ip(request) or "unknown")
            if form.is_valid():
                registration = services.lookup_registration(form.cleaned_data["reference"], form.cleaned_data["mobile"])
                not_found = registration is None
        except services.RateLimited as refusal:
            status = 429
            _refused(form, refusal)
    return render(
        request,
        "subsidies/public_status.html",
        {"form": form, "registration": registration, "not_found": not_found, "title": _("Check your registration")},
        status=status,
    )


# --- Registrations ---------------------------------------------------------------------------------


class RegistrationListView(ObjectListView):
    title = _("Worker-return registrations")
    model = WorkerRegistration
    table_class = RegistrationTable
    filterset_class = RegistrationFilter
    actions_template = "subsidies/_registration_actions.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "trip_seat__trip")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            can_create=policy.can(user, "create", model=WorkerRegistration), can_see_demand=role_of(user) in DemandView.roles, **kwargs
        )


class RegistrationCreateView(CreateView):
    model = WorkerRegistration
    form_class = RegistrationForm

    def form_valid(self, form):
        try:
            registration = services.register_worker(enterprise=self.request.user.enterprise, actor=self.request.user, **form.service_kwargs())
        except ActionRefused as refusal:
            _refused(form, refusal)
            return self.form_invalid(form)
        messages.success(self.request, _("Registered; the reference number is %(ref)s.") % {"ref": registration.reference})
        return redirect(registration)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Register a returning employee"), **kwargs)


class RegistrationDetailView(ObjectDetailView):
    model = WorkerRegistration
    template_name = "subsidies/registration_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "trip_seat__trip")

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_unmask=policy.can(self.request.user, "unmask", self.object), **kwargs)

    def post(self, request, *args, **kwargs):
        """Show the full ID number once, to whom the policy allows, and audited."""
        self.object = self.get_object()
        if not policy.can(request.user, "unmask", self.object):
            raise PermissionDenied
        audit.record(AuditEvent.Kind.UNMASK, request, target=f"registration:{self.object.pk}", detail=f"ID number and mobile {self.object.reference}")
        context = self.get_context_data(object=self.object, unmasked=self.object.id_number)
        return self.render_to_response(context)


class DemandView(RoleRequiredMixin, TemplateView):
    """The district office's view of who is coming: by origin county and week, and who still needs a bus."""

    roles = (Role.DISTRICT, Role.TOWNSHIP)
    template_name = "subsidies/demand.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        waiting = (
            WorkerRegistration.objects.visible_to(user)
            .needing_charter()
            .values("enterprise_id", "enterprise__name", "origin_province", "origin_county")
            .annotate(workers=Count("pk"))
            .order_by("-workers", "enterprise__name")
        )
        groups = [{**row, "origin": regions.full_name(row["origin_province"], row["origin_county"])} for row in waiting[:200]]
        return super().get_context_data(
            title=_("Worker-return demand"),
            rows=stats.demand_by_county_week(user),
            waiting=groups,
            can_plan=policy.can(user, "create", model=CharterTrip),
            **kwargs,
        )


# --- Trips -----------------------------------------------------------------------------------------


class TripListView(ObjectListView):
    title = _("Charter trips")
    model = CharterTrip
    table_class = TripTable
    filterset_class = TripFilter
    actions_template = "subsidies/_trip_actions.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("enterprise", "claim")
            .annotate(rider_count=Count("passengers"), travelled_count=Count("passengers", filter=Q(passengers__travelled=True)))
            .order_by("-departure_date", "-pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create=policy.can(self.request.user, "create", model=CharterTrip), **kwargs)


class TripPlanView(CreateView):
    model = CharterTrip
    form_class = TripPlanForm
    template_name = "subsidies/trip_plan.html"

    def dispatch(self, request, *args, **kwargs):
        self.enterprise = None
        if request.user.is_authenticated and policy.can(request.user, "create", model=CharterTrip):
            # A firm plans its own buses; the district office chooses the firm (from the demand page).
            self.enterprise = request.user.enterprise
            pk = request.GET.get("enterprise") or request.POST.get("enterprise")
            if self.enterprise is None and pk and str(pk).isdigit():
                self.enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def candidates(self):
        if self.enterprise is None:
            return WorkerRegistration.objects.none()
        registrations = WorkerRegistration.objects.visible_to(self.request.user).filter(enterprise=self.enterprise).not_on_trip()
        if self.request.GET.get("province"):
            registrations = registrations.filter(origin_province=self.request.GET["province"])
        return registrations.order_by("return_date", "origin_county", "pk")[:300]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["registrations"] = WorkerRegistration.objects.visible_to(self.request.user).filter(pk__in=[r.pk for r in self.candidates()])
        kwargs["initial"] = {"origin_province": self.request.GET.get("province", ""), "origin_county": self.request.GET.get("county", "")}
        return kwargs

    def form_valid(self, form):
        if self.enterprise is None:
            form.add_error(None, _("Choose the firm first, from the demand page."))
            return self.form_invalid(form)
        data = form.cleaned_data
        try:
            trip = services.plan_trip(
                actor=self.request.user,
                enterprise=self.enterprise,
                origin_province=data["origin_province"],
                origin_county=data["origin_county"],
                departure_date=data["departure_date"],
                seats=data["seats"],
                registrations=data["registrations"],
            )
        except ActionRefused as refusal:
            _refused(form, refusal)
            return self.form_invalid(form)
        messages.success(self.request, _("The trip is planned."))
        return redirect(trip)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Plan a charter trip"), enterprise=self.enterprise, **kwargs)


TRIP_LINKS = {
    "add_passengers": ("subsidies:trip-passengers", _("Add workers"), "btn-outline-primary"),
    "complete": ("subsidies:trip-complete", _("Record the arrival"), "btn-primary"),
    "cancel": ("subsidies:trip-cancel", _("Cancel the trip"), "btn-outline-danger"),
}


class TripDetailView(ObjectDetailView):
    model = CharterTrip
    template_name = "subsidies/trip_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "claim")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        trip, user = self.object, self.request.user
        claim = getattr(trip, "claim", None) if hasattr(trip, "claim") else None
        links = [(reverse(name, args=[trip.pk]), label, style) for name, label, style in action_links(user, trip, TRIP_LINKS)]
        if claim is None and trip.status == CharterTrip.Status.COMPLETED and policy.can(user, "create", trip, model=SubsidyClaim):
            links.append((reverse("subsidies:claim-create", args=[trip.pk]), _("Claim the charter subsidy"), "btn-primary"))
        context.update(passengers=trip.passengers.select_related("registration"), claim=claim, action_links=links)
        return context


class TripCompleteView(ActionFormView):
    model = CharterTrip
    action = "complete"
    form_class = TripCompleteForm
    title = _("Record the arrival")
    success_message = _("The trip is recorded as completed.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "trip": self.object}

    def perform(self, obj, form):
        data = form.cleaned_data
        services.complete_trip(
            obj, actor=self.request.user, travelled=[p.pk for p in data["travelled"]], arrival_date=data["arrival_date"], departure_date=data["departure_date"]
        )


class TripAddPassengersView(ActionFormView):
    model = CharterTrip
    action = "add_passengers"
    form_class = AddPassengersForm
    title = _("Add workers to the trip")
    success_message = _("Added.")

    def get_form_kwargs(self):
        candidates = (
            WorkerRegistration.objects.visible_to(self.request.user)
            .filter(enterprise_id=self.object.enterprise_id)
            .not_on_trip()
            .order_by("return_date", "pk")
        )
        return {**super().get_form_kwargs(), "registrations": candidates}

    def perform(self, obj, form):
        services.add_passengers(obj, actor=self.request.user, registrations=form.cleaned_data["registrations"])


class TripCancelView(ActionFormView):
    model = CharterTrip
    action = "cancel"
    form_class = ReasonForm
    title = _("Cancel the trip")
    success_message = _("The trip is cancelled; its workers can be seated on another bus.")

    def perform(self, obj, form):
        services.cancel_trip(obj, actor=self.request.user, reason=form.cleaned_data["reason"])


# --- Claims ----------------------------------------------------------------------------------------


class ClaimListView(ObjectListView):
    title = _("Charter subsidy claims")
    model = SubsidyClaim
    table_class = ClaimTable
    filterset_class = ClaimFilter

    def get_queryset(self):
        return super().get_queryset().with_references("enterprise__township")


class ClaimCreateView(ScopedMixin, FormView):
    """The firm claims for one of its completed trips: a trip out of scope is 404, a user who may not claim
    for it 403, before the form is read."""

    model = SubsidyClaim
    form_class = ClaimForm
    template_name = "subsidies/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and role_of(request.user) in SubsidyClaim.objects.open_roles():
            self.trip = get_object_or_404(CharterTrip.objects.visible_to(request.user), pk=kwargs["trip"])
            if not policy.can(request.user, "create", self.trip, model=SubsidyClaim):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"departure_date": self.trip.departure_date, "arrival_date": self.trip.last_day}

    def form_valid(self, form):
        try:
            claim = services.start_claim(self.trip, actor=self.request.user, **form.fields_for_service())
        except ActionRefused as refusal:
            _refused(form, refusal)
            return self.form_invalid(form)
        messages.success(self.request, _("Draft saved. Check it, then submit it for review."))
        return redirect(claim)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Claim the charter subsidy"), subject=self.trip, **kwargs)


class ClaimEditView(ActionFormView):
    model = SubsidyClaim
    action = "change"
    form_class = ClaimForm
    title = _("Edit the claim")
    success_message = _("Saved.")

    def get_form_kwargs(self):
        # A copy of the claim: the form writes its input onto its instance before the service has accepted it.
        return {**super().get_form_kwargs(), "instance": self.get_queryset().get(pk=self.object.pk)}

    def perform(self, obj, form):
        services.update_claim(obj, actor=self.request.user, **form.fields_for_service())


class ClaimDetailView(ObjectDetailView):
    model = SubsidyClaim
    template_name = "subsidies/claim_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise__township", "trip", "policy", "payout_item__batch")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claim = self.object
        user = self.request.user
        links = []
        if claim.editable and policy.can(user, "change", claim):
            links.append((reverse("subsidies:claim-edit", args=[claim.pk]), _("Edit"), "btn-outline-dark"))
        for action, (slug, label, style) in ((a, CLAIM_LINKS[a]) for a in context["allowed_actions"] if a in CLAIM_LINKS):
            links.append((reverse("subsidies:claim-action", args=[claim.pk, slug]), label, style))
        if "batch" in context["allowed_actions"]:
            links.append((reverse("subsidies:payout-create"), _("Prepare a payout batch"), "btn-outline-primary"))
        if "pay" in context["allowed_actions"]:
            links.append((reverse("subsidies:payout", args=[claim.payout_item.batch_id]), _("Payout batch"), "btn-outline-primary"))
        context.update(
            passengers=claim.trip.passengers.filter(travelled=True).select_related("registration"),
            findings=[describe_finding(f) for f in claim.findings],
            action_links=links,
            calc=services.compute_subsidy(claim.invoice_amount, claim.policy or services.current_policy(),
                                          granted_before=services.committed_to_firm(claim.enterprise_id, exclude_claim=claim.pk)),
        )
        return context


class ClaimInvoiceView(ScopedMixin, View):
    model = SubsidyClaim

    def get(self, request, pk):
        claim = get_object_or_404(self.get_queryset(), pk=pk)
        if not claim.invoice_image:
            raise Http404
        audit.record(AuditEvent.Kind.DOWNLOAD, request, target=f"claim:{claim.pk}", detail="invoice")
        return serve_private(claim.invoice_image, download_name=f"invoice-{claim.invoice_number}")


CLAIM_ACTIONS = {
    # url slug: (policy action, service, title, argument, success message)
    "submit": ("submit", services.submit_claim, _("Submit the claim for review"), None, _("Submitted. Your township will check it.")),
    "township-approve": ("township_approve", services.township_approve, _("Township check: approve"), "comment", _("Passed to the district office.")),
    "township-return": ("township_return", services.township_return, _("Township check: return to the firm"), "reason", _("Returned to the firm.")),
    "district-approve": ("district_approve", services.district_approve, _("District decision: approve"), "comment", _("Approved for payout.")),
    "district-return": ("district_return", services.district_return, _("District decision: return to the firm"), "reason", _("Returned to the firm.")),
    "district-reject": ("district_reject", services.district_reject, _("District decision: reject"), "reason", _("Rejected.")),
}
# The buttons of the claim page, per workflow action: (url slug, label, style).
CLAIM_LINKS = {
    "submit": ("submit", _("Submit for review"), "btn-primary"),
    "township_approve": ("township-approve", _("Approve"), "btn-success"),
    "township_return": ("township-return", _("Return to the firm"), "btn-outline-dark"),
    "district_approve": ("district-approve", _("Approve"), "btn-success"),
    "district_return": ("district-return", _("Return to the firm"), "btn-outline-dark"),
    "district_reject": ("district-reject", _("Reject"), "btn-danger"),
}


# The review queues of claims: after a township check or a district decision, the next claim of the same
# stage opens (oldest submission first). Stage → the claims' state, the actions that make one to do.
CLAIM_QUEUES = {
    "township": (S.SUBMITTED, ("township_approve", "township_return")),
    "district": (S.TOWNSHIP_APPROVED, ("district_approve", "district_return", "district_reject")),
}


class ClaimActionView(NextInQueueMixin, ActionFormView):
    model = SubsidyClaim
    form_class = ReasonForm

    def dispatch(self, request, *args, **kwargs):
        if kwargs["action"] not in CLAIM_ACTIONS:
            raise Http404
        self.action, self.service, self.title, self.argument, self.success_message = CLAIM_ACTIONS[kwargs["action"]]
        stage = self.action.split("_")[0]
        self.queue_state, self.queue_actions = CLAIM_QUEUES.get(stage, (None, ()))
        return super().dispatch(request, *args, **kwargs)

    def queue(self):
        return (
            SubsidyClaim.objects.visible_to(self.request.user).filter(status=self.queue_state)
            .select_related("enterprise").order_by("submitted_at", "pk")
        )

    def get_queue_url(self):
        return f"{reverse('subsidies:claims')}?status={self.queue_state}"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.argument is None:
            form.fields.pop("reason")
        elif self.argument == "reason":
            form.fields["reason"].required = True
            form.fields["reason"].label = _("Reason")
        return form

    def perform(self, obj, form):
        if self.argument is None:
            self.service(obj, actor=self.request.user)
        else:
            self.service(obj, actor=self.request.user, **{self.argument: form.cleaned_data.get("reason", "")})


FINDING_TEXT = {
    "passenger_unmatched": _("Passenger %(name)s is neither an employee nor a registrant of this firm."),
    "passenger_overlap": _("Passenger %(name)s is also on trip %(trip)s (leaving %(date)s), on overlapping dates."),
    "plate_same_day": _("Bus %(plate)s is also on claim %(claim)s of %(firm)s (leaving %(date)s), on the same days."),
    "trip_cap": _("Half the invoice (%(raw)s yuan) is above the per-trip cap of %(cap)s yuan; the subsidy is capped."),
    "enterprise_cap": _("Only %(remaining)s yuan is left of the firm's cap of %(cap)s yuan; the subsidy is capped."),
    "outside_window": _("The trip on %(date)s is outside the eligible window."),
    "late_filing": _("Filed more than %(days)s days after arrival."),
    "over_seats": _("%(count)s passengers travelled on a bus with %(seats)s seats."),
    "dates_differ": _("The invoice dates differ from the trip's (departure %(trip)s)."),
    "health_code": _("%(count)s passengers did not have a green health code."),
    "cost_per_head": _("The fare is %(amount)s yuan per passenger, unusually high."),
}


def describe_finding(item):
    template = FINDING_TEXT.get(item.get("code"))
    if template is None:
        return item.get("code", "")
    try:
        return template % item.get("params", {})
    except (KeyError, TypeError, ValueError):
        return str(template)


# --- Policy ----------------------------------------------------------------------------------------


class PolicyView(ScopedMixin, FormView):
    """The rules in force and their versions; the district office adds a version here."""

    model = SubsidyPolicy
    form_class = PolicyForm
    template_name = "subsidies/policy.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        current = services.current_policy()
        kwargs["initial"] = {f: getattr(current, f) for f in PolicyForm.Meta.fields if f != "note"}
        return kwargs

    def post(self, request, *args, **kwargs):
        if not policy.can(request.user, "create", model=SubsidyPolicy):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.revise_policy(actor=self.request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            _refused(form, refusal)
            return self.form_invalid(form)
        messages.success(self.request, _("A new version of the policy is in force."))
        return redirect("subsidies:policy")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Charter subsidy policy"),
            current=services.current_policy(),
            versions=SubsidyPolicy.objects.visible_to(self.request.user).select_related("created_by"),
            can_revise=policy.can(self.request.user, "create", model=SubsidyPolicy),
            **kwargs
        )


# --- Payouts ---------------------------------------------------------------------------------------


class PayoutListView(ObjectListView):
    title = _("Payout batches")
    model = PayoutBatch
    table_class = PayoutTable
    filterset_class = None
    filterset_fields = ["status"]
    actions_template = "subsidies/_payout_actions.html"

    def get_queryset(self):
        return super().get_queryset().annotate(claim_count=Count("items"), total_amount=Sum("items__amount")).order_by("-created_at", "-pk")


def awaiting_payout(user):
    return SubsidyClaim.objects.visible_to(user).filter(status=S.DISTRICT_APPROVED, payout_item__isnull=True).select_related("enterprise")


class PayoutCreateView(CreateView):
    model = PayoutBatch
    form_class = PayoutCreateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "queryset": awaiting_payout(self.request.user)}

    def form_valid(self, form):
        try:
            batch = services.create_payout_batch(actor=self.request.user, claims=form.cleaned_data["claims"])
        except ActionRefused as refusal:
            _refused(form, refusal)
            return self.form_invalid(form)
        messages.success(self.request, _("Payout batch %(number)s prepared.") % {"number": batch.number})
        return redirect(batch)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Prepare a payout batch"), **kwargs)


PAYOUT_LINKS = {"mark_paid": ("subsidies:payout-paid", _("Mark the batch paid"), "btn-primary")}


class PayoutDetailView(ObjectDetailView):
    model = PayoutBatch
    template_name = "subsidies/payout_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch, user = self.object, self.request.user
        links = []
        if policy.can(user, "export", batch):
            links.append((reverse("subsidies:payout-export", args=[batch.pk]), _("Bank transfer file (xlsx)"), "btn-outline-dark"))
        links += [(reverse(name, args=[batch.pk]), label, style) for name, label, style in action_links(user, batch, PAYOUT_LINKS)]
        context.update(items=batch.items.select_related("claim__enterprise").prefetch_related("source"), total=services.transfer_summary(batch), action_links=links)
        return context


class PayoutExportView(ScopedMixin, View):
    model = PayoutBatch

    def get(self, request, pk):
        batch = get_object_or_404(self.get_queryset(), pk=pk)
        if not policy.can(request.user, "export", batch):
            raise PermissionDenied
        return transfer_file_response(request, batch)


class PayoutMarkPaidView(ActionFormView):
    model = PayoutBatch
    action = "mark_paid"
    form_class = MarkPaidForm
    title = _("Mark the batch paid")
    success_message = _("The batch and its claims are paid.")

    def perform(self, obj, form):
        services.mark_batch_paid(obj, actor=self.request.user, transfer_reference=form.cleaned_data["transfer_reference"])


# --- Statistics ------------------------------------------------------------------------------------


class StatisticsView(RoleRequiredMixin, TemplateView):
    roles = (Role.DISTRICT,)
    template_name = "subsidies/statistics.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        townships = stats.by_township(user)
        provinces = stats.by_province(user)
        chart = {
            "townships": [row["label"] for row in townships],
            "township_workers": [row["workers"] for row in townships],
            "township_trips": [row["trips"] for row in townships],
            "provinces": [{"name": row["label"], "value": row["workers"]} for row in provinces],
            "labels": {"workers": str(_("Workers returned")), "trips": str(_("Trips")), "provinces": str(_("Workers by province of origin"))},
        }
        return super().get_context_data(
            title=_("Charter programme statistics"), totals=stats.totals(user), townships=townships, provinces=provinces, chart=chart, **kwargs
        )


def home_redirect(request):
    return redirect(reverse("subsidies:claims") if request.user.is_authenticated else reverse("subsidies:public-register"))
