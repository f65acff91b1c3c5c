"""Each role's home page shows real counts from the database."""

import pytest
from django.urls import reverse

from fuyang_portal import demo
from fuyang_portal.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["district", "fuchun", "jingxin", "specialist"])
def test_every_demo_role_reaches_its_home_page(client, username):
    demo.load()
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["cards"], "each role has something on its home page"


def test_the_district_home_counts_the_district(client):
    demo.load()
    client.force_login(User.objects.get(username="district"))
    cards = {str(card.label): card.value for card in client.get(reverse("home")).context["cards"]}
    assert cards["镇街"] == 24 and cards["行政村"] == 276
    assert cards["区级机关"] == 65 and cards["社区机关组团"] == 50


def test_a_township_home_counts_only_its_own_township(client):
    demo.load()
    user = User.objects.get(username="fuchun")
    client.force_login(user)
    values = [card.value for card in client.get(reverse("home")).context["cards"]]
    assert user.township.villages.count() in values and 276 not in values
