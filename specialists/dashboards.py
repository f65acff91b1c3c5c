"""Problems (诉求) on the district office's home page: opened and closed per week, and the share closed on time.

Closed means confirmed by the firm, and on time that it was resolved or answered by its deadline, as the
contest counts them (specialists/metrics.py). Two GROUP BY queries (by week raised, by week confirmed).
"""

from datetime import timedelta

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext_lazy as _

from fuyang_portal import clock
from fuyang_portal.metrics import period_bounds, week_of
from fuyang_portal.navigation import role_of
from fuyang_portal.roles import Role
from specialists.models import Problem

WEEKS = 8


def problems_by_week(problems, mondays):
    """``{"opened", "closed", "on_time"}``: one list each, a figure per week starting on each of ``mondays``."""
    since, _unused = period_bounds(mondays[0], mondays[0])
    _unused, until = period_bounds(mondays[-1], mondays[-1] + timedelta(days=6))
    week = lambda field: TruncWeek(field, output_field=DateField())  # noqa: E731  (Monday, Beijing time)
    opened = dict(
        problems.filter(raised_at__gte=since, raised_at__lt=until)
        .values_list(week("raised_at")).annotate(n=Count("pk")).order_by()
    )
    closed = {
        row["week"]: row
        for row in problems.filter(status=Problem.Status.CONFIRMED, closed_at__gte=since, closed_at__lt=until)
        .values(week=week("closed_at")).annotate(n=Count("pk"), on_time=Count("pk", filter=Q(on_time=True))).order_by()
    }
    empty = {"n": 0, "on_time": 0}
    return {
        "opened": [opened.get(monday, 0) for monday in mondays],
        "closed": [closed.get(monday, empty)["n"] for monday in mondays],
        "on_time": [
            round(100.0 * closed[monday]["on_time"] / closed[monday]["n"], 1) if monday in closed else None for monday in mondays
        ],
    }


def charts(user):
    if role_of(user) != Role.DISTRICT:
        return []
    this_monday = week_of(clock.today())[0]
    mondays = [this_monday - timedelta(weeks=n) for n in reversed(range(WEEKS))]
    figures = problems_by_week(Problem.objects.visible_to(user), mondays)
    return [{
        "id": "problems",
        "title": str(_("Problems opened and closed per week")),
        "x": [monday.strftime("%m-%d") for monday in mondays],
        "series": [
            {"name": str(_("Opened")), "type": "bar", "data": figures["opened"]},
            {"name": str(_("Closed")), "type": "bar", "data": figures["closed"]},
            {"name": str(_("Share closed on time")), "type": "line", "axis": 1, "data": figures["on_time"]},
        ],
        "axes": [{"name": str(_("Problems"))}, {"name": "%", "max": 100}],
    }]
