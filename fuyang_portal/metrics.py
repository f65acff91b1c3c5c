"""Shared vocabulary for the contest's metric functions.

Each domain app exposes functions in its own ``metrics.py`` with the signature
``fn(level, start, end) -> list[MetricRow]``: one row per unit of ``level`` that has data in the week
``start``..``end`` (dates, inclusive, Beijing time), computed with one aggregate query. The leaderboard
calls them; they never import the leaderboard.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    TOWNSHIP = "township", _("Townships (24)")
    GROUP = "group", _("Community-agency groups (50)")
    VILLAGE = "village", _("Administrative villages (276)")


# How an Enterprise row reaches the unit of each level. A firm in a village has no group; a firm in a
# community has no village: each counts only at the levels it belongs to.
ENTERPRISE_UNIT = {
    Level.TOWNSHIP: "township_id",
    Level.GROUP: "community__group__id",
    Level.VILLAGE: "village_id",
}


def enterprise_unit(level, prefix=""):
    """The lookup from a model to its unit at ``level``; ``prefix`` is the path to the Enterprise, e.g. "enterprise__"."""
    return prefix + ENTERPRISE_UNIT[Level(level)]


@dataclass(frozen=True)
class MetricRow:
    """One unit's figure. For a ratio, value = numerator / denominator. For a statistic that is not a ratio
    (a median), ``statistic`` holds it, ``numerator`` the same figure and ``denominator`` the sample size."""

    unit_id: int
    numerator: Decimal
    denominator: Decimal
    statistic: Decimal | None = None

    @property
    def value(self):
        if self.statistic is not None:
            return Decimal(self.statistic)
        if not self.denominator:
            return None
        return Decimal(self.numerator) / Decimal(self.denominator)


def period_bounds(start, end):
    """Aware datetimes [start 00:00, end+1 00:00) in Beijing time for a date range."""
    tz = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def week_of(day):
    """Monday and Sunday of the week that holds ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)
