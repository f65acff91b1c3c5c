"""The contest's pages, each reading from ``visible_to(user)`` and acting through the policy
(leaderboard/policies.py): a role the model is closed to gets 403, a record outside the user's scope 404,
an action the policy does not allow 403 before any input is read.

Public (no sign-in): the published red and black lists per level and week. Every signed-in role: the
published weeks and the indicators; the district office also the drafts, and the actions each week's
state allows (recompute, publish, correct), the indicators' edits and the inspection scores. District
and township staff: a unit's page (trend chart, breakdown against the district median) and the
drill-down from any score to the rows behind it, for the units of their own scope. Township staff:
their own page.
"""

import io
import statistics
from datetime import date

import django_tables2 as tables
import openpyxl
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.http import http_date
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_cookie
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from fuyang_portal import audit, policy
from fuyang_portal.exports import SafeTableExport, neutralise
from fuyang_portal.metrics import Level
from fuyang_portal.models import AuditEvent, Transition
from fuyang_portal.navigation import role_of
from fuyang_portal.roles import Role
from fuyang_portal.views.generic import ObjectDetailView, ObjectListView, PolicyActionMixin, RoleRequiredMixin, ScopedMixin
from fuyang_portal.workflow import ActionRefused

from . import explain, sensitivity, services
from .filters import InspectionScoreFilter
from .forms import CorrectionForm, IndicatorForm, LevelSettingForm, PublishForm, UploadForm, WeekLevelForm
from .models import RANK_ORDER, ContestWeek, Indicator, IndicatorChange, InspectionScore, LevelSetting, ListMark, Score, Source, UnitResult
from .tables import ContestWeekTable, InspectionScoreTable
from .units import unit_township_id, units_of


def _level_or_404(level):
    try:
        return Level(level)
    except ValueError:
        raise Http404 from None


def _date_or_404(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


def _require(user, action, obj=None, *, model=None):
    """403 unless the policy lets ``user`` take ``action``; asked before any input is read."""
    if not policy.can(user, action, obj, model=model):
        raise PermissionDenied


# --- public ------------------------------------------------------------------------------------------


def _public_context(level, week):
    # A deliberate publication: the published lists are public, so this page reads them with
    # ``published()``, the same for every visitor, signed in or not.
    rows = UnitResult.objects.published().filter(week=week)
    results = list(rows.exclude(list_mark=ListMark.NONE).order_by(RANK_ORDER, "unit_name"))
    weeks = list(ContestWeek.objects.published().filter(level=level).order_by("-week_start").values_list("week_start", flat=True))
    position = weeks.index(week.week_start)
    ranking = list(rows.order_by(RANK_ORDER, "unit_name"))
    # An unranked unit (too little data) is shown with the indicators it lacks, from the published rows.
    lacking = explain.missing_by_unit(Score.objects.published(), week, [r.unit_id for r in ranking if not r.eligible])
    for result in ranking:
        result.lacking = lacking.get(result.unit_id, [])
    return {
        "level": level,
        "levels": Level.choices,
        "week": week,
        "weeks": weeks,
        "newer": weeks[position - 1] if position > 0 else None,
        "older": weeks[position + 1] if position + 1 < len(weeks) else None,
        "ranking": ranking,
        "red": [r for r in results if r.list_mark == ListMark.RED],
        "black": sorted((r for r in results if r.list_mark == ListMark.BLACK), key=lambda r: (-r.rank, r.unit_name)),
    }


@method_decorator(vary_on_cookie, name="dispatch")
class PublicListsView(TemplateView):
    """The red and black lists of a level's published week; without a week, the latest one. No sign-in:
    the district publishes these lists (``ContestWeek.objects.published()``), drafts never appear."""

    template_name = "leaderboard/public.html"

    def get(self, request, level="township", week_start=None):
        level = _level_or_404(level)
        weeks = ContestWeek.objects.published().filter(level=level)
        if week_start is None:
            week = weeks.order_by("-week_start").first()
        else:
            week = get_object_or_404(weeks, week_start=_date_or_404(week_start))
        context = {"level": level, "levels": Level.choices, "week": None, "title": _("Red and black lists")}
        if week is not None:
            context.update(_public_context(level, week))
        response = self.render_to_response(context)
        if week is not None and week.published_at:
            response["Last-Modified"] = http_date(week.published_at.timestamp())
        # Shared caches may keep the anonymous page for five minutes; a signed-in page (it shows the
        # user's menu) stays private.
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, max_age=0)
        else:
            patch_cache_control(response, public=True, max_age=300)
        return response


