"""Pages and API answer alike: out of scope 404, not allowed 403 before any input, a wrong state 409 (API) or the
refusal on the form (page); list pages run a bounded number of queries; the public catalogue needs no sign-in."""

import pytest
from django.test import TestCase
from django.urls import reverse

from relief.models import Award
from tests.factories import (
    EnterpriseFactory,
    district_user,
    enterprise_user,
    specialist_user,
    township_user,
)
from tests.relief.factories import make_policy

pytestmark = pytest.mark.django_db
BANK = {"bank": "杭州银行富阳支行", "account_name": "测试企业", "account_number": "6228480012345678"}


@pytest.fixture
def world():
    firm = EnterpriseFactory(registered_headcount=10)
    other = EnterpriseFactory(registered_headcount=10)
    item = make_policy(title="稳岗社保补贴")
    draft = make_policy(title="草稿政策", publish=False)
    return {
        "firm": firm, "other": other, "policy": item, "draft": draft,
        "award": Award.objects.get(policy=item, enterprise=firm), "other_award": Award.objects.get(policy=item, enterprise=other),
        "firm_user": enterprise_user(firm), "district": district_user(), "township": township_user(firm.township),
    }


def test_public_catalogue_lists_policies_in_force_without_sign_in(client, world):
    page = client.get(reverse("relief:catalogue"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "稳岗社保补贴" in text and "草稿政策" not in text


def test_a_firm_sees_its_policies_and_why(client, world):
    client.force_login(world["firm_user"])
    page = client.get(reverse("relief:mine"))
    assert page.status_code == 200
    assert "稳岗社保补贴" in page.content.decode()
    assert str(world["award"].amount) in page.content.decode()


def test_another_firms_award_is_404_on_the_page_and_the_api(client, world):
    client.force_login(world["firm_user"])
    other = world["other_award"]
    assert client.get(reverse("relief:award", args=[other.pk])).status_code == 404
    assert client.post(reverse("relief:award-confirm", args=[other.pk]), BANK).status_code == 404
    assert client.post(reverse("relief-award-confirm", args=[other.pk]), BANK, content_type="application/json").status_code == 404
    other.refresh_from_db()
    assert other.status == Award.Status.PENDING


def test_confirming_on_the_page_and_the_api(client, world):
    client.force_login(world["firm_user"])
    award = world["award"]
    page = client.post(reverse("relief:award-confirm", args=[award.pk]), {"bank": "", "account_name": "", "account_number": ""})
    assert page.status_code == 200  # the form says what is missing
    assert client.post(reverse("relief:award-confirm", args=[award.pk]), BANK).status_code == 302
    award.refresh_from_db()
    assert award.status == Award.Status.CONFIRMED
    again = client.post(reverse("relief-award-confirm", args=[award.pk]), {}, content_type="application/json")
    assert again.status_code == 409


def test_a_township_cannot_confirm_or_batch(client, world):
    client.force_login(world["township"])
    award = world["award"]
    assert client.get(reverse("relief:award", args=[award.pk])).status_code == 200
    assert client.post(reverse("relief:award-confirm", args=[award.pk]), BANK).status_code == 403
    assert client.post(reverse("relief-award-confirm", args=[award.pk]), BANK, content_type="application/json").status_code == 403
    assert client.get(reverse("relief:batch")).status_code == 403
    assert client.post(reverse("relief-award-batch"), {"awards": [award.pk]}, content_type="application/json").status_code == 403


def test_drafts_are_the_district_offices(client, world):
    client.force_login(world["firm_user"])
    assert client.get(reverse("relief:policy", args=[world["draft"].pk])).status_code == 404
    assert client.get(reverse("relief-policy-detail", args=[world["draft"].pk])).status_code == 404
    client.force_login(world["district"])
    assert client.get(reverse("relief:policy", args=[world["draft"].pk])).status_code == 200


def test_the_district_publishes_through_the_api_and_firms_are_matched(client, world):
    client.force_login(world["district"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = client.post(reverse("relief-policy-publish", args=[world["draft"].pk]), content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == "published"
    assert Award.objects.filter(policy=world["draft"]).count() == 2
    again = client.post(reverse("relief-policy-publish", args=[world["draft"].pk]), content_type="application/json")
    assert again.status_code == 409


def test_creating_a_policy_with_an_unknown_field_is_refused_on_the_api(client, world):
    client.force_login(world["district"])
    body = {"code": "x1", "title": "t", "issuer": "i", "issued_on": "2020-02-08", "area": "credit", "mode": "auto", "summary": "s",
            "rule": {"fact": "turnover", "op": "gte", "value": 1}, "benefit": {"fixed": "1"}, "period": "2020-02",
            "valid_from": "2020-02-08", "budget": "100.00"}
    answer = client.post(reverse("relief-policy-list"), body, content_type="application/json")
    assert answer.status_code == 400 and "turnover" in answer.json()["detail"]
    client.force_login(world["firm_user"])
    assert client.post(reverse("relief-policy-list"), body, content_type="application/json").status_code == 403


def test_eligibility_api_for_the_firm_and_its_scope(client, world):
    client.force_login(world["firm_user"])
    mine = client.get(reverse("relief-eligibility-detail", args=[world["firm"].pk]))
    assert mine.status_code == 200
    row = next(r for r in mine.json() if r["policy"] == world["policy"].pk)
    assert row["eligible"] and row["award"] == world["award"].pk and row["lines"]
    assert client.get(reverse("relief-eligibility-detail", args=[world["other"].pk])).status_code == 404


def test_the_specialist_sees_their_firms_only(client, world):
    from datetime import date

    from specialists.models import Assignment, Specialist

    user = specialist_user()
    specialist = Specialist.objects.create(user=user, agency=user.agency, published_mobile="13800000001")
    Assignment.objects.create(specialist=specialist, enterprise=world["firm"], starts_on=date(2020, 2, 1))
    client.force_login(user)
    page = client.get(reverse("relief:nudge"))
    assert page.status_code == 200
    text = page.content.decode()
    assert world["firm"].name in text and world["other"].name not in text
    assert client.get(reverse("relief:firm", args=[world["firm"].pk])).status_code == 200
    assert client.get(reverse("relief:firm", args=[world["other"].pk])).status_code == 404


def test_list_pages_run_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for _ in range(15):
        EnterpriseFactory()
    from relief import services
    services.match_policy(world["policy"].pk)
    client.force_login(world["district"])
    for name in ("relief:awards", "relief:policies", "relief:nudge", "relief:applications", "relief:statistics"):
        with django_assert_max_num_queries(25):
            assert client.get(reverse(name)).status_code == 200
    client.force_login(world["firm_user"])
    with django_assert_max_num_queries(25):
        assert client.get(reverse("relief:mine")).status_code == 200


def test_every_page_renders_for_the_district_office(client, world):
    client.force_login(world["district"])
    pages = [reverse("relief:policy", args=[world["policy"].pk]), reverse("relief:award", args=[world["award"].pk]),
             reverse("relief:policy-create"), reverse("relief:policy-revise", args=[world["policy"].pk]), reverse("relief:batch"),
             reverse("relief:firm", args=[world["firm"].pk]), reverse("relief:awards") + "?_export=xlsx"]
    for url in pages:
        assert client.get(url).status_code == 200, url
