"""Demo: the weekly contest from Monday 3 February 2020 at the three levels, as the district office ran it.

The story stands at Monday 24 February 2020, 10:00. Each week is ranked on the Monday after it ends: at
08:30 the district's inspectors enter their epidemic-prevention score for every unit (through the inspection sheet's
service; 督查通报 is computed from the inspection findings the programmes demo recorded on every unit's work
list), at 09:00 the district office computes the draft and at 09:10 publishes it. So the published
weeks are those ending 9, 16 and 23 February (three weeks, nine contests); the week of 24 February has
not ended and is not ranked. Every row is written by the services, as the district's account, at its
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
    """The weeks ranked by the story's end: ranked (and published) the Monday after they end, at 09:10."""
    weeks = []
    week_start = FIRST_MONDAY
    while _at(week_start + timedelta(days=7), 9, 10) <= STORY_END:
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
        for level in Level:
            if ContestWeek.objects.filter(level=level, week_start=week_start, status=ContestWeek.Status.PUBLISHED).exists():
                continue
            with clock.at(_at(monday_after, 8, 30)):
                entered = [i for i in Indicator.objects.for_level(level) if i.source == Source.ENTERED]
                _enter_inspections(level, week_start, number, district, entered, units_of(level))
            with clock.at(_at(monday_after, 9, 0)):
                week = services.compute_week(level, week_start, actor=district)
            with clock.at(_at(monday_after, 9, 10)):
                services.publish_week(week, district, comment="第%d周擂台比武结果" % (number + 1))
