"""Factories and set-ups for the contest's tests."""

from datetime import date
from decimal import Decimal

from leaderboard.models import Indicator, IndicatorChange, LevelSetting, Source

MONDAY = date(2020, 2, 3)


def use_test_indicators(*specs):
    """Retire the ten shipped indicators and define the given ones instead.

    Each spec: (code, direction, weight, source, metric) with metric a function name in fake_metrics
    (computed) or "" (entered, range 0..100). Returns the indicators in order.
    """
    Indicator.objects.update(active=False)
    made = []
    for order, (code, direction, weight, source, metric) in enumerate(specs, start=1):
        weight = Decimal(str(weight))
        made.append(
            Indicator.objects.create(
                code=code,
                name_zh=f"指标{code}",
                name_en=f"Indicator {code}",
                levels=["township", "group", "village"],
                direction=direction,
                weight_township=weight,
                weight_group=weight,
                weight_village=weight,
                source=source,
                metric_path=f"tests.leaderboard.fake_metrics.{metric}" if metric else "",
                min_value=Decimal(0) if source == Source.ENTERED else None,
                max_value=Decimal(100) if source == Source.ENTERED else None,
                sort_order=order,
            )
        )
    return made


def set_list_size(level, size, min_coverage=50, appeal_hours=0):
    """A level's rules for a test; no objection window unless a test asks for one (the appeals tests do)."""
    LevelSetting.objects.update_or_create(
        level=level, defaults={"list_size": size, "min_coverage": min_coverage, "appeal_hours": appeal_hours}
    )


__all__ = ["MONDAY", "IndicatorChange", "set_list_size", "use_test_indicators"]
