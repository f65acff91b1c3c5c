"""The pages: each role reaches its own, refusals show on the form, list pages run a fixed number of queries."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fuyang_portal.models import AuditEvent
from specialists import services
from specialists.models import Problem, ServiceDomain, Visit
from tests.factories import (
    AgencyFactory,
    EnterpriseFactory,
    TownshipFactory,
    agency_user,
    district_user,
    enterprise_user,
    township_user,
)

from .factories import AssignmentFactory, SpecialistFactory, TrackedProjectFactory, VisitFactory

pytestmark = pytest.mark.django_db


def build(n, specialist=None, agency=None, township=None):
    """n firms served by ``specialist`` with a visit, a project and problems in several states each."""
    specialist = specialist or SpecialistFactory()
    agency = agency or AgencyFactory()
    township = township or TownshipFactory()
    district = district_user()
    for _ in range(n):
        firm = EnterpriseFactory(township=township)
        AssignmentFactory(specialist=specialist, enterprise=firm)
        VisitFactory(specialist=specialist, enterprise=firm)
        TrackedProjectFactory(specialist=specialist, enterprise=firm)
        services.raise_problem(specialist.user, firm, "funds", "资金周转")
        assigned = services.raise_problem(specialist.user, firm, "labour", "招工")
        services.escalate(assigned, specialist.user)
        services.assign(assigned, district, agency)
    return specialist, agency, township


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


LIST_PAGES = [
    ("specialist", "specialists:my-firms"),
    ("specialist", "specialists:queue"),
    ("specialist", "specialists:visits"),
    ("specialist", "specialists:projects"),
    ("specialist", "specialists:problems"),
    ("district", "specialists:problems"),
    ("district", "specialists:queue"),
    ("district", "specialists:risk"),
    ("district", "specialists:assignments"),
    ("district", "specialists:specialists"),
    ("district", "specialists:coverage"),
    ("agency", "specialists:queue"),
    ("township", "specialists:visits"),
    ("anonymous", "specialists:directory"),
]


@pytest.mark.parametrize("who,url_name", LIST_PAGES)
def test_list_pages_run_the_same_number_of_queries_at_two_sizes(client, who, url_name):
    specialist, agency, township = build(2)
    ServiceDomain.objects.first().specialists.add(specialist)
    specialist.townships.add(township)
    users = {
        "specialist": specialist.user,
        "district": district_user(),
        "agency": agency_user(agency),
        "township": township_user(township),
    }
    if who != "anonymous":
        client.force_login(users[who])
    url = reverse(url_name)
    small = count_queries(client, url)
    build(6, specialist, agency, township)
    for _ in range(5):
        extra = SpecialistFactory()
        extra.townships.add(township)
        extra.domains.add(ServiceDomain.objects.first())
    with CaptureQueriesContext(connection) as big:
        client.get(url)
    assert len(big) == small, "\n".join(q["sql"][:600] for q in big.captured_queries)


def test_the_public_directory_needs_no_login_and_filters_by_township_and_domain(client):
    township, other = TownshipFactory(), TownshipFactory()
    water = ServiceDomain.objects.get(code="water")
    tax = ServiceDomain.objects.get(code="tax")
    match = SpecialistFactory(published_mobile="13800000001", domains=["water"], townships=[township])
    SpecialistFactory(published_mobile="13800000002", domains=["tax"], townships=[township])
    SpecialistFactory(published_mobile="13800000003", domains=["water"], townships=[other])
    SpecialistFactory(published_mobile="13800000004", domains=["water"], townships=[township], active=False)
    response = client.get(reverse("specialists:directory"), {"township": township.pk, "domain": water.code})
    body = response.content.decode()
    assert response.status_code == 200
    assert "13800000001" in body and 'href="tel:13800000001"' in body and str(match.agency) in body
    for hidden in ("13800000002", "13800000003", "13800000004"):
        assert hidden not in body
    assert tax.name in client.get(reverse("specialists:directory")).content.decode()


def test_specialist_logs_a_visit_and_raises_problems_in_one_step(client):
    specialist, _agency, _township = build(1)
    firm = specialist.assignments.get().enterprise
    client.force_login(specialist.user)
    response = client.post(reverse("specialists:visit-new"), {
        "enterprise": firm.pk, "visited_on": timezone.localdate().isoformat(), "mode": "wechat",
        "checks": ["checked_dual_plan", "checked_staff"], "notes": "复工准备充分",
        "problem1_category": "supplies", "problem1_description": "缺口罩",
        "problem2_category": "logistics", "problem2_description": "需要通行证",
    })
    visit = Visit.objects.filter(mode="wechat").get()
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    assert visit.checked_dual_plan and visit.checked_staff and not visit.checked_supplies
    assert sorted(visit.problems.values_list("category", flat=True)) == ["logistics", "supplies"]


def test_the_visit_form_offers_only_the_specialists_firms(client):
    specialist, _agency, _township = build(1)
    stranger = EnterpriseFactory()
    client.force_login(specialist.user)
    response = client.post(reverse("specialists:visit-new"), {
        "enterprise": stranger.pk, "visited_on": timezone.localdate().isoformat(), "mode": "on_site",
    })
    assert response.status_code == 200 and Visit.objects.filter(enterprise=stranger).count() == 0
    assert "enterprise" in response.context["form"].errors


def test_a_half_filled_problem_in_the_visit_form_is_an_error(client):
    specialist, _agency, _township = build(1)
    firm = specialist.assignments.get().enterprise
    client.force_login(specialist.user)
    before = Visit.objects.count()
    response = client.post(reverse("specialists:visit-new"), {
        "enterprise": firm.pk, "visited_on": timezone.localdate().isoformat(), "mode": "on_site",
        "problem1_category": "supplies",
    })
    assert response.status_code == 200 and Visit.objects.count() == before
    assert "problem1_description" in response.context["form"].errors


def test_agency_journey_through_the_pages(client):
    specialist, agency, _township = build(1)
    clerk = agency_user(agency)
    problem = Problem.objects.get(status="assigned")
    client.force_login(clerk)
    page = client.get(problem.get_absolute_url())
    assert page.status_code == 200 and reverse("specialists:problem-action", args=[problem.pk, "accept"]) in page.content.decode()
    assert client.post(reverse("specialists:problem-action", args=[problem.pk, "accept"]), {"text": ""}).status_code == 302
    assert client.post(reverse("specialists:problem-action", args=[problem.pk, "answer"]), {"text": "已对接"}).status_code == 302
    problem.refresh_from_db()
    assert problem.status == "answered" and problem.answered_by == clerk
    # a second answer is shown as a form error and changes nothing
    response = client.post(reverse("specialists:problem-action", args=[problem.pk, "answer"]), {"text": "再答"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Problem.objects.get(pk=problem.pk).answer == "已对接"


def test_the_firm_confirms_with_a_rating_on_its_phone(client):
    specialist, _agency, _township = build(1)
    problem = Problem.objects.get(status="raised")
    services.resolve(problem, specialist.user, "已解决")
    firm = enterprise_user(problem.enterprise)
    client.force_login(firm)
    url = reverse("specialists:problem-action", args=[problem.pk, "confirm"])
    assert client.post(url, {"rating": "9"}).status_code == 200
    assert Problem.objects.get(pk=problem.pk).status == "resolved"
    assert client.post(url, {"rating": "5", "feedback": "满意"}).status_code == 302
    assert Problem.objects.get(pk=problem.pk).rating == 5


def test_out_of_scope_problem_answers_404_and_wrong_role_403(client):
    _specialist, agency, _township = build(1)
    problem = Problem.objects.get(status="assigned")
    client.force_login(agency_user(AgencyFactory()))
    assert client.get(problem.get_absolute_url()).status_code == 404
    assert client.post(reverse("specialists:problem-action", args=[problem.pk, "accept"]), {}).status_code == 404
    client.force_login(agency_user(agency))
    assert client.get(reverse("specialists:risk")).status_code == 403
    assert client.get(reverse("specialists:my-firms")).status_code == 403
    client.force_login(enterprise_user(problem.enterprise))
    assert client.get(reverse("specialists:coverage")).status_code == 403


def test_attachment_download_is_scoped_and_audited(client):
    specialist, _agency, _township = build(1)
    problem = Problem.objects.get(status="raised")
    attachment = services.add_attachment(
        specialist.user, problem, SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    )
    url = reverse("specialists:attachment", args=[problem.pk, attachment.pk])
    client.force_login(enterprise_user(EnterpriseFactory()))
    assert client.get(url).status_code == 404
    client.force_login(specialist.user)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DOWNLOAD).count() == 1


def test_malformed_attachment_on_the_page_is_refused(client):
    specialist, _agency, _township = build(1)
    problem = Problem.objects.get(status="raised")
    client.force_login(specialist.user)
    response = client.post(reverse("specialists:problem-attach", args=[problem.pk]),
                           {"file": SimpleUploadedFile("x.pdf", b"not a pdf at all", content_type="application/pdf")})
    assert response.status_code == 200 and problem.attachments.count() == 0


def test_deadline_risk_lists_assignments_due_within_two_working_days_with_agency_rate(client):
    specialist, agency, _township = build(3)
    clerk = agency_user(agency)
    soon, later, done = Problem.objects.filter(status="assigned").order_by("pk")
    Problem.objects.filter(pk=soon.pk).update(deadline=timezone.localdate())
    Problem.objects.filter(pk=later.pk).update(deadline=timezone.localdate() + timedelta(days=30))
    services.accept(done, clerk)
    services.answer(done, clerk, "按期办结")
    client.force_login(district_user())
    response = client.get(reverse("specialists:risk"))
    rows = list(response.context["table"].data)
    assert [row.pk for row in rows] == [soon.pk]
    assert rows[0].agency_answered == 1 and rows[0].agency_on_time == 1


def test_coverage_shows_uncovered_above_scale_firms(client):
    township = TownshipFactory()
    EnterpriseFactory(township=township, scale="above_scale")
    covered = EnterpriseFactory(township=township, scale="above_scale")
    AssignmentFactory(enterprise=covered)
    client.force_login(district_user())
    rows = {row["township__name"]: row for row in client.get(reverse("specialists:coverage")).context["by_township"]}
    assert rows[township.name]["above_scale"] == 2 and rows[township.name]["above_scale_uncovered"] == 1


def test_a_firm_raises_a_problem_with_an_attachment_on_its_phone(client):
    specialist, _agency, _township = build(1)
    firm = specialist.assignments.get().enterprise
    client.force_login(enterprise_user(firm))
    pdf = SimpleUploadedFile("材料.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(reverse("specialists:problem-new"), {
        "enterprise": firm.pk, "category": "energy", "description": "需要用电增容", "attachment": pdf,
    })
    problem = Problem.objects.get(category="energy")
    assert response.status_code == 302 and problem.specialist == specialist
    assert problem.attachments.get().original_name == "材料.pdf"


def test_the_firm_s_own_form_carries_its_firm(client):
    """Opened from the firm's own button (no firm in the address), the hidden field holds the firm: posting the form
    as the page rendered it saves the problem."""
    specialist, _agency, _township = build(1)
    firm = specialist.assignments.get().enterprise
    client.force_login(enterprise_user(firm))
    response = client.get(reverse("specialists:problem-new"))
    assert response.context["form"]["enterprise"].value() == firm.pk
    assert f'name="enterprise" value="{firm.pk}"' in response.content.decode()


def test_a_firm_cannot_raise_a_problem_for_another_firm(client):
    specialist, _agency, _township = build(1)
    own = specialist.assignments.get().enterprise
    other = EnterpriseFactory()
    client.force_login(enterprise_user(own))
    before = Problem.objects.count()
    response = client.post(reverse("specialists:problem-new"), {"enterprise": other.pk, "category": "energy", "description": "x"})
    assert response.status_code == 200 and Problem.objects.count() == before


def test_district_decides_an_extension_on_the_page(client):
    _specialist, agency, _township = build(1)
    problem = Problem.objects.get(status="assigned")
    services.request_extension(problem, agency_user(agency), 2, "需要会商")
    client.force_login(district_user())
    queue = client.get(reverse("specialists:queue"))
    assert problem in [row.record for row in queue.context["table"].rows]
    response = client.post(reverse("specialists:problem-action", args=[problem.pk, "decide-extension"]), {"decision": "grant"})
    assert response.status_code == 302
    assert Problem.objects.get(pk=problem.pk).extension == Problem.Extension.GRANTED


def test_my_firms_lists_each_assigned_firm_by_name(client):
    specialist = SpecialistFactory()
    firm = EnterpriseFactory(name="富春江纸业有限公司")
    AssignmentFactory(specialist=specialist, enterprise=firm)
    client.force_login(specialist.user)
    html = client.get(reverse("specialists:my-firms")).content.decode()
    assert "富春江纸业有限公司" in html and f"?enterprise={firm.pk}" in html
