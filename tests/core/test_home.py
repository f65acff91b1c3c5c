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


# --- the inbox: stale messages of one kind fold into one line -------------------------------------------


def _inbox_fixture(user, stale=21):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from fuyang_portal.models import Notification

    now = datetime(2020, 2, 24, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    for n in range(stale):
        Notification.objects.create(recipient=user, title="A problem was escalated to the district office", url=f"/p/{n}/",
                                    created_at=now - timedelta(days=3, minutes=n))
    for n, firm in enumerate(["甲公司", "乙公司"]):
        Notification.objects.create(recipient=user, title=f"Resumption request to review: {firm}", created_at=now - timedelta(days=2, hours=n))
    Notification.objects.create(recipient=user, title="Your resumption request was approved", created_at=now - timedelta(days=5))  # alone: not folded
    Notification.objects.create(recipient=user, title="A problem was escalated to the district office", created_at=now - timedelta(hours=2))  # fresh
    Notification.objects.create(recipient=user, title="A problem was escalated to the district office", created_at=now - timedelta(days=4),
                                read_at=now - timedelta(days=3))  # read: stays as it is
    return now


def test_stale_unread_messages_of_one_kind_fold_into_one_line_with_their_count(client, settings):
    from tests.factories import district_user

    settings.DEMO_CLOCK = "2020-02-24T10:00:00"
    user = district_user()
    _inbox_fixture(user)
    client.force_login(user)
    response = client.get(reverse("inbox"))
    entries = response.context["entries"]
    described = [(entry["kind"], entry["count"]) if isinstance(entry, dict) else entry.title for entry in entries]
    assert described == [
        "A problem was escalated to the district office",  # two hours old
        ("Resumption request to review", 2),  # same kind, different firms
        ("A problem was escalated to the district office", 21),
        "A problem was escalated to the district office",  # read
        "Your resumption request was approved",
    ]
    html = response.content.decode()
    assert "A problem was escalated to the district office (21)" in html
    # The folded line opens the messages of its kind.
    unfolded = client.get(reverse("inbox"), {"kind": "A problem was escalated to the district office"}).context["entries"]
    assert len(unfolded) == 23


def test_the_inbox_runs_a_fixed_number_of_queries(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import district_user

    settings.DEMO_CLOCK = "2020-02-24T10:00:00"
    counts = []
    for stale in (2, 30):
        user = district_user()
        _inbox_fixture(user, stale)
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("inbox"))
        counts.append(len(queries))
    assert counts[0] == counts[1]
