"""No dead ends for firms and township reviewers: a resumed firm is told why instead of being given a form it
could not submit; both plans are required (and checked) before anything is saved unless the firm saves a draft;
after a review decision the next request or pass of the queue opens; refusals answer as before."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enterprises import services
from enterprises.models import PassStatus, ResumptionRequest, ResumptionStatus
from fuyang_portal.workflow import ActionRefused
from tests.enterprises.factories import PDF_BYTES, PNG_BYTES, ApprovedRequestFactory, ResumptionRequestFactory, VehiclePassFactory
from tests.factories import EnterpriseFactory, district_user, enterprise_user, township_user

pytestmark = pytest.mark.django_db

NEW = reverse("enterprises:request-new")


def form_data(**extra):
    return {
        "planned_date": timezone.localdate().isoformat(),
        "staff_local": 30,
        "staff_outside": 12,
        "masks": 1000,
        "thermometers": 5,
        "disinfectant_litres": 40,
        "resumption_plan": SimpleUploadedFile("复工方案.pdf", PDF_BYTES),
        "prevention_plan": SimpleUploadedFile("防控方案.png", PNG_BYTES),
        **extra,
    }


def without_plans(**extra):
    data = form_data(**extra)
    del data["resumption_plan"], data["prevention_plan"]
    return data


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def count_queries(call):
    with CaptureQueriesContext(connection) as queries:
        response = call()
    return response, len(queries)


# --- a resumed firm is told why, not given a form ------------------------------------------------------


@pytest.fixture
def resumed():
    approved = ApprovedRequestFactory(approved_at=timezone.make_aware(datetime.datetime(2020, 2, 12, 10, 0)))
    return approved, enterprise_user(approved.enterprise)


def test_a_resumed_firm_is_not_offered_a_new_request_and_reads_why(client, resumed):
    approved, owner = resumed
    client.force_login(owner)
    for url in (approved.enterprise.get_absolute_url(), reverse("enterprises:requests")):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200
        assert f'href="{NEW}"' not in page
        assert response.context["filing_blocked"] and "2020-02-12" in page
        assert approved.get_absolute_url() in page


def test_the_new_request_page_answers_a_resumed_firm_with_the_reason_instead_of_the_form(client, resumed):
    approved, owner = resumed
    client.force_login(owner)
    response = client.get(NEW)
    assert response.status_code == 200
    assert "form" not in response.context and "<form" not in response.content.decode().split("<main", 1)[-1]
    assert "2020-02-12" in response.content.decode() and approved.get_absolute_url() in response.content.decode()
    # Posting anyway changes nothing.
    response = client.post(NEW, {**form_data(), "submit": "1"})
    assert response.status_code == 409
    assert list(ResumptionRequest.objects.values_list("pk", flat=True)) == [approved.pk]


def test_a_firm_whose_request_awaits_review_is_told_so_instead_of_a_form(client):
    waiting = ResumptionRequestFactory(status=ResumptionStatus.SUBMITTED, submitted_at=timezone.now())
    client.force_login(enterprise_user(waiting.enterprise))
    response = client.get(NEW)
    assert response.status_code == 200 and "form" not in response.context
    assert f"#{waiting.pk}" in response.context["blocked"]


def test_the_service_still_refuses_a_new_request_of_a_resumed_firm(resumed):
    approved, owner = resumed
    with pytest.raises(ActionRefused) as refusal:
        services.file_request(owner, approved.enterprise, planned_date=timezone.localdate())
    assert refusal.value.code == ActionRefused.CONFLICT and "2020-02-12" in str(refusal.value.message)
    with pytest.raises(ActionRefused):
        services.file_requests([(owner, approved.enterprise, {"planned_date": timezone.localdate()})])
    assert ResumptionRequest.objects.count() == 1


def test_the_api_refuses_a_new_request_of_a_resumed_firm(resumed):
    approved, owner = resumed
    client = APIClient()
    client.force_authenticate(owner)
    response = client.post(
        "/api/v1/resumption-requests/",
        {"planned_date": timezone.localdate().isoformat(), "resumption_plan": SimpleUploadedFile("a.pdf", PDF_BYTES)},
        format="multipart",
    )
    assert response.status_code == 409
    assert ResumptionRequest.objects.count() == 1


def test_a_stranded_draft_offers_neither_submit_nor_edit_and_approved_still_shows(client, resumed):
    approved, owner = resumed
    stranded = ResumptionRequestFactory(enterprise=approved.enterprise)  # filed before the check existed
    client.force_login(owner)
    response = client.get(stranded.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("enterprises:request-submit", args=[stranded.pk]) not in page
    assert reverse("enterprises:request-edit", args=[stranded.pk]) not in page
    assert "2020-02-12" in page and approved.get_absolute_url() in page
    # The firm's page still counts it resumed and names the approved request.
    firm_page = client.get(approved.enterprise.get_absolute_url())
    assert firm_page.context["resumed"] and firm_page.context["current_request"] == approved
    # The service refuses the submission as before.
    with pytest.raises(ActionRefused):
        services.submit_resumption(stranded, owner)


def test_a_firm_not_yet_approved_is_offered_the_form(client):
    firm = EnterpriseFactory()
    client.force_login(enterprise_user(firm))
    assert f'href="{NEW}"' in client.get(firm.get_absolute_url()).content.decode()
    assert client.get(NEW).context["form"] is not None


def test_staff_still_get_403_on_the_new_request_page(client):
    for user in (township_user(), district_user()):
        client.force_login(user)
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, {**form_data(), "submit": "1"}).status_code == 403
    assert not ResumptionRequest.objects.exists()


# --- both plans required before anything is saved -------------------------------------------------------


def test_both_plans_are_marked_required_on_the_form(client):
    client.force_login(enterprise_user())
    page = client.get(NEW).content.decode()
    for name in ("resumption_plan", "prevention_plan"):
        tag = page.split(f'name="{name}"', 1)[1].split(">", 1)[0]
        assert "required" in tag
        label = page.split(f'for="id_{name}"', 1)[1].split("</label>", 1)[0]
        assert 'class="text-danger"' in label  # the visible marker
    # "Save draft" deliberately skips the browser's check.
    assert 'name="save" formnovalidate' in page


def test_submitting_without_plans_saves_nothing_and_says_so_on_the_fields(client):
    client.force_login(enterprise_user())
    response = client.post(NEW, {**without_plans(), "submit": "1"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["resumption_plan"] and errors["prevention_plan"]
    assert not ResumptionRequest.objects.exists()
    response = client.post(NEW, {**form_data(prevention_plan=""), "submit": "1"})
    assert list(response.context["form"].errors) == ["prevention_plan"]
    assert not ResumptionRequest.objects.exists()


def test_saving_a_draft_without_plans_is_allowed_and_said_to_be_unsubmitted(client):
    client.force_login(enterprise_user())
    response = client.post(NEW, {**without_plans(), "save": "1"})
    draft = ResumptionRequest.objects.get()
    assert response.status_code == 302 and draft.status == ResumptionStatus.DRAFT
    assert any("草稿" in text or "draft" in text for text in messages_of(response))


def test_a_returned_request_keeps_its_plans_when_resubmitted(client):
    request = ResumptionRequestFactory(status=ResumptionStatus.RETURNED, submitted_at=timezone.now(), return_reason="补充")
    client.force_login(enterprise_user(request.enterprise))
    page = client.get(reverse("enterprises:request-edit", args=[request.pk])).content.decode()
    assert "required" not in page.split('name="resumption_plan"', 1)[1].split(">", 1)[0]  # already attached
    response = client.post(reverse("enterprises:request-edit", args=[request.pk]), {**without_plans(staff_local=31), "submit": "1"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ResumptionStatus.RESUBMITTED and request.staff_local == 31 and request.has_both_plans


def test_a_submission_the_service_refuses_saves_nothing(client, resumed):
    approved, owner = resumed
    returned = ResumptionRequestFactory(enterprise=approved.enterprise, status=ResumptionStatus.RETURNED, staff_local=20)
    client.force_login(owner)
    response = client.post(reverse("enterprises:request-edit", args=[returned.pk]), {**form_data(staff_local=99), "submit": "1"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    returned.refresh_from_db()
    assert returned.status == ResumptionStatus.RETURNED and returned.staff_local == 20


# --- next in the queue ----------------------------------------------------------------------------------


def queue_of(township, n):
    start = timezone.now() - datetime.timedelta(hours=n)
    return [
        ResumptionRequestFactory(
            enterprise=EnterpriseFactory(township=township), status=ResumptionStatus.SUBMITTED,
            submitted_at=start + datetime.timedelta(minutes=10 * i),
        )
        for i in range(n)
    ]


def test_after_each_decision_the_next_request_of_the_queue_opens_then_the_empty_queue(client):
    firm = EnterpriseFactory()
    first, second, third = queue_of(firm.township, 3)
    # Another township's request, older than all: never offered.
    ResumptionRequestFactory(status=ResumptionStatus.SUBMITTED, submitted_at=timezone.now() - datetime.timedelta(days=3))
    client.force_login(township_user(firm.township))

    response = client.post(reverse("enterprises:request-approve", args=[first.pk]), {"comment": ""})
    assert response.status_code == 302 and response["Location"] == second.get_absolute_url()
    said = " ".join(messages_of(response))
    assert f"#{first.pk}" in said and first.enterprise.name in said and f"#{second.pk}" in said

    response = client.post(reverse("enterprises:request-return", args=[second.pk]), {"reason": "请补充防控方案"})
    assert response["Location"] == third.get_absolute_url()
    assert f"#{second.pk}" in " ".join(messages_of(response))

    response = client.post(reverse("enterprises:request-approve", args=[third.pk]), {"comment": ""})
    assert response["Location"] == reverse("enterprises:queue")
    done, empty = messages_of(response)[-2:]  # (messages pile up until a page shows them)
    assert f"#{third.pk}" in done and f"#{third.pk}" not in empty
    statuses = dict(ResumptionRequest.objects.filter(pk__in=[first.pk, second.pk, third.pk]).values_list("pk", "status"))
    assert statuses == {first.pk: "approved", second.pk: "returned", third.pk: "approved"}


def test_refusals_of_a_review_answer_as_before(client):
    request = queue_of(EnterpriseFactory().township, 1)[0]
    client.force_login(enterprise_user(request.enterprise))
    assert client.post(reverse("enterprises:request-approve", args=[request.pk]), {}).status_code == 403
    client.force_login(township_user())
    assert client.post(reverse("enterprises:request-approve", args=[request.pk]), {}).status_code == 404
    draft = ResumptionRequestFactory(enterprise=EnterpriseFactory(township=request.enterprise.township))
    client.force_login(township_user(request.enterprise.township))
    response = client.post(reverse("enterprises:request-approve", args=[draft.pk]), {})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert client.post(reverse("enterprises:request-return", args=[request.pk]), {"reason": ""}).status_code == 200
    assert ResumptionRequest.objects.get(pk=request.pk).status == ResumptionStatus.SUBMITTED


def test_the_next_request_costs_the_same_queries_whatever_the_queue_length(client):
    firm = EnterpriseFactory()
    reviewer = township_user(firm.township)
    client.force_login(reviewer)
    short = queue_of(firm.township, 2)
    _r, few = count_queries(lambda: client.post(reverse("enterprises:request-approve", args=[short[0].pk]), {}))
    long = queue_of(firm.township, 12)
    _r, many = count_queries(lambda: client.post(reverse("enterprises:request-approve", args=[long[0].pk]), {}))
    assert many == few


def test_after_issuing_a_pass_the_next_pending_pass_opens(client):
    first = VehiclePassFactory()
    township = first.enterprise.township
    second = VehiclePassFactory(enterprise=EnterpriseFactory(township=township))
    VehiclePassFactory()  # another township's
    client.force_login(township_user(township))
    response = client.post(reverse("enterprises:pass-approve", args=[first.pk]), {"comment": ""})
    assert response["Location"] == second.get_absolute_url()
    response = client.post(reverse("enterprises:pass-approve", args=[second.pk]), {"comment": ""})
    assert response["Location"] == reverse("enterprises:pass-queue")
    # Revoking an issued pass is not queue work: back to the pass.
    response = client.post(reverse("enterprises:pass-revoke", args=[second.pk]), {"reason": "车辆已更换"})
    assert response["Location"] == second.get_absolute_url()
    assert set(type(first).objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {PassStatus.ISSUED, PassStatus.REVOKED}


def test_the_district_office_revoking_a_pending_pass_goes_back_to_it(client):
    pass_ = VehiclePassFactory()
    VehiclePassFactory(enterprise=EnterpriseFactory(township=pass_.enterprise.township))
    client.force_login(district_user())
    response = client.post(reverse("enterprises:pass-revoke", args=[pass_.pk]), {"reason": "重复申请"})
    assert response["Location"] == pass_.get_absolute_url()


def test_a_firm_cannot_issue_its_own_pass(client):
    pass_ = VehiclePassFactory()
    client.force_login(enterprise_user(pass_.enterprise))
    assert client.post(reverse("enterprises:pass-approve", args=[pass_.pk]), {}).status_code == 403


# --- the pages changed run a fixed number of queries ------------------------------------------------------


def test_the_firm_pages_with_the_reason_run_a_fixed_number_of_queries(client, resumed):
    approved, owner = resumed
    client.force_login(owner)
    urls = [approved.enterprise.get_absolute_url(), reverse("enterprises:requests"), NEW, approved.get_absolute_url()]
    for url in urls:  # warm up: content types, the reference lists
        client.get(url)
    before = [count_queries(lambda url=url: client.get(url))[1] for url in urls]
    for _ in range(5):
        ResumptionRequestFactory(enterprise=approved.enterprise, status=ResumptionStatus.RETURNED)
    for url in urls:  # the factories' new townships: the reference lists are read again once (fuyang_portal.reference)
        client.get(url)
    after = [count_queries(lambda url=url: client.get(url))[1] for url in urls]
    assert after == before


def test_the_home_card_keeps_showing_approved_over_a_later_draft():
    from django.utils import timezone

    from enterprises.models import ResumptionStatus
    from fuyang_portal.navigation import cards_for
    from tests.enterprises.factories import ResumptionRequestFactory
    from tests.factories import EnterpriseFactory, enterprise_user

    firm = EnterpriseFactory()
    owner = enterprise_user(firm)
    approved = ResumptionRequestFactory(enterprise=firm, status=ResumptionStatus.APPROVED, approved_at=timezone.now())
    ResumptionRequestFactory(enterprise=firm, status=ResumptionStatus.DRAFT)  # stranded before such drafts were refused
    [card] = [card for card in cards_for(owner) if card.url.endswith(approved.get_absolute_url())]
    assert str(card.value) == str(ResumptionStatus.APPROVED.label)
