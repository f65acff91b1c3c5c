"""Pages of labour matching. Every staff page starts from ``visible_to(user)``; the public board shows published
vacancies to anyone, deliberately, from ``Vacancy.objects.public()``."""

import io

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from enterprises.imports import ImportFileError, read_table
from enterprises.models import Enterprise
from fuyang_portal import audit, clock, policy
from fuyang_portal.models import AuditEvent, Township
from fuyang_portal.navigation import role_of
from fuyang_portal.roles import Role
from fuyang_portal.views.actions import ModelPolicyMixin, ServiceFormView, StepTableMixin, allowed_links
from fuyang_portal.views.generic import ActionFormView, ObjectDetailView, ObjectListView, RoleRequiredMixin, ScopedMixin
from fuyang_portal.workflow import ActionRefused
from labour import services, stats
from labour.filters import BoardFilter, CandidateFilter, VacancyFilter
from labour.forms import (CandidateForm, CandidateUploadForm, CountyAccountForm, DateForm, PartnerCountyForm,
                          ReasonForm, TripForm, VacancyForm)
from labour.models import ARRIVED, HOLDING, Candidate, CandidateStatus, PartnerCounty, Vacancy, VacancyStatus, county_id_of
from labour.tables import CandidateTable, PartnerCountyTable, VacancyTable

# The columns of a candidate list file: field → accepted headers (the first is the template's).
CANDIDATE_COLUMNS = {
    "name": ("姓名", "name"),
    "id_number": ("身份证号", "身份证号码", "resident id", "id number"),
    "mobile": ("手机号", "联系电话", "mobile"),
    "skills": ("技能", "工种", "skills"),
    "earliest_travel_date": ("最早出发日期", "出发日期", "earliest travel date"),
    "travel_mode": ("出行方式", "travel mode"),
    "health_code": ("健康码", "health code"),
}
CANDIDATE_REQUIRED = ("name", "id_number", "mobile", "earliest_travel_date")


def _links(user, obj, table, url_name):
    """The buttons of a detail page: the workflow actions the policy allows this user now, in table order."""
    return [(reverse(url_name, args=[obj.pk, action.replace("_", "-")]), label, style) for action, (label, style) in allowed_links(user, obj, table)]


# --- the public board --------------------------------------------------------------------------------


def board(request):
    """Published vacancies for anyone, no sign-in, phone first: filter by township, trade, wage and housing."""
    queryset = Vacancy.objects.public().select_related("enterprise__township").order_by("-published_at", "-pk")
    found = BoardFilter(request.GET or None, queryset=queryset)
    rows = found.qs if found.is_bound and found.is_valid() else queryset
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "labour/board.html", {"title": _("Jobs in Fuyang"), "filter": found, "page": page, "query": query.urlencode()})


def board_vacancy(request, pk):
    vacancy = get_object_or_404(Vacancy.objects.public().select_related("enterprise__township"), pk=pk)
    return render(request, "labour/board_vacancy.html", {"title": vacancy.position, "vacancy": vacancy})


# --- vacancies ---------------------------------------------------------------------------------------


def candidate_count(statuses):
    """The vacancy's candidates in ``statuses``, as a subquery, for a list sorted by it: left out of the page count
    (a join with GROUP BY would count every vacancy's candidates for the pager)."""
    rows = Candidate.objects.filter(vacancy=OuterRef("pk"), status__in=statuses).order_by().values("vacancy")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


class VacancyListView(ObjectListView):
    title = _("Vacancies")
    model = Vacancy
    table_class = VacancyTable
    filterset_class = VacancyFilter
    actions_template = "labour/_vacancy_list_actions.html"

    def get_queryset(self):
        rows = super().get_queryset().with_references("enterprise__township").order_by("-published_at", "-created_at", "-pk")
        sort = self.request.GET.get(self.table_class._meta.order_by_field, "")
        if sort.lstrip("-") in ("holding", "arrived"):  # sorted by a count: counted in the statement
            return rows.annotate(holding_count=candidate_count(HOLDING), arrived_count=candidate_count(ARRIVED))
        return rows.with_candidate_counts()  # counted for the page's rows

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create=policy.can(self.request.user, "create", model=Vacancy), **kwargs)


