"""Pages of the specialists app. Every page starts from ``visible_to(user)``; every change calls a service."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, FloatField, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, UpdateView

from enterprises.models import Enterprise
from fuyang_portal import audit
from fuyang_portal.models import AuditEvent
from fuyang_portal.roles import Role
from fuyang_portal.uploads import serve_private
from fuyang_portal.views.generic import ActionFormView, ObjectDetailView, ObjectListView, RoleRequiredMixin, ScopedMixin
from fuyang_portal.workflow import ActionRefused
from specialists import forms, services
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

ALL = tuple(Role.values)
STAFF = (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY)
MANAGERS = (Role.DISTRICT, Role.TOWNSHIP)
S = Problem.Status


# ---------------------------------------------------------------- public directory


def directory(request):
    """Find a specialist by township and service domain, without signing in (two queries per page)."""
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
    roles = ALL
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
    roles = ALL
    template_name = "specialists/visit_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "specialist__user", "project").prefetch_related("problems")


class LogVisitView(RoleRequiredMixin, FormView):
    """Log a visit from a phone, and the problems found there, in one step."""

    roles = (Role.SPECIALIST,)
    form_class = forms.VisitForm
    template_name = "specialists/visit_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"enterprise": self.request.GET.get("enterprise"), "project": self.request.GET.get("project")}

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
        messages.success(self.request, _("Visit logged; %(n)d problem(s) raised.") % {"n": len(problems)})
        return redirect(visit.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(title=_("Log a visit"), **kwargs)
        form = context["form"]
        context["problem_slots"] = [
            (form[f"problem{n}_category"], form[f"problem{n}_description"]) for n in range(1, form.PROBLEM_SLOTS + 1)
        ]
        return context


class ProjectListView(ObjectListView):
    model = TrackedProject
    roles = ALL
    table_class = ProjectTable
    filterset_class = ProjectFilter
    title = _("Tracked projects")
    actions_template = "specialists/_project_actions.html"

    def get_queryset(self):
        return (
            super().get_queryset().select_related("enterprise", "specialist__user").annotate(visit_count=Count("visits"))
            .order_by("due_on", "pk")
        )


class ProjectDetailView(ObjectDetailView):
    model = TrackedProject
    roles = ALL
    template_name = "specialists/project_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "specialist__user").prefetch_related(
            Prefetch("visits", queryset=Visit.objects.select_related("specialist__user"))
        )


class ProjectFormView(RoleRequiredMixin, FormView):
    roles = (Role.SPECIALIST,)
    form_class = forms.ProjectForm
    template_name = "specialists/form.html"

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if request.user.is_authenticated and "pk" in kwargs:
            self.object = get_object_or_404(TrackedProject.objects.visible_to(request.user), pk=kwargs["pk"])
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
    return Problem.objects.visible_to(user).select_related("enterprise", "agency")


class ProblemListView(ObjectListView):
    model = Problem
    roles = ALL
    table_class = ProblemTable
    filterset_class = ProblemFilter
    title = _("Problems")
    actions_template = "specialists/_problem_actions.html"

    def get_queryset(self):
        return problem_queryset(self.request.user)


class ProblemQueueView(ProblemListView):
    """Each role's work queue: the specialist's open problems, the district office's escalations to assign,
    the agency's assignments by deadline, the firm's own problems."""

    QUEUES = {
        Role.SPECIALIST: (_("My open problems"), Q(status__in=[S.RAISED, S.RESOLVED]), ("deadline", "raised_at")),
        Role.DISTRICT: (_("Escalations to assign"), DISTRICT_QUEUE, ("escalated_at", "pk")),
        Role.AGENCY: (_("Our assignments by deadline"), Q(status__in=Problem.AGENCY_STATES), ("deadline", "pk")),
        Role.ENTERPRISE: (_("Our problems"), Q(), ("-raised_at",)),
        Role.TOWNSHIP: (_("Open problems of our firms"), ~Q(status=S.CONFIRMED), ("deadline", "pk")),
    }

    def queue(self):
        role = Role.DISTRICT if self.request.user.is_superuser else self.request.user.role
        return self.QUEUES[role]

    def get_title(self):
        return self.queue()[0]

    def get_queryset(self):
        _title, condition, ordering = self.queue()
        return super().get_queryset().filter(condition).order_by(*ordering)


class RiskListView(ObjectListView):
    """Open assignments due within two working days, with each agency's on-time rate so far (one query)."""

    model = Problem
    roles = (Role.DISTRICT,)
    table_class = RiskTable
    filterset_class = RiskFilter
    title = _("Deadline risk")

    def get_queryset(self):
        limit = add_working_days(timezone.localdate(), 2)
        answered = Problem.objects.filter(agency=OuterRef("agency"), answered_at__isnull=False).order_by().values("agency")
        on_time = Subquery(answered.filter(on_time=True).annotate(n=Count("pk")).values("n")[:1])
        total = Subquery(answered.annotate(n=Count("pk")).values("n")[:1])
        return (
            super().get_queryset()
            .with_agency()
            .filter(deadline__lte=limit)
            .select_related("enterprise", "agency")
            .annotate(agency_on_time=Coalesce(on_time, 0), agency_answered=Coalesce(total, 0))
            .annotate(agency_on_time_rate=Cast(F("agency_on_time"), FloatField()) / NullIf(Cast(F("agency_answered"), FloatField()), 0.0))
            .order_by("deadline", "pk")
        )


