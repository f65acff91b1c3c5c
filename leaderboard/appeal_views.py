"""The pages of the appeal window (leaderboard/appeals.py), each from ``visible_to(user)`` and the one policy.

Units' staff (township, agency): their units' figures in the open drafts with an "object" action per figure,
and their objections with their status. The district office: the objections on the week's page with accept and
reject forms, the window's early close, and the list of every objection. A figure or an objection outside the
user's scope answers 404; a role the policy does not allow 403, before any input is read.
"""

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from fuyang_portal import policy
from fuyang_portal.metrics import Level
from fuyang_portal.roles import Role
from fuyang_portal.uploads import serve_private
from fuyang_portal.views.generic import ObjectDetailView, ObjectListView, RoleRequiredMixin, ScopedMixin
from fuyang_portal.workflow import ActionRefused

from . import appeals
from . import views as contest_views
from .models import RANK_ORDER, ContestWeek, Indicator, Objection, UnitResult, own_units


# --- forms, table, filter ---------------------------------------------------------------------------------


class ObjectionForm(forms.Form):
    reason = forms.CharField(label=_("Why the figure is wrong"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    proposed_value = forms.DecimalField(
        label=_("The correct value"), required=False, max_digits=14, decimal_places=4,
        help_text=_("For a figure computed from the portal's records, say what it should be."),
    )
    evidence = forms.FileField(label=_("Evidence (PDF, Word or image)"), required=False)


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the decision"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    corrected_value = forms.DecimalField(
        label=_("Corrected value"), required=False, max_digits=14, decimal_places=4,
        help_text=_("When accepting; blank takes the value the unit named."),
    )


class CloseAppealsForm(forms.Form):
    reason = forms.CharField(label=_("Reason for closing the window early"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionTable(tables.Table):
    unit_name = tables.Column(linkify=True, verbose_name=_("Unit"))
    level = tables.Column()
    week_start = tables.DateColumn(format="Y-m-d")
    indicator = tables.Column()
    figure = tables.Column()
    proposed_value = tables.Column()
    status = tables.Column()
    filed_by = tables.Column()
    filed_at = tables.DateTimeColumn(format="Y-m-d H:i")
    decided_at = tables.DateTimeColumn(format="Y-m-d H:i")
    corrected_value = tables.Column()

    class Meta:
        model = Objection
        fields = ("unit_name", "level", "week_start", "indicator", "figure", "proposed_value", "status", "filed_by", "filed_at",
                  "decided_at", "corrected_value")
        order_by = ("-filed_at",)


class ObjectionFilter(django_filters.FilterSet):
    indicator = django_filters.ModelChoiceFilter(queryset=lambda request: Indicator.objects.visible_to(request.user), label=_("indicator"))

    class Meta:
        model = Objection
        fields = ["status", "level", "week_start", "indicator"]


# --- the district office's pages ------------------------------------------------------------------------


class ObjectionListView(ObjectListView):
    """Every objection for the district office; their own units' for township and agency staff."""

    model = Objection
    table_class = ObjectionTable
    filterset_class = ObjectionFilter
    title = _("Objections")

    def get_queryset(self):
        return super().get_queryset().select_related("indicator", "filed_by")


class ObjectionDetailView(ObjectDetailView):
    model = Objection
    template_name = "leaderboard/objection_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("indicator", "filed_by", "decided_by", "week")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=str(self.object), decision_form=DecisionForm(initial={"corrected_value": self.object.proposed_value}))
        return context


class ObjectionActionView(contest_views.ObjectActionView):
    """POST accept / reject (the workflow's names): 404 outside the scope, 403 unless the district office."""

    model = Objection
    http_method_names = ["post"]

    def post(self, request, pk):
        objection = self.object
        form = DecisionForm(request.POST)
        try:
            if not form.is_valid():
                raise ActionRefused(_("Give a reason for the decision."), ActionRefused.INVALID)
            if self.action == "accept":
                appeals.accept_objection(objection, request.user, reason=form.cleaned_data["reason"],
                                         corrected_value=form.cleaned_data.get("corrected_value"))
                messages.success(request, _("Accepted: the figure is corrected and the week recomputed as a new revision."))
                # On to the new revision, where the district publishes once every objection is decided.
                return redirect(ContestWeek.objects.filter(level=objection.level, week_start=objection.week_start).order_by("-revision").first())
            else:
                appeals.reject_objection(objection, request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Rejected; the unit has been told why."))
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/leaderboard/") else objection.get_absolute_url())


class CloseAppealsView(contest_views.ObjectActionView):
    model = ContestWeek
    action = "close-appeals"
    http_method_names = ["post"]

    def post(self, request, pk):
        form = CloseAppealsForm(request.POST)
        try:
            if not form.is_valid():
                raise ActionRefused(_("Give a reason for closing the window early."), ActionRefused.INVALID)
            appeals.close_appeals(self.object, request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The window for objections is closed."))
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        return redirect(self.object)


class WeekDetailView(contest_views.WeekDetailView):
    """The week's page with its objections (any revision of the level's week) and the window's state."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, week = self.request.user, self.object
        objections = list(
            appeals.objections_of_week(week).filter(pk__in=Objection.objects.visible_to(user).values("pk")).select_related("indicator", "filed_by")
        )
        context.update(
            objections=objections,
            appeal_open=appeals.appeal_open(week),
            can_decide=policy.can(user, "accept", model=Objection),
            decision_form=DecisionForm(),
            close_form=CloseAppealsForm(),
        )
        if not policy.can(user, "compute", model=ContestWeek):
            # The units read their draft; what blocks its publication is the district office's to see and fix.
            context.update(missing=[], stale="")
        return context


class EvidenceView(ScopedMixin, View):
    """An objection's evidence file, served only through the objection's scope."""

    model = Objection

    def get(self, request, pk):
        objection = get_object_or_404(self.get_queryset(), pk=pk)
        if not objection.evidence:
            raise Http404
        return serve_private(objection.evidence, download_name=f"objection-{objection.pk}{objection.evidence.name[-4:]}")


# --- the units' pages -------------------------------------------------------------------------------------


class AppealsView(RoleRequiredMixin, TemplateView):
    """Township and agency staff: their units' figures in every open draft, an "object" action per figure while
    the window is open, and their objections with their status."""

    roles = (Role.TOWNSHIP, Role.AGENCY)
    template_name = "leaderboard/appeals.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        weeks = list(ContestWeek.objects.visible_to(user).filter(status=ContestWeek.Status.DRAFT).order_by("-week_start", "level"))
        scores = appeals.objectable_scores(user).filter(week__in=weeks).select_related("indicator").order_by("unit_id", "indicator__sort_order")
        results = UnitResult.objects.visible_to(user).filter(week__in=weeks).filter(own_units(user)).order_by(RANK_ORDER, "unit_name")
        objections = list(Objection.objects.visible_to(user).select_related("indicator").order_by("-filed_at")[:200])
        pending = {(o.level, o.week_start, o.unit_id, o.indicator_id): o for o in objections if o.status == Objection.Status.OPEN}
        by_unit = {}
        for score in scores:
            by_unit.setdefault((score.week_id, score.unit_id), []).append(score)
        sections = []
        for week in weeks:
            rows = [
                {"result": r, "scores": [(s, pending.get((week.level, week.week_start, s.unit_id, s.indicator_id))) for s in by_unit.get((week.pk, r.unit_id), [])]}
                for r in results if r.week_id == week.pk
            ]
            if rows:
                sections.append({"week": week, "open": appeals.appeal_open(week), "rows": rows})
        return {"title": _("Objections to the drafts"), "sections": sections, "objections": objections}


class FileObjectionView(RoleRequiredMixin, View):
    """Object to one figure of one's own unit: 403 to a role that may not object, 404 for another unit's figure."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not policy.can(request.user, "create", model=Objection):
                raise PermissionDenied
            self.score = get_object_or_404(appeals.objectable_scores(request.user).select_related("indicator", "week"), pk=kwargs["score_pk"])
        return super().dispatch(request, *args, **kwargs)

    def _render(self, request, form, status=200):
        result = UnitResult.objects.visible_to(request.user).filter(week=self.score.week, unit_id=self.score.unit_id).first()
        return render(
            request, "leaderboard/objection_form.html",
            {"title": _("Object to a figure"), "form": form, "score": self.score, "result": result, "week": self.score.week,
             "open": appeals.appeal_open(self.score.week), "level_label": Level(self.score.unit_type).label},
            status=status,
        )

    def get(self, request, score_pk):
        return self._render(request, ObjectionForm())

    def post(self, request, score_pk):
        form = ObjectionForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                objection = appeals.file_objection(
                    request.user, self.score, reason=data["reason"], evidence=data.get("evidence"), proposed_value=data.get("proposed_value")
                )
            except ActionRefused as refusal:
                form.add_error(None, refusal.message)
                return self._render(request, form, status=409 if refusal.code == ActionRefused.CONFLICT else 400)
            messages.success(request, _("Your objection has been filed; the district office will decide it."))
            return redirect(objection)
        return self._render(request, form, status=400)
