"""Celery tasks of the contest: thin wrappers around the services, idempotent and safe to retry.

They are the system's own jobs (no user): the ranking reads every unit, as the district's ranking does.
"Last week" is the business clock's (fuyang_portal.clock), so a demo's story computes its own week.
"""

from datetime import date

from celery import shared_task

from fuyang_portal.metrics import Level

from . import reminders, services


@shared_task(acks_late=True, ignore_result=False)
def compute_week(level, week_start):
    """(Re)compute one level's draft for the week starting ``week_start`` (ISO date)."""
    week = services.compute_week(Level(level), date.fromisoformat(week_start))
    return {"week": week.pk, "level": week.level, "week_start": week.week_start.isoformat(), "revision": week.revision}


@shared_task(bind=True, acks_late=True, ignore_result=False)
def compute_last_week(self, today=None):
    """The Monday 01:00 (Beijing) job: last week's drafts for the three levels. A level already published
    is left frozen. ``today`` (ISO date) is for reruns of a missed Monday."""
    week_start = services.last_week(date.fromisoformat(today) if today else None)
    done, frozen = services.compute_all_levels(week_start)
    return {
        "week_start": week_start.isoformat(),
        "computed": [week.level for week in done],
        "frozen": frozen,
        "worker": self.request.hostname or "",
        "eager": bool(self.request.is_eager),
    }


@shared_task(acks_late=True, ignore_result=False)
def notify_insufficient_data(today=None):
    """The Monday morning job (08:00 Beijing, after the 01:00 drafts): each user answerable for a unit with
    too little data in last week's newest revision is told once which indicators it lacks. ``today`` (ISO
    date) is for reruns; a rerun notifies nobody twice."""
    week_start = services.last_week(date.fromisoformat(today) if today else None)
    return {"week_start": week_start.isoformat(), **reminders.notify_insufficient_data(week_start)}
