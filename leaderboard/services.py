"""Every change to the contest, one function each: compute a draft, publish it, open a correction,
enter inspection scores, edit an indicator or a level's list size.

Each asks the policy (leaderboard/policies.py) before reading its input, locks what it changes, refuses
with ``ActionRefused`` (changing nothing) and writes the history row with its actor. Views, the API,
admin actions, Celery tasks and the demo call these and never set a status or save a row themselves.

Computing a week reads every unit's figures and the definitions without a user's scope on purpose: the
ranking is the district's, over every unit, and who may run it is checked first.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fuyang_portal import clock, policy
from fuyang_portal.metrics import Level, week_of
from fuyang_portal.notify import notify
from fuyang_portal.workflow import ActionRefused, record, transition

from . import scoring
from .models import (
    DEFAULT_LIST_SIZE,
    ContestWeek,
    Indicator,
    IndicatorChange,
    InspectionScore,
    LevelSetting,
    ListMark,
    Objection,
    Score,
    ScoreOverride,
    Source,
    UnitResult,
)
from .units import responsible_users, unit_exists, units_of

Status = ContestWeek.Status


# --- helpers ---------------------------------------------------------------------------------------


def _check_monday(week_start):
    if not isinstance(week_start, date) or week_start.weekday() != 0:
        raise ActionRefused(_("A contest week starts on a Monday."), ActionRefused.INVALID)


def _check_started(week_start):
    if week_start > clock.today():
        raise ActionRefused(_("This week has not started yet."), ActionRefused.INVALID)


def _level(level):
    try:
        return Level(level)
    except ValueError:
        raise ActionRefused(_("Unknown level “%(level)s”.") % {"level": level}, ActionRefused.INVALID) from None


def last_week(today=None):
    """The Monday of the week before ``today``'s (Beijing time)."""
    today = today or clock.today()
    return week_of(today)[0] - timedelta(days=7)


def current_revision(level, week_start):
    """The newest revision of a level's week, or None."""
    return ContestWeek.objects.filter(level=level, week_start=week_start).order_by("-revision").first()


def list_size_for(level):
    setting = LevelSetting.objects.filter(level=level).first()
    return (setting.list_size, setting.min_coverage) if setting else (DEFAULT_LIST_SIZE[Level(level)], 80)


def appeal_deadline(level, opened_at):
    """When a draft opened at ``opened_at`` closes to objections: the level's appeal window in working hours
    (office hours of workdays, the official calendar); 0 hours closes it at once."""
    from specialists.workdays import add_working_hours

    setting = LevelSetting.objects.filter(level=level).first()
    hours = setting.appeal_hours if setting is not None else LevelSetting._meta.get_field("appeal_hours").default
    return add_working_hours(opened_at, hours) if hours else opened_at


def _frozen_message(week):
    return _("The %(level)s contest of the week of %(week)s is published and frozen; open a correction to change it.") % {
        "level": week.get_level_display(),
        "week": week.week_start.isoformat(),
    }


# --- computing a week ------------------------------------------------------------------------------


def _check_weights(indicators, level):
    weights = [indicator.weight_for(level) for indicator in indicators]
    if any(weight < 0 for weight in weights):
        raise ActionRefused(_("A weight cannot be negative."), ActionRefused.INVALID)
    if not sum(weights, Decimal(0)) > 0:
        raise ActionRefused(
            _("The weights of the %(level)s level sum to zero: give at least one indicator a weight.") % {"level": Level(level).label},
            ActionRefused.INVALID,
        )


