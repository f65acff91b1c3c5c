"""Time limits on the 2020 calendar: working hours and days for the agencies (19 January a make-up workday, the
national holiday extended to 2 February so 1 February was not a workday, agencies back on 3 February), and the
firms' own calendar (Zhejiang: firms resume no earlier than 24:00 on 9 February)."""

from datetime import date, datetime

import pytest

from specialists import services
from specialists.models import DeadlineRule
from specialists.workdays import BJ, add_firm_days, add_working_days, add_working_hours, is_firm_day, is_workday

from .loop_factories import Story, at

pytestmark = pytest.mark.django_db


def test_the_2020_calendar_facts():
    assert is_workday(date(2020, 1, 19))  # a Sunday, made up for the Spring Festival
    assert not is_workday(date(2020, 1, 31))  # the extended holiday
    assert not is_workday(date(2020, 2, 1))  # first announced as a make-up Saturday; the extension cancelled it
    assert is_workday(date(2020, 2, 3))  # agencies back to work
    # Firms were closed by order until 24:00 on 9 February; agencies were not.
    assert not is_firm_day(date(2020, 2, 3)) and not is_firm_day(date(2020, 2, 9)) and is_firm_day(date(2020, 2, 10))
    # Seven firm days after 4 February are 10 to 16 February; after 12 February, 13 to 19 February.
    assert add_firm_days(date(2020, 2, 4), 7) == date(2020, 2, 16)
    assert add_firm_days(date(2020, 2, 12), 7) == date(2020, 2, 19)


def test_working_hours_skip_nights_lunch_weekends_and_the_holiday():
    # Saturday 18 January 17:00 with 2 hours: Sunday 19 January was a make-up workday, 10:30 that day.
    assert add_working_hours(datetime(2020, 1, 18, 17, 0, tzinfo=BJ), 2) == datetime(2020, 1, 19, 10, 30, tzinfo=BJ)
    # Thursday 23 January 17:00 (last workday before the holiday) + 2 hours: Monday 3 February 10:00.
    assert add_working_hours(datetime(2020, 1, 23, 17, 0, tzinfo=BJ), 2) == datetime(2020, 2, 3, 10, 0, tzinfo=BJ)
    # Over lunch: 11:30 + 1 hour = 14:00.
    assert add_working_hours(datetime(2020, 2, 4, 11, 30, tzinfo=BJ), 1) == datetime(2020, 2, 4, 14, 0, tzinfo=BJ)
    # Friday 31 January (holiday) + 8 hours: 3 February 8:30 + 7.5 h = 4 February 9:00.
    assert add_working_hours(datetime(2020, 1, 31, 9, 0, tzinfo=BJ), 8) == datetime(2020, 2, 4, 9, 0, tzinfo=BJ)


def test_an_escalation_on_the_extended_holiday_is_due_for_triage_when_the_office_reopens():
    story = Story()
    with at(2020, 2, 1, 10):  # Saturday 1 February: not a workday in 2020
        services.escalate(story.problem, story.specialist.user)
    assert story.reload().triage_due == datetime(2020, 2, 4, 8, 30, tzinfo=BJ) + (
        datetime(2020, 2, 4, 9, 0, tzinfo=BJ) - datetime(2020, 2, 4, 8, 30, tzinfo=BJ)
    )  # 8 working hours: all of 3 February (7.5 h) and half an hour of the 4th


def test_sign_for_and_handling_limits_on_the_2020_calendar():
    DeadlineRule.objects.filter(category="funds").update(working_days=3, sign_for_hours=2)
    story = Story()
    with at(2020, 1, 23, 16, 30):  # the last afternoon before the holiday
        story.assigned()
    problem = story.reload()
    # Signing for: an hour on 23 January (to 17:30), the other hour on 3 February from 8:30.
    assert problem.sign_for_due == datetime(2020, 2, 3, 9, 30, tzinfo=BJ)
    # Handling: three working days after 23 January are 3, 4 and 5 February.
    assert problem.deadline == date(2020, 2, 5) == add_working_days(date(2020, 1, 23), 3)
    with at(2020, 2, 3, 9, 45):
        services.accept(problem, story.clerk)
    assert story.reload().signed_on_time is False
    other = Story()
    with at(2020, 1, 23, 16, 30):
        other.assigned()
    with at(2020, 2, 3, 9, 15):
        services.accept(other.problem, other.clerk)
    assert other.reload().signed_on_time is True


def test_a_sign_for_after_the_limit_is_late():
    story = Story()
    with at(2020, 2, 3, 9):
        story.assigned()
    with at(2020, 2, 4, 9):
        services.accept(story.problem, story.clerk)
    assert story.reload().signed_on_time is False


def test_the_firms_silence_is_counted_on_the_firms_calendar_not_the_agencies():
    """Answered on 4 February (agencies at work, firms closed): the seven days run from 10 February, so the sweep
    closes it as 默认满意 on 17 February (the day after the seventh), not on 12 February."""
    story = Story()
    with at(2020, 2, 3, 9):
        story.accepted()
    with at(2020, 2, 4, 10):
        services.answer(story.problem, story.clerk, "已书面答复")
    with at(2020, 2, 16, 8):
        assert services.sweep_overdue()["auto_closed"] == 0
    assert story.reload().status == "answered"
    with at(2020, 2, 17, 8):
        assert services.sweep_overdue()["auto_closed"] == 1
    problem = story.reload()
    assert problem.status == "confirmed" and problem.closed_how == "default" and problem.satisfaction == "satisfied"


def test_rules_are_versioned_and_a_problem_keeps_the_version_it_was_given():
    district = Story().district
    rule = DeadlineRule.objects.get(category="funds")
    story = Story()
    first = story.problem.rule_version
    services.change_deadline_rule(district, rule, working_days=9, sign_for_hours=4)
    assert rule.versions.count() == first.rule.versions.count() >= 2
    newest = rule.versions.order_by("-version").first()
    assert (newest.working_days, newest.sign_for_hours, newest.version) == (9, 4, first.version + 1)
    with at(2020, 2, 3, 9):
        story.assigned()
    assert story.reload().rule_version == first
    assert story.problem.deadline == add_working_days(date(2020, 2, 3), first.working_days)
    later = Story()
    assert later.problem.rule_version == newest


def test_a_rule_change_outside_the_service_gets_its_own_version_on_first_use():
    DeadlineRule.objects.filter(category="legal").update(working_days=11)
    story = Story(category="legal")
    assert story.problem.rule_version.working_days == 11


def test_only_the_district_office_changes_a_rule_and_bad_values_are_refused():
    story = Story()
    rule = DeadlineRule.objects.get(category="funds")
    with pytest.raises(services.ActionRefused) as refused:
        services.change_deadline_rule(story.clerk, rule, working_days=2)
    assert refused.value.code == "forbidden"
    with pytest.raises(services.ActionRefused) as refused:
        services.change_deadline_rule(story.district, rule, reminder_percent=100)
    assert refused.value.code == "invalid"
    with pytest.raises(services.ActionRefused) as refused:
        services.change_deadline_rule(story.district, rule, bogus=3)
    assert refused.value.code == "invalid"
