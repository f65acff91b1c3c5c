"""Pages of the specialists app. Every page starts from ``visible_to(user)`` and asks the policy
(specialists/policies.py) before reading a form; every change calls a service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, FloatField, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, UpdateView

from enterprises.models import Enterprise
from fuyang_portal import audit, clock, policy
from fuyang_portal.models import AuditEvent
from fuyang_portal.roles import Role
from fuyang_portal.uploads import serve_private
from fuyang_portal.views.generic import ActionFormView, NextInQueueMixin, ObjectDetailView, ObjectListView, RoleRequiredMixin, ScopedMixin
from fuyang_portal.views.generic import PolicyActionMixin
from fuyang_portal.workflow import ActionRefused
from specialists import forms, loop_forms, services
from specialists.filters import (
    AssignmentFilter,
    FirmSelectionFilter,
    ProblemFilter,
    ProjectFilter,
    RiskFilter,
    SpecialistFilter,
    VisitFilter,
)
from specialists.models import (
    DISTRICT_QUEUE,
    Assignment,
    DeadlineRule,
    Problem,
    ProblemAttachment,
    ServiceDomain,
    Specialist,
    TrackedProject,
    Visit,
    active_on,
)
from specialists.tables import (
    AssignmentTable,
    FirmTable,
    ProblemTable,
    ProjectTable,
    RiskTable,
    SpecialistTable,
    VisitTable,
)
from specialists.workdays import add_working_days

S = Problem.Status


class PolicyRequiredMixin(RoleRequiredMixin):
    """A page that does one model-level action (``policy_model``, ``policy_action``, e.g. create): 403 unless
    the policy allows it, before any input is read."""

    policy_model = None
    policy_action = "create"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not policy.can(request.user, self.policy_action, model=self.policy_model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PolicyUpdateView(PolicyActionMixin, ScopedMixin, UpdateView):
    """Edit one record in the user's scope through its service: 404 out of scope, 403 unless the policy allows
    ``change``, before the form is read. Subclasses implement ``perform(obj, cleaned_data)``."""

    action = "change"
    template_name = "specialists/form.html"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        self.check_action(obj)
        return obj

    def form_valid(self, form):
        try:
            self.perform(self.object, form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.get_success_url())


# ---------------------------------------------------------------- public directory


def directory(request):
    """Find a specialist by township and service domain, without signing in (two queries per page).

    A deliberate publication (``Specialist.objects.public()``: published fields of active specialists), not a
    scope: everything else about specialists is read through ``visible_to``."""
    form = forms.DirectoryForm(request.GET or None)
    specialists = Specialist.objects.public().select_related("user", "agency").prefetch_related(
        Prefetch("domains", queryset=ServiceDomain.objects.only("pk", "name"))
    )
    if form.is_valid():
        if form.cleaned_data["township"]:
            specialists = specialists.filter(townships=form.cleaned_data["township"])
        if form.cleaned_data["domain"]:
            specialists = specialists.filter(domains=form.cleaned_data["domain"])
        if form.cleaned_data["q"]:
            q = form.cleaned_data["q"]
            specialists = specialists.filter(Q(user__full_name__icontains=q) | Q(agency__name__icontains=q))
    page = Paginator(specialists.order_by("agency__code", "user__full_name", "pk"), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "specialists/directory.html",
        {"form": form, "page": page, "query": query.urlencode(), "title": _("Find a service specialist")},
    )


# ---------------------------------------------------------------- the specialist's pages


class MyFirmsView(RoleRequiredMixin, TemplateView):
    """The specialist's firms, phone first: last visit and open problems for each, in one query."""

    roles = (Role.SPECIALIST,)
    template_name = "specialists/my_firms.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        firms = (
            Enterprise.objects.visible_to(user)
            .select_related("township")
            .annotate(
                last_visit=Max("specialist_visits__visited_on"),
                open_problems=Count("problems", filter=~Q(problems__status=S.CONFIRMED), distinct=True),
            )
            .order_by("name")
        )
        table = FirmTable(firms)
        table.paginate(page=self.request.GET.get("page", 1), per_page=50)
        firms_on_page = [row.record for row in table.page.object_list]
        return super().get_context_data(title=_("My firms"), table=table, firms=firms_on_page, **kwargs)