class VacancyCreateView(ModelPolicyMixin, ScopedMixin, ServiceFormView):
    """A firm posts its need; a specialist posts for one of the firms it serves."""

    model = Vacancy
    form_class = VacancyForm
    template_name = "labour/form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.user.role == Role.SPECIALIST:
            kwargs["enterprises"] = Enterprise.objects.visible_to(self.request.user)
        contact = self.request.user
        kwargs["initial"] = {"contact_name": contact.full_name, "contact_mobile": contact.mobile, "start_date": clock.today()}
        return kwargs

    def perform(self, form):
        enterprise = form.cleaned_data.get("enterprise") or self.request.user.enterprise
        return services.post_vacancy(actor=self.request.user, enterprise=enterprise, submit="submit" in self.request.POST, **form.service_kwargs())

    def announce(self, vacancy):
        messages.success(self.request, _("Submitted to the township for publication.") if vacancy.status == VacancyStatus.SUBMITTED else _("Draft saved."))

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Post a vacancy"), submit_label=_("Submit for publication"), draft=True, **kwargs)


VACANCY_LINKS = {
    "submit": (_("Submit for publication"), "btn-primary"),
    "publish": (_("Publish"), "btn-success"),
    "return": (_("Return to the firm"), "btn-outline-dark"),
    "fill": (_("Close as filled"), "btn-outline-primary"),
    "withdraw": (_("Withdraw"), "btn-outline-danger"),
}
CANDIDATE_LINKS = {
    "accept": (_("Accept"), "btn-success"),
    "decline": (_("Decline"), "btn-outline-danger"),
    "depart": (_("On the way"), "btn-outline-primary"),
    "arrive": (_("Confirm arrival"), "btn-primary"),
    "hire": (_("Hired"), "btn-success"),
    "no_show": (_("Did not come"), "btn-outline-danger"),
}


class VacancyDetailView(ObjectDetailView):
    model = Vacancy
    template_name = "labour/vacancy_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise__township", "created_by", "published_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        vacancy, user = self.object, self.request.user
        links = []
        if vacancy.editable and policy.can(user, "change", vacancy):
            links.append((reverse("labour:vacancy-edit", args=[vacancy.pk]), _("Edit"), "btn-outline-dark"))
        links += _links(user, vacancy, VACANCY_LINKS, "labour:vacancy-action")
        if vacancy.status == VacancyStatus.PUBLISHED and policy.can(user, "refer", vacancy):
            links.append((reverse("labour:vacancy-refer", args=[vacancy.pk]), _("Refer a candidate"), "btn-primary"))
            links.append((reverse("labour:vacancy-upload", args=[vacancy.pk]), _("Refer a list (xlsx)"), "btn-outline-primary"))
        candidates = Candidate.objects.visible_to(user).filter(vacancy=vacancy).select_related("county", "registration__trip_seat__trip").order_by("pk")
        if any(c.status == CandidateStatus.ACCEPTED for c in candidates) and policy.can(user, "plan_trip", candidates[0]):
            links.append((reverse("labour:vacancy-trip", args=[vacancy.pk]), _("Put on a charter bus"), "btn-outline-primary"))
        context.update(
            action_links=links, candidates=candidates, counts=services.vacancy_counts(vacancy),
            public_url=self.request.build_absolute_uri(vacancy.get_public_url()) if vacancy.status == VacancyStatus.PUBLISHED else "",
        )
        return context


