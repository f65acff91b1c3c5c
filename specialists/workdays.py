"""Working days and working hours by China's official calendar, Beijing time.

``chinese_calendar`` knows 2020's extended Spring Festival: Sunday 19 January was a make-up workday, the national
holiday was extended to Sunday 2 February, so Saturday 1 February (first announced as a make-up workday) was not
a workday, and district agencies were back on Monday 3 February. Zhejiang told *firms* not to resume before 24:00
on 9 February; that closure is the firms' calendar (``FIRM_CLOSURES``), not the agencies': a time limit the firm
must meet (confirming an answer) does not run while firms were closed by order, an agency's limits do.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

BJ = ZoneInfo("Asia/Shanghai")

# The district's office hours: a time limit in working hours runs only inside them, on workdays.
OFFICE_HOURS = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))

# Periods when firms were closed by order (first and last day, inclusive): Zhejiang's notice that firms resume no
# earlier than 24:00 on 9 February 2020.
FIRM_CLOSURES = ((date(2020, 2, 3), date(2020, 2, 9)),)


def is_workday(day):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the calendar does not cover yet: Monday to Friday
        return day.weekday() < 5


def add_working_days(day, count):
    """The ``count``-th working day after ``day`` (``day`` itself not counted)."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return current


def next_working_day(day):
    return add_working_days(day, 1)


def working_days_between(start, end):
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_workday(current):
            count += 1
    return count


def _segments(day):
    if not is_workday(day):
        return []
    return [(datetime.combine(day, begin, tzinfo=BJ), datetime.combine(day, end, tzinfo=BJ)) for begin, end in OFFICE_HOURS]


def add_working_hours(moment, hours):
    """The moment ``hours`` office hours after ``moment`` (aware datetime), counting only office hours of
    workdays: a problem handed over on Friday at 17:00 with 2 hours to sign for is due on the next workday at 10:00."""
    remaining = timedelta(hours=hours)
    moment = moment.astimezone(BJ)
    day = moment.date()
    for _ in range(3660):  # ten years of days at most
        for begin, end in _segments(day):
            start = max(begin, moment)
            if start >= end:
                continue
            if start + remaining <= end:
                return start + remaining
            remaining -= end - start
        day += timedelta(days=1)
    raise ValueError("time limit too long")


def is_firm_day(day):
    """May firms act on ``day``? Every calendar day except closures by order."""
    return not any(first <= day <= last for first, last in FIRM_CLOSURES)


def add_firm_days(day, count):
    """The ``count``-th day after ``day`` on which firms could act (a closure by order does not count)."""
    current, remaining = day, count
    while remaining > 0:
        current += timedelta(days=1)
        if is_firm_day(current):
            remaining -= 1
    return current