# --- weeks -------------------------------------------------------------------------------------------


class WeekListView(ObjectListView):
    """The weeks the user sees: every revision for the district office, the published ones for the others."""

    model = ContestWeek
    table_class = ContestWeekTable
    title = _("Contest weeks")
    actions_template = "leaderboard/_week_actions.html"
    filterset_fields = ["level", "status"]

    def get_queryset(self):
        return super().get_queryset().select_related("published_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_compute"] = policy.can(user, "compute", model=ContestWeek)
        context["can_enter"] = policy.can(user, "create", model=InspectionScore)
        return context


class ComputeView(RoleRequiredMixin, View):
    """Compute (or recompute) one level's draft for a week."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require(request.user, "compute", model=ContestWeek)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, "leaderboard/compute.html", {"form": WeekLevelForm(), "title": _("Compute a week")})

    def post(self, request):
        form = WeekLevelForm(request.POST)
        if form.is_valid():
            try:
                week = services.compute_week(form.cleaned_data["level"], form.cleaned_data["week_start"], actor=request.user)
            except ActionRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("The draft has been computed."))
                return redirect(week)
        return render(request, "leaderboard/compute.html", {"form": form, "title": _("Compute a week")}, status=400)


def _score_table(week, indicators, user):
    """{unit_id: [Score in indicator order]} of a week (one query)."""
    by_unit = {}
    for score in Score.objects.visible_to(user).filter(week=week).select_related("indicator").order_by("unit_id"):
        by_unit.setdefault(score.unit_id, {})[score.indicator_id] = score
    return {unit_id: [scores.get(i.pk) for i in indicators] for unit_id, scores in by_unit.items()}


class WeekDetailView(ObjectDetailView):
    """One revision of a level's week: every unit's scores, and the actions its state allows this user."""

    model = ContestWeek
    template_name = "leaderboard/week_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, week = self.request.user, self.object
        indicators = list(Indicator.objects.visible_to(user).filter(scores__week=week).distinct().order_by("sort_order"))
        results = list(UnitResult.objects.visible_to(user).filter(week=week).order_by(RANK_ORDER, "unit_name"))
        scores = _score_table(week, indicators, user)
        revisions = list(ContestWeek.objects.visible_to(user).filter(level=week.level, week_start=week.week_start).order_by("-revision"))
        actions = context["allowed_actions"]
        if any(revision.status == ContestWeek.Status.DRAFT for revision in revisions):
            # One correction at a time: while a draft revision is open, it is the one to correct.
            actions = [action for action in actions if action != "correct"]
        is_draft = week.status == ContestWeek.Status.DRAFT
        # The district's own page flags the units whose list another reasonable scoring would change,
        # from the rows already read here (no further query).
        panel = None
        if may_see_sensitivity(user, week):
            panel = sensitivity.build_panel(results, [s for row in scores.values() for s in row if s is not None], week.list_size)
        context.update(
            title=str(week),
            sensitivity=panel,
            borderline_units=panel.borderline_ids if panel else frozenset(),
            week=week,
            indicators=indicators,
            rows=[(result, scores.get(result.unit_id, []), policy.can(user, "breakdown", result)) for result in results],
            missing=services.missing_inspection_scores(week) if is_draft else [],
            stale=services.stale_reason(week) if is_draft else "",
            revisions=revisions,
            allowed_actions=actions,
            # The history is the district office's record (Transition is private): others see none.
            history=Transition.objects.visible_to(user).for_object(week),
            publish_form=PublishForm(),
            correction_form=CorrectionForm(),
        )
        return context


class ObjectActionView(PolicyActionMixin, ScopedMixin, View):
    """A page acting on one object: 404 outside the user's scope, 403 unless the policy allows ``action``
    on it, both before any input is read."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if role_of(request.user) not in self.model.objects.open_roles():
                raise PermissionDenied
            self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
            self.check_action(self.object)
        return super().dispatch(request, *args, **kwargs)


