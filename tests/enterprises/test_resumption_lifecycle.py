"""Resumption requests: draft → submitted → returned → resubmitted → approved, and every refusal."""

import pytest
from django.db import IntegrityError

from enterprises import services
from enterprises.models import Enterprise, ResumptionRequest, ResumptionStatus
from fuyang_portal.models import Notification, Transition
from fuyang_portal.workflow import ActionRefused
from tests.enterprises.factories import ApprovedRequestFactory, ResumptionRequestFactory
from tests.factories import EnterpriseFactory, district_user, enterprise_user, township_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm():
    return EnterpriseFactory()


@pytest.fixture
def owner(firm):
    return enterprise_user(firm)


@pytest.fixture
def reviewer(firm):
    return township_user(firm.township)


def test_full_lifecycle_logs_every_step_and_marks_the_firm_resumed(firm, owner, reviewer):
    request = ResumptionRequestFactory(enterprise=firm)
    services.submit_resumption(request, owner)
    assert request.status == ResumptionStatus.SUBMITTED and request.submitted_at
    services.return_resumption(request, reviewer, "防疫方案缺少隔离室安排")
    request.refresh_from_db()
    assert request.status == ResumptionStatus.RETURNED
    assert request.return_reason == "防疫方案缺少隔离室安排"
    services.submit_resumption(request, owner)
    assert request.status == ResumptionStatus.RESUBMITTED
    assert not Enterprise.objects.resumed_as_of(request.submitted_at).exists()
    services.approve_resumption(request, reviewer)
    request.refresh_from_db()
    assert request.status == ResumptionStatus.APPROVED and request.approved_at and request.reviewed_by == reviewer
    steps = list(Transition.objects.for_object(request).values_list("action", "from_state", "to_state"))
    assert steps == [
        ("submit", "draft", "submitted"),
        ("return", "submitted", "returned"),
        ("resubmit", "returned", "resubmitted"),
        ("approve", "resubmitted", "approved"),
    ]
    # resumed from the approval, not before
    from datetime import timedelta

    assert list(Enterprise.objects.resumed_as_of(request.approved_at + timedelta(seconds=1))) == [firm]
    assert not Enterprise.objects.resumed_as_of(request.approved_at - timedelta(seconds=1)).exists()


def test_submit_notifies_the_township_and_approval_notifies_the_firm(firm, owner, reviewer, django_capture_on_commit_callbacks):
    request = ResumptionRequestFactory(enterprise=firm)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_resumption(request, owner)
    assert Notification.objects.filter(recipient=reviewer).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_resumption(request, reviewer)
    assert Notification.objects.filter(recipient=owner).count() == 1


def test_submit_without_both_plans_is_refused_and_changes_nothing(firm, owner):
    request = ResumptionRequestFactory(enterprise=firm, prevention_plan=None)
    with pytest.raises(ActionRefused) as refusal:
        services.submit_resumption(request, owner)
    assert refusal.value.code == ActionRefused.INVALID
    request.refresh_from_db()
    assert request.status == ResumptionStatus.DRAFT and request.submitted_at is None
    assert not Transition.objects.for_object(request).exists()


def test_approving_a_draft_is_refused_as_wrong_state(firm, reviewer):
    request = ResumptionRequestFactory(enterprise=firm)
    with pytest.raises(ActionRefused) as refusal:
        services.approve_resumption(request, reviewer)
    assert refusal.value.code == ActionRefused.CONFLICT
    request.refresh_from_db()
    assert request.status == ResumptionStatus.DRAFT and request.approved_at is None


def test_approving_twice_is_refused(firm, owner, reviewer):
    request = ResumptionRequestFactory(enterprise=firm)
    services.submit_resumption(request, owner)
    services.approve_resumption(request, reviewer)
    with pytest.raises(ActionRefused):
        services.approve_resumption(request, reviewer)
    assert Transition.objects.for_object(request).filter(action="approve").count() == 1