class VacancyEditView(ActionFormView):
    model = Vacancy
    action = "change"
    form_class = VacancyForm
    title = _("Edit the vacancy")
    success_message = _("Saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_queryset().get(pk=self.object.pk)}

    def perform(self, obj, form):
        services.update_vacancy(obj, actor=self.request.user, **form.service_kwargs())


VACANCY_ACTIONS = {
    # slug: (policy action, title, success message, needs a reason)
    "submit": ("submit", _("Submit for publication"), _("Submitted to the township."), False),
    "publish": ("publish", _("Publish the vacancy"), _("Published on the board and to the partner counties."), False),
    "return": ("return", _("Return to the firm"), _("Returned to the firm."), True),
    "fill": ("fill", _("Close as filled"), _("Closed as filled."), False),
    "withdraw": ("withdraw", _("Withdraw the vacancy"), _("Withdrawn."), False),
}


class VacancyActionView(StepTableMixin, ActionFormView):
    model = Vacancy
    form_class = ReasonForm
    steps = VACANCY_ACTIONS

    def choose_step(self, step):
        self.action, self.title, self.success_message, self.reason_required = step

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.action == "submit":
            form.fields.pop("reason")
        elif self.reason_required:
            form.fields["reason"].required = True
            form.fields["reason"].label = _("Reason")
        return form

    def perform(self, obj, form):
        user, reason = self.request.user, form.cleaned_data.get("reason", "")
        {
            "submit": lambda: services.submit_vacancy(obj, actor=user),
            "publish": lambda: services.publish_vacancy(obj, actor=user, comment=reason),
            "return": lambda: services.return_vacancy(obj, actor=user, reason=reason),
            "fill": lambda: services.fill_vacancy(obj, actor=user, comment=reason),
            "withdraw": lambda: services.withdraw_vacancy(obj, actor=user, reason=reason),
        }[self.action]()


class ReferMixin(ScopedMixin):
    """A page of a county's labour office on a published vacancy it may refer to: 404 outside its scope, 403 for
    anyone the policy does not let refer, before any input is read."""

    model = Vacancy
    template_name = "labour/refer.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and role_of(request.user) in Vacancy.objects.open_roles():
            self.vacancy = get_object_or_404(Vacancy.objects.visible_to(request.user).select_related("enterprise"), pk=kwargs["pk"])
            if not (policy.can(request.user, "refer", self.vacancy) and policy.can(request.user, "create", model=Candidate)):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def refer(self, form, rows):
        try:
            created = services.refer_candidates(self.vacancy, actor=self.request.user, rows=rows)
        except services.RowsRefused as refusal:
            form.add_error(None, refusal.message)
            return self.render_to_response(self.get_context_data(form=form, results=refusal.rows))
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        warned = [c for c in created if c.warning]
        messages.success(self.request, _("%(count)s candidates referred.") % {"count": len(created)})
        for candidate in warned:
            messages.warning(self.request, f"{candidate.masked_name}: {candidate.warning}")
        return redirect(self.vacancy)

    def get_context_data(self, **kwargs):
        return super().get_context_data(vacancy=self.vacancy, **kwargs)


class ReferView(ReferMixin, FormView):
    form_class = CandidateForm

    def get_initial(self):
        return {"earliest_travel_date": clock.today()}

    def form_valid(self, form):
        return self.refer(form, [form.cleaned_data])

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Refer a candidate"), **kwargs)


class ReferUploadView(ReferMixin, FormView):
    form_class = CandidateUploadForm

    def form_valid(self, form):
        try:
            rows = read_table(form.cleaned_data["file"], CANDIDATE_COLUMNS, CANDIDATE_REQUIRED)
        except ImportFileError as problem:
            form.add_error("file", problem.message)
            return self.form_invalid(form)
        return self.refer(form, [{**values, "line": line} for line, values in rows])

    def get_context_data(self, **kwargs):
        columns = [(headers[0], name in CANDIDATE_REQUIRED) for name, headers in CANDIDATE_COLUMNS.items()]
        return super().get_context_data(title=_("Refer a list of candidates"), columns=columns, upload=True, **kwargs)


class CandidateTemplateView(RoleRequiredMixin, View):
    """An empty workbook with the columns of a candidate list, and one example row."""

    roles = (Role.DISTRICT, Role.COUNTY)

    def get(self, request):
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "候选人"
        sheet.append([headers[0] for headers in CANDIDATE_COLUMNS.values()])
        stream = io.BytesIO()
        book.save(stream)
        response = HttpResponse(stream.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="candidates.xlsx"'
        return response


class TripView(ScopedMixin, ServiceFormView):
    """Seat the vacancy's accepted candidates on a charter bus (a new trip, or a planned one of the firm)."""

    model = Vacancy
    form_class = TripForm
    template_name = "labour/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and role_of(request.user) in Vacancy.objects.open_roles():
            self.vacancy = get_object_or_404(Vacancy.objects.visible_to(request.user).select_related("enterprise"), pk=kwargs["pk"])
            if not policy.can(request.user, "plan_trip", model=Candidate) or not (request.user.is_district or request.user.enterprise_id == self.vacancy.enterprise_id):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        candidates = (
            Candidate.objects.visible_to(self.request.user)
            .filter(vacancy=self.vacancy, status=CandidateStatus.ACCEPTED, registration__isnull=False)
            .select_related("county", "vacancy", "registration")
        )
        return {**super().get_form_kwargs(), "candidates": candidates, "trips": services.planned_trips(self.request.user, self.vacancy.enterprise_id)}

    def perform(self, form):
        data = form.cleaned_data
        return services.put_on_trip(
            list(data["candidates"]), actor=self.request.user, trip=data["trip"], departure_date=data["departure_date"], seats=data["seats"]
        )

    def announce(self, trip):
        messages.success(self.request, _("Seated on charter trip %(id)s; the trip's arrival and subsidy are recorded on the trip's page.") % {"id": trip.pk})

    def success_url_for(self, trip):
        return self.vacancy.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Put on a charter bus"), subject=self.vacancy, submit_label=_("Save"), **kwargs)


# --- candidates --------------------------------------------------------------------------------------


class CandidateListView(ObjectListView):
    title = _("Candidates")
    model = Candidate
    table_class = CandidateTable
    filterset_class = CandidateFilter

    def get_queryset(self):
        return super().get_queryset().select_related("county", "vacancy__enterprise")


class CandidateDetailView(ObjectDetailView):
    model = Candidate
    template_name = "labour/candidate_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("county", "vacancy__enterprise__township", "registration__trip_seat__trip", "referred_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            action_links=_links(user, self.object, CANDIDATE_LINKS, "labour:candidate-action"),
            can_unmask=policy.can(user, "unmask", self.object),
            registration=self.object.registration if self.object.registration_id and role_of(user) in (Role.DISTRICT, Role.TOWNSHIP, Role.ENTERPRISE) else None,
        )
        return context

    def post(self, request, *args, **kwargs):
        """The full ID number once, to whom the policy allows, audited."""
        self.object = self.get_object()
        if not policy.can(request.user, "unmask", self.object):
            raise PermissionDenied
        audit.record(AuditEvent.Kind.UNMASK, request, target=f"candidate:{self.object.pk}", detail=f"ID number and mobile {self.object.masked_name}")
        return self.render_to_response(self.get_context_data(object=self.object, unmasked=self.object.id_number))


CANDIDATE_ACTIONS = {
    # slug: (policy action, title, success message, form)
    "accept": ("accept", _("Accept the candidate"), _("Accepted; the worker's return is registered."), None),
    "decline": ("decline", _("Decline the candidate"), _("Declined."), "reason"),
    "depart": ("depart", _("The worker is on the way"), _("Recorded as on the way."), None),
    "arrive": ("arrive", _("Confirm the arrival"), _("Arrival confirmed."), "day"),
    "hire": ("hire", _("Record the hire"), _("Hired."), "day"),
    "no-show": ("no_show", _("The worker did not come"), _("Recorded."), "reason"),
}


class CandidateActionView(StepTableMixin, ActionFormView):
    model = Candidate
    steps = CANDIDATE_ACTIONS

    def choose_step(self, step):
        self.action, self.title, self.success_message, self.input = step

    def get_form_class(self):
        return DateForm if self.input == "day" else ReasonForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.input == "reason":
            form.fields["reason"].required = True
            form.fields["reason"].label = _("Reason")
        return form

    def perform(self, obj, form):
        user, data = self.request.user, form.cleaned_data
        {
            "accept": lambda: services.accept_candidate(obj, actor=user, comment=data.get("reason", "")),
            "decline": lambda: services.decline_candidate(obj, actor=user, reason=data["reason"]),
            "depart": lambda: services.depart_candidate(obj, actor=user, comment=data.get("reason", "")),
            "arrive": lambda: services.confirm_arrival(obj, actor=user, arrived_on=data["day"]),
            "hire": lambda: services.hire_candidate(obj, actor=user, hired_on=data["day"]),
            "no_show": lambda: services.no_show(obj, actor=user, reason=data["reason"]),
        }[self.action]()


# --- publicising: texts and the printed sheet --------------------------------------------------------


class PublicityMixin(RoleRequiredMixin):
    """Township staff publicise their own township's vacancies; the district office chooses a township."""

    roles = (Role.DISTRICT, Role.TOWNSHIP)

    def township(self):
        user = self.request.user
        if not policy.can(user, "publicise", model=Vacancy):
            raise PermissionDenied
        if user.role == Role.TOWNSHIP:
            return user.township
        pk = self.request.GET.get("township")
        townships = Township.objects.visible_to(user)
        if pk and str(pk).isdigit():
            return get_object_or_404(townships, pk=pk)
        return townships.filter(pk__in=Vacancy.objects.public().values("enterprise__township")).order_by("sort_order").first() or townships.order_by("sort_order").first()

    def board_url(self, township):
        return self.request.build_absolute_uri(reverse("labour:board")) + (f"?township={township.pk}" if township else "")


class TextsView(PublicityMixin, TemplateView):
    template_name = "labour/texts.html"

    def get_context_data(self, **kwargs):
        township = self.township()
        url = self.board_url(township)
        return super().get_context_data(
            title=_("Texts for SMS and WeChat"),
            township=township,
            townships=Township.objects.visible_to(self.request.user).order_by("sort_order") if self.request.user.is_district else [],
            text=services.township_text(township, url) if township else "",
            board_url=url,
            **kwargs,
        )


class PrintView(PublicityMixin, TemplateView):
    """A sheet to print and pin up: the township's vacancies and a QR code to the board."""

    template_name = "labour/print.html"

    def get_context_data(self, **kwargs):
        township = self.township()
        url = self.board_url(township)
        qr = segno.make(url, error="m").svg_inline(scale=5, title=str(_("QR code to the vacancy board")))
        vacancies = Vacancy.objects.public().filter(enterprise__township=township).select_related("enterprise").order_by("start_date", "pk")
        return super().get_context_data(title=_("Vacancy sheet"), township=township, vacancies=vacancies, qr=qr, board_url=url, today=clock.today(), **kwargs)


# --- figures ---------------------------------------------------------------------------------------


class FiguresView(RoleRequiredMixin, TemplateView):
    roles = (Role.DISTRICT, Role.TOWNSHIP)
    template_name = "labour/figures.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        townships, trades, counties = stats.by_township(user), stats.by_trade(user), stats.by_county(user)
        chart = {
            "townships": [row["label"] for row in townships],
            "positions": [row["positions"] for row in townships],
            "arrived": [row["arrived"] for row in townships],
            "gap": [row["gap"] for row in townships],
            "counties": [{"name": row["label"], "value": row["arrived"]} for row in counties],
            "labels": {"positions": str(_("Places")), "arrived": str(_("Arrived")), "gap": str(_("Gap")), "counties": str(_("Workers arrived by partner county"))},
        }
        return super().get_context_data(
            title=_("Labour figures"), totals=stats.totals(user), townships=townships, trades=trades, counties=counties, chart=chart, **kwargs
        )


# --- partner counties ------------------------------------------------------------------------------


class CountyListView(ObjectListView):
    title = _("Partner counties")
    model = PartnerCounty
    table_class = PartnerCountyTable
    filterset_class = None
    filterset_fields = ["active"]
    roles = (Role.DISTRICT,)
    actions_template = "labour/_county_list_actions.html"

    def get_queryset(self):
        return super().get_queryset().annotate(
            account_count=Count("accounts", distinct=True),
            referred_count=Count("candidates", distinct=True),
            arrived_count=Count("candidates", filter=Q(candidates__status__in=ARRIVED), distinct=True),
        )


class CountyCreateView(ModelPolicyMixin, ServiceFormView):
    roles = (Role.DISTRICT,)
    model = PartnerCounty
    form_class = PartnerCountyForm
    template_name = "labour/form.html"
    success_message = _("Partner county added.")

    def perform(self, form):
        return services.add_partner_county(actor=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Add a partner county"), submit_label=_("Save"), **kwargs)


class CountyDetailView(ObjectDetailView):
    model = PartnerCounty
    template_name = "labour/county_detail.html"
    roles = (Role.DISTRICT,)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            accounts=self.object.accounts.select_related("user").order_by("user__username"),
            form=CountyAccountForm() if policy.can(self.request.user, "add_account", self.object) else None,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not policy.can(request.user, "add_account", self.object):
            raise PermissionDenied
        form = CountyAccountForm(request.POST)
        if form.is_valid():
            try:
                services.create_county_account(actor=request.user, county=self.object, **form.cleaned_data)
            except ActionRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Account opened."))
                return redirect(self.object)
        context = self.get_context_data(object=self.object)
        context["form"] = form
        return self.render_to_response(context)


def index(request):
    if not request.user.is_authenticated:
        return redirect("labour:board")
    if county_id_of(request.user) is not None or role_of(request.user) in Vacancy.objects.open_roles():
        return redirect("labour:vacancies")
    return redirect("labour:board")
