"""Who may open which page: one table of roles and expected answers (200 allowed, 403 wrong role, 404 out of scope)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import ResumptionStatus
from tests.enterprises.factories import EmployeePassFactory, ResumptionRequestFactory
from tests.factories import AgencyFactory, EnterpriseFactory, agency_user, district_user, enterprise_user, specialist_user, township_user

pytestmark = pytest.mark.django_db

ROLES = ("district", "township", "other_township", "agency", "specialist", "owner", "other_firm")

# page: expected status for each role above
MATRIX = {
    "list": (200, 200, 200, 200, 200, 403, 403),
    "firm": (200, 200, 404, 200, 404, 200, 404),
    # out of scope answers 404 (as the API's PATCH does), in scope but not allowed 403
    "edit": (200, 200, 404, 403, 404, 403, 404),
    "create": (200, 200, 200, 403, 403, 403, 403),
    "import": (200, 200, 200, 403, 403, 403, 403),
    "requests": (200, 200, 200, 200, 200, 200, 200),
    "queue": (200, 200, 200, 403, 403, 403, 403),
    "request": (200, 200, 404, 200, 404, 200, 404),
    # action pages look the object up first: out of scope answers 404 before the role check
    "request-approve": (403, 200, 404, 403, 404, 403, 404),
    "request-plan": (200, 200, 404, 200, 404, 200, 404),
    "stats": (200, 200, 200, 200, 403, 403, 403),
    "reports-missing": (200, 200, 200, 200, 403, 403, 403),
    "report-new": (403, 403, 403, 403, 403, 200, 200),
    "passes": (200, 200, 200, 403, 403, 200, 200),
    "pass": (200, 200, 404, 403, 403, 200, 404),
    # passes are closed to agencies and specialists: 403 for every pass, as in the API
    "pass-revoke": (200, 200, 404, 403, 403, 403, 404),
    "pass-new-employee": (403, 403, 403, 403, 403, 200, 200),
}


@pytest.fixture
def world():
    agency = AgencyFactory()
    firm = EnterpriseFactory(township=agency.paired_township)
    request = ResumptionRequestFactory(enterprise=firm, status=ResumptionStatus.SUBMITTED, submitted_at=timezone.now())
    pass_ = EmployeePassFactory(enterprise=firm)
    users = {
        "district": district_user(),
        "township": township_user(firm.township),
        "other_township": township_user(),
        "agency": agency_user(agency),
        "specialist": specialist_user(),
        "owner": enterprise_user(firm),
        "other_firm": enterprise_user(),
    }
    urls = {
        "list": reverse("enterprises:list"),
        "firm": firm.get_absolute_url(),
        "edit": reverse("enterprises:edit", args=[firm.pk]),
        "create": reverse("enterprises:create"),
        "import": reverse("enterprises:import"),
        "requests": reverse("enterprises:requests"),
        "queue": reverse("enterprises:queue"),
        "request": request.get_absolute_url(),
        "request-approve": reverse("enterprises:request-approve", args=[request.pk]),
        "request-plan": reverse("enterprises:request-plan", args=[request.pk, "prevention"]),
        "stats": reverse("enterprises:stats"),
        "reports-missing": reverse("enterprises:reports-missing"),
        "report-new": reverse("enterprises:report-new"),
        "passes": reverse("enterprises:passes"),
        "pass": pass_.get_absolute_url(),
        "pass-revoke": reverse("enterprises:pass-revoke", args=[pass_.pk]),
        "pass-new-employee": reverse("enterprises:pass-new-employee"),
    }
    return users, urls


@pytest.mark.parametrize("page", list(MATRIX))
def test_access_matrix(client, world, page):
    users, urls = world
    answers = {}
    for role in ROLES:
        client.force_login(users[role])
        answers[role] = client.get(urls[page]).status_code
    assert answers == dict(zip(ROLES, MATRIX[page]))


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    _, urls = world
    for page, url in urls.items():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], page