def _raw_values(indicators, level, week_start, units):
    """{indicator_id: {unit_id: (raw, numerator, denominator)}}: one query per computed indicator, one for
    all the entered ones."""
    start, end = week_start, week_start + timedelta(days=6)
    unit_ids = {unit.id for unit in units}
    figures = {}
    entered = []
    for indicator in indicators:
        if indicator.source == Source.ENTERED:
            entered.append(indicator)
            figures[indicator.pk] = {}
            continue
        try:
            metric = import_string(indicator.metric_path)
        except ImportError:
            raise ActionRefused(
                _("The metric function %(path)s of “%(name)s” cannot be loaded.") % {"path": indicator.metric_path, "name": indicator.name_zh},
                ActionRefused.INVALID,
            ) from None
        rows = {}
        for row in metric(level, start, end):
            if row.unit_id in unit_ids:
                rows[row.unit_id] = (scoring.quantize_raw(row.value), row.numerator, row.denominator)
        figures[indicator.pk] = rows
    # A computed figure corrected by an accepted objection (leaderboard/appeals.py) replaces the metric's.
    for unit_id, indicator_id, value in ScoreOverride.objects.filter(
        week_start=week_start, level=level, indicator__in=[i for i in indicators if i.source != Source.ENTERED]
    ).values_list("unit_id", "indicator_id", "value"):
        if unit_id in unit_ids:
            figures[indicator_id][unit_id] = (scoring.quantize_raw(value), None, None)
    if entered:
        for unit_id, indicator_id, value in InspectionScore.objects.filter(
            week_start=week_start, level=level, indicator__in=entered
        ).values_list("unit_id", "indicator_id", "value"):
            if unit_id in unit_ids:
                figures[indicator_id][unit_id] = (scoring.quantize_raw(value), value, None)
    return figures


def _previous_ranks(level, week_start):
    previous = (
        ContestWeek.objects.filter(level=level, status=Status.PUBLISHED, week_start__lt=week_start).order_by("-week_start").first()
    )
    if previous is None:
        return {}
    return dict(UnitResult.objects.filter(week=previous).values_list("unit_id", "rank"))


def _movement(rank, previous_rank):
    if rank is None or previous_rank is None:
        return None
    return previous_rank - rank


def _lock_draft(level, week_start, actor):
    """The week's draft, locked; created as revision 1 if the week has none. Refuses a frozen week."""
    week = ContestWeek.objects.select_for_update().filter(level=level, week_start=week_start).order_by("-revision").first()
    if week is None:
        size, _coverage = list_size_for(level)
        try:
            with transaction.atomic():
                week = ContestWeek.objects.create(level=level, week_start=week_start, revision=1, status=Status.DRAFT, list_size=size)
                record(week, actor=actor, action="create")
        except IntegrityError:
            # Another worker created it a moment ago: wait for its lock, then use it.
            week = ContestWeek.objects.select_for_update().filter(level=level, week_start=week_start).order_by("-revision").first()
    if policy.workflow_of(ContestWeek).step("compute", week.status) is None:
        raise ActionRefused(_frozen_message(week), ActionRefused.CONFLICT)
    return week


