"""The contest's pages.

Public (no sign-in): the published red and black lists per level and week. District office: the weeks,
a draft with its recompute / publish / correction actions, the indicators and their weights, inspection
scores (grid and xlsx). District and township staff: a unit's page (trend chart, breakdown against the
district median) and the drill-down from any score to the rows behind it. Township staff: their own page.
"""

import io
import statistics
from datetime import date

import openpyxl
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_cookie
from django.views.generic import TemplateView

from fuyang_portal import audit
from fuyang_portal.exports import neutralise
from fuyang_portal.metrics import Level
from fuyang_portal.models import AuditEvent, Transition
from fuyang_portal.roles import Role
from fuyang_portal.views.generic import ObjectListView, RoleRequiredMixin
from fuyang_portal.workflow import ActionRefused

from . import services
from .forms import CorrectionForm, IndicatorForm, LevelSettingForm, PublishForm, UploadForm, WeekLevelForm
from .models import RANK_ORDER, ContestWeek, Indicator, InspectionScore, LevelSetting, ListMark, Score, Source, UnitResult
from .tables import ContestWeekTable, InspectionScoreTable
from .units import unit_township_id, units_of

DISTRICT = (Role.DISTRICT,)
STAFF = (Role.DISTRICT, Role.TOWNSHIP)


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


# --- public ------------------------------------------------------------------------------------------


def _public_context(level, week):
    results = list(UnitResult.objects.filter(week=week).exclude(list_mark=ListMark.NONE).order_by(RANK_ORDER, "unit_name"))
    weeks = list(ContestWeek.objects.public().filter(level=level).order_by("-week_start").values_list("week_start", flat=True))
    position = weeks.index(week.week_start)
    return {
        "level": level,
        "levels": Level.choices,
        "week": week,
        "weeks": weeks,
        "newer": weeks[position - 1] if position > 0 else None,
        "older": weeks[position + 1] if position + 1 < len(weeks) else None,
        "ranking": UnitResult.objects.filter(week=week).order_by(RANK_ORDER, "unit_name"),
        "red": [r for r in results if r.list_mark == ListMark.RED],
        "black": sorted((r for r in results if r.list_mark == ListMark.BLACK), key=lambda r: (-r.rank, r.unit_name)),
    }


@method_decorator(vary_on_cookie, name="dispatch")
class PublicListsView(TemplateView):
    """The red and black lists of a level's published week; without a week, the latest one."""

    template_name = "leaderboard/public.html"

    def get(self, request, level="township", week_start=None):
        level = _level_or_404(level)
        weeks = ContestWeek.objects.public().filter(level=level)
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


# --- district: weeks ---------------------------------------------------------------------------------


class WeekListView(ObjectListView):
    model = ContestWeek
    roles = DISTRICT
    table_class = ContestWeekTable
    title = _("Contest weeks")
    actions_template = "leaderboard/_week_actions.html"
    filterset_fields = ["level", "status"]

    def get_queryset(self):
        return super().get_queryset().select_related("published_by")


class ComputeView(RoleRequiredMixin, View):
    roles = DISTRICT

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


def _indicator_columns(level):
    return Indicator.objects.for_level(level)


def _score_table(week, indicators, results):
    """{unit_id: [Score in indicator order]} for the given results (one query)."""
    by_unit = {}
    for score in Score.objects.filter(week=week).select_related("indicator").order_by("unit_id"):
        by_unit.setdefault(score.unit_id, {})[score.indicator_id] = score
    return {unit_id: [scores.get(i.pk) for i in indicators] for unit_id, scores in by_unit.items()}


class WeekDetailView(RoleRequiredMixin, TemplateView):
    roles = DISTRICT
    template_name = "leaderboard/week_detail.html"

    def get_context_data(self, pk):
        week = get_object_or_404(ContestWeek.objects.visible_to(self.request.user), pk=pk)
        indicators = [i for i in Indicator.objects.filter(scores__week=week).distinct().order_by("sort_order")]
        results = list(UnitResult.objects.filter(week=week).order_by(RANK_ORDER, "unit_name"))
        scores = _score_table(week, indicators, results)
        rows = [(result, scores.get(result.unit_id, [])) for result in results]
        revisions = ContestWeek.objects.filter(level=week.level, week_start=week.week_start).order_by("-revision")
        return {
            "title": str(week),
            "object": week,
            "week": week,
            "indicators": indicators,
            "rows": rows,
            "missing": services.missing_inspection_scores(week) if week.status == ContestWeek.Status.DRAFT else [],
            "stale": services.stale_reason(week) if week.status == ContestWeek.Status.DRAFT else "",
            "revisions": revisions,
            "history": Transition.objects.for_object(week),
            "publish_form": PublishForm(),
            "correction_form": CorrectionForm(),
        }


