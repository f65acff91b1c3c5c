"""The demo reproduces the report's figures from rows: 26 charter trips since 14 February 2020, 445 workers.

Loading the enterprises demo takes a while, so one test loads everything once and checks each figure."""

from datetime import date

import pytest
from django.urls import reverse

from enterprises import demo as enterprises_demo
from fuyang_portal import demo as core_demo
from fuyang_portal.models import User
from subsidies import demo, stats
from subsidies.models import CharterTrip, PayoutBatch, SubsidyClaim, TripPassenger, WorkerRegistration

pytestmark = pytest.mark.django_db


def test_the_demo_reproduces_the_report_from_rows_and_loads_once(client, django_capture_on_commit_callbacks):
    core_demo.load()
    enterprises_demo.load()
    with django_capture_on_commit_callbacks(execute=True):  # the pre-checks run once the demo is committed
        demo.load()
    district = User.objects.get(username="district")

    # 26 paid or pending trips carrying 445 workers, counted from the rows, on the statistics page too.
    figures = stats.totals(district)
    assert (figures["trips"], figures["workers"]) == (26, 445)
    assert CharterTrip.objects.filter(status=CharterTrip.Status.COMPLETED).count() == 27  # one more, its claim rejected
    assert not CharterTrip.objects.counted().filter(departure_date__lt=date(2020, 2, 14)).exists()
    client.force_login(district)
    response = client.get(reverse("subsidies:statistics"))
    body = response.content.decode()
    assert '<div class="value" id="stat-trips">26</div>' in body
    assert '<div class="value" id="stat-workers">445</div>' in body
    assert sum(row["workers"] for row in response.context["townships"]) == 445
    assert sum(row["trips"] for row in response.context["provinces"]) == 26

    # The first cross-province charter: 11 workers from Guizhou to Runde in 鹿山街道 on 18 February.
    first = CharterTrip.objects.counted().order_by("departure_date", "pk").first()
    assert first.departure_date == date(2020, 2, 18)
    assert (first.enterprise.name, first.enterprise.township.name) == ("杭州润德车轮制造有限公司", "鹿山街道")
    assert first.origin_province == "520000"
    assert TripPassenger.objects.filter(trip=first, travelled=True).count() == 11

    # Claims in every state, one paid batch, registrations from several provinces.
    assert set(SubsidyClaim.objects.values_list("status", flat=True)) == set(SubsidyClaim.Status.values)
    batch = PayoutBatch.objects.get()
    assert batch.status == PayoutBatch.Status.PAID
    assert SubsidyClaim.objects.filter(status=SubsidyClaim.Status.PAID).count() == batch.items.count() == 14
    provinces = set(WorkerRegistration.objects.values_list("origin_province", flat=True))
    assert "520000" in provinces and len(provinces) >= 6
    rejected = SubsidyClaim.objects.get(status=SubsidyClaim.Status.REJECTED)
    assert [f["code"] for f in rejected.findings] == ["plate_same_day"]
    assert WorkerRegistration.objects.needing_charter().count() == 22  # the demand page has work to show

    # Loading again changes nothing.
    counts = (WorkerRegistration.objects.count(), CharterTrip.objects.count(), SubsidyClaim.objects.count(), PayoutBatch.objects.count())
    demo.load()
    assert counts == (WorkerRegistration.objects.count(), CharterTrip.objects.count(), SubsidyClaim.objects.count(), PayoutBatch.objects.count())