def compute_week(level, week_start, actor=None):
    """Compute (or recompute) the draft of ``level`` for the week starting ``week_start``.

    All of a week's rows are replaced in one transaction: a killed worker leaves the previous rows, and
    running it twice gives the same rows. ``actor`` None is the scheduled Monday job (the system, no
    user); anyone else must be allowed to compute by the policy.
    """
    if actor is not None:
        policy.require(actor, "compute", model=ContestWeek)
    level = _level(level)
    _check_monday(week_start)
    _check_started(week_start)
    indicators = Indicator.objects.for_level(level)
    _check_weights(indicators, level)
    size, min_coverage = list_size_for(level)
    units = units_of(level)
    with transaction.atomic():
        week = _lock_draft(level, week_start, actor)
        figures = _raw_values(indicators, level, week_start, units)
        previous = _previous_ranks(level, week_start)

        scores = {}  # (unit, indicator) -> score
        for indicator in indicators:
            raw = {unit.id: figures[indicator.pk].get(unit.id, (None, None, None))[0] for unit in units}
            for unit_id, value in scoring.normalise(raw, lower_is_better=indicator.direction == "lower").items():
                scores[unit_id, indicator.pk] = value
        totals = {
            unit.id: scoring.weighted_total([(scores[unit.id, i.pk], i.weight_for(level)) for i in indicators]) for unit in units
        }
        # Only units with enough data are ranked (and listed); the others show their total, unranked.
        eligible = {unit_id for unit_id, total in totals.items() if total.total is not None and total.coverage >= min_coverage}
        ranks = scoring.competition_ranks({unit_id: (total.total if unit_id in eligible else None) for unit_id, total in totals.items()})
        marks = scoring.list_marks(ranks, eligible, size)

        score_rows = []
        result_rows = []
        for unit in units:
            for indicator in indicators:
                raw, numerator, denominator = figures[indicator.pk].get(unit.id, (None, None, None))
                score = scores[unit.id, indicator.pk]
                score_rows.append(
                    Score(
                        week=week,
                        unit_type=level,
                        unit_id=unit.id,
                        indicator=indicator,
                        raw_value=raw,
                        numerator=scoring.quantize_raw(numerator),
                        denominator=scoring.quantize_raw(denominator),
                        score=score,
                        weight=indicator.weight_for(level),
                        no_data=score is None,
                    )
                )
            total = totals[unit.id]
            result_rows.append(
                UnitResult(
                    week=week,
                    unit_type=level,
                    unit_id=unit.id,
                    unit_name=unit.name,
                    township_id=unit.township_id,
                    total=total.total,
                    coverage=total.coverage,
                    eligible=unit.id in eligible,
                    rank=ranks[unit.id],
                    list_mark=marks[unit.id],
                    previous_rank=previous.get(unit.id),
                    movement=_movement(ranks[unit.id], previous.get(unit.id)),
                )
            )
        Score.objects.filter(week=week).delete()
        UnitResult.objects.filter(week=week).delete()
        Score.objects.bulk_create(score_rows, batch_size=2000)
        UnitResult.objects.bulk_create(result_rows, batch_size=2000)
        week.computed_at = clock.now()
        week.computed_by = actor
        week.list_size = size
        if week.appeal_until is None:
            # The first computation opens the draft to the ranked units' objections (leaderboard/appeals.py).
            week.appeal_until = appeal_deadline(level, week.computed_at)
        week.save(update_fields=["computed_at", "computed_by", "list_size", "appeal_until"])
        # Computing changes the draft's rows, not its state: a history row of the action, draft to draft.
        record(week, actor=actor, action="compute")
    return week


def compute_all_levels(week_start, actor=None):
    """Compute the drafts of the three levels; a level already published is left alone (and reported)."""
    done, frozen = [], []
    for level in Level:
        try:
            done.append(compute_week(level, week_start, actor=actor))
        except ActionRefused as refusal:
            if refusal.code != ActionRefused.CONFLICT:
                raise
            frozen.append(level.value)
    return done, frozen


# --- publishing --------------------------------------------------------------------------------------


def missing_inspection_scores(week):
    """[(indicator, missing count)] for the entered indicators of the week's level (two queries)."""
    entered = [indicator for indicator in Indicator.objects.for_level(week.level) if indicator.source == Source.ENTERED]
    if not entered:
        return []
    unit_ids = {unit.id for unit in units_of(week.level)}
    present = {}
    for indicator_id, unit_id in InspectionScore.objects.filter(
        week_start=week.week_start, level=week.level, indicator__in=entered
    ).values_list("indicator_id", "unit_id"):
        if unit_id in unit_ids:
            present[indicator_id] = present.get(indicator_id, 0) + 1
    return [(indicator, len(unit_ids) - present.get(indicator.pk, 0)) for indicator in entered if len(unit_ids) > present.get(indicator.pk, 0)]


def stale_reason(week):
    """Why a draft no longer reflects its inputs (an inspection score or an indicator edited since), or ''."""
    if week.computed_at is None:
        return gettext("The draft has not been computed yet.")
    last_entry = InspectionScore.objects.filter(week_start=week.week_start, level=week.level).aggregate(at=Max("updated_at"))["at"]
    # Definitions shipped with the portal (by its migrations, no person) do not; the district's own edits do.
    last_edit = IndicatorChange.objects.filter(changed_by__isnull=False).aggregate(at=Max("changed_at"))["at"]
    if last_entry and last_entry > week.computed_at:
        return gettext("Inspection scores changed after the draft was computed; recompute it first.")
    if last_edit and last_edit > week.computed_at:
        return gettext("An indicator was edited after the draft was computed; recompute it first.")
    return ""


def _refresh_movement(week):
    previous = _previous_ranks(week.level, week.week_start)
    results = list(UnitResult.objects.filter(week=week).only("pk", "rank", "previous_rank", "movement"))
    for result in results:
        result.previous_rank = previous.get(result.unit_id)
        result.movement = _movement(result.rank, result.previous_rank)
    UnitResult.objects.bulk_update(results, ["previous_rank", "movement"], batch_size=1000)