def test_another_township_cannot_review(firm, owner):
    request = ResumptionRequestFactory(enterprise=firm)
    services.submit_resumption(request, owner)
    stranger = township_user()
    with pytest.raises(ActionRefused) as refusal:
        services.approve_resumption(request, stranger)
    assert refusal.value.code == ActionRefused.FORBIDDEN
    request.refresh_from_db()
    assert request.status == ResumptionStatus.SUBMITTED


def test_another_firm_cannot_submit(firm):
    request = ResumptionRequestFactory(enterprise=firm)
    with pytest.raises(ActionRefused):
        services.submit_resumption(request, enterprise_user())
    request.refresh_from_db()
    assert request.status == ResumptionStatus.DRAFT


def test_return_needs_a_reason(firm, owner, reviewer):
    request = ResumptionRequestFactory(enterprise=firm)
    services.submit_resumption(request, owner)
    with pytest.raises(ActionRefused) as refusal:
        services.return_resumption(request, reviewer, "  ")
    assert refusal.value.code == ActionRefused.INVALID
    request.refresh_from_db()
    assert request.status == ResumptionStatus.SUBMITTED


def test_district_staff_do_not_review_requests(firm, owner):
    request = ResumptionRequestFactory(enterprise=firm)
    services.submit_resumption(request, owner)
    with pytest.raises(ActionRefused):
        services.approve_resumption(request, district_user())


def test_a_resumed_firm_cannot_submit_another_request(firm, owner):
    ApprovedRequestFactory(enterprise=firm)
    second = ResumptionRequestFactory(enterprise=firm)
    with pytest.raises(ActionRefused) as refusal:
        services.submit_resumption(second, owner)
    assert refusal.value.code == ActionRefused.CONFLICT
    second.refresh_from_db()
    assert second.status == ResumptionStatus.DRAFT


def test_database_keeps_one_approved_request_per_firm(firm):
    ApprovedRequestFactory(enterprise=firm)
    with pytest.raises(IntegrityError):
        ApprovedRequestFactory(enterprise=firm)


def test_editing_is_refused_once_submitted(firm, owner):
    request = ResumptionRequestFactory(enterprise=firm)
    services.submit_resumption(request, owner)
    with pytest.raises(ActionRefused):
        services.ensure_editable(request, owner)


def test_visibility_of_requests_follows_the_firm(firm, owner, reviewer):
    mine = ResumptionRequestFactory(enterprise=firm)
    other = ResumptionRequestFactory()
    assert list(ResumptionRequest.objects.visible_to(owner)) == [mine]
    assert list(ResumptionRequest.objects.visible_to(reviewer)) == [mine]
    assert set(ResumptionRequest.objects.visible_to(district_user())) == {mine, other}


def test_resumed_by_end_of_a_day_uses_beijing_time(firm):
    import datetime
    from zoneinfo import ZoneInfo

    ApprovedRequestFactory(enterprise=firm, approved_at=datetime.datetime(2020, 2, 9, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert list(Enterprise.objects.resumed_by_end_of(datetime.date(2020, 2, 9))) == [firm]
    assert not Enterprise.objects.resumed_by_end_of(datetime.date(2020, 2, 8)).exists()


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_approve_once():
    """On PostgreSQL two reviewers act in two threads at the same moment; elsewhere one after the other.
    The row lock lets one approve; the other is refused as a wrong state, and one log row is written."""
    import threading

    from django.db import connection, connections

    firm = EnterpriseFactory()
    request = ResumptionRequestFactory(enterprise=firm)
    services.submit_resumption(request, enterprise_user(firm))
    reviewers = [township_user(firm.township), township_user(firm.township)]
    outcomes = []
    barrier = threading.Barrier(2)

    def approve(user, threaded):
        try:
            if threaded:
                barrier.wait(timeout=5)
            services.approve_resumption(ResumptionRequest.objects.get(pk=request.pk), user)
            outcomes.append("ok")
        except ActionRefused as refusal:
            outcomes.append(refusal.code)
        finally:
            if threaded:
                connections.close_all()

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=approve, args=(user, True)) for user in reviewers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        for user in reviewers:
            approve(user, False)
    assert sorted(outcomes) == sorted(["ok", ActionRefused.CONFLICT])
    assert Transition.objects.for_object(request).filter(action="approve").count() == 1