class WeekActionView(ObjectActionView):
    """POST-only actions on one week, named as in the workflow table (compute, publish, correct). A
    refusal of the service (wrong state, missing figures) is shown as a message and changes nothing."""

    model = ContestWeek
    http_method_names = ["post"]

    def post(self, request, pk):
        week = self.object
        try:
            if self.action == "compute":
                services.compute_week(week.level, week.week_start, actor=request.user)
                messages.success(request, _("The draft has been recomputed."))
            elif self.action == "publish":
                form = PublishForm(request.POST)
                form.is_valid()
                services.publish_week(week, request.user, comment=form.cleaned_data.get("comment", ""))
                messages.success(request, _("Published. The lists are public now."))
            elif self.action == "correct":
                form = CorrectionForm(request.POST)
                if not form.is_valid():
                    raise ActionRefused(_("A correction needs a reason."), ActionRefused.INVALID)
                week = services.open_correction(week, request.user, form.cleaned_data["reason"])
                messages.success(request, _("A correction has been opened as a new draft revision."))
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        return redirect(week)


# --- indicators and weights --------------------------------------------------------------------------


class IndicatorListView(ScopedMixin, TemplateView):
    """The definitions and weights (reference data, for every signed-in role); the district edits them here."""

    model = Indicator
    template_name = "leaderboard/indicators.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        settings = {s.level: s for s in LevelSetting.objects.visible_to(user)}
        indicators = list(Indicator.objects.visible_to(user))
        sums = {level: sum((i.weight_for(level) for i in indicators if i.active and i.applies_to(level)), 0) for level in Level}
        can_set_lists = policy.can(user, "change", model=LevelSetting)
        return {
            "title": _("Indicators and weights"),
            "indicators": indicators,
            "can_edit": policy.can(user, "change", model=Indicator),
            "weight_sums": [(Level(level).label, sums[level]) for level in Level],
            "list_sizes": [
                (level, getattr(settings.get(level.value), "list_size", services.DEFAULT_LIST_SIZE[level]), getattr(settings.get(level.value), "min_coverage", 80))
                for level in Level
            ],
            "level_forms": [
                (
                    level,
                    LevelSettingForm(
                        prefix=level.value,
                        initial={
                            "list_size": getattr(settings.get(level.value), "list_size", services.DEFAULT_LIST_SIZE[level]),
                            "min_coverage": getattr(settings.get(level.value), "min_coverage", 80),
                            "appeal_hours": getattr(settings.get(level.value), "appeal_hours", 8),
                        },
                    ),
                )
                for level in Level
            ]
            if can_set_lists
            else [],
        }


class IndicatorEditView(ObjectActionView):
    model = Indicator
    action = "change"

    def _render(self, request, indicator, form, status=200):
        changes = IndicatorChange.objects.visible_to(request.user).filter(indicator=indicator).select_related("changed_by")
        return render(
            request,
            "leaderboard/indicator_edit.html",
            {"title": indicator.name_zh, "indicator": indicator, "form": form, "changes": changes},
            status=status,
        )

    def get(self, request, pk):
        return self._render(request, self.object, IndicatorForm(initial=IndicatorForm.initial_for(self.object)))

    def post(self, request, pk):
        indicator = self.object
        form = IndicatorForm(request.POST)
        if form.is_valid():
            try:
                services.update_indicator(indicator, request.user, form.changes(), reason=form.cleaned_data["reason"])
            except ActionRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("The indicator has been updated; the earlier version is kept in its history."))
                return redirect("leaderboard:indicators")
        return self._render(request, indicator, form, status=400)


