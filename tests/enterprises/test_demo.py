"""The demo reproduces the report's figures from rows, and a second load changes nothing."""

import datetime

import pytest
from django.db.models import Count
from django.utils import timezone

from enterprises import demo, metrics
from enterprises.models import DailyReport, Enterprise, Pass, PassKind, ResumptionRequest, ResumptionStatus, Scale
from fuyang_portal import demo as core_demo
from fuyang_portal.metrics import Level

pytestmark = pytest.mark.django_db


def test_demo_figures_and_idempotence():
    core_demo.load()
    demo.load()
    counts = (Enterprise.objects.count(), ResumptionRequest.objects.count(), DailyReport.objects.count(), Pass.objects.count())
    now = timezone.now()
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
    week1 = metrics.above_scale_resumption_rate(Level.TOWNSHIP, datetime.date(2020, 2, 3), datetime.date(2020, 2, 9))
    last = metrics.above_scale_resumption_rate(Level.TOWNSHIP, datetime.date(2020, 3, 2), datetime.date(2020, 3, 8))
    assert 0 < sum(r.numerator for r in week1) < 558 == sum(r.numerator for r in last)
    sme = Enterprise.objects.filter(scale=Scale.SME)
    assert 0.8 < sme.resumed_as_of(now).count() / sme.count() < 0.9
    assert not Enterprise.objects.values("credit_code").annotate(n=Count("pk")).filter(n__gt=1).exists()
    demo.load()
    assert counts == (Enterprise.objects.count(), ResumptionRequest.objects.count(), DailyReport.objects.count(), Pass.objects.count())
