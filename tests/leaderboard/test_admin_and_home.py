"""Admin pages for every contest model, status read-only there; home cards with real counts."""

import pytest
from django.urls import reverse

from leaderboard import services
from leaderboard.models import ContestWeek, Indicator
from tests.factories import UserFactory, township_user
from tests.leaderboard.conftest import enter_deductions
from tests.leaderboard.factories import MONDAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize("model", ["indicator", "levelsetting", "contestweek", "score", "unitresult", "inspectionscore"])
def test_admin_changelists_open(admin_client, contest, district, model):
    enter_deductions(contest, district, MONDAY)
    services.compute_week("township", MONDAY, actor=district)
    assert admin_client.get(reverse(f"admin:leaderboard_{model}_changelist")).status_code == 200


def test_admin_publish_action_goes_through_the_service_and_refuses_a_missing_score(admin_client, contest, district):
    week = services.compute_week("township", MONDAY, actor=district)  # no inspection scores entered
    response = admin_client.post(
        reverse("admin:leaderboard_contestweek_changelist"), {"action": "publish", "_selected_action": [week.pk]}, follow=True
    )
    assert response.status_code == 200
    week.refresh_from_db()
    assert week.status == ContestWeek.Status.DRAFT
    page = admin_client.get(reverse("admin:leaderboard_contestweek_change", args=[week.pk]))
    assert 'name="status"' not in page.content.decode()  # read-only


def test_admin_indicator_edit_writes_a_new_version(admin_client):
    indicator = Indicator.objects.get(code="satisfaction")
    url = reverse("admin:leaderboard_indicator_change", args=[indicator.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(levels='["township", "group"]', weight_township="12", active="on")
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update({"changes-TOTAL_FORMS": "1", "changes-INITIAL_FORMS": "1", "changes-MIN_NUM_FORMS": "0", "changes-MAX_NUM_FORMS": "1000"})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    indicator.refresh_from_db()
    assert indicator.weight_township == 12 and indicator.version == 3


def test_home_cards_count_drafts_for_the_district_and_show_the_township_rank(client, contest, district):
    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    client.force_login(district)
    cards = client.get(reverse("home")).context["cards"]
    assert [card.value for card in cards if card.url.endswith("?status=draft")] == [1]
    services.publish_week(week, district)
    client.force_login(township_user(contest["towns"][0]))
    cards = client.get(reverse("home")).context["cards"]
    assert [card.value for card in cards if "leaderboard" in card.url] == [1]
