"""Writes safe to retry: the same Idempotency-Key with the same request gives the first answer and writes nothing
new; with another request it is refused (409); an answer that wrote nothing is not kept. API (header) and the
phone forms (hidden field) alike, signed in or not."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enterprises.models import DailyReport
from fuyang_portal.models import IdempotentRequest
from fuyang_portal.tasks import purge_retired_rows
from specialists.models import Visit
from subsidies.models import WorkerRegistration
from tests.factories import EnterpriseFactory, enterprise_user
from tests.specialists.factories import served_firm
from tests.subsidies.test_registration import REGISTER, form_data

REPORTS = "/api/v1/headcount-reports/"
KEY = "3f6c0b2e-firm-report-0224"


def firm_api():
    """Signed in by token, as a real client is."""
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=enterprise_user(EnterpriseFactory())).key}")
    return client


@pytest.mark.django_db
def test_the_same_key_twice_writes_one_report_and_answers_the_same():
    client = firm_api()
    body = {"staff_on_site": 40, "staff_away": 3, "capacity_percent": 80}
    first = client.post(REPORTS, body, HTTP_IDEMPOTENCY_KEY=KEY)
    second = client.post(REPORTS, body, HTTP_IDEMPOTENCY_KEY=KEY)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json() and second["Idempotent-Replayed"] == "true"
    assert DailyReport.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused_and_writes_nothing():
    client = firm_api()
    client.post(REPORTS, {"staff_on_site": 40, "staff_away": 3, "capacity_percent": 80}, HTTP_IDEMPOTENCY_KEY=KEY)
    other = client.post(REPORTS, {"staff_on_site": 41, "staff_away": 3, "capacity_percent": 80}, HTTP_IDEMPOTENCY_KEY=KEY)
    assert other.status_code == 409 and "Idempotency-Key" in other.json()["detail"]
    assert DailyReport.objects.get().staff_on_site == 40


@pytest.mark.django_db
def test_a_refused_first_answer_is_not_kept_so_the_corrected_request_goes_through():
    client = firm_api()
    bad = client.post(REPORTS, {"staff_on_site": -1, "staff_away": 3, "capacity_percent": 80}, HTTP_IDEMPOTENCY_KEY=KEY)
    assert bad.status_code == 400 and not IdempotentRequest.objects.exists()
    good = client.post(REPORTS, {"staff_on_site": 4, "staff_away": 3, "capacity_percent": 80}, HTTP_IDEMPOTENCY_KEY=KEY)
    assert good.status_code == 201 and DailyReport.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_their_user():
    body = {"staff_on_site": 40, "staff_away": 3, "capacity_percent": 80}
    assert firm_api().post(REPORTS, body, HTTP_IDEMPOTENCY_KEY=KEY).status_code == 201
    assert firm_api().post(REPORTS, body, HTTP_IDEMPOTENCY_KEY=KEY).status_code == 201  # another firm, its own report
    assert DailyReport.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["short", "x" * 101, "空格 不行 的键值啊啊"])
def test_a_malformed_key_is_refused_before_anything_is_written(key):
    response = firm_api().post(REPORTS, {"staff_on_site": 4, "staff_away": 3, "capacity_percent": 80}, HTTP_IDEMPOTENCY_KEY=key.encode().decode("latin-1"))
    assert response.status_code == 400 and not DailyReport.objects.exists()


@pytest.mark.django_db
def test_a_specialists_visit_form_sent_twice_logs_one_visit():
    firm, specialist = served_firm()
    browser = Client()
    browser.force_login(specialist.user)
    page = browser.get(reverse("specialists:visit-new")).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
    form = {"enterprise": firm.pk, "visited_on": timezone.localdate().isoformat(), "mode": "phone", "notes": "电话回访", "idempotency_key": key}
    first = browser.post(reverse("specialists:visit-new"), form)
    second = browser.post(reverse("specialists:visit-new"), form)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Visit.objects.count() == 1


@pytest.mark.django_db
def test_the_public_registration_sent_twice_registers_once():
    browser = Client()
    page = browser.get(REGISTER).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
    data = {**form_data(EnterpriseFactory()), "idempotency_key": key}
    assert browser.post(REGISTER, data).status_code == 302
    assert Client().post(REGISTER, data).status_code == 302  # the phone's retry, without its cookies
    assert WorkerRegistration.objects.count() == 1


@pytest.mark.django_db
def test_sign_in_forms_carry_no_key(client):
    assert "idempotency_key" not in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_keys_are_kept_a_day_at_least_then_forgotten(settings):
    client = firm_api()
    client.post(REPORTS, {"staff_on_site": 40, "staff_away": 3, "capacity_percent": 80}, HTTP_IDEMPOTENCY_KEY=KEY)
    settings.IDEMPOTENCY_KEEP_HOURS = 1  # below the floor: a day is kept whatever the setting
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(hours=23))
    assert purge_retired_rows() == 0
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert purge_retired_rows() == 1 and not IdempotentRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_once_write_one_report():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer; the race needs PostgreSQL (CI)")
    user = enterprise_user(EnterpriseFactory())
    body = {"staff_on_site": 40, "staff_away": 3, "capacity_percent": 80}
    answers, start = [], threading.Barrier(2)

    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=user).key

    def send():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        start.wait()
        answers.append(client.post(REPORTS, body, HTTP_IDEMPOTENCY_KEY=KEY))
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answer.status_code for answer in answers) == [201, 201]
    assert DailyReport.objects.count() == 1
