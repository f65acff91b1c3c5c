"""The one clock of the business: every "now" and "today" of a service, task, page or demo comes from here.

Production never sets it, so it is the real time. The demo's story stands at one moment (``DEMO_CLOCK``, an
ISO datetime in Beijing time, set by ``make run``): the clock then reads that moment, and the demo loader
moves it through the story with ``clock.at(...)`` so that every record is written at the time of the story.
Security records (audit events, sign-ins, lockouts) keep real time and do not read this clock.
"""

import contextvars
from contextlib import contextmanager
from datetime import datetime, time

from django.conf import settings
from django.utils import timezone

_moment = contextvars.ContextVar("portal_clock", default=None)


def _configured():
    value = getattr(settings, "DEMO_CLOCK", "")
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def is_frozen():
    return _moment.get() is not None or bool(getattr(settings, "DEMO_CLOCK", ""))


def now():
    """The business's current moment (aware)."""
    return _moment.get() or _configured() or timezone.now()


def today():
    """Today in Beijing time, by the business clock."""
    return timezone.localtime(now()).date()


@contextmanager
def at(moment):
    """Run the enclosed code as of ``moment`` (an aware datetime, or a date meaning 09:00 that day)."""
    if not isinstance(moment, datetime):
        moment = timezone.make_aware(datetime.combine(moment, time(9, 0)))
    token = _moment.set(moment)
    try:
        yield moment
    finally:
        _moment.reset(token)
