"""The problem loop's steps (issue 18) and their refusals: township first handling, 不予受理, merge, co-handling,
returns reviewed (accept and reassign / overrule, the clock not restarted), extension limits, callbacks and a
dissatisfied rating reopening by itself."""

from datetime import date

import pytest

from fuyang_portal.models import Transition
from specialists import services
from specialists.models import Callback, DeadlineRule, Problem, ProblemPart
from tests.factories import AgencyFactory, agency_user, district_user, enterprise_user, township_user

from .factories import raised_problem, status_of
from .loop_factories import Story, at

pytestmark = pytest.mark.django_db
S = Problem.Status


def refused(code, fn, *args, **kwargs):
    with pytest.raises(services.ActionRefused) as refusal:
        fn(*args, **kwargs)
    assert refusal.value.code == code, refusal.value.message
    return str(refusal.value.message)


# ---------------------------------------------------------------- township first handling


def test_the_township_resolves_or_passes_up_what_the_specialist_refers_to_it():
    story = Story()
    township = township_user(story.problem.enterprise.township)
    with at(2020, 2, 10, 9):
        services.refer_to_township(story.problem, story.specialist.user, "请镇里协调")
    problem = story.reload()
    assert problem.status == S.TOWNSHIP and problem.deadline == date(2020, 2, 12)  # two working days
    # another township, the agency, the firm: refused, nothing changed
    for outsider in (township_user(), story.clerk, story.firm):
        refused("forbidden", services.township_resolve, problem, outsider, "已解决")
    assert status_of(problem) == S.TOWNSHIP
    refused("invalid", services.pass_up, problem, township, "  ")
    with at(2020, 2, 11, 9):
        services.pass_up(problem, township, "涉及区级审批")
    problem = story.reload()
    assert problem.status == S.ESCALATED and problem.triage_due is not None

    other = Story()
    services.refer_to_township(other.problem, other.specialist.user)
    services.township_resolve(other.problem, township_user(other.problem.enterprise.township), "镇里已协调供电所")
    assert status_of(other.problem) == S.RESOLVED
    assert other.reload().callback_due is not None


# ---------------------------------------------------------------- 不予受理 and merge


def test_the_district_office_declines_with_a_reason_and_the_problem_is_closed():
    story = Story()
    story.escalated()
    assert "理由" in refused("invalid", services.decline, story.problem, story.district, "")
    refused("forbidden", services.decline, story.problem, story.clerk, "不属于政府职责")
    services.decline(story.problem, story.district, "属于企业内部经营事项，不予受理")
    problem = story.reload()
    assert problem.status == S.DECLINED and problem.decline_reason and problem.closed_at is not None and not problem.is_open
    message = refused("conflict", services.assign, problem, story.district, story.agency)
    assert str(S.DECLINED.label) in message


def test_duplicates_of_the_same_firm_are_merged_into_an_open_problem():
    story = Story()
    duplicate = services.raise_problem(story.specialist.user, story.problem.enterprise, "funds", "同一笔贷款再次反映")
    other_firm, other_specialist = raised_problem()
    refused("invalid", services.merge, duplicate, story.district, other_firm)  # another firm's problem
    refused("invalid", services.merge, duplicate, story.district, duplicate)  # itself
    refused("invalid", services.merge, duplicate, story.district, 999999)  # none
    refused("forbidden", services.merge, duplicate, story.firm, story.problem)
    services.merge(duplicate, story.specialist.user, story.problem)
    duplicate.refresh_from_db()
    assert duplicate.status == S.MERGED and duplicate.merged_into_id == story.problem.pk
    assert Transition.objects.for_object(story.problem).filter(action="absorb").exists()
    # a closed problem takes no duplicates
    third = services.raise_problem(story.specialist.user, story.problem.enterprise, "funds", "第三次")
    refused("conflict", services.merge, third, story.district, duplicate)


# ---------------------------------------------------------------- co-handling


def test_co_handling_agencies_answer_their_parts_before_the_lead_closes_it():
    story = Story()
    helper = AgencyFactory()
    helper_clerk = agency_user(helper)
    problem = story.assigned(co_agencies=[helper.pk])
    part = ProblemPart.objects.get(problem=problem)
    assert part.agency == helper and part.status == "assigned"
    # The co-handler sees the problem; a stranger does not.
    assert Problem.objects.visible_to(helper_clerk).filter(pk=problem.pk).exists()
    assert not Problem.objects.visible_to(agency_user()).filter(pk=problem.pk).exists()
    # Only the co-handler signs for its part; the lead clerk may not.
    refused("forbidden", services.accept_part, part, story.clerk)
    refused("conflict", services.answer_part, part, helper_clerk, "先答复")  # sign for it first
    services.accept(problem, story.clerk)
    services.accept_part(part, helper_clerk)
    refused("conflict", services.accept_part, part, helper_clerk)
    message = refused("conflict", services.answer, problem, story.clerk, "主办答复")
    assert helper.name in message
    services.answer_part(part, helper_clerk, "协办部分已落实")
    services.answer(problem, story.clerk, "主办答复，已办结")
    assert status_of(problem) == S.ANSWERED


def test_a_lead_agency_cannot_also_co_handle_and_unknown_agencies_are_refused():
    story = Story()
    story.escalated()
    refused("invalid", services.assign, story.problem, story.district, story.agency, co_agencies=[story.agency.pk])
    refused("invalid", services.assign, story.problem, story.district, story.agency, co_agencies=[987654])
    assert status_of(story.problem) == S.ESCALATED and not ProblemPart.objects.exists()


