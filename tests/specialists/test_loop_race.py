"""Two signing for the same assignment at once: exactly one sign-for is kept. Two clerks of the lead agency race
(one wins, the other is told it is already signed for: 409); the agency it was reassigned away from and the
new one race (only the new one may: 403 for the other)."""

import threading

import pytest
from django.db import connection, connections

from fuyang_portal.models import Transition
from fuyang_portal.workflow import ActionRefused
from specialists import services
from specialists.models import Problem
from tests.factories import AgencyFactory, agency_user

from .loop_factories import Story


def _sign(problem_pk, user, barrier, results):
    try:
        if barrier is not None:
            barrier.wait(timeout=10)
        services.accept(Problem.objects.get(pk=problem_pk), user)
        results.append(("ok", user.pk))
    except ActionRefused as refusal:
        results.append((refusal.code, user.pk))
    finally:
        if barrier is not None:
            connections.close_all()


def race(problem, users):
    results = []
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(len(users))
        threads = [threading.Thread(target=_sign, args=(problem.pk, user, barrier, results)) for user in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    else:
        # SQLite serialises writers: the same rule (a row lock and the state checked under it), one after the other.
        for user in users:
            _sign(problem.pk, user, None, results)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_clerks_signing_for_at_once_keep_exactly_one():
    story = Story()
    problem = story.assigned()
    other = agency_user(story.agency)
    results = race(problem, [story.clerk, other])
    assert sorted(code for code, _ in results) == ["conflict", "ok"]
    assert Transition.objects.for_object(problem).filter(action="accept").count() == 1
    assert Problem.objects.get(pk=problem.pk).status == Problem.Status.ACCEPTED


@pytest.mark.django_db(transaction=True)
def test_two_agencies_signing_for_at_once_only_the_assigned_one_signs():
    story = Story()
    problem = story.assigned()
    services.return_to_district(problem, story.clerk, "不属于本局")
    new_agency = AgencyFactory()
    services.review_return(problem, story.district, True, agency=new_agency)
    newcomer = agency_user(new_agency)
    results = dict((user_pk, code) for code, user_pk in race(problem, [story.clerk, newcomer]))
    assert results == {story.clerk.pk: "forbidden", newcomer.pk: "ok"}
    assert Transition.objects.for_object(problem).filter(action="accept").count() == 1
    assert Problem.objects.get(pk=problem.pk).agency == new_agency
