"""The time-limit rules in the admin: editing one writes a new version through the service; the loop's records open."""

import pytest
from django.urls import reverse

from specialists.models import DeadlineRule
from tests.factories import agency_user, district_user

pytestmark = pytest.mark.django_db


def test_the_admin_edits_a_rule_as_a_new_version_and_opens_the_loops_pages(client):
    admin = district_user(is_superuser=True, is_staff=True)
    client.force_login(admin)
    rule = DeadlineRule.objects.get(category="energy")
    before = rule.versions.count()
    page = client.get(reverse("admin:specialists_deadlinerule_change", args=[rule.pk]))
    assert page.status_code == 200
    data = {name: getattr(rule, name) for name in DeadlineRule.LIMIT_FIELDS}
    data.update(sign_for_hours=1, **{"versions-TOTAL_FORMS": 0, "versions-INITIAL_FORMS": 0})
    response = client.post(reverse("admin:specialists_deadlinerule_change", args=[rule.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.sign_for_hours == 1 and rule.versions.count() == before + 1
    assert rule.versions.order_by("-version").first().changed_by == admin
    for model in ("supervision", "callback", "problempart", "agencyhead", "deadlinerule"):
        assert client.get(reverse(f"admin:specialists_{model}_changelist")).status_code == 200


def test_a_non_district_staff_member_cannot_change_a_rule(client):
    clerk = agency_user(is_staff=True, is_superuser=False)
    client.force_login(clerk)
    rule = DeadlineRule.objects.get(category="energy")
    assert client.get(reverse("admin:specialists_deadlinerule_change", args=[rule.pk])).status_code in (302, 403)
