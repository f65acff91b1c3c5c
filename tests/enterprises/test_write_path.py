"""One write path for firms (page, API, import alike) and permission before validation on every API action.

The holes of issue 19: the API wrote firms with invalid credit codes and left no history row; an empty POST
from the wrong role answered 400 before 403.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from stdnum.cn import uscc

from enterprises import imports
from enterprises.models import Enterprise, Scale
from fuyang_portal.demo import make_credit_code
from fuyang_portal.models import Transition
from tests.enterprises.factories import ResumptionRequestFactory, VehiclePassFactory
from tests.factories import (
    EnterpriseFactory,
    TownshipFactory,
    agency_user,
    district_user,
    enterprise_user,
    specialist_user,
    township_user,
)

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.default_format = "json"
    client.force_authenticate(user)
    return client


def _wrong_check_digit(code, shift=1):
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return code[:-1] + alphabet[(alphabet.index(code[-1]) + shift) % len(alphabet)]


def invalid_codes():
    """Ten codes a clerk might type: wrong check digits, one character short or long, letters GB 32100 excludes."""
    codes = [_wrong_check_digit(make_credit_code(77000 + n), shift=n + 1) for n in range(5)]
    codes += [make_credit_code(77100)[:-1], make_credit_code(77101)[1:]]  # 17 characters
    codes += [make_credit_code(77102) + "0"]  # 19 characters
    valid = make_credit_code(77103)
    codes += [valid[:8] + "I" + valid[9:], valid[:10] + "O" + valid[11:]]  # I and O are not in the alphabet
    assert len(codes) == 10 and not any(uscc.is_valid(code) for code in codes)
    return codes


@pytest.mark.parametrize("code", invalid_codes())
def test_the_api_refuses_an_invalid_credit_code_with_a_chinese_field_error_and_writes_nothing(code):
    township = TownshipFactory()
    response = api(district_user()).post(
        "/api/v1/enterprises/", {"name": "校验测试有限公司", "credit_code": code, "township": township.pk, "scale": "sme"}
    )
    assert response.status_code == 400, response.content
    errors = response.json()
    assert "credit_code" in errors
    assert "统一社会信用代码" in " ".join(errors["credit_code"])
    assert not Enterprise.objects.exists()
    assert not Transition.objects.exists()


def test_patch_with_a_wrong_check_digit_is_refused_and_changes_nothing():
    firm = EnterpriseFactory()
    before = firm.credit_code
    response = api(district_user()).patch(f"/api/v1/enterprises/{firm.pk}/", {"credit_code": _wrong_check_digit(before)})
    assert response.status_code == 400
    assert "统一社会信用代码" in " ".join(response.json()["credit_code"])
    firm.refresh_from_db()
    assert firm.credit_code == before
    assert not Transition.objects.for_object(firm).exists()


def test_patch_to_another_firms_code_is_refused_with_that_firms_name():
    taken = EnterpriseFactory(name="先登记企业有限公司")
    firm = EnterpriseFactory()
    response = api(district_user()).patch(f"/api/v1/enterprises/{firm.pk}/", {"credit_code": taken.credit_code})
    assert response.status_code == 400 and "先登记企业有限公司" in " ".join(response.json()["credit_code"])


def _history(firm, action):
    return Transition.objects.for_object(firm).filter(action=action)


def test_a_firm_registered_through_the_api_has_its_history_row_with_the_actor():
    user = district_user()
    township = TownshipFactory()
    response = api(user).post(
        "/api/v1/enterprises/",
        {"name": "接口登记有限公司", "credit_code": make_credit_code(77201).lower(), "township": township.pk, "scale": "sme"},
    )
    assert response.status_code == 201, response.content
    firm = Enterprise.objects.get()
    assert firm.credit_code == make_credit_code(77201)  # normalised by the service
    assert _history(firm, "create").get().actor == user


def test_a_firm_changed_through_the_api_has_its_history_row_with_the_actor():
    firm = EnterpriseFactory(registered_headcount=10)
    user = township_user(firm.township)
    response = api(user).patch(f"/api/v1/enterprises/{firm.pk}/", {"registered_headcount": 80})
    assert response.status_code == 200, response.content
    step = _history(firm, "change").get()
    assert step.actor == user and "registered_headcount" in step.comment


def test_a_firm_registered_and_changed_through_the_pages_has_its_history_rows_with_the_actor(client):
    township = TownshipFactory()
    user = township_user(township)
    client.force_login(user)
    form = {"name": "页面登记有限公司", "credit_code": make_credit_code(77301), "township": township.pk, "industry": "C",
            "scale": Scale.SME, "registered_headcount": 30}
    assert client.post(reverse("enterprises:create"), form).status_code == 302
    firm = Enterprise.objects.get()
    assert _history(firm, "create").get().actor == user
    assert client.post(reverse("enterprises:edit", args=[firm.pk]), {**form, "registered_headcount": 31}).status_code == 302
    assert _history(firm, "change").get().actor == user


def test_firms_imported_have_their_history_rows_with_the_actor():
    township = TownshipFactory(name="导入历史镇")
    user = township_user(township)
    rows = [(2, {"name": "导入甲有限公司", "credit_code": make_credit_code(77401), "township": township.name, "scale": "中小微"}),
            (3, {"name": "导入乙有限公司", "credit_code": make_credit_code(77402), "township": township.name, "scale": "规上工业"})]
    assert imports.import_firms(user, rows) == 2
    for firm in Enterprise.objects.all():
        assert _history(firm, "create").get().actor == user


def test_the_import_refuses_what_the_api_refuses():
    township = TownshipFactory(name="导入校验镇")
    rows = [(2, {"name": "导入丙有限公司", "credit_code": invalid_codes()[0], "township": township.name, "scale": "中小微"})]
    from fuyang_portal.workflow import ActionRefused

    with pytest.raises(ActionRefused):
        imports.import_firms(district_user(), rows)
    assert not Enterprise.objects.exists()


# --- permission before validation: the wrong role's empty POST is 403, never 400 ------------------------


@pytest.fixture
def world():
    firm = EnterpriseFactory()
    request = ResumptionRequestFactory(enterprise=firm)
    pass_ = VehiclePassFactory(enterprise=firm)
    return firm, request, pass_


@pytest.mark.parametrize(
    "who,url",
    [
        ("agency", "/api/v1/enterprises/"),
        ("owner", "/api/v1/enterprises/"),
        ("township", "/api/v1/resumption-requests/"),
        ("district", "/api/v1/resumption-requests/"),
        ("township", "/api/v1/headcount-reports/"),
        ("district", "/api/v1/headcount-reports/"),
        ("township", "/api/v1/passes/"),
        ("district", "/api/v1/passes/"),
        ("owner", "/api/v1/resumption-requests/{request}/approve/"),
        ("owner", "/api/v1/resumption-requests/{request}/return/"),
        ("township", "/api/v1/resumption-requests/{request}/submit/"),
        ("owner", "/api/v1/passes/{pass}/approve/"),
        ("owner", "/api/v1/passes/{pass}/revoke/"),
        ("district", "/api/v1/passes/{pass}/approve/"),
    ],
)
def test_an_empty_post_from_the_wrong_role_is_403_not_400(world, who, url):
    firm, request, pass_ = world
    users = {
        "agency": lambda: agency_user(),
        "specialist": lambda: specialist_user(),
        "owner": lambda: enterprise_user(firm),
        "township": lambda: township_user(firm.township),
        "district": lambda: district_user(),
    }
    response = api(users[who]()).post(url.format(request=request.pk, **{"pass": pass_.pk}), {})
    assert response.status_code == 403, (response.status_code, response.content)


def test_an_empty_patch_from_an_agency_is_403_not_400(world):
    from fuyang_portal.models import Agency

    firm = world[0]
    agency = Agency.objects.create(code="A-W", name="测试局", name_en="x", paired_township=firm.township)
    response = api(agency_user(agency)).patch(f"/api/v1/enterprises/{firm.pk}/", {"credit_code": "x"})
    assert response.status_code == 403


# --- every write leaves its history row with its actor; pages offer only what the workflow table allows ------


def test_requests_reports_and_passes_written_through_the_api_have_their_history_rows_with_the_actor():
    import datetime

    from django.utils import timezone

    from enterprises.models import DailyReport, Pass, ResumptionRequest

    firm = EnterpriseFactory()
    owner = enterprise_user(firm)
    client = api(owner)
    assert client.post("/api/v1/headcount-reports/", {"staff_on_site": 9, "staff_away": 1, "capacity_percent": 50}).status_code == 201
    today = timezone.localdate()
    response = client.post(
        "/api/v1/passes/",
        {"kind": "vehicle", "plate": "浙A7H123", "vehicle_type": "car", "driver_name": "赵", "route": "富阳—杭州",
         "mobile": "13905710011", "valid_from": today, "valid_until": today + datetime.timedelta(days=7)},
    )
    assert response.status_code == 201, response.content
    response = client.patch(f"/api/v1/resumption-requests/{ResumptionRequestFactory(enterprise=firm).pk}/", {"masks": 900}, format="multipart")
    assert response.status_code == 200, response.content
    for model, action in ((DailyReport, "create"), (Pass, "create"), (ResumptionRequest, "change")):
        step = Transition.objects.for_object(model.objects.get()).get(action=action)
        assert step.actor == owner


def test_a_submitted_request_cannot_be_edited_through_the_api():
    from enterprises.models import ResumptionStatus

    request = ResumptionRequestFactory(status=ResumptionStatus.SUBMITTED)
    response = api(enterprise_user(request.enterprise)).patch(f"/api/v1/resumption-requests/{request.pk}/", {"masks": 1}, format="multipart")
    assert response.status_code == 409
    request.refresh_from_db()
    assert request.masks == 500


def test_the_request_page_offers_each_user_only_the_actions_the_table_allows(client):
    from enterprises.models import ResumptionStatus

    request = ResumptionRequestFactory(status=ResumptionStatus.SUBMITTED)
    approve = reverse("enterprises:request-approve", args=[request.pk])
    submit = reverse("enterprises:request-submit", args=[request.pk])
    for user, shown in (
        (township_user(request.enterprise.township), {approve}),
        (district_user(), set()),
        (enterprise_user(request.enterprise), set()),
    ):
        client.force_login(user)
        page = client.get(request.get_absolute_url()).content.decode()
        assert {url for url in (approve, submit) if url in page} == shown
    request.status = ResumptionStatus.RETURNED
    request.save()
    client.force_login(enterprise_user(request.enterprise))
    page = client.get(request.get_absolute_url()).content.decode()
    assert submit in page and approve not in page


def test_the_pass_page_offers_the_district_revoking_but_not_issuing(client):
    pass_ = VehiclePassFactory()
    issue, revoke = reverse("enterprises:pass-approve", args=[pass_.pk]), reverse("enterprises:pass-revoke", args=[pass_.pk])
    client.force_login(district_user())
    page = client.get(pass_.get_absolute_url()).content.decode()
    assert revoke in page and issue not in page
    client.force_login(township_user(pass_.enterprise.township))
    page = client.get(pass_.get_absolute_url()).content.decode()
    assert revoke in page and issue in page
    client.force_login(enterprise_user(pass_.enterprise))
    page = client.get(pass_.get_absolute_url()).content.decode()
    assert revoke not in page and issue not in page


def test_a_reviewer_approves_a_batch_in_one_go_with_a_history_row_each():
    from enterprises import services
    from enterprises.models import ResumptionStatus
    from fuyang_portal.workflow import ActionRefused

    township = TownshipFactory()
    requests = [ResumptionRequestFactory(enterprise=EnterpriseFactory(township=township), status=ResumptionStatus.SUBMITTED) for _ in range(3)]
    reviewer = township_user(township)
    services.approve_resumptions(requests, reviewer)
    for request in requests:
        request.refresh_from_db()
        assert request.status == ResumptionStatus.APPROVED and request.reviewed_by == reviewer
        assert Transition.objects.for_object(request).get(action="approve").actor == reviewer
    other = ResumptionRequestFactory(status=ResumptionStatus.SUBMITTED)
    with pytest.raises(ActionRefused):
        services.approve_resumptions([other], reviewer)  # another township's firm
    other.refresh_from_db()
    assert other.status == ResumptionStatus.SUBMITTED
