"""The contest's figure (policy reach: firms paid / firms found eligible, per unit, one query), the application API
with its multipart upload, and the admin's read-only pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fuyang_portal.metrics import Level
from relief import metrics, services
from relief.models import Application, Award, Mode
from subsidies import services as payouts
from tests.factories import (
    EnterpriseFactory,
    TownshipFactory,
    UserFactory,
    district_user,
    enterprise_user,
    township_user,
)
from tests.relief.factories import make_policy, pdf

pytestmark = pytest.mark.django_db
BANK = {"bank": "杭州银行富阳支行", "account_name": "测试企业", "account_number": "6228480012345678"}


def test_policy_reach_per_township_in_one_query():
    east, west = TownshipFactory(), TownshipFactory()
    firms = [EnterpriseFactory(township=east), EnterpriseFactory(township=east), EnterpriseFactory(township=west)]
    item = make_policy()
    award = Award.objects.get(policy=item, enterprise=firms[0])
    services.confirm_award(award, enterprise_user(firms[0]), **BANK)
    district = district_user()
    batch, _held = services.batch_awards(district, [award])
    payouts.mark_batch_paid(batch, actor=district, transfer_reference="T-1")
    with CaptureQueriesContext(connection) as queries:
        rows = {row.unit_id: row for row in metrics.policy_reach(Level.TOWNSHIP, date(2020, 2, 24), date(2020, 3, 1))}
    assert len(queries) == 1
    assert (rows[east.pk].numerator, rows[east.pk].denominator) == (Decimal(1), Decimal(2))
    assert rows[west.pk].value == 0
    before = {row.unit_id: row for row in metrics.policy_reach(Level.TOWNSHIP, date(2020, 2, 10), date(2020, 2, 16))}
    assert before == {}  # nothing awarded before the week of 24 February
    drill = metrics.policy_reach_rows(Level.TOWNSHIP, east.pk, date(2020, 2, 24), date(2020, 3, 1))
    assert {(f.pk, f.reached) for f in drill} == {(firms[0].pk, True), (firms[1].pk, False)}


def test_the_application_api_end_to_end(client):
    firm = EnterpriseFactory(registered_headcount=5)
    user = enterprise_user(firm)
    item = make_policy(mode=Mode.APPLY, benefit={"fixed": "3000"})
    client.force_login(user)
    made = client.post(reverse("relief-application-list"), {"policy": item.pk}, content_type="application/json")
    assert made.status_code == 201
    pk = made.json()["id"]
    early = client.post(reverse("relief-application-submit", args=[pk]), content_type="application/json")
    assert early.status_code == 400 and "营业执照" in early.json()["detail"]
    for name in item.current_version.documents:
        answer = client.post(reverse("relief-application-attach", args=[pk]), {"name": name, "file": pdf()})
        assert answer.status_code == 200, answer.content
    assert client.post(reverse("relief-application-submit", args=[pk]), content_type="application/json").status_code == 200
    client.force_login(township_user(firm.township))
    assert client.post(reverse("relief-application-township-approve", args=[pk]), {"reason": "ok"}, content_type="application/json").status_code == 200
    other_township = township_user()
    client.force_login(other_township)
    assert client.get(reverse("relief-application-detail", args=[pk])).status_code == 404
    client.force_login(district_user())
    assert client.post(reverse("relief-application-district-approve", args=[pk]), {}, content_type="application/json").status_code == 200
    assert Application.objects.get(pk=pk).award.amount == 3000
    again = client.post(reverse("relief-application-district-approve", args=[pk]), {}, content_type="application/json")
    assert again.status_code == 409


def test_a_json_body_on_the_upload_is_refused(client):
    firm = EnterpriseFactory()
    user = enterprise_user(firm)
    item = make_policy(mode=Mode.APPLY, benefit={"fixed": "3000"})
    application = services.start_application(user, item)
    client.force_login(user)
    answer = client.post(reverse("relief-application-attach", args=[application.pk]), {"name": "营业执照"}, content_type="application/json")
    assert answer.status_code == 415


def test_admin_pages_read_only(client):
    EnterpriseFactory()
    make_policy()
    admin = UserFactory(role="district", is_superuser=True, is_staff=True)
    client.force_login(admin)
    for model in ("policy", "award", "application", "recovery", "firmbankaccount"):
        page = client.get(reverse(f"admin:relief_{model}_changelist"))
        assert page.status_code == 200, model
        assert client.get(reverse(f"admin:relief_{model}_add")).status_code == 403, model


def test_the_world_helper_builds_every_relief_record():
    from tests.relief.world import relief_objects

    firm = EnterpriseFactory()
    made = relief_objects(firm, enterprise_user(firm), district_user(), "甲")
    assert made["relief_award"].status == Award.Status.PENDING
    assert made["relief_recovery"].award.status == Award.Status.RECOVERY
    assert made["relief_application"].documents.count() == 1