class WeekActionView(RoleRequiredMixin, View):
    """POST-only actions on one week: recompute, publish, correct. A refusal is shown as a message."""

    roles = DISTRICT
    action = None

    def post(self, request, pk):
        week = get_object_or_404(ContestWeek.objects.visible_to(request.user), pk=pk)
        try:
            if self.action == "recompute":
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


# --- district: indicators and weights ----------------------------------------------------------------


class IndicatorListView(RoleRequiredMixin, TemplateView):
    roles = DISTRICT
    template_name = "leaderboard/indicators.html"

    def get_context_data(self, **kwargs):
        settings = {s.level: s for s in LevelSetting.objects.all()}
        indicators = list(Indicator.objects.all())
        sums = {level: sum((i.weight_for(level) for i in indicators if i.active and i.applies_to(level)), 0) for level in Level}
        return {
            "title": _("Indicators and weights"),
            "indicators": indicators,
            "weight_sums": [(Level(level).label, sums[level]) for level in Level],
            "level_forms": [
                (
                    level,
                    LevelSettingForm(
                        prefix=level.value,
                        initial={
                            "list_size": getattr(settings.get(level.value), "list_size", services.DEFAULT_LIST_SIZE[level]),
                            "min_coverage": getattr(settings.get(level.value), "min_coverage", 50),
                        },
                    ),
                )
                for level in Level
            ],
        }


class IndicatorEditView(RoleRequiredMixin, View):
    roles = DISTRICT

    def _render(self, request, indicator, form, status=200):
        changes = indicator.changes.select_related("changed_by")
        return render(
            request,
            "leaderboard/indicator_edit.html",
            {"title": indicator.name_zh, "indicator": indicator, "form": form, "changes": changes},
            status=status,
        )

    def get(self, request, pk):
        indicator = get_object_or_404(Indicator.objects.visible_to(request.user), pk=pk)
        return self._render(request, indicator, IndicatorForm(initial=IndicatorForm.initial_for(indicator)))

    def post(self, request, pk):
        indicator = get_object_or_404(Indicator.objects.visible_to(request.user), pk=pk)
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
def level_setting(request, level):
    if not request.user.is_district:
        raise PermissionDenied
    level = _level_or_404(level)
    form = LevelSettingForm(request.POST, prefix=level.value)
    if form.is_valid():
        try:
            services.update_level_setting(level, request.user, **form.cleaned_data)
            messages.success(request, _("The list size has been saved."))
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect("leaderboard:indicators")


# --- district: inspection scores ---------------------------------------------------------------------


class InspectionScoreListView(ObjectListView):
    model = InspectionScore
    roles = DISTRICT
    table_class = InspectionScoreTable
    title = _("Inspection scores")
    actions_template = "leaderboard/_inspection_actions.html"
    filterset_fields = ["level", "week_start", "indicator"]

    def get_queryset(self):
        return super().get_queryset().select_related("indicator", "entered_by")


class InspectionSheetView(RoleRequiredMixin, View):
    """One level's week on one page: a row per unit, a column per entered indicator; and the xlsx upload.

    Both go through ``services.import_inspection_scores``: all rows saved, or none and every bad row named."""

    roles = DISTRICT

    def setup_sheet(self, level, week_start):
        self.level = _level_or_404(level)
        self.week_start = _date_or_404(week_start)
        if self.week_start.weekday() != 0:
            raise Http404
        self.indicators = [i for i in Indicator.objects.for_level(self.level) if i.source == Source.ENTERED]
        self.units = units_of(self.level)
        self.values = {
            (s.unit_id, s.indicator_id): s.value
            for s in InspectionScore.objects.filter(week_start=self.week_start, level=self.level, indicator__in=self.indicators)
        }
        newest = services.current_revision(self.level, self.week_start)
        self.frozen = newest is not None and newest.status != ContestWeek.Status.DRAFT

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
    if not request.user.is_authenticated or not request.user.is_district:
        raise PermissionDenied
    level = _level_or_404(level)
    week_start = _date_or_404(week_start)
    indicators = [i for i in Indicator.objects.for_level(level) if i.source == Source.ENTERED]
    values = {
        (s.unit_id, s.indicator_id): s.value
        for s in InspectionScore.objects.filter(week_start=week_start, level=level, indicator__in=indicators)
    }
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = week_start.isoformat()
    sheet.append(["单位编码 code", "单位名称 name"] + [f"{i.name_zh} {i.code}" for i in indicators])
    for unit in units_of(level):
        sheet.append([neutralise(unit.code), neutralise(unit.name)] + [float(values[(unit.id, i.pk)]) if (unit.id, i.pk) in values else None for i in indicators])
    sheet.column_dimensions["B"].width = 36
    buffer = io.BytesIO()
    book.save(buffer)
    audit.record(AuditEvent.Kind.EXPORT, request, target="leaderboard.InspectionScore", detail=f"{level.value} {week_start}")
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="inspection-{level.value}-{week_start}.xlsx"'
    return response