class ProblemDetailView(ObjectDetailView):
    model = Problem
    roles = ALL
    template_name = "specialists/problem_detail.html"

    def get_queryset(self):
        return problem_queryset(self.request.user).select_related("specialist__user", "raised_by", "answered_by").prefetch_related(
            "attachments"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["actions"] = available_actions(self.request.user, self.object)
        user = self.request.user
        context["can_attach"] = self.object.is_open and (
            user.is_district or user.role == Role.ENTERPRISE or services.serves(user, self.object.enterprise_id)
            or (user.role == Role.AGENCY and user.agency_id == self.object.agency_id)
        )
        context["attachment_form"] = forms.AttachmentForm()
        return context


def available_actions(user, problem):
    """The buttons to show: what the services would allow this user now (the services still decide)."""
    role = Role.DISTRICT if user.is_superuser else user.role
    firm = role == Role.ENTERPRISE and user.enterprise_id == problem.enterprise_id
    agency = role == Role.AGENCY and user.agency_id == problem.agency_id
    specialist = role == Role.SPECIALIST and services.serves(user, problem.enterprise_id)
    district = role == Role.DISTRICT
    status = problem.status
    actions = []
    if specialist and status == S.RAISED:
        actions += ["resolve", "escalate"]
    if district and status == S.RAISED:
        actions.append("escalate")
    if district and status == S.ESCALATED:
        actions.append("assign")
    if agency and status == S.ASSIGNED:
        actions.append("accept")
    if agency and status == S.ACCEPTED:
        actions.append("answer")
    if agency and status in Problem.AGENCY_STATES:
        actions.append("return")
        if problem.extension == Problem.Extension.NONE:
            actions.append("extend")
    if district and status in Problem.AGENCY_STATES and problem.extension == Problem.Extension.REQUESTED:
        actions.append("decide-extension")
    if firm and status in (S.RESOLVED, S.ANSWERED):
        actions += ["confirm", "reopen"]
    if firm and status == S.CONFIRMED and problem.closed_at and timezone.now() - problem.closed_at <= services.REOPEN_WINDOW:
        actions.append("reopen")
    return [(name, ACTIONS[name][0]) for name in actions]


def _text(label, required=True):
    return lambda *args, **kwargs: forms.TextForm(*args, label=label, required=required, **kwargs)


ACTIONS = {
    # name: (button label, roles, form factory, perform(problem, user, cleaned_data))
    "resolve": (_("Resolve"), (Role.SPECIALIST,), _text(_("How it was resolved")), lambda p, u, d: services.resolve(p, u, d["text"])),
    "escalate": (
        _("Escalate to the district office"), (Role.SPECIALIST, Role.DISTRICT), _text(_("Why it needs the district office"), False),
        lambda p, u, d: services.escalate(p, u, d["text"]),
    ),
    "assign": (
        _("Assign to an agency"), (Role.DISTRICT,), forms.AssignForm,
        lambda p, u, d: services.assign(p, u, d["agency"], d["deadline"], d["comment"]),
    ),
    "accept": (_("Accept"), (Role.AGENCY,), _text(_("comment"), False), lambda p, u, d: services.accept(p, u)),
    "answer": (_("Answer"), (Role.AGENCY,), _text(_("Answer")), lambda p, u, d: services.answer(p, u, d["text"])),
    "return": (
        _("Return to the district office"), (Role.AGENCY,), _text(_("Why it is not ours")),
        lambda p, u, d: services.return_to_district(p, u, d["text"]),
    ),
    "extend": (
        _("Ask for an extension"), (Role.AGENCY,), forms.ExtensionForm,
        lambda p, u, d: services.request_extension(p, u, d["days"], d["reason"]),
    ),
    "decide-extension": (
        _("Decide on the extension"), (Role.DISTRICT,), forms.DecideExtensionForm,
        lambda p, u, d: services.decide_extension(p, u, d["decision"] == "grant", d["comment"]),
    ),
    "confirm": (
        _("Confirm and rate"), (Role.ENTERPRISE,), forms.ConfirmForm, lambda p, u, d: services.confirm(p, u, d["rating"], d["feedback"])
    ),
    "reopen": (_("Reopen"), (Role.ENTERPRISE,), _text(_("What is still wrong")), lambda p, u, d: services.reopen(p, u, d["text"])),
}


class ProblemActionView(ActionFormView):
    model = Problem
    success_message = _("Done.")

    def dispatch(self, request, *args, **kwargs):
        if kwargs["action"] not in ACTIONS:
            raise Http404
        self.title, self.roles, self.form_factory, self.perform_action = ACTIONS[kwargs["action"]]
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return self.form_factory

    def get_form(self, form_class=None):
        return self.form_factory(**self.get_form_kwargs())

    def perform(self, obj, form):
        self.perform_action(obj, self.request.user, form.cleaned_data)


class RaiseProblemView(RoleRequiredMixin, FormView):
    roles = (Role.ENTERPRISE, Role.SPECIALIST)
    form_class = forms.ProblemForm
    template_name = "specialists/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"enterprise": self.request.GET.get("enterprise")}

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
    roles = ALL
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
    """Staff: the specialists in their scope; a firm: its own specialists."""

    model = Specialist
    roles = STAFF + (Role.ENTERPRISE,)
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


class SpecialistRegisterView(RoleRequiredMixin, FormView):
    """The district office appoints a specialist: account and published profile in one step."""

    roles = (Role.DISTRICT,)
    form_class = forms.SpecialistRegistrationForm
    template_name = "specialists/form.html"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            specialist, password = services.register_specialist(
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


class SpecialistEditView(ScopedMixin, UpdateView):
    model = Specialist
    roles = (Role.DISTRICT,)
    form_class = forms.SpecialistProfileForm
    template_name = "specialists/form.html"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.update_specialist(
                self.request.user, self.object, agency=data["agency"], published_mobile=data["published_mobile"],
                domains=data["domains"], townships=data["townships"], active=data["active"],
            )
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object}, **kwargs)


