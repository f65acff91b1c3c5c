"""督办 by the sweep: a reminder at the rule's share of the handling time (75%), 催办 at the deadline and when the
sign-for limit passed, 督办 by SMS and inbox to the agency's head one working day after the deadline, each written
once (run twice: one notice); problems still with the specialist and untriaged escalations are flagged too."""

from datetime import date

import pytest

from fuyang_portal.models import Notification, SmsMessage
from specialists import services
from specialists.models import Problem, Supervision
from tests.factories import AgencyFactory, agency_user

from .loop_factories import Story, at

pytestmark = pytest.mark.django_db
K = Supervision.Kind


def sweep(day, hour=8, minute=0, capture=None):
    with at(day.year, day.month, day.day, hour, minute):
        if capture is None:
            return services.sweep_overdue()
        with capture(execute=True):
            return services.sweep_overdue()


def kinds(problem):
    return sorted(Supervision.objects.filter(problem=problem).values_list("kind", "stage"))


def test_reminder_urge_and_supervision_each_once_on_the_2020_calendar(django_capture_on_commit_callbacks):
    story = Story()
    head = agency_user(story.agency, mobile="13900001111")
    services.set_agency_head(story.district, story.agency, head)
    with at(2020, 2, 10, 9):  # Monday; five working days: due Monday 17 February
        problem = story.accepted()
    assert problem.deadline == date(2020, 2, 17) and problem.remind_on == date(2020, 2, 14)

    assert sweep(date(2020, 2, 13)) == {"flagged": 0, "reminded": 0, "urged": 0, "supervised": 0, "auto_closed": 0}
    assert sweep(date(2020, 2, 14))["reminded"] == 1
    assert sweep(date(2020, 2, 14))["reminded"] == 0  # twice: once
    assert sweep(date(2020, 2, 17))["urged"] == 1
    first = sweep(date(2020, 2, 18), capture=django_capture_on_commit_callbacks)
    assert first["supervised"] == 1 and first["flagged"] == 1
    again = sweep(date(2020, 2, 18), capture=django_capture_on_commit_callbacks)
    assert again == {"flagged": 0, "reminded": 0, "urged": 0, "supervised": 0, "auto_closed": 0}
    assert kinds(problem) == [(K.REMINDER, "handling"), (K.SUPERVISE, "handling"), (K.URGE, "handling")]
    # 督办 reaches the head by SMS and in the inbox, once; the clerk too; a bystander agency nothing.
    assert SmsMessage.objects.filter(mobile="13900001111").count() == 1
    assert Notification.objects.filter(recipient=head, url=problem.get_absolute_url()).count() == 1
    assert Notification.objects.filter(recipient=story.clerk, url=problem.get_absolute_url()).count() == 1
    assert Problem.objects.get(pk=problem.pk).overdue


def test_a_late_sign_for_is_urged_once_and_an_answered_problem_is_left_alone():
    story = Story()
    with at(2020, 2, 10, 9):
        problem = story.assigned()  # sign for by 11:00
    assert sweep(date(2020, 2, 10), 10, 59)["urged"] == 0
    assert sweep(date(2020, 2, 10), 11, 30)["urged"] == 1
    assert sweep(date(2020, 2, 10), 12, 0)["urged"] == 0
    assert kinds(problem) == [(K.URGE, "sign_for")]
    with at(2020, 2, 10, 14):
        services.accept(problem, story.clerk)
        services.answer(problem, story.clerk, "已办结")
    before = Supervision.objects.count()
    sweep(date(2020, 2, 20))
    assert Supervision.objects.count() == before


def test_co_handling_agencies_are_urged_about_their_parts(django_capture_on_commit_callbacks):
    story = Story()
    helper = AgencyFactory()
    helper_clerk = agency_user(helper)
    with at(2020, 2, 10, 9):
        problem = story.assigned(co_agencies=[helper.pk])
        services.accept(problem, story.clerk)
    sweep(date(2020, 2, 18), capture=django_capture_on_commit_callbacks)
    helper_notices = Supervision.objects.filter(problem=problem, agency=helper)
    assert set(helper_notices.values_list("kind", flat=True)) == {K.URGE, K.SUPERVISE}
    # it never signed for its part either: 催办 to sign for, 催办 at the deadline, 督办 the working day after
    assert sorted(helper_notices.values_list("kind", "stage")) == [(K.SUPERVISE, "part"), (K.URGE, "part"), (K.URGE, "part")]
    assert Notification.objects.filter(recipient=helper_clerk, url=problem.get_absolute_url()).count() == 3


def test_problems_with_the_specialist_and_untriaged_escalations_are_flagged():
    with_specialist = Story()
    with at(2020, 2, 10, 9):
        escalated = Story()
        escalated.escalated()  # 8 working hours to triage: 7 on 10 February, by 9:30 on 11 February
    sweep(date(2020, 2, 11), 9, 30)
    assert not Problem.objects.get(pk=escalated.problem.pk).overdue
    result = sweep(date(2020, 2, 11), 9, 45)
    assert Problem.objects.get(pk=escalated.problem.pk).overdue and result["urged"] == 1
    assert kinds(escalated.problem) == [(K.URGE, "triage")]
    # the specialist's problem was raised "today" by the real clock's rule: flagged once its deadline passed
    Problem.objects.filter(pk=with_specialist.problem.pk).update(deadline=date(2020, 2, 7))
    sweep(date(2020, 2, 11), 10, 0)
    assert Problem.objects.get(pk=with_specialist.problem.pk).overdue


def test_only_the_district_office_names_an_agency_head_of_that_agency():
    story = Story()
    with pytest.raises(services.ActionRefused) as refused:
        services.set_agency_head(story.clerk, story.agency, story.clerk)
    assert refused.value.code == "forbidden"
    with pytest.raises(services.ActionRefused) as refused:
        services.set_agency_head(story.district, story.agency, agency_user())  # another agency's account
    assert refused.value.code == "invalid"
