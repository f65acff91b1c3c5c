"""Double actions from the outside: two people press the same button at the same moment (two browsers posting
the same form). On PostgreSQL the two requests really race, in two threads with their own connections; on
SQLite they run one after the other. Either way there is exactly one effect: one state change in the log, one
notice, and the second person sees a refusal on the form, never a 500.

The services' own races are proven in the apps' tests: tests/enterprises/test_resumption_lifecycle.py and
test_passes.py (approve), tests/subsidies/test_payout.py (pay, batch), tests/specialists/test_concurrent_answer.py
(answer), tests/leaderboard/test_concurrency.py (compute, publish)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enterprises.models import ResumptionStatus
from fuyang_portal.models import OutboxMessage, Transition
from specialists import services as problems
from subsidies.models import PayoutBatch, SubsidyClaim
from tests.enterprises.factories import ResumptionRequestFactory
from tests.factories import AgencyFactory, agency_user, district_user, enterprise_user, township_user
from tests.security.world import build_world
from tests.specialists.factories import raised_problem

pytestmark = pytest.mark.django_db(transaction=True)


def press_twice(users, url, data):
    """Post the form as each user (``data`` one dict for all, or one per user), at the same moment where the
    database allows it; the status codes."""
    forms = data if isinstance(data, list) else [data] * len(users)
    concurrent = connection.vendor == "postgresql"
    barrier = threading.Barrier(len(users)) if concurrent else None
    answers = []

    def press(user, data):
        client = Client()
        client.force_login(user)
        try:
            if barrier:
                barrier.wait(timeout=10)
            answers.append(client.post(url, data).status_code)
        finally:
            if concurrent:
                connection.close()

    if concurrent:
        threads = [threading.Thread(target=press, args=pair) for pair in zip(users, forms)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    else:
        for pair in zip(users, forms):
            press(*pair)
    return sorted(answers)


def test_two_township_officers_approving_one_request_approve_it_once():
    request = ResumptionRequestFactory(status=ResumptionStatus.SUBMITTED, submitted_at=timezone.now())
    officers = [township_user(request.enterprise.township) for _ in range(2)]
    answers = press_twice(officers, reverse("enterprises:request-approve", args=[request.pk]), {"comment": "同意"})
    # The winner is redirected to the request; the other sees the form again with the refusal.
    assert answers == [200, 302]
    request.refresh_from_db()
    assert request.status == ResumptionStatus.APPROVED
    assert Transition.objects.for_object(request).filter(action="approve").count() == 1


def test_two_district_officers_marking_one_batch_paid_pay_once():
    users, ours, _, _ = build_world()
    batch = ours.objects["batch"]
    officers = [users["district"], district_user()]
    answers = press_twice(officers, reverse("subsidies:payout-paid", args=[batch.pk]), [{"transfer_reference": "ICBC-0001"}, {"transfer_reference": "ICBC-0002"}])
    assert answers == [200, 302]
    batch.refresh_from_db()
    assert batch.status == PayoutBatch.Status.PAID and batch.transfer_reference in ("ICBC-0001", "ICBC-0002")
    assert Transition.objects.for_object(batch).filter(action="mark_paid").count() == 1
    claim = SubsidyClaim.objects.get(pk=ours.objects["claim"].pk)
    assert claim.status == SubsidyClaim.Status.PAID
    assert Transition.objects.for_object(claim).filter(to_state=SubsidyClaim.Status.PAID).count() == 1


def test_two_agency_officers_answering_one_problem_answer_it_once():
    problem, _specialist = raised_problem()
    enterprise_user(problem.enterprise)
    district = district_user()
    agency = AgencyFactory()
    problems.escalate(problem, district, "")
    problems.assign(problem, district, agency)
    officers = [agency_user(agency) for _ in range(2)]
    problems.accept(problem, officers[0])
    before = OutboxMessage.objects.count()
    answers = press_twice(officers, reverse("specialists:problem-action", args=[problem.pk, "answer"]), {"text": "已协调解决"})
    assert answers == [200, 302]
    problem.refresh_from_db()
    assert problem.status == "answered"
    assert Transition.objects.for_object(problem).filter(action="answer").count() == 1
    assert OutboxMessage.objects.count() == before + 1  # one notice to the firm
