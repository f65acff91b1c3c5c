"""Demo: the six weekly contests from Monday 3 February 2020 at the three levels, computed from the other
apps' demo rows through their metric functions, with the inspectors' two entered indicators, all
published in order so each week shows its movement against the one before.

Idempotent: a week already published is left alone. Inspection scores are bulk-written once.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from fuyang_portal.metrics import Level
from fuyang_portal.models import User
from fuyang_portal.roles import Role

from . import services
from .models import ContestWeek, Indicator, InspectionScore, Source
from .units import units_of

FIRST_MONDAY = date(2020, 2, 3)
WEEKS = 6


def demo_weeks():
    return [FIRST_MONDAY + timedelta(weeks=n) for n in range(WEEKS)]


def _inspection_value(indicator, unit, week_start, week_number):
    """The inspectors' figure for a unit and week: deterministic per unit, improving as the weeks pass
    (fewer deductions, better epidemic-prevention scores), with some units lagging."""
    rng = random.Random(f"{indicator.code}:{unit.code}:{week_start.isoformat()}")
    lagging = random.Random(f"lag:{unit.code}").random() < 0.15
    if indicator.direction == "lower":  # 督查通报 deductions: 0..100, most units few
        base = max(0.0, 12 - 2 * week_number) + (8 if lagging else 0)
        value = base + rng.random() * 6
    else:  # 疫情防控 score: 0..100
        value = 78 + 3 * week_number - (10 if lagging else 0) + rng.random() * 6
    low = float(indicator.min_value if indicator.min_value is not None else 0)
    high = float(indicator.max_value if indicator.max_value is not None else 100)
    return Decimal(str(round(min(high, max(low, value)), 1)))


def _enter_inspections(level, week_start, week_number, inspector, indicators, units):
    existing = set(
        InspectionScore.objects.filter(week_start=week_start, level=level, indicator__in=indicators).values_list("unit_id", "indicator_id")
    )
    rows = [
        InspectionScore(
            week_start=week_start,
            level=level,
            unit_id=unit.id,
            indicator=indicator,
            value=_inspection_value(indicator, unit, week_start, week_number),
            entered_by=inspector,
        )
        for unit in units
        for indicator in indicators
        if (unit.id, indicator.pk) not in existing
    ]
    InspectionScore.objects.bulk_create(rows, batch_size=1000)


def load():
    inspector = User.objects.filter(username="district", role=Role.DISTRICT).first()
    for level in Level:
        entered = [i for i in Indicator.objects.for_level(level) if i.source == Source.ENTERED]
        units = units_of(level)
        for number, week_start in enumerate(demo_weeks()):
            if ContestWeek.objects.filter(level=level, week_start=week_start, status=ContestWeek.Status.PUBLISHED).exists():
                continue
            with transaction.atomic():
                _enter_inspections(level, week_start, number, inspector, entered, units)
                week = services.compute_week(level, week_start, actor=inspector)
                services.publish_week(week, inspector, comment="演示数据 demo")
