"""Two agency users answering the same assignment at the same moment: exactly one answer is kept."""

import threading

import pytest
from django.db import connection, connections

from fuyang_portal.models import Transition
from fuyang_portal.workflow import ActionRefused
from specialists import services
from specialists.models import Problem
from tests.factories import AgencyFactory, agency_user, district_user

from .factories import raised_problem


def _answer(problem_pk, user, text, barrier, results):
    try:
        if barrier is not None:
            barrier.wait(timeout=10)
        services.answer(Problem.objects.get(pk=problem_pk), user, text)
        results.append(("ok", text))
    except ActionRefused as refusal:
        results.append((refusal.code, text))
    finally:
        if barrier is not None:
            connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_answers_keep_exactly_one():
    problem, specialist = raised_problem()
    agency = AgencyFactory()
    first, second = agency_user(agency), agency_user(agency)
    services.escalate(problem, specialist.user)
    services.assign(problem, district_user(), agency)
    services.accept(problem, first)
    results = []
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=_answer, args=(problem.pk, user, text, barrier, results))
            for user, text in ((first, "答复甲"), (second, "答复乙"))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    else:
        # SQLite serialises writers: the same rule, proved one after the other.
        _answer(problem.pk, first, "答复甲", None, results)
        _answer(problem.pk, second, "答复乙", None, results)
    assert sorted(code for code, _ in results) == ["conflict", "ok"]
    kept = next(text for code, text in results if code == "ok")
    problem.refresh_from_db()
    assert problem.status == Problem.Status.ANSWERED and problem.answer == kept
    assert Transition.objects.for_object(problem).filter(action="answer").count() == 1
