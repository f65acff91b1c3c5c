"""Headcount reports: one per firm per day, and the township's views of them."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from enterprises import services
from enterprises.models import DailyReport
from fuyang_portal.workflow import ActionRefused
from tests.enterprises.factories import DailyReportFactory
from tests.factories import EnterpriseFactory, enterprise_user, township_user

pytestmark = pytest.mark.django_db


def test_a_firm_reports_once_a_day():
    firm = EnterpriseFactory()
    user = enterprise_user(firm)
    services.file_report(user, firm, staff_on_site=40, staff_away=10, capacity_percent=70)
    with pytest.raises(ActionRefused) as refusal:
        services.file_report(user, firm, staff_on_site=41, staff_away=9, capacity_percent=71)
    assert refusal.value.code == ActionRefused.CONFLICT
    assert "已" in str(refusal.value.message) or "already" in str(refusal.value.message)
    assert DailyReport.objects.get().staff_on_site == 40


def test_the_database_refuses_a_second_report_for_the_same_day():
    report = DailyReportFactory()
    with pytest.raises(IntegrityError):
        DailyReportFactory(enterprise=report.enterprise, date=report.date)


def test_another_firm_cannot_report_for_this_one():
    firm = EnterpriseFactory()
    with pytest.raises(ActionRefused):
        services.file_report(enterprise_user(), firm, staff_on_site=1, staff_away=0, capacity_percent=10)
    assert not DailyReport.objects.exists()


def test_capacity_above_100_is_refused():
    firm = EnterpriseFactory()
    with pytest.raises(ActionRefused):
        services.file_report(enterprise_user(firm), firm, staff_on_site=1, staff_away=0, capacity_percent=120)
    assert not DailyReport.objects.exists()


def test_latest_per_firm_keeps_each_firms_newest_report_up_to_a_day():
    today = timezone.localdate()
    a, b = EnterpriseFactory(), EnterpriseFactory()
    DailyReportFactory(enterprise=a, date=today - datetime.timedelta(days=2), staff_on_site=5)
    DailyReportFactory(enterprise=a, date=today - datetime.timedelta(days=1), staff_on_site=6)
    DailyReportFactory(enterprise=a, date=today, staff_on_site=7)
    DailyReportFactory(enterprise=b, date=today - datetime.timedelta(days=3), staff_on_site=9)
    latest = DailyReport.objects.latest_per_firm(today - datetime.timedelta(days=1))
    assert sorted(latest.values_list("enterprise_id", "staff_on_site")) == sorted([(a.pk, 6), (b.pk, 9)])


def test_township_sees_only_its_firms_reports():
    mine = DailyReportFactory()
    DailyReportFactory()
    assert list(DailyReport.objects.visible_to(township_user(mine.enterprise.township))) == [mine]