def _notify_black_list(week):
    black = UnitResult.objects.filter(week=week, list_mark=ListMark.BLACK)
    names = [result.unit_name for result in black]
    if not names:
        return
    recipients = responsible_users(week.level, [result.unit_id for result in black])
    notify(
        recipients,
        gettext("Black list of the week of %(week)s: %(units)s") % {"week": week.week_start.isoformat(), "units": "、".join(names)},
        gettext("The %(level)s contest of the week of %(week)s has been published. See the breakdown per indicator.")
        % {"level": week.get_level_display(), "week": week.week_start.isoformat()},
        url=week.get_public_url(),
        dedupe_key=f"leaderboard-black-{week.pk}",
    )


def publish_week(week, actor, comment=""):
    """Publish a computed draft of a week that has ended. Refused while an entered indicator is missing or
    the draft is stale; a correction supersedes the revision published before it."""

    def apply(locked):
        if locked.week_end >= clock.today():
            raise ActionRefused(
                _("The week of %(week)s has not ended yet; it can be published from %(day)s.")
                % {"week": locked.week_start.isoformat(), "day": (locked.week_end + timedelta(days=1)).isoformat()},
                ActionRefused.CONFLICT,
            )
        missing = missing_inspection_scores(locked)
        if missing:
            detail = "; ".join(f"{indicator.name_zh}: {count}" for indicator, count in missing)
            raise ActionRefused(
                _("Publishing refused: inspection scores are missing (%(detail)s).") % {"detail": detail}, ActionRefused.CONFLICT
            )
        reason = stale_reason(locked)
        if reason:
            raise ActionRefused(reason, ActionRefused.CONFLICT)
        if locked.appeal_until is not None and locked.appeal_until > clock.now():
            raise ActionRefused(
                _("The draft is open to the units' objections until %(until)s; publish it after that, or close the window early with a reason.")
                % {"until": timezone.localtime(locked.appeal_until).strftime("%Y-%m-%d %H:%M")},
                ActionRefused.CONFLICT,
            )
        pending = Objection.objects.filter(level=locked.level, week_start=locked.week_start, status=Objection.Status.OPEN).count()
        if pending:
            raise ActionRefused(
                _("Publishing refused: %(count)s objections are waiting for a decision.") % {"count": pending}, ActionRefused.CONFLICT
            )
        earlier = ContestWeek.objects.filter(level=locked.level, week_start=locked.week_start, status=Status.PUBLISHED)
        for old in earlier:
            transition(old, actor=actor, action="supersede", comment=locked.reason)
        _refresh_movement(locked)
        locked.published_at = clock.now()
        locked.published_by = actor

    return transition(week, actor=actor, action="publish", comment=comment or week.reason, apply=apply, announce=_notify_black_list)


def open_correction(week, actor, reason):
    """Open a correction of a published week: the next revision, as a draft computed at once, with a
    reason. The published revision stays public until the correction is published."""
    policy.require(actor, "correct", week)
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("A correction needs a reason."), ActionRefused.INVALID)

    def no_open_draft(locked):
        if ContestWeek.objects.filter(level=locked.level, week_start=locked.week_start, status=Status.DRAFT).exists():
            raise ActionRefused(_("This week already has a draft; correct that draft instead."), ActionRefused.CONFLICT)

    with transaction.atomic():
        published = transition(week, actor=actor, action="correct", comment=reason, apply=no_open_draft)
        newest = ContestWeek.objects.filter(level=published.level, week_start=published.week_start).aggregate(n=Max("revision"))["n"]
        size, _coverage = list_size_for(published.level)
        correction = ContestWeek.objects.create(
            level=published.level, week_start=published.week_start, revision=newest + 1, status=Status.DRAFT, reason=reason, list_size=size
        )
        record(correction, actor=actor, action="create", comment=reason)
        compute_week(published.level, published.week_start, actor=actor)
    correction.refresh_from_db()
    return correction


# --- inspection scores -------------------------------------------------------------------------------


