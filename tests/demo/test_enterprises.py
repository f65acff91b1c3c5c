"""The demo reproduces the report's figures from rows built through the services by the story's people, at the
story's times, and a second load changes nothing."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from enterprises import demo, metrics
from enterprises.models import DailyReport, Enterprise, Pass, PassKind, PassStatus, ResumptionRequest, ResumptionStatus, Scale
from fuyang_portal.metrics import Level
from fuyang_portal.models import Transition

pytestmark = pytest.mark.django_db


def test_demo_figures(story):
    now = demo.STORY_NOW
    above = Enterprise.objects.filter(scale=Scale.ABOVE_SCALE)
    assert above.count() == 558 and above.filter(industry="C").count() == 558
    assert above.resumed_as_of(now).count() == 558
    assert Enterprise.objects.filter(village__isnull=False, community__isnull=False).count() == 0
    states = set(ResumptionRequest.objects.values_list("status", flat=True))
    assert states == set(ResumptionStatus.values)
    key_talent = Enterprise.objects.filter(tags__code="key-talent")
    assert key_talent.count() >= 70
    issued = Pass.objects.filter(enterprise__in=key_talent, issued_at__isnull=False)
    assert issued.filter(kind=PassKind.VEHICLE).count() >= 300
    assert issued.filter(kind=PassKind.EMPLOYEE).count() >= 3500
    # every township has firms; the weekly contest moves: not all above-scale firms resumed in week one
    assert Enterprise.objects.values("township").distinct().count() == 24
    # No firm resumed before 24:00 on 9 February (none is flagged an essential supplier); all 558 by 23 February.
    week1 = metrics.above_scale_resumption_rate(Level.TOWNSHIP, datetime.date(2020, 2, 3), datetime.date(2020, 2, 9))
    week2 = metrics.above_scale_resumption_rate(Level.TOWNSHIP, datetime.date(2020, 2, 10), datetime.date(2020, 2, 16))
    week3 = metrics.above_scale_resumption_rate(Level.TOWNSHIP, datetime.date(2020, 2, 17), datetime.date(2020, 2, 23))
    assert sum(r.numerator for r in week1) == 0
    assert 0 < sum(r.numerator for r in week2) < 558 == sum(r.numerator for r in week3)
    assert not ResumptionRequest.objects.filter(approved_at__lt=demo.RESUMPTION_OPENS).exists()
    sme = Enterprise.objects.filter(scale=Scale.SME)
    assert 0.8 < sme.resumed_as_of(now).count() / sme.count() < 0.9
    assert not Enterprise.objects.values("credit_code").annotate(n=Count("pk")).filter(n__gt=1).exists()
    # Every record was written through a service, by someone, at the time of the story.
    for model in (Enterprise, ResumptionRequest, DailyReport, Pass):
        history = Transition.objects.filter(content_type=ContentType.objects.get_for_model(model))
        assert not history.filter(at__gt=now).exists(), model
        assert history.filter(action="create").count() == model.objects.count()
        assert not history.filter(actor__isnull=True).exists(), model
    approvals = Transition.objects.filter(content_type=ContentType.objects.get_for_model(ResumptionRequest), action="approve")
    assert approvals.count() == ResumptionRequest.objects.filter(status=ResumptionStatus.APPROVED).count()
    assert not approvals.exclude(actor__role="township").exists()
    assert not Pass.objects.filter(applied_at__gt=now).exists() and not Pass.objects.filter(issued_at__gt=now).exists()
    issued = Pass.objects.filter(status=PassStatus.ISSUED)
    assert issued.filter(kind=PassKind.VEHICLE).count() == 322 and issued.filter(kind=PassKind.EMPLOYEE).count() == 3562
    # A second load writing nothing is proven for the whole demo in test_clock.py.