class InspectionStartView(RoleRequiredMixin, View):
    roles = DISTRICT

    def get(self, request):
        form = WeekLevelForm(request.GET or None)
        if form.is_valid():
            return redirect(
                "leaderboard:inspection-sheet", level=form.cleaned_data["level"], week_start=form.cleaned_data["week_start"].isoformat()
            )
        return render(request, "leaderboard/compute.html", {"form": form, "title": _("Enter inspection scores"), "method": "get"})


# --- units: breakdown, trend, drill-down -------------------------------------------------------------


def _check_unit_access(user, level, unit_id):
    """District: every unit; township staff: their township, its villages and groups; others: 403."""
    if user.is_district:
        return
    if user.role != Role.TOWNSHIP:
        raise PermissionDenied
    township_id = unit_township_id(level, unit_id)
    if township_id is None or township_id != user.township_id:
        raise Http404


def _breakdown(week, unit_id):
    """[(indicator, this unit's Score, median raw value, median score)] for one unit of a week (two queries)."""
    scores = list(Score.objects.filter(week=week).select_related("indicator").order_by("indicator__sort_order", "unit_id"))
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
    roles = STAFF
    template_name = "leaderboard/unit.html"

    def get_context_data(self, level, unit_id):
        level = _level_or_404(level)
        _check_unit_access(self.request.user, level, unit_id)
        weeks = ContestWeek.objects.visible_to(self.request.user).filter(level=level)
        results = list(
            UnitResult.objects.filter(week__in=weeks, unit_id=unit_id, unit_type=level)
            .exclude(week__status=ContestWeek.Status.SUPERSEDED)
            .select_related("week")
            .order_by("week__week_start", "week__revision")
        )
        if not results and not weeks.exists():
            raise Http404
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
        return {
            "title": current.unit_name if current else gettext("Unit"),
            "level": level,
            "unit_id": unit_id,
            "results": results,
            "current": current,
            "breakdown": _breakdown(current.week, unit_id) if current else [],
            "trend": trend,
        }


def _rows_queryset(indicator, week, unit_id, user):
    if indicator.source == Source.ENTERED:
        return InspectionScore.objects.visible_to(user).filter(
            week_start=week.week_start, level=week.level, unit_id=unit_id, indicator=indicator
        )
    try:
        rows = import_string(indicator.rows_path())
    except ImportError:
        raise Http404 from None
    queryset = rows(week.level, unit_id, week.week_start, week.week_end)
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    return queryset if user.is_district else queryset.none()


# Labels for the figures the metric functions annotate on their rows (others show their own name).
ROW_FIGURE_LABELS = {
    "resumed": _("Resumed by the week's end"),
    "staff_on_site": _("Staff on site"),
    "report_date": _("Report date"),
    "hours": _("Hours to issue"),
    "closed_in_period": _("Closed in the week"),
}


def _cell(value):
    return round(value, 1) if isinstance(value, float) else value


class DrillDownView(RoleRequiredMixin, TemplateView):
    """The rows behind one score: the firms, problems or passes its numerator and denominator count."""

    roles = STAFF
    template_name = "leaderboard/drill.html"

    def get_context_data(self, level, unit_id, week_pk, code):
        level = _level_or_404(level)
        _check_unit_access(self.request.user, level, unit_id)
        week = get_object_or_404(ContestWeek.objects.visible_to(self.request.user), pk=week_pk, level=level)
        score = get_object_or_404(Score.objects.select_related("indicator"), week=week, unit_id=unit_id, indicator__code=code)
        result = UnitResult.objects.filter(week=week, unit_id=unit_id).first()
        queryset = _rows_queryset(score.indicator, week, unit_id, self.request.user)
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

    roles = (Role.TOWNSHIP,)
    template_name = "leaderboard/mine.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        published = ContestWeek.objects.visible_to(user)
        latest = {
            level: published.filter(level=level).order_by("-week_start").first() for level in Level
        }
        township_week = latest[Level.TOWNSHIP]
        own = UnitResult.objects.filter(week=township_week, unit_id=user.township_id).first() if township_week else None
        sections = []
        for level in (Level.GROUP, Level.VILLAGE):
            week = latest[level]
            results = list(UnitResult.objects.filter(week=week, township_id=user.township_id).order_by(RANK_ORDER, "unit_name")) if week else []
            sections.append({"level": level, "week": week, "results": results})
        return {
            "title": gettext("My township's contest"),
            "township": user.township,
            "week": township_week,
            "own": own,
            "breakdown": _breakdown(township_week, user.township_id) if township_week else [],
            "sections": sections,
        }


def home_redirect(request):
    """/leaderboard/manage/ → the weeks (district) or the township page."""
    if request.user.is_authenticated and request.user.role == Role.TOWNSHIP and not request.user.is_superuser:
        return redirect("leaderboard:mine")
    return redirect(reverse("leaderboard:weeks"))