def _check_editable(level, week_start):
    """An entered figure counts in its week's draft; once the week is published it is frozen."""
    newest = current_revision(level, week_start)
    if newest is not None and newest.is_frozen:
        raise ActionRefused(_frozen_message(newest), ActionRefused.CONFLICT)


def _entered_indicator(indicator, level):
    if indicator.source != Source.ENTERED or not indicator.applies_to(level) or not indicator.active:
        raise ActionRefused(
            _("“%(name)s” is not an indicator inspectors enter at this level.") % {"name": indicator.name_zh}, ActionRefused.INVALID
        )


def _parse_value(indicator, value):
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ActionRefused(_("“%(value)s” is not a number.") % {"value": value}, ActionRefused.INVALID) from None
    if not number.is_finite():
        raise ActionRefused(_("“%(value)s” is not a number.") % {"value": value}, ActionRefused.INVALID)
    low, high = indicator.min_value, indicator.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        raise ActionRefused(
            _("%(name)s must be between %(low)s and %(high)s; %(value)s is outside.")
            % {"name": indicator.name_zh, "low": low if low is not None else "-∞", "high": high if high is not None else "∞", "value": number},
            ActionRefused.INVALID,
        )
    return number.quantize(Decimal("0.01"))


def enter_inspection_score(actor, *, level, week_start, unit_id, indicator, value, note=""):
    """Enter or correct one unit's figure on an entered indicator for a week (the district's inspectors)."""
    policy.require(actor, "create", model=InspectionScore)
    level = _level(level)
    _check_monday(week_start)
    _entered_indicator(indicator, level)
    number = _parse_value(indicator, value)
    if not unit_exists(level, unit_id):
        raise ActionRefused(_("No such unit at this level."), ActionRefused.INVALID)
    with transaction.atomic():
        _check_editable(level, week_start)
        score = (
            InspectionScore.objects.select_for_update()
            .filter(week_start=week_start, level=level, unit_id=unit_id, indicator=indicator)
            .first()
        )
        if score is None:
            score = InspectionScore(week_start=week_start, level=level, unit_id=unit_id, indicator=indicator)
            action = "create"
        else:
            policy.require(actor, "change", score)
            action = "change"
        score.value, score.note, score.entered_by, score.updated_at = number, note[:200], actor, clock.now()
        score.save()
        record(score, actor=actor, action=action, comment=str(number))
    return score


@dataclass
class ImportResult:
    saved: int = 0
    errors: list = field(default_factory=list)  # [(row number, message)]


def import_inspection_scores(actor, *, level, week_start, rows):
    """Save a sheet of inspection scores, all or nothing.

    ``rows`` is [(row number, unit code, {indicator: raw value})]; a blank cell leaves that figure alone.
    Every bad row is reported with its number and nothing is saved when any row is bad.
    """
    policy.require(actor, "create", model=InspectionScore)
    level = _level(level)
    _check_monday(week_start)
    by_code = {unit.code.upper(): unit for unit in units_of(level)}
    result = ImportResult()
    clean = []
    seen = {}
    for number, code, values in rows:
        code = (code or "").strip().upper()
        unit = by_code.get(code)
        if unit is None:
            result.errors.append((number, gettext("Unknown unit code “%(code)s” at this level.") % {"code": code}))
            continue
        if code in seen:
            result.errors.append((number, gettext("Unit %(code)s already appears on row %(row)s.") % {"code": code, "row": seen[code]}))
            continue
        seen[code] = number
        for indicator, raw in values.items():
            if raw is None or str(raw).strip() == "":
                continue
            try:
                _entered_indicator(indicator, level)
                clean.append((unit.id, indicator, _parse_value(indicator, raw)))
            except ActionRefused as refusal:
                result.errors.append((number, str(refusal.message)))
    if result.errors:
        return result
    with transaction.atomic():
        _check_editable(level, week_start)
        existing = {
            (score.unit_id, score.indicator_id): score
            for score in InspectionScore.objects.select_for_update().filter(week_start=week_start, level=level)
        }
        now = clock.now()
        to_create, to_update = [], []
        for unit_id, indicator, value in clean:
            score = existing.get((unit_id, indicator.pk))
            if score is None:
                to_create.append(
                    InspectionScore(
                        week_start=week_start, level=level, unit_id=unit_id, indicator=indicator, value=value, entered_by=actor, updated_at=now
                    )
                )
            elif score.value != value:  # the same figure again is no change (and leaves the draft current)
                score.value, score.entered_by, score.updated_at = value, actor, now
                to_update.append(score)
        created = InspectionScore.objects.bulk_create(to_create, batch_size=1000)
        InspectionScore.objects.bulk_update(to_update, ["value", "entered_by", "updated_at"], batch_size=1000)
        for action, scores in (("create", created), ("change", to_update)):
            for score in scores:
                record(score, actor=actor, action=action, comment=str(score.value))
        result.saved = len(to_create) + len(to_update)
    return result