class SpecialistDetailView(ObjectDetailView):
    model = Specialist
    roles = ALL
    template_name = "specialists/specialist_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("user", "agency").prefetch_related("domains", "townships")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = (
            Assignment.objects.visible_to(self.request.user).active().filter(specialist=self.object).select_related("enterprise")[:200]
        )
        return context


class AssignmentListView(ObjectListView):
    model = Assignment
    roles = STAFF
    table_class = AssignmentTable
    filterset_class = AssignmentFilter
    title = _("Specialist assignments")
    actions_template = "specialists/_assignment_actions.html"

    def get_queryset(self):
        return super().get_queryset().select_related("specialist__user", "specialist__agency", "enterprise__township")

    def get_table_kwargs(self):
        # Agencies see their specialists' assignments but do not manage them.
        return {"exclude": ("end",)} if self.request.user.role == Role.AGENCY else {}


class BulkAssignView(RoleRequiredMixin, FormView):
    """Assign one specialist to every firm of a filtered list."""

    roles = MANAGERS
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


class ImportAssignmentsView(RoleRequiredMixin, FormView):
    roles = MANAGERS
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
    roles = MANAGERS
    form_class = forms.forms.Form
    title = _("End this assignment today")
    success_message = _("Assignment ended.")

    def perform(self, obj, form):
        services.end_assignment(self.request.user, obj)

    def get_success_url(self):
        return reverse("specialists:assignments")


class CoverageView(RoleRequiredMixin, TemplateView):
    """企业全覆盖: firms with no active specialist, by township; and each specialist's load."""

    roles = MANAGERS
    template_name = "specialists/coverage.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        covered = Exists(Assignment.objects.filter(active_on(), enterprise=OuterRef("pk")))
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


class DeadlineRuleListView(RoleRequiredMixin, TemplateView):
    roles = ALL
    template_name = "specialists/deadline_rules.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Deadline rules"), rules=DeadlineRule.objects.visible_to(self.request.user), **kwargs)


class DeadlineRuleEditView(ScopedMixin, UpdateView):
    model = DeadlineRule
    roles = (Role.DISTRICT,)
    form_class = forms.DeadlineRuleForm
    template_name = "specialists/form.html"

    def get_success_url(self):
        messages.success(self.request, _("Saved."))
        return reverse("specialists:deadline-rules")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.object.get_category_display(), **kwargs)
