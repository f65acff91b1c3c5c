"""Bad input: each gets a clear refusal and changes nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fuyang_portal.models import Transition
from fuyang_portal.workflow import ActionRefused
from specialists import services
from specialists.models import Problem, ProblemAttachment, Visit
from tests.factories import AgencyFactory, EnterpriseFactory, agency_user, district_user, enterprise_user

from .factories import AssignmentFactory, SpecialistFactory, raised_problem, served_firm

pytestmark = pytest.mark.django_db
S = Problem.Status


def snapshot(problem):
    row = Problem.objects.filter(pk=problem.pk).values().get()
    return row, Transition.objects.for_object(problem).count()


def refused(code, fn, *args, **kwargs):
    with pytest.raises(ActionRefused) as refusal:
        fn(*args, **kwargs)
    assert refusal.value.code == code
    assert str(refusal.value.message)
    return refusal.value


def escalated():
    problem, specialist = raised_problem()
    services.escalate(problem, specialist.user)
    return problem


def answered():
    problem = escalated()
    agency = AgencyFactory()
    clerk = agency_user(agency)
    services.assign(problem, district_user(), agency)
    services.accept(problem, clerk)
    services.answer(problem, clerk, "已答复")
    return problem, clerk


def test_assigning_to_an_agency_that_does_not_exist_is_refused():
    problem = escalated()
    before = snapshot(problem)
    refused("invalid", services.assign, problem, district_user(), 999999)
    refused("invalid", services.assign, problem, district_user(), "not-an-id")
    assert snapshot(problem) == before


def test_only_the_district_office_assigns():
    problem = escalated()
    before = snapshot(problem)
    refused("forbidden", services.assign, problem, agency_user(), AgencyFactory())
    assert snapshot(problem) == before


def test_a_deadline_in_the_past_is_refused():
    problem = escalated()
    before = snapshot(problem)
    refused("invalid", services.assign, problem, district_user(), AgencyFactory(), timezone.localdate() - timedelta(days=1))
    assert snapshot(problem) == before


def test_acting_as_the_wrong_agency_is_refused():
    problem = escalated()
    services.assign(problem, district_user(), AgencyFactory())
    other = agency_user(AgencyFactory())
    before = snapshot(problem)
    refused("forbidden", services.accept, problem, other)
    refused("forbidden", services.return_to_district, problem, other, "不是我们的")
    refused("forbidden", services.request_extension, problem, other, 2, "理由")
    assert snapshot(problem) == before


def test_answering_twice_keeps_the_first_answer():
    problem, clerk = answered()
    before = snapshot(problem)
    refused("conflict", services.answer, problem, clerk, "第二次答复")
    assert snapshot(problem) == before
    assert Problem.objects.get(pk=problem.pk).answer == "已答复"


def test_confirming_someone_elses_problem_is_refused():
    problem, _clerk = answered()
    stranger = enterprise_user(EnterpriseFactory())
    before = snapshot(problem)
    refused("forbidden", services.confirm, problem, stranger, 5)
    refused("forbidden", services.reopen, problem, stranger, "不满意")
    assert snapshot(problem) == before


@pytest.mark.parametrize("rating", [0, 6, -1, "5.5", "abc", None, 3.7])
def test_a_rating_outside_one_to_five_is_refused(rating):
    problem, _clerk = answered()
    firm = enterprise_user(problem.enterprise)
    before = snapshot(problem)
    refused("invalid", services.confirm, problem, firm, rating)
    assert snapshot(problem) == before


def test_reopening_a_confirmed_problem_after_seven_days_is_refused():
    problem, specialist = raised_problem()
    firm = enterprise_user(problem.enterprise)
    services.resolve(problem, specialist.user, "已解决")
    services.confirm(problem, firm, 4)
    Problem.objects.filter(pk=problem.pk).update(closed_at=timezone.now() - timedelta(days=7, minutes=1))
    problem.refresh_from_db()
    before = snapshot(problem)
    refusal = refused("conflict", services.reopen, problem, firm, "又坏了")
    assert "7" in str(refusal.message)
    assert snapshot(problem) == before


def test_reopening_within_seven_days_is_allowed():
    problem, specialist = raised_problem()
    firm = enterprise_user(problem.enterprise)
    services.resolve(problem, specialist.user, "已解决")
    services.confirm(problem, firm, 4)
    Problem.objects.filter(pk=problem.pk).update(closed_at=timezone.now() - timedelta(days=6, hours=23))
    problem.refresh_from_db()
    services.reopen(problem, firm, "又坏了")
    assert Problem.objects.get(pk=problem.pk).status == S.RAISED


def test_a_specialist_cannot_log_a_visit_to_a_firm_not_assigned_to_them():
    _firm, specialist = served_firm()
    stranger_firm = EnterpriseFactory()
    refused("forbidden", services.log_visit, specialist.user, stranger_firm, problems=[{"category": "funds", "description": "x"}])
    assert Visit.objects.count() == 0 and Problem.objects.count() == 0


def test_a_visit_after_the_assignment_ended_is_refused():
    firm = EnterpriseFactory()
    specialist = SpecialistFactory()
    AssignmentFactory(specialist=specialist, enterprise=firm, ends_on=timezone.localdate() - timedelta(days=2))
    refused("forbidden", services.log_visit, specialist.user, firm)
    assert Visit.objects.count() == 0


def test_a_failed_problem_in_a_visit_leaves_no_visit():
    firm, specialist = served_firm()
    refused("invalid", services.log_visit, specialist.user, firm, problems=[{"category": "nonsense", "description": "x"}])
    assert Visit.objects.count() == 0 and Problem.objects.count() == 0


def test_a_malformed_attachment_is_refused():
    problem, specialist = raised_problem()
    fake_pdf = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    refused("invalid", services.add_attachment, specialist.user, problem, fake_pdf)
    empty = SimpleUploadedFile("plan.png", b"", content_type="image/png")
    refused("invalid", services.add_attachment, specialist.user, problem, empty)
    assert ProblemAttachment.objects.count() == 0


def test_a_real_pdf_is_attached():
    problem, specialist = raised_problem()
    pdf = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    attachment = services.add_attachment(specialist.user, problem, pdf)
    assert attachment.file.name.startswith("problems/") and attachment.original_name == "证明.pdf"


def test_wrong_state_is_refused():
    problem, specialist = raised_problem()
    before = snapshot(problem)
    refused("conflict", services.assign, problem, district_user(), AgencyFactory())
    refused("forbidden", services.confirm, problem, specialist.user, 5)
    refused("conflict", services.confirm, problem, enterprise_user(problem.enterprise), 5)
    assert snapshot(problem) == before


def test_a_specialist_of_another_firm_cannot_resolve():
    problem, _specialist = raised_problem()
    other = SpecialistFactory()
    before = snapshot(problem)
    refused("forbidden", services.resolve, problem, other.user, "已解决")
    assert snapshot(problem) == before


def test_an_extension_is_asked_once_and_decided_once():
    problem = escalated()
    agency = AgencyFactory()
    clerk = agency_user(agency)
    district = district_user()
    services.assign(problem, district, agency)
    refused("conflict", services.decide_extension, problem, district, True)
    refused("invalid", services.request_extension, problem, clerk, 0, "理由")
    refused("invalid", services.request_extension, problem, clerk, 3, "")
    services.request_extension(problem, clerk, 3, "理由")
    refused("forbidden", services.decide_extension, problem, clerk, True)
    services.decide_extension(problem, district, False)
    refused("conflict", services.decide_extension, problem, district, True)
    refused("conflict", services.request_extension, problem, clerk, 3, "理由")


def test_a_duplicate_open_assignment_is_refused():
    firm, specialist = served_firm()
    refused("conflict", services.assign_specialist, district_user(), specialist, firm)
    assert specialist.assignments.count() == 1