# ---------------------------------------------------------------- returns reviewed


def test_a_return_needs_a_reason_and_waits_for_review():
    story = Story()
    problem = story.assigned()
    refused("invalid", services.return_to_district, problem, story.clerk, " ")
    refused("forbidden", services.return_to_district, problem, agency_user(), "不是我们的")
    services.return_to_district(problem, story.clerk, "属于市场监管职责")
    problem = story.reload()
    assert problem.status == S.RETURNED and problem.return_count == 1 and problem.agency == story.agency
    # the agency may not answer or sign for a returned problem: 409 with the state named
    message = refused("conflict", services.accept, problem, story.clerk)
    assert str(S.RETURNED.label) in message


def test_overruling_a_return_sends_it_back_with_the_clock_not_restarted():
    story = Story()
    with at(2020, 2, 10, 9):
        problem = story.assigned()
    deadline, first = problem.deadline, problem.first_assigned_at
    with at(2020, 2, 12, 9):
        services.return_to_district(problem, story.clerk, "不属于本局")
    refused("invalid", services.review_return, problem, story.district, False, comment="")  # reason required
    refused("forbidden", services.review_return, problem, story.clerk, False, comment="自己驳回")
    with at(2020, 2, 12, 14):
        services.review_return(problem, story.district, False, comment="经核实属于本局职责")
    problem = story.reload()
    assert problem.status == S.ASSIGNED and problem.agency == story.agency
    assert problem.deadline == deadline and problem.first_assigned_at == first


def test_accepting_a_return_reassigns_to_another_agency_on_the_same_clock():
    story = Story()
    right = AgencyFactory()
    with at(2020, 2, 10, 9):
        problem = story.assigned()
    deadline = problem.deadline
    services.return_to_district(problem, story.clerk, "不属于本局")
    refused("invalid", services.review_return, problem, story.district, True)  # no agency named
    refused("invalid", services.review_return, problem, story.district, True, agency=story.agency)  # the same one
    with at(2020, 2, 11, 9):
        services.review_return(problem, story.district, True, agency=right)
    problem = story.reload()
    assert problem.agency == right and problem.status == S.ASSIGNED and problem.deadline == deadline
    # the returning agency has no say any more
    refused("forbidden", services.accept, problem, story.clerk)
    services.accept(problem, agency_user(right))


# ---------------------------------------------------------------- extensions


def test_an_extension_beyond_the_rules_maximum_is_refused():
    DeadlineRule.objects.filter(category="funds").update(max_extension_days=4)
    story = Story()
    problem = story.accepted()
    message = refused("invalid", services.request_extension, problem, story.clerk, 5, "需要会商")
    assert "4" in message
    services.request_extension(problem, story.clerk, 4, "需要会商")


# ---------------------------------------------------------------- callback (回访) and ratings


def test_a_callback_on_an_open_problem_is_refused_with_its_state():
    story = Story()
    problem = story.accepted()
    message = refused("conflict", services.record_callback, problem, story.district, True, "satisfied")
    assert str(S.ACCEPTED.label) in message
    assert not Callback.objects.exists()
    refused("forbidden", services.record_callback, problem, story.clerk, True, "satisfied")


def test_a_dissatisfied_callback_reopens_to_the_same_agency_with_the_reason():
    story = Story()
    problem = story.answered()
    refused("invalid", services.record_callback, problem, story.district, True, "")  # satisfaction required
    refused("invalid", services.record_callback, problem, story.district, True, "dissatisfied", "")  # reason required
    services.record_callback(problem, story.district, False)
    assert status_of(problem) == S.ANSWERED and Callback.objects.filter(reached=False).count() == 1
    services.record_callback(problem, story.district, True, "dissatisfied", "贷款仍未到位")
    problem = story.reload()
    assert problem.status == S.ACCEPTED and problem.agency == story.agency and problem.reopen_count == 1
    assert Transition.objects.for_object(problem).filter(action="callback_reopen", comment="贷款仍未到位").exists()
    services.answer(problem, story.clerk, "已再次协调，贷款到位")
    services.record_callback(problem, story.district, True, "basic", "基本满意")
    problem = story.reload()
    assert problem.status == S.CONFIRMED and problem.closed_how == "callback" and problem.satisfaction == "basic"


def test_a_dissatisfied_callback_on_a_specialists_resolution_goes_back_to_the_specialist():
    problem, specialist = raised_problem()
    services.resolve(problem, specialist.user, "已对接")
    services.record_callback(problem, district_user(), True, "dissatisfied", "没有解决")
    assert status_of(problem) == S.RAISED


def test_a_dissatisfied_rating_reopens_by_itself():
    story = Story()
    problem = story.answered()
    services.confirm(problem, story.firm, 2, "还是没解决")
    problem = story.reload()
    assert problem.status == S.ACCEPTED and problem.reopen_count == 1 and problem.rating is None
    services.answer(problem, story.clerk, "再次答复")
    services.confirm(problem, story.firm, 5)
    problem = story.reload()
    assert problem.status == S.CONFIRMED and problem.closed_how == "firm" and problem.satisfaction == "satisfied"
    # a low rating on a problem not waiting for confirmation: the usual 409
    refused("conflict", services.confirm, problem, story.firm, 1)
    refused("forbidden", services.confirm, Story().answered(), enterprise_user(), 1)
