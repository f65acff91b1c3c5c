"""The demo reproduces the report's figures from rows: 26 charter trips since 14 February 2020, 445 workers,
written by the services as the story's people at the story's times.

"""

from datetime import date, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from fuyang_portal.models import Transition, User
from subsidies import stats
from subsidies.models import CharterTrip, PayoutBatch, SubsidyClaim, SubsidyPolicy, TripPassenger, WorkerRegistration

STORY = timezone.make_aware(datetime(2020, 2, 24, 10, 0))

pytestmark = pytest.mark.django_db


def test_the_demo_reproduces_the_report_from_rows_and_loads_once(story, client):
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

    # Claims in every state, one batch paid and one awaiting the transfer, registrations from several provinces.
    assert set(SubsidyClaim.objects.values_list("status", flat=True)) == set(SubsidyClaim.Status.values)
    # The charter claims' batches (the relief awards have their own in the same series).
    paid, waiting = PayoutBatch.objects.filter(items__claim__isnull=False).distinct().order_by("created_at")
    assert (paid.status, waiting.status) == (PayoutBatch.Status.PAID, PayoutBatch.Status.OPEN)
    assert (paid.number, waiting.number) == ("ZF20200223-001", "ZF20200224-001")  # numbered by the story's date
    assert SubsidyClaim.objects.filter(status=SubsidyClaim.Status.PAID).count() == paid.items.count() == 14
    assert SubsidyClaim.objects.filter(status=SubsidyClaim.Status.BATCHED).count() == waiting.items.count() == 2
    provinces = set(WorkerRegistration.objects.values_list("origin_province", flat=True))
    assert "520000" in provinces and len(provinces) >= 6
    rejected = SubsidyClaim.objects.get(status=SubsidyClaim.Status.REJECTED)
    assert [f["code"] for f in rejected.findings] == ["plate_same_day"]
    # The demand page has work to show: registered returning workers without a seat yet, the charter story's 22
    # and those the labour matching and the township programmes registered.
    assert WorkerRegistration.objects.needing_charter().count() == 29

    # Every row was written by the services at the story's time, nothing after Monday 10:00; every step of a
    # trip, claim, batch or policy has its actor (only workers on the public form register without an account).
    for model in (WorkerRegistration, CharterTrip, SubsidyClaim, PayoutBatch, SubsidyPolicy):
        assert not model.objects.filter(created_at__gt=STORY).exists(), model
        # The charter programme opened on 14 February; workers returning from 10 February (the township
        # programmes' lodgers, tests/demo/test_programmes.py) registered from the 8th.
        opened = datetime(2020, 2, 8 if model is WorkerRegistration else 14, tzinfo=STORY.tzinfo)
        assert not model.objects.filter(created_at__lt=opened).exists(), model
    ours = Transition.objects.filter(content_type__in=ContentType.objects.get_for_models(
        WorkerRegistration, CharterTrip, SubsidyClaim, PayoutBatch, SubsidyPolicy).values())
    assert not ours.filter(at__gt=STORY).exists()
    assert ours.filter(content_type=ContentType.objects.get_for_model(WorkerRegistration)).count() == WorkerRegistration.objects.count()
    assert ours.filter(content_type=ContentType.objects.get_for_model(SubsidyClaim), action="create").count() == SubsidyClaim.objects.count()
    assert not ours.exclude(content_type=ContentType.objects.get_for_model(WorkerRegistration)).filter(actor__isnull=True).exists()
    public = WorkerRegistration.objects.filter(source=WorkerRegistration.Source.PUBLIC)
    assert ours.filter(actor__isnull=True).count() == public.count() > 0
    assert ours.filter(actor__isnull=True, object_id__in=[str(pk) for pk in public.values_list("pk", flat=True)]).count() == public.count()
    assert not SubsidyClaim.objects.filter(prechecked_at__gt=STORY).exists()
    assert not PayoutBatch.objects.filter(paid_at__gt=STORY).exists()
    assert not User.objects.filter(username__startswith="charter", firm_account__isnull=True).exists()
    # A second load writing nothing is proven for the whole demo in test_clock.py.