class VisitListView(ObjectListView):
    model = Visit
    table_class = VisitTable
    filterset_class = VisitFilter
    title = _("Visits")

    def get_queryset(self):
        return (
            super().get_queryset().select_related("enterprise", "specialist__user").annotate(problem_count=Count("problems"))
            .order_by("-visited_on", "-pk")
        )


class VisitDetailView(ObjectDetailView):
    model = Visit
    template_name = "specialists/visit_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "specialist__user", "project").prefetch_related("problems")


class LogVisitView(PolicyRequiredMixin, FormView):
    """Log a visit from a phone, and the problems found there, in one step."""

    policy_model = Visit
    form_class = forms.VisitForm
    template_name = "specialists/visit_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = {name: self.request.GET.get(name) for name in ("enterprise", "project")}
        # "Save and log another" carries the day and the mode of the round over to the next visit.
        initial.update({name: self.request.GET[name] for name in ("visited_on", "mode") if self.request.GET.get(name)})
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            visit, problems = services.log_visit(
                self.request.user, data["enterprise"], visited_on=data["visited_on"], mode=data["mode"], checks=data["checks"],
                notes=data["notes"], project=data["project"], problems=data["problems"],
            )
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        if "another" not in self.request.POST:
            messages.success(self.request, _("Visit logged; %(n)d problem(s) raised.") % {"n": len(problems)})
            return redirect(visit.get_absolute_url())
        messages.success(
            self.request,
            _("Visit to %(firm)s logged; %(n)d problem(s) raised. Log the next visit below.") % {"firm": visit.enterprise, "n": len(problems)},
        )
        query = QueryDict(mutable=True)
        query.update({"visited_on": data["visited_on"].isoformat(), "mode": data["mode"]})
        if self.request.GET.get("enterprise"):
            # Opened for this firm (from its row or page), the form stays on it; a firm picked in the list is not
            # carried over, so the next firm of a round is never filed under the previous one by oversight.
            query["enterprise"] = visit.enterprise_id
        return redirect(f"{reverse('specialists:visit-new')}?{query.urlencode()}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(title=_("Log a visit"), **kwargs)
        form = context["form"]
        context["problem_slots"] = [
            (form[f"problem{n}_category"], form[f"problem{n}_description"]) for n in range(1, form.PROBLEM_SLOTS + 1)
        ]
        return context


class ProjectListView(ObjectListView):
    model = TrackedProject
    table_class = ProjectTable
    filterset_class = ProjectFilter
    title = _("Tracked projects")
    actions_template = "specialists/_project_actions.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create=policy.can(self.request.user, "create", model=TrackedProject), **kwargs)

    def get_queryset(self):
        return (
            super().get_queryset().select_related("enterprise", "specialist__user").annotate(visit_count=Count("visits"))
            .order_by("due_on", "pk")
        )


class ProjectDetailView(ObjectDetailView):
    model = TrackedProject
    template_name = "specialists/project_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_change=policy.can(self.request.user, "change", self.object), **kwargs)

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "specialist__user").prefetch_related(
            Prefetch("visits", queryset=Visit.objects.select_related("specialist__user"))
        )


