"""Working days by China's official calendar (chinese_calendar knows 2020's extended Spring Festival), Beijing time."""

from datetime import timedelta

import chinese_calendar


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