# --- definitions -------------------------------------------------------------------------------------

EDITABLE_FIELDS = (
    "name_zh",
    "name_en",
    "description",
    "levels",
    "direction",
    "weight_township",
    "weight_group",
    "weight_village",
    "basis",
    "basis_note",
    "unit",
    "metric_path",
    "min_value",
    "max_value",
    "active",
)


def update_indicator(indicator, actor, changes, reason=""):
    """Edit an indicator's definition; the previous one stays in its history (a new version row).

    Refused: a negative weight, or a level whose active indicators' weights would sum to zero.
    """
    policy.require(actor, "change", indicator)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ActionRefused(_("These fields cannot be edited: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}, ActionRefused.INVALID)
    with transaction.atomic():
        locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
        for name, value in changes.items():
            setattr(locked, name, value)
        try:
            locked.full_clean()
        except ValidationError as error:
            raise ActionRefused("; ".join(message for messages in error.message_dict.values() for message in messages), ActionRefused.INVALID) from None
        others = list(Indicator.objects.select_for_update().filter(active=True).exclude(pk=locked.pk))
        for level in Level:
            weights = [o.weight_for(level) for o in others if o.applies_to(level)]
            if locked.active and locked.applies_to(level):
                weights.append(locked.weight_for(level))
            if not sum(weights, Decimal(0)) > 0:
                raise ActionRefused(
                    _("The weights of the %(level)s level would sum to zero: give at least one indicator a weight.") % {"level": level.label},
                    ActionRefused.INVALID,
                )
        locked.version += 1
        locked.updated_at = clock.now()
        locked.save()
        IndicatorChange.objects.create(
            indicator=locked, version=locked.version, snapshot=locked.snapshot(), changed_by=actor, changed_at=locked.updated_at, reason=reason[:200]
        )
        record(locked, actor=actor, action="change", comment=reason)
    indicator.refresh_from_db()
    return locked


def update_level_setting(level, actor, *, list_size, min_coverage, appeal_hours=None):
    """Set how many units go on each list of ``level``, the data a unit needs to be listed and how many working
    hours a draft stays open to objections (unchanged when ``appeal_hours`` is None)."""
    policy.require(actor, "change", model=LevelSetting)
    level = _level(level)
    try:
        list_size, min_coverage = int(list_size), int(min_coverage)
    except (TypeError, ValueError):
        raise ActionRefused(_("A list holds between 1 and 50 units."), ActionRefused.INVALID) from None
    if not (1 <= list_size <= 50):
        raise ActionRefused(_("A list holds between 1 and 50 units."), ActionRefused.INVALID)
    if not (0 <= min_coverage <= 100):
        raise ActionRefused(_("The coverage is a percentage between 0 and 100."), ActionRefused.INVALID)
    if appeal_hours is not None:
        try:
            appeal_hours = int(appeal_hours)
        except (TypeError, ValueError):
            appeal_hours = -1
        if not (0 <= appeal_hours <= 80):
            raise ActionRefused(_("The appeal window is between 0 and 80 working hours."), ActionRefused.INVALID)
    with transaction.atomic():
        setting = LevelSetting.objects.select_for_update().filter(level=level).first()
        action = "change" if setting is not None else "create"
        setting = setting or LevelSetting(level=level)
        setting.list_size, setting.min_coverage = list_size, min_coverage
        if appeal_hours is not None:
            setting.appeal_hours = appeal_hours
        setting.full_clean()
        setting.save()
        record(setting, actor=actor, action=action, comment=f"{list_size} / {min_coverage}% / {setting.appeal_hours}h")
    return setting