class ProjectFormView(RoleRequiredMixin, FormView):
    """A new tracked project, or an edit: out of scope 404, not allowed 403, before the form is read."""

    form_class = forms.ProjectForm
    template_name = "specialists/form.html"

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if request.user.is_authenticated:
            if "pk" in kwargs:
                self.object = get_object_or_404(TrackedProject.objects.visible_to(request.user), pk=kwargs["pk"])
                allowed = policy.can(request.user, "change", self.object)
            else:
                allowed = policy.can(request.user, "create", model=TrackedProject)
            if not allowed:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def form_valid(self, form):
        try:
            project = services.save_project(self.request.user, form.instance)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        return redirect(project.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Tracked project"), **kwargs)


# ---------------------------------------------------------------- problems


def problem_queryset(user):
    return Problem.objects.visible_to(user).select_related("enterprise").with_references("agency")


class ProblemListView(ObjectListView):
    model = Problem
    table_class = ProblemTable
    filterset_class = ProblemFilter
    title = _("Problems")
    actions_template = "specialists/_problem_actions.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create=policy.can(self.request.user, "create", model=Problem), **kwargs)

    def get_queryset(self):
        return problem_queryset(self.request.user)


# Each role's work queue: (title, rows, order). The specialist's open problems, the district office's
# escalations to assign, the agency's assignments by deadline, the firm's own problems.
QUEUES = {
    Role.SPECIALIST: (_("My open problems"), Q(status__in=[S.RAISED, S.RESOLVED]), ("deadline", "raised_at")),
    Role.DISTRICT: (_("Escalations to assign"), DISTRICT_QUEUE, ("escalated_at", "pk")),
    Role.AGENCY: (_("Our assignments by deadline"), Q(status__in=Problem.AGENCY_STATES), ("deadline", "pk")),
    Role.ENTERPRISE: (_("Our problems"), Q(), ("-raised_at",)),
    Role.TOWNSHIP: (_("Open problems of our firms"), ~Q(status__in=Problem.CLOSED_STATES), ("deadline", "pk")),
}


def queue_of(user):
    return QUEUES[Role.DISTRICT if user.is_superuser else user.role]


def work_queue(user):
    """The rows of ``user``'s work queue, in its order (the queue page, and "next" after a decision)."""
    _title, condition, ordering = queue_of(user)
    if user.role == Role.AGENCY and not user.is_superuser:
        # An agency also sees the problems of its paired township's firms; its queue is what it was assigned, as
        # lead agency or as a co-handling agency with its part still to answer.
        from specialists.models import ProblemPart

        parts = ProblemPart.objects.filter(agency_id=user.agency_id).exclude(status=ProblemPart.Status.ANSWERED)
        condition = (condition & Q(agency_id=user.agency_id)) | Q(
            status__in=Problem.AGENCY_STATES, pk__in=parts.values("problem_id")
        )
    return problem_queryset(user).filter(condition).order_by(*ordering)


class ProblemQueueView(ProblemListView):
    QUEUES = QUEUES

    def get_title(self):
        return queue_of(self.request.user)[0]

    def get_queryset(self):
        return work_queue(self.request.user)


class RiskListView(ObjectListView):
    """Open assignments due within two working days, with each agency's on-time rate so far (one query).
    The desk of whoever assigns problems to agencies (the policy's "assign")."""

    model = Problem
    table_class = RiskTable
    filterset_class = RiskFilter
    title = _("Deadline risk")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not policy.can(request.user, "assign", model=Problem):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        limit = add_working_days(clock.today(), 2)
        answered = Problem.objects.visible_to(self.request.user).filter(agency=OuterRef("agency"), answered_at__isnull=False).order_by().values("agency")
        on_time = Subquery(answered.filter(on_time=True).annotate(n=Count("pk")).values("n")[:1])
        total = Subquery(answered.annotate(n=Count("pk")).values("n")[:1])
        return (
            super().get_queryset()
            .with_agency()
            .filter(deadline__lte=limit)
            .select_related("enterprise")
            .with_references("agency")
            .annotate(agency_on_time=Coalesce(on_time, 0), agency_answered=Coalesce(total, 0))
            .annotate(agency_on_time_rate=Cast(F("agency_on_time"), FloatField()) / NullIf(Cast(F("agency_answered"), FloatField()), 0.0))
            .order_by("deadline", "pk")
        )


class ProblemDetailView(ObjectDetailView):
    model = Problem
    template_name = "specialists/problem_detail.html"

    def get_queryset(self):
        return problem_queryset(self.request.user).select_related("specialist__user", "raised_by", "answered_by").prefetch_related(
            "attachments"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["actions"] = problem_buttons(context["allowed_actions"])
        context["can_attach"] = policy.can(self.request.user, "attach", self.object)
        from specialists.loop_views import loop_context

        context.update(loop_context(self.request.user, self.object))
        context["attachment_form"] = forms.AttachmentForm()
        return context


def _text(label, required=True):
    return lambda *args, **kwargs: forms.TextForm(*args, label=label, required=required, **kwargs)


# The problem's action pages: URL slug → (button label, form, perform(problem, user, cleaned_data)). Which
# of them a user sees, and may post, is the workflow table's answer (specialists/policies.py).
ACTIONS = {
    "resolve": (_("Resolve"), _text(_("How it was resolved")), lambda p, u, d: services.resolve(p, u, d["text"])),
    "escalate": (
        _("Escalate to the district office"), _text(_("Why it needs the district office"), False),
        lambda p, u, d: services.escalate(p, u, d["text"]),
    ),
    "refer-to-township": (
        _("Refer to the township first"), _text(_("What the township should do"), False),
        lambda p, u, d: services.refer_to_township(p, u, d["text"]),
    ),
    "township-resolve": (
        _("Resolve at the township"), _text(_("How it was resolved")), lambda p, u, d: services.township_resolve(p, u, d["text"]),
    ),
    "pass-up": (
        _("Pass up to the district office"), _text(_("Why the township cannot solve it")),
        lambda p, u, d: services.pass_up(p, u, d["text"]),
    ),
    "assign": (
        _("Assign to an agency"), loop_forms.LoopAssignForm,
        lambda p, u, d: services.assign(p, u, d["agency"], d["deadline"], d["comment"], co_agencies=list(d.get("co_agencies") or ())),
    ),
    "decline": (_("Not accepted (不予受理)"), _text(_("Reason the firm is told")), lambda p, u, d: services.decline(p, u, d["text"])),
    "merge": (
        _("Merge into an earlier problem"), loop_forms.MergeForm, lambda p, u, d: services.merge(p, u, d["into"], d["comment"]),
    ),
    "accept": (_("Sign for (签收)"), _text(_("comment"), False), lambda p, u, d: services.accept(p, u)),
    "review-return": (
        _("Review the return"), loop_forms.ReviewReturnForm,
        lambda p, u, d: services.review_return(
            p, u, d["decision"] == "accept", agency=d["agency"], comment=d["comment"], deadline=d["deadline"]
        ),
    ),
    "answer": (_("Answer"), _text(_("Answer")), lambda p, u, d: services.answer(p, u, d["text"])),
    "return": (
        _("Return to the district office"), _text(_("Why it is not ours")), lambda p, u, d: services.return_to_district(p, u, d["text"]),
    ),
    "extend": (
        _("Ask for an extension"), forms.ExtensionForm, lambda p, u, d: services.request_extension(p, u, d["days"], d["reason"]),
    ),
    "decide-extension": (
        _("Decide on the extension"), forms.DecideExtensionForm,
        lambda p, u, d: services.decide_extension(p, u, d["decision"] == "grant", d["comment"]),
    ),
    "confirm": (_("Confirm and rate"), forms.ConfirmForm, lambda p, u, d: services.confirm(p, u, d["rating"], d["feedback"])),
    "reopen": (_("Reopen"), _text(_("What is still wrong")), lambda p, u, d: services.reopen(p, u, d["text"])),
    "callback": (
        _("Record the callback (回访)"), loop_forms.CallbackForm,
        lambda p, u, d: services.record_callback(p, u, d["reached"], d["satisfaction"], d["comment"]),
    ),
}

# The workflow's action → the page that takes it.
SLUG_OF = {
    "request_extension": "extend",
    "grant_extension": "decide-extension",
    "refuse_extension": "decide-extension",
    "reopen_to_agency": "reopen",
    "refer_to_township": "refer-to-township",
    "township_resolve": "township-resolve",
    "pass_up": "pass-up",
    "accept_return": "review-return",
    "overrule_return": "review-return",
    "callback_unreached": "callback",
    "callback_reopen": "callback",
}


def problem_buttons(allowed_actions):
    """(slug, label) for each action the workflow allows this user now, in table order, once each."""
    slugs = dict.fromkeys(SLUG_OF.get(action, action) for action in allowed_actions)
    return [(slug, ACTIONS[slug][0]) for slug in slugs if slug in ACTIONS]


def policy_action_of(slug, problem):
    """The workflow action a problem's action page takes (a reopen depends on who handled the problem;
    granting and refusing an extension are the same people's decision)."""
    if slug == "reopen":
        return services.reopen_action(problem)
    return {
        "extend": "request_extension", "decide-extension": "grant_extension", "review-return": "accept_return",
    }.get(slug, slug.replace("-", "_"))


# The decisions after which the next problem of the user's queue opens: the district office's triage and the
# agency's answer (or its return to the district office). Slug → the actions that make a queued problem to do.
QUEUE_DECISIONS = {
    "assign": ("assign", "grant_extension", "refuse_extension", "accept_return"),
    "decide-extension": ("assign", "grant_extension", "refuse_extension", "accept_return"),
    "review-return": ("assign", "grant_extension", "refuse_extension", "accept_return"),
    "answer": ("accept", "answer"),
    "return": ("accept", "answer"),
}


class ProblemActionView(NextInQueueMixin, ActionFormView):
    model = Problem
    success_message = _("Done.")
    queue_url = "specialists:queue"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["action"] not in ACTIONS:
            raise Http404
        self.slug = kwargs["action"]
        self.title, self.form_factory, self.perform_action = ACTIONS[self.slug]
        self.queue_actions = QUEUE_DECISIONS.get(self.slug, ())
        if self.queue_actions:
            self.success_message = _("%(action)s: done.") % {"action": self.title}
        return super().dispatch(request, *args, **kwargs)

    def queue(self):
        return work_queue(self.request.user)

    def check_action(self, obj):
        if not policy.can(self.request.user, policy_action_of(self.slug, obj), obj):
            raise PermissionDenied

    def get_form_class(self):
        return self.form_factory

    def get_form(self, form_class=None):
        kwargs = self.get_form_kwargs()
        if getattr(self.form_factory, "needs_user", False) or getattr(self.form_factory, "needs_object", False):
            kwargs["user"] = self.request.user
        if getattr(self.form_factory, "needs_object", False):
            kwargs["problem"] = self.object
        return self.form_factory(**kwargs)

    def perform(self, obj, form):
        self.perform_action(obj, self.request.user, form.cleaned_data)


class RaiseProblemView(PolicyRequiredMixin, FormView):
    policy_model = Problem
    form_class = forms.ProblemForm
    template_name = "specialists/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        # Only a firm named in the address: otherwise the form's own initial (a firm user's own firm) stands.
        firm = self.request.GET.get("enterprise")
        return {"enterprise": firm} if firm else {}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            problem = services.raise_problem(
                self.request.user, data["enterprise"], data["category"], data["description"],
                files=[data["attachment"]] if data.get("attachment") else [],
            )
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Problem raised."))
        return redirect(problem.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Raise a problem"), multipart=True, **kwargs)


class AddAttachmentView(ActionFormView):
    model = Problem
    action = "attach"
    form_class = forms.AttachmentForm
    title = _("Add an attachment")
    success_message = _("File attached.")

    def perform(self, obj, form):
        services.add_attachment(self.request.user, obj, form.cleaned_data["file"])


def attachment_download(request, pk, attachment_pk):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    attachment = get_object_or_404(ProblemAttachment.objects.visible_to(request.user), pk=attachment_pk, problem_id=pk)
    audit.record(AuditEvent.Kind.DOWNLOAD, request, target=f"problem attachment {attachment.pk}", detail=attachment.original_name)
    return serve_private(attachment.file, download_name=attachment.original_name or None)


# ---------------------------------------------------------------- assignments and coverage


class SpecialistListView(ObjectListView):
    """The specialists in the user's scope (a firm: its own specialists), as in the API."""

    model = Specialist
    table_class = SpecialistTable
    filterset_class = SpecialistFilter
    title = _("Service specialists")
    actions_template = "specialists/_specialist_actions.html"

    def get_queryset(self):
        return (
            super().get_queryset().select_related("user", "agency").prefetch_related("domains")
            .annotate(load=Count("assignments", filter=active_on(prefix="assignments__"), distinct=True))
            .order_by("agency__code", "user__full_name", "pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_appoint=policy.can(self.request.user, "create", model=Specialist), **kwargs)


class SpecialistRegisterView(PolicyRequiredMixin, FormView):
    """The district office appoints a specialist: account and published profile in one step."""

    policy_model = Specialist
    form_class = forms.SpecialistRegistrationForm
    template_name = "specialists/form.html"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            specialist, password = services.appoint_specialist(
                self.request.user, username=data["username"], full_name=data["full_name"], agency=data["agency"],
                published_mobile=data["published_mobile"], domains=data["domains"], townships=data["townships"],
            )
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s is now a service specialist. Initial password (shown once): %(password)s")
            % {"name": specialist, "password": password},
        )
        return redirect(specialist.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Appoint a service specialist"), **kwargs)


class SpecialistEditView(PolicyUpdateView):
    model = Specialist
    form_class = forms.SpecialistProfileForm

    def perform(self, obj, data):
        services.update_specialist(
            self.request.user, obj, agency=data["agency"], published_mobile=data["published_mobile"],
            domains=data["domains"], townships=data["townships"], active=data["active"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object}, **kwargs)


class SpecialistDetailView(ObjectDetailView):
    model = Specialist
    template_name = "specialists/specialist_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("user", "agency").prefetch_related("domains", "townships")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = policy.can(self.request.user, "change", self.object)
        context["assignments"] = (
            Assignment.objects.visible_to(self.request.user).active().filter(specialist=self.object).select_related("enterprise")[:200]
        )
        return context


class AssignmentListView(ObjectListView):
    model = Assignment
    table_class = AssignmentTable
    filterset_class = AssignmentFilter
    title = _("Specialist assignments")
    actions_template = "specialists/_assignment_actions.html"

    def get_queryset(self):
        return super().get_queryset().select_related("specialist__user", "specialist__agency", "enterprise__township")

    def get_table_kwargs(self):
        # Only those who manage assignments get the "end" buttons.
        return {} if policy.can(self.request.user, "end", model=Assignment) else {"exclude": ("end",)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_assign=policy.can(self.request.user, "create", model=Assignment), **kwargs)


class BulkAssignView(PolicyRequiredMixin, FormView):
    """Assign one specialist to every firm of a filtered list."""

    policy_model = Assignment
    form_class = forms.BulkAssignForm
    template_name = "specialists/bulk_assign.html"
    MAX_FIRMS = 500

    def firms(self):
        base = Enterprise.objects.visible_to(self.request.user).select_related("township")
        return FirmSelectionFilter(self.request.GET or None, queryset=base)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        selection = self.firms()
        firms = selection.qs.order_by("name")
        return super().get_context_data(
            title=_("Bulk assignment"), filter=selection, count=firms.count(), preview=firms[:20], limit=self.MAX_FIRMS, **kwargs
        )

    def form_valid(self, form):
        firms = list(self.firms().qs.order_by("name")[: self.MAX_FIRMS + 1])
        if len(firms) > self.MAX_FIRMS:
            form.add_error(None, _("Narrow the list to at most %(n)d firms.") % {"n": self.MAX_FIRMS})
            return self.form_invalid(form)
        data = form.cleaned_data
        created, skipped = services.bulk_assign(self.request.user, data["specialist"], firms, data["starts_on"], data["ends_on"])
        messages.success(self.request, _("%(n)d firms assigned.") % {"n": len(created)})
        for firm, reason in skipped[:20]:
            messages.warning(self.request, f"{firm}: {reason}")
        return redirect("specialists:assignments")


class ImportAssignmentsView(PolicyRequiredMixin, FormView):
    policy_model = Assignment
    form_class = forms.ImportForm
    template_name = "specialists/import.html"

    def form_valid(self, form):
        try:
            created, errors = services.import_assignments(self.request.user, form.cleaned_data["file"])
        except ActionRefused as refusal:
            form.add_error("file", refusal.message)
            return self.form_invalid(form)
        return self.render_to_response(self.get_context_data(form=forms.ImportForm(), created=created, errors=errors, done=True))

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Import assignments"), **kwargs)


class EndAssignmentView(ActionFormView):
    model = Assignment
    action = "end"
    form_class = forms.forms.Form
    title = _("End this assignment today")
    success_message = _("Assignment ended.")

    def perform(self, obj, form):
        services.end_assignment(self.request.user, obj)

    def get_success_url(self):
        return reverse("specialists:assignments")


class CoverageView(PolicyRequiredMixin, TemplateView):
    """企业全覆盖: firms with no active specialist, by township; and each specialist's load. The page of those
    who assign specialists."""

    policy_model = Assignment
    template_name = "specialists/coverage.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        covered = Exists(Assignment.objects.visible_to(user).filter(active_on(), enterprise=OuterRef("pk")))
        firms = Enterprise.objects.visible_to(user).annotate(covered=covered)
        by_township = (
            firms.order_by().values("township__name", "township__sort_order")
            .annotate(
                firms=Count("pk"),
                uncovered=Count("pk", filter=Q(covered=False)),
                above_scale=Count("pk", filter=Q(scale="above_scale")),
                above_scale_uncovered=Count("pk", filter=Q(scale="above_scale", covered=False)),
            )
            .order_by("township__sort_order")
        )
        uncovered = firms.filter(covered=False).select_related("township").order_by("township__sort_order", "name")
        page = Paginator(uncovered, 50).get_page(self.request.GET.get("page"))
        loads = (
            Specialist.objects.visible_to(user).filter(active=True).select_related("user", "agency")
            .annotate(load=Count("assignments", filter=active_on(prefix="assignments__")))
            .order_by("-load", "pk")
        )
        load_page = Paginator(loads, 50).get_page(self.request.GET.get("load_page"))
        return super().get_context_data(
            title=_("Coverage"), by_township=list(by_township), page=page, load_page=load_page, **kwargs
        )


# ---------------------------------------------------------------- deadline rules


class DeadlineRuleListView(ScopedMixin, TemplateView):
    model = DeadlineRule
    template_name = "specialists/deadline_rules.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Deadline rules"), rules=DeadlineRule.objects.visible_to(self.request.user),
            can_change=policy.can(self.request.user, "change", model=DeadlineRule), **kwargs
        )


class DeadlineRuleEditView(PolicyUpdateView):
    model = DeadlineRule
    form_class = forms.DeadlineRuleForm

    def perform(self, obj, data):
        services.change_deadline_rule(self.request.user, obj, **{name: data[name] for name in DeadlineRule.LIMIT_FIELDS})

    def get_success_url(self):
        return reverse("specialists:deadline-rules")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.object.get_category_display(), **kwargs)
