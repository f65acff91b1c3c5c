"""Home cards with real counts per role, the firm's own specialists, and the district office's deadline rules."""

import pytest
from django.urls import reverse

from specialists import services
from specialists.models import DeadlineRule
from tests.factories import AgencyFactory, agency_user, district_user, enterprise_user, township_user

from .factories import raised_problem

pytestmark = pytest.mark.django_db


def card_values(response):
    return {str(card.label): card.value for card in response.context["cards"]}


def test_home_cards_count_each_roles_work(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # labels compared in English, whatever the translations
    problem, specialist = raised_problem()
    agency = AgencyFactory()
    services.escalate(problem, specialist.user)
    other, other_specialist = raised_problem()
    services.resolve(other, other_specialist.user, "已解决")
    client.force_login(district_user())
    cards = card_values(client.get(reverse("home")))
    assert cards["Escalations to assign"] == 1 and cards["Problems solved"] == 1
    services.assign(problem, district_user(), agency)
    client.force_login(agency_user(agency))
    assert card_values(client.get(reverse("home")))["Our open assignments"] == 1
    client.force_login(specialist.user)
    cards = card_values(client.get(reverse("home")))
    assert cards["My firms"] == 1 and cards["My open problems"] == 0
    client.force_login(township_user(problem.enterprise.township))
    assert card_values(client.get(reverse("home")))["Open problems"] == 1


def test_a_firm_sees_its_own_specialists_and_their_phone(client):
    problem, specialist = raised_problem()
    client.force_login(enterprise_user(problem.enterprise))
    response = client.get(reverse("specialists:specialists"))
    assert response.status_code == 200
    assert [row.record for row in response.context["table"].rows] == [specialist]
    assert specialist.published_mobile in response.content.decode()


def test_only_the_district_office_edits_deadline_rules(client):
    rule = DeadlineRule.objects.get(category="funds")
    url = reverse("specialists:deadline-rule", args=[rule.pk])
    client.force_login(agency_user())
    assert client.post(url, {"working_days": 1}).status_code == 403
    client.force_login(district_user())
    assert client.post(url, {"working_days": 0}).status_code == 200  # at least one working day
    assert client.post(url, {"working_days": 7}).status_code == 302
    rule.refresh_from_db()
    assert rule.working_days == 7