@require_POST
@login_required
def level_setting(request, level):
    _require(request.user, "change", model=LevelSetting)
    level = _level_or_404(level)
    form = LevelSettingForm(request.POST, prefix=level.value)
    if form.is_valid():
        try:
            services.update_level_setting(level, request.user, **form.cleaned_data)
            messages.success(request, _("The level's rules have been saved."))
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect("leaderboard:indicators")


# --- inspection scores -------------------------------------------------------------------------------


class InspectionScoreListView(ObjectListView):
    """The inspectors' figures: all of them for the district office, their own units' published ones for township staff."""

    model = InspectionScore
    table_class = InspectionScoreTable
    title = _("Inspection scores")
    actions_template = "leaderboard/_inspection_actions.html"
    filterset_class = InspectionScoreFilter

    def get_queryset(self):
        return super().get_queryset().select_related("indicator", "entered_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_enter"] = policy.can(self.request.user, "create", model=InspectionScore)
        return context


class InspectorsOnlyMixin(RoleRequiredMixin):
    """The pages where the inspectors enter figures: 403 to anyone the policy does not let enter them,
    before any input is read."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require(request.user, "create", model=InspectionScore)
        return super().dispatch(request, *args, **kwargs)


def _entered_indicators(user, level):
    return [i for i in Indicator.objects.visible_to(user).for_level(level) if i.source == Source.ENTERED]


class InspectionSheetView(InspectorsOnlyMixin, View):
    """One level's week on one page: a row per unit, a column per entered indicator; and the xlsx upload.

    Both go through ``services.import_inspection_scores``: all rows saved, or none and every bad row named."""

    def setup_sheet(self, level, week_start):
        user = self.request.user
        self.level = _level_or_404(level)
        self.week_start = _date_or_404(week_start)
        if self.week_start.weekday() != 0:
            raise Http404
        self.indicators = _entered_indicators(user, self.level)
        self.units = units_of(self.level, user)
        self.values = {
            (s.unit_id, s.indicator_id): s.value
            for s in InspectionScore.objects.visible_to(user).filter(week_start=self.week_start, level=self.level, indicator__in=self.indicators)
        }
        newest = ContestWeek.objects.visible_to(user).filter(level=self.level, week_start=self.week_start).order_by("-revision").first()
        self.frozen = newest is not None and newest.is_frozen

    def render_sheet(self, request, errors=None, posted=None, upload_form=None, status=200):
        errors = errors or {}
        rows = []
        for number, unit in enumerate(self.units, start=2):
            cells = []
            for indicator in self.indicators:
                name = f"v-{unit.id}-{indicator.pk}"
                value = posted.get(name, "") if posted is not None else self.values.get((unit.id, indicator.pk), "")
                cells.append({"name": name, "value": value, "indicator": indicator})
            rows.append({"unit": unit, "cells": cells, "errors": errors.get(number, []), "number": number})
        return render(
            request,
            "leaderboard/inspection_sheet.html",
            {
                "title": _("Inspection scores"),
                "level": self.level,
                "week_start": self.week_start,
                "indicators": self.indicators,
                "rows": rows,
                "frozen": self.frozen,
                "error_count": sum(len(e) for e in errors.values()),
                "upload_form": upload_form or UploadForm(),
                "missing": sum(1 for row in rows for cell in row["cells"] if cell["value"] in ("", None)),
            },
            status=status,
        )

    def get(self, request, level, week_start):
        self.setup_sheet(level, week_start)
        return self.render_sheet(request)

    def post(self, request, level, week_start):
        self.setup_sheet(level, week_start)
        if "file" in request.FILES:
            upload_form = UploadForm(request.POST, request.FILES)
            if not upload_form.is_valid():
                return self.render_sheet(request, upload_form=upload_form, status=400)
            rows, header_errors = read_sheet(upload_form.cleaned_data["file"], self.indicators)
            if header_errors:
                for message in header_errors:
                    upload_form.add_error("file", message)
                return self.render_sheet(request, upload_form=upload_form, status=400)
            posted = None
        else:
            rows = [
                (number, unit.code, {i: request.POST.get(f"v-{unit.id}-{i.pk}", "") for i in self.indicators})
                for number, unit in enumerate(self.units, start=2)
            ]
            posted = request.POST
        try:
            result = services.import_inspection_scores(request.user, level=self.level, week_start=self.week_start, rows=rows)
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
            return self.render_sheet(request, posted=posted, status=409 if refusal.code == ActionRefused.CONFLICT else 400)
        if result.errors:
            errors = {}
            for number, message in result.errors:
                errors.setdefault(number, []).append(message)
            if posted is None:
                messages.error(
                    request,
                    _("Nothing was saved: %(count)s rows of the file have errors.") % {"count": len(errors)},
                )
                upload_errors = [gettext("Row %(row)s: %(message)s") % {"row": n, "message": m} for n, m in result.errors]
                upload_form = UploadForm()
                upload_form.upload_errors = upload_errors
                return self.render_sheet(request, upload_form=upload_form, status=400)
            messages.error(request, _("Nothing was saved: correct the rows marked below."))
            return self.render_sheet(request, errors=errors, posted=posted, status=400)
        messages.success(request, _("%(count)s inspection scores saved.") % {"count": result.saved})
        return redirect("leaderboard:inspection-sheet", level=self.level.value, week_start=self.week_start.isoformat())


def read_sheet(upload, indicators):
    """[(row number, unit code, {indicator: value})] from an uploaded xlsx, and header errors.

    The header row names the unit code column (单位编码 / code) and each entered indicator by its Chinese
    name or code."""
    try:
        book = openpyxl.load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        return [], [gettext("This file cannot be read as an Excel workbook.")]
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(rows, [])]
    names = {}
    for indicator in indicators:
        names[indicator.name_zh] = names[indicator.code] = indicator
    code_column = next((n for n, title in enumerate(header) if title.split(" ")[0] in ("单位编码", "code", "Code")), None)
    columns = {n: names[title.split(" ")[0]] for n, title in enumerate(header) if title.split(" ")[0] in names}
    errors = []
    if code_column is None:
        errors.append(gettext("The first row must name the unit code column (单位编码)."))
    if not columns:
        errors.append(gettext("The first row names none of the entered indicators."))
    if errors:
        return [], errors
    parsed = []
    for number, row in enumerate(rows, start=2):
        if row is None or all(cell in (None, "") for cell in row):
            continue
        code = str(row[code_column] or "") if code_column < len(row) else ""
        values = {indicator: (row[n] if n < len(row) else None) for n, indicator in columns.items()}
        parsed.append((number, code, values))
        if number > 5000:
            break
    book.close()
    return parsed, []


@login_required
def inspection_template(request, level, week_start):
    """An xlsx with every unit of the level and its current figures, to fill in and upload."""
    user = request.user
    _require(user, "create", model=InspectionScore)
    level = _level_or_404(level)
    week_start = _date_or_404(week_start)
    indicators = _entered_indicators(user, level)
    values = {
        (s.unit_id, s.indicator_id): s.value
        for s in InspectionScore.objects.visible_to(user).filter(week_start=week_start, level=level, indicator__in=indicators)
    }
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = week_start.isoformat()
    sheet.append(["单位编码 code", "单位名称 name"] + [f"{i.name_zh} {i.code}" for i in indicators])
    for unit in units_of(level, user):
        sheet.append([neutralise(unit.code), neutralise(unit.name)] + [float(values[(unit.id, i.pk)]) if (unit.id, i.pk) in values else None for i in indicators])
    sheet.column_dimensions["B"].width = 36
    buffer = io.BytesIO()
    book.save(buffer)
    audit.record(AuditEvent.Kind.EXPORT, request, target="leaderboard.InspectionScore", detail=f"{level.value} {week_start}")
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="inspection-{level.value}-{week_start}.xlsx"'
    return response


class InspectionStartView(InspectorsOnlyMixin, View):
    def get(self, request):
        form = WeekLevelForm(request.GET or None)
        if form.is_valid():
            return redirect(
                "leaderboard:inspection-sheet", level=form.cleaned_data["level"], week_start=form.cleaned_data["week_start"].isoformat()
            )
        return render(request, "leaderboard/compute.html", {"form": form, "title": _("Enter inspection scores"), "method": "get"})


# --- units: breakdown, trend, drill-down -------------------------------------------------------------


def _check_breakdown(user, level, unit_id):
    """District: every unit; township staff: their township, its villages and groups (the policy's
    "breakdown"). A role never allowed, or a unit of another township: 403; an unknown unit: 404."""
    _require(user, "breakdown", model=UnitResult)
    township_id = unit_township_id(level, unit_id, user)
    if township_id is None:
        raise Http404
    _require(user, "breakdown", UnitResult(unit_type=level, unit_id=unit_id, township_id=township_id))


def _breakdown(week, unit_id, user):
    """[(indicator, this unit's Score, median raw value, median score)] for one unit of a week (one query)."""
    scores = list(Score.objects.visible_to(user).filter(week=week).select_related("indicator").order_by("indicator__sort_order", "unit_id"))
    by_indicator = {}
    for score in scores:
        by_indicator.setdefault(score.indicator, []).append(score)
    rows = []
    for indicator, items in by_indicator.items():
        raw = [s.raw_value for s in items if s.raw_value is not None]
        points = [s.score for s in items if s.score is not None]
        own = next((s for s in items if s.unit_id == unit_id), None)
        rows.append(
            {
                "indicator": indicator,
                "score": own,
                "median_raw": statistics.median(raw) if raw else None,
                "median_score": statistics.median(points) if points else None,
            }
        )
    return rows


class UnitView(RoleRequiredMixin, TemplateView):
    """One unit's week explained (its rank in a sentence, the total as the sum of each indicator's
    contribution, last week beside it) and its trend; ``?week=`` picks another of its weeks."""

    template_name = "leaderboard/unit.html"

    def get_context_data(self, level, unit_id):
        user = self.request.user
        level = _level_or_404(level)
        _check_breakdown(user, level, unit_id)
        results = list(
            UnitResult.objects.visible_to(user)
            .filter(week__level=level, unit_id=unit_id, unit_type=level)
            .exclude(week__status=ContestWeek.Status.SUPERSEDED)
            .select_related("week")
            .order_by("week__week_start", "week__revision")
        )
        chosen = self.request.GET.get("week")
        published = [r for r in results if r.week.status == ContestWeek.Status.PUBLISHED]
        latest = published[-1] if published else (results[-1] if results else None)
        current = next((r for r in results if str(r.week_id) == chosen), latest)
        trend = {
            "weeks": [r.week.week_start.isoformat() for r in results],
            "totals": [float(r.total) if r.total is not None else None for r in results],
            "ranks": [r.rank for r in results],
            "labels": {"total": gettext("Total score"), "rank": gettext("Rank")},
        }
        _size, min_coverage = services.list_size_for(level)
        return {
            "title": current.unit_name if current else gettext("Unit"),
            "level": level,
            "unit_id": unit_id,
            "results": results,
            "current": current,
            # Why the unit stands where it does: per indicator its figure, the level's range, score, weight
            # and contribution to the total, and last week's score (leaderboard/explain.py).
            "explanation": explain.explain(current.week, unit_id, user, result=current, min_coverage=min_coverage) if current else None,
            "trend": trend,
        }


def _rows_queryset(indicator, week, unit_id, user):
    """The rows behind a score, as far as the user may see them (each model's own ``visible_to``)."""
    if indicator.source == Source.ENTERED:
        return InspectionScore.objects.visible_to(user).filter(
            week_start=week.week_start, level=week.level, unit_id=unit_id, indicator=indicator
        )
    try:
        rows = import_string(indicator.rows_path())
    except ImportError:
        raise Http404 from None
    queryset = rows(week.level, unit_id, week.week_start, week.week_end)
    # Every domain model declares its scope; rows that cannot be scoped are shown to nobody.
    return queryset.visible_to(user) if hasattr(queryset, "visible_to") else queryset.none()


# Labels for the figures the metric functions annotate on their rows (others show their own name).
ROW_FIGURE_LABELS = {
    "resumed": _("Resumed by the week's end"),
    "staff_on_site": _("Staff on site"),
    "report_date": _("Report date"),
    "hours": _("Hours to issue"),
    "closed_in_period": _("Closed in the week"),
    "deducted": _("Points deducted"),
    "late_in_period": _("Rectified late (+2 points)"),
    "done_by_end": _("Done by the week's end"),
    "answered_in_time": _("Answered within 24 hours"),
}


def _cell(value):
    return round(value, 1) if isinstance(value, float) else value


class DrillDownView(RoleRequiredMixin, TemplateView):
    """The rows behind one score: the firms, problems or passes its numerator and denominator count."""

    template_name = "leaderboard/drill.html"

    def get_context_data(self, level, unit_id, week_pk, code):
        user = self.request.user
        level = _level_or_404(level)
        _check_breakdown(user, level, unit_id)
        week = get_object_or_404(ContestWeek.objects.visible_to(user), pk=week_pk, level=level)
        score = get_object_or_404(Score.objects.visible_to(user).select_related("indicator"), week=week, unit_id=unit_id, indicator__code=code)
        result = UnitResult.objects.visible_to(user).filter(week=week, unit_id=unit_id).first()
        queryset = _rows_queryset(score.indicator, week, unit_id, user)
        extra = list(getattr(queryset, "query", None).annotations.keys()) if hasattr(queryset, "query") else []
        extra = [name for name in extra if not name.startswith("_")]
        page = Paginator(queryset.order_by(*(queryset.query.order_by or ["pk"])), 50).get_page(self.request.GET.get("page"))
        rows = [
            {"object": obj, "url": obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "", "extra": [_cell(getattr(obj, n, "")) for n in extra]}
            for obj in page
        ]
        return {
            "title": score.indicator.name_zh,
            "score": score,
            "week": week,
            "result": result,
            "level": level,
            "unit_id": unit_id,
            "extra_columns": [ROW_FIGURE_LABELS.get(name, name.replace("_", " ")) for name in extra],
            "rows": rows,
            "page": page,
            "model_name": queryset.model._meta.verbose_name_plural,
        }


class MyTownshipView(RoleRequiredMixin, TemplateView):
    """Township staff: their township's breakdown against the district median, and their villages' and groups' results."""

    roles = (Role.TOWNSHIP,)  # the page of a township's own staff: no other role has a township
    template_name = "leaderboard/mine.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        weeks = ContestWeek.objects.visible_to(user).published()
        latest = {level: weeks.filter(level=level).order_by("-week_start").first() for level in Level}
        results = UnitResult.objects.visible_to(user)
        township_week = latest[Level.TOWNSHIP]
        own = results.filter(week=township_week, unit_id=user.township_id).first() if township_week else None
        sections = []
        for level in (Level.GROUP, Level.VILLAGE):
            week = latest[level]
            rows = list(results.filter(week=week, township_id=user.township_id).order_by(RANK_ORDER, "unit_name")) if week else []
            sections.append({"level": level, "week": week, "results": rows})
        return {
            "title": gettext("My township's contest"),
            "township": user.township,
            "week": township_week,
            "own": own,
            "breakdown": _breakdown(township_week, user.township_id, user) if township_week else [],
            "sections": sections,
        }


def home_redirect(request):
    """/leaderboard/manage/ → the weeks (district) or the township page."""
    if request.user.is_authenticated and request.user.role == Role.TOWNSHIP and not request.user.is_superuser:
        return redirect("leaderboard:mine")
    return redirect(reverse("leaderboard:weeks"))


# --- the sensitivity panel ---------------------------------------------------------------------------

# The district office reads how a week's lists would fall under other arithmetic (the policy's "sensitivity");
# other roles see only the lists.
SENSITIVITY_ACTION = "sensitivity"


def may_see_sensitivity(user, week):
    return policy.can(user, SENSITIVITY_ACTION, week, model=ContestWeek)


UNRANKED = 10**9  # sorts unranked units after every ranked one


class PlacingColumn(tables.Column):
    """One scoring's rank and list for a unit; sorted by rank."""

    def __init__(self, code, **kwargs):
        super().__init__(accessor=code, order_by=(f"{code}_order", "unit"), **kwargs)

    def render(self, value):
        rank = value.rank if value.rank is not None else "—"
        if value.mark == ListMark.NONE:
            return rank
        css = "text-bg-danger" if value.mark == ListMark.RED else "text-bg-dark"
        return format_html('{} <span class="badge {}">{}</span>', rank, css, ListMark(value.mark).label)


class SensitivityTable(tables.Table):
    unit = tables.Column(verbose_name=_("Unit"))
    rule = PlacingColumn(sensitivity.RULE, verbose_name=_("Min-max (the rule)"))
    missing_zero = PlacingColumn(sensitivity.MISSING_ZERO, verbose_name=_("Missing counts as 0"))
    z_score = PlacingColumn(sensitivity.Z_SCORE, verbose_name=_("Z-scores"))
    rank_sum = PlacingColumn(sensitivity.RANK_SUM, verbose_name=_("Rank sum"))
    borderline = tables.Column(verbose_name=_("Borderline"), order_by=("borderline_order", "rule_order", "unit"))

    class Meta:
        order_by = ("rule",)
        attrs = {"class": "table table-sm table-hover align-middle sensitivity-table"}

    def render_borderline(self, value, record):
        if not value:
            return ""
        return format_html('<span class="badge text-bg-warning borderline-badge" title="{}">{}</span>', record["changes"], gettext("borderline"))

    def render_unit(self, value, record):
        if record["eligible"]:
            return value
        return format_html('{} <span class="badge text-bg-light">{}</span>', value, gettext("too little data"))


def _sensitivity_rows(panel):
    labels = {s.code: str(s.label) for s in sensitivity.SCORINGS}
    rows = []
    for line in panel.lines:
        row = {"unit": line.unit_name, "eligible": line.eligible, "borderline": line.borderline}
        for code, placing in line.placings.items():
            row[code] = placing
            row[f"{code}_order"] = placing.rank if placing.rank is not None else UNRANKED
        row["borderline_order"] = 0 if line.borderline else 1
        row["changes"] = "、".join(labels[code] for code in line.changes)
        rows.append(row)
    return rows


class SensitivityView(ObjectActionView):
    """A week's lists under the rule and three other reasonable scorings, and the units that change list
    under at least one of them (borderline). The district office's working view, never published."""

    model = ContestWeek
    action = SENSITIVITY_ACTION
    http_method_names = ["get"]

    def get(self, request, pk):
        week = self.object
        panel = sensitivity.week_panel(week, request.user)
        table = SensitivityTable(_sensitivity_rows(panel))
        RequestConfig(request, paginate=False).configure(table)
        export_format = request.GET.get("_export")
        if export_format in ("xlsx", "csv"):
            filename = f"sensitivity-{week.level}-{week.week_start:%Y%m%d}-r{week.revision}.{export_format}"
            return SafeTableExport(export_format, table).response(filename=filename)
        return render(
            request,
            "leaderboard/sensitivity.html",
            {
                "title": gettext("Sensitivity of the lists"),
                "week": week,
                "panel": panel,
                "table": table,
            },
        )
