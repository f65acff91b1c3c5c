"""Demo: the weekly contest from Monday 3 February 2020 at the three levels, as the district office ran it.

The story stands at Monday 24 February 2020, 10:00. Each week is ranked on the Monday after it ends: at
08:30 the district's inspectors enter their epidemic-prevention score for every unit (through the inspection sheet's
service; 督查通报 is computed from the inspection findings the programmes demo recorded on every unit's work
list), at 09:00 the district office computes the draft, which the units it ranks may object to for one
working day, and on Tuesday at 10:00 publishes it. So the weeks ending 9 and 16 February are published, the
week ending 23 February is a draft open to objections (computed this morning), and the week of 24 February
has not ended and is not ranked. Every row is written by the services, as the district's account, at its
story time, so each history row has its actor and its time.

Idempotent: a week already published is left alone, and an interrupted week is finished.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from fuyang_portal import clock
from fuyang_portal.metrics import Level
from fuyang_portal.models import User
from fuyang_portal.roles import Role

from . import services
from .models import ContestWeek, Indicator, Source
from .units import units_of

FIRST_MONDAY = date(2020, 2, 3)
STORY_END = timezone.make_aware(datetime(2020, 2, 24, 10, 0))


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def demo_weeks():
    """The weeks computed by the story's end: computed the Monday after they end, at 09:00."""
    weeks = []
    week_start = FIRST_MONDAY
    while _at(week_start + timedelta(days=7), 9, 0) <= STORY_END:
        weeks.append(week_start)
        week_start += timedelta(days=7)
    return weeks


def _inspection_value(indicator, unit, week_start, week_number):
    """The inspectors' epidemic-prevention score (0 to 100) for a unit and week: deterministic per unit, improving
    as the weeks pass, with some units lagging."""
    rng = random.Random(f"{indicator.code}:{unit.code}:{week_start.isoformat()}")
    lagging = random.Random(f"lag:{unit.code}").random() < 0.15
    value = 78 + 3 * week_number - (10 if lagging else 0) + rng.random() * 6
    low = float(indicator.min_value if indicator.min_value is not None else 0)
    high = float(indicator.max_value if indicator.max_value is not None else 100)
    return Decimal(str(round(min(high, max(low, value)), 1)))


def _enter_inspections(level, week_start, week_number, inspector, indicators, units):
    """The inspectors' sheet for one level and week, saved through the service (a figure already there
    with the same value is left as it is)."""
    rows = [
        (number, unit.code, {indicator: _inspection_value(indicator, unit, week_start, week_number) for indicator in indicators})
        for number, unit in enumerate(units, start=2)
    ]
    result = services.import_inspection_scores(inspector, level=level, week_start=week_start, rows=rows)
    if result.errors:
        raise RuntimeError(f"demo inspection sheet refused: {result.errors[:3]}")
    return result


def load():
    district = User.objects.get(username="district", role=Role.DISTRICT)
    for number, week_start in enumerate(demo_weeks()):
        monday_after = week_start + timedelta(days=7)
        publish_at = _at(monday_after + timedelta(days=1), 10, 0)  # the next day, once the objection window has closed
        for level in Level:
            weeks = ContestWeek.objects.filter(level=level, week_start=week_start)
            if weeks.filter(status=ContestWeek.Status.PUBLISHED).exists():
                continue
            if publish_at > STORY_END and weeks.filter(status=ContestWeek.Status.DRAFT, computed_at__isnull=False).exists():
                continue  # computed and still open to objections at the story's moment
            with clock.at(_at(monday_after, 8, 30)):
                entered = [i for i in Indicator.objects.for_level(level) if i.source == Source.ENTERED]
                _enter_inspections(level, week_start, number, district, entered, units_of(level))
            with clock.at(_at(monday_after, 9, 0)):
                week = services.compute_week(level, week_start, actor=district)
            if level == Level.TOWNSHIP:
                _objection(number, week, district)
            if publish_at <= STORY_END:
                with clock.at(publish_at):
                    week = services.current_revision(level, week_start)
                    services.publish_week(week, district, comment="第%d周擂台比武结果" % (number + 1))


# The townships' objections: (week number, account, indicator, value proposed, reason, decision, district's reason).
OBJECTIONS = [
    (1, "fuchun", "epidemic-prevention", "86", "2月13日督查组复查后已整改到位，复查记录附后，疫情防控评分应按复查结果计。",
     "accept", "经核对复查记录，按复查结果更正。"),
    (2, "lushan", "epidemic-prevention", "90", "2月20日卡点夜查记录有误，请核实。", None, ""),
]


def _objection(number, week, district):
    """A township objects to its figure the morning the draft is computed; the district decides by 15:00 (the
    last week's objection is still waiting at the story's moment)."""
    from fuyang_portal.models import User as Account

    from . import appeals
    from .models import Objection, Score

    for week_number, username, code, value, reason, decision, answer in OBJECTIONS:
        if week_number != number or Objection.objects.filter(level=week.level, week_start=week.week_start).exists():
            continue
        cadre = Account.objects.get(username=username)
        score = Score.objects.get(week=week, unit_id=cadre.township_id, indicator__code=code)
        with clock.at(_at(week.week_start + timedelta(days=7), 9, 40)):
            objection = appeals.file_objection(cadre, score, reason=reason, proposed_value=value)
        if decision == "accept":
            with clock.at(_at(week.week_start + timedelta(days=7), 15, 0)):
                appeals.accept_objection(objection, district, reason=answer)
