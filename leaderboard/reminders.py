"""The Monday morning notice to the people answerable for units with too little data to be ranked.

For last week's newest revision at each level, every unit below the level's minimum share of weighted
indicators with data (``UnitResult.eligible`` False) is named, with the indicators it lacks, to its
responsible users (``units.responsible_users``: the same people the black list notice reaches). Each
user gets one notice for the week, whatever the number of their units and levels; the notice's key is
the week's, so a rerun (a retried task, a missed Monday run by hand) sends nothing twice.

A system job: it reads every unit's results without a user's scope, as computing the week does.
"""

from django.urls import reverse
from django.utils.translation import gettext, ngettext

from fuyang_portal import policy
from fuyang_portal.metrics import Level
from fuyang_portal.models import Notification
from fuyang_portal.notify import notify

from . import explain, services
from .models import Score, UnitResult
from .units import responsible_users


def dedupe_key(week_start):
    return f"leaderboard-min-data-{week_start.isoformat()}"


def _insufficient(week):
    """[(UnitResult, [indicator without data])] of a week's unranked units (two queries)."""
    results = list(UnitResult.objects.filter(week=week, eligible=False).order_by("unit_name"))
    lacking = explain.missing_by_unit(Score.objects.all(), week, [result.unit_id for result in results])
    return [(result, lacking[result.unit_id]) for result in results]


def _link(user, result):
    """The unit's page for who may open it (district, its own township's staff); the weeks otherwise."""
    if policy.can(user, "breakdown", result):
        return reverse("leaderboard:unit", args=[result.unit_type, result.unit_id])
    return reverse("leaderboard:weeks")


def notify_insufficient_data(week_start):
    """Notify each responsible user once of their units without enough data in the week of ``week_start``.

    Returns {"units": units named, "notified": users sent a notice now, "already": users notified before}.
    """
    per_user = {}  # user pk -> (user, [(result, lacking)])
    units = 0
    for level in Level:
        week = services.current_revision(level, week_start)
        if week is None:
            continue
        for result, lacking in _insufficient(week):
            units += 1
            # One query per unit: the unranked units are few, and the rule of who answers for a unit stays in units.py.
            for user in responsible_users(level, [result.unit_id]):
                per_user.setdefault(user.pk, (user, []))[1].append((result, lacking))
    key = dedupe_key(week_start)
    already = set(Notification.objects.filter(dedupe_key=key, recipient_id__in=list(per_user)).values_list("recipient_id", flat=True))
    sent = 0
    for user_pk, (user, items) in per_user.items():
        if user_pk in already:
            continue
        lines = [
            gettext("%(unit)s (%(level)s, %(coverage)s%% of the weights with data): no data on %(indicators)s")
            % {
                "unit": result.unit_name,
                "level": Level(result.unit_type).label,
                "coverage": explain.percent(result.coverage),
                "indicators": "、".join(str(indicator) for indicator in lacking) or "—",
            }
            for result, lacking in items
        ]
        notify(
            [user],
            ngettext(
                "Too little data to be ranked in the week of %(week)s: %(count)s unit",
                "Too little data to be ranked in the week of %(week)s: %(count)s units",
                len(items),
            )
            % {"week": week_start.isoformat(), "count": len(items)},
            gettext("These units are left off the ranking and both lists until their indicators have data:")
            + "\n"
            + "\n".join(lines),
            url=_link(user, items[0][0]),
            dedupe_key=key,
        )
        sent += 1
    return {"units": units, "notified": sent, "already": len(already)}
