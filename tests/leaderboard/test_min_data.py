"""Enough data to be listed: a unit whose indicators with data carry less than the level's minimum share of
the weights (80% unless the district sets another) is unranked, on neither list, and shown as 数据不足 with
the indicators it lacks; the people answerable for it are told once on Monday morning."""

from datetime import timedelta
from decimal import Decimal

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.urls import reverse

from enterprises.models import Scale
from fuyang_portal.models import Notification, OutboxMessage, User
from fuyang_portal.roles import Role
from leaderboard import services, tasks
from leaderboard.models import LevelSetting, UnitResult
from tests.factories import (
    AgencyFactory,
    EnterpriseFactory,
    TownshipFactory,
    VillageFactory,
    agency_user,
    township_user,
)
from tests.leaderboard import fake_metrics
from tests.leaderboard.factories import MONDAY, use_test_indicators

pytestmark = pytest.mark.django_db

NEXT_MONDAY = (MONDAY + timedelta(weeks=1)).isoformat()  # the Monday the job runs for the week of MONDAY


@pytest.fixture
def edge(db, district, monkeypatch):
    """Four townships on three indicators of weights 201 + 200 + 599 = 1000:

    firms (mean headcount, computed, 201) | a table of figures (computed, 200) | deductions (entered, 599)
    甲 and 丁 (T1, T4): everything; 乙 (T2): no table figure (800 / 1000 = 80.0%); 丙 (T3): no firms (799 / 1000 = 79.9%).
    """
    indicators = use_test_indicators(
        ("firms", "higher", 201, "computed", "mean_headcount"),
        ("table", "higher", 200, "computed", "table"),
        ("deductions", "lower", 599, "entered", ""),
    )
    towns = [TownshipFactory(name=f"{mark}街道", sort_order=i) for i, mark in enumerate("甲乙丙丁", start=1)]
    for town, headcount in ((towns[0], 30), (towns[1], 20), (towns[3], 10)):
        EnterpriseFactory(township=town, registered_headcount=headcount, scale=Scale.SME)
    monkeypatch.setitem(fake_metrics.TABLE, "township", {towns[0].pk: (1, 2), towns[2].pk: (3, 4), towns[3].pk: (1, 1)})
    for town, value in zip(towns, (5, 0, 10, 20)):
        services.enter_inspection_score(district, level="township", week_start=MONDAY, unit_id=town.pk, indicator=indicators[2], value=value)
    return {"indicators": indicators, "towns": towns}


def results(week):
    return {f"T{'甲乙丙丁'.index(r.unit_name[0]) + 1}": r for r in UnitResult.objects.filter(week=week)}


def test_the_default_minimum_is_80_percent(edge, district):
    LevelSetting.objects.filter(level="township").delete()
    assert services.list_size_for("township")[1] == 80
    assert LevelSetting(level="township").min_coverage == 80
    week = services.compute_week("township", MONDAY, actor=district)
    by_name = results(week)
    assert (by_name["T2"].coverage, by_name["T3"].coverage) == (Decimal("80.00"), Decimal("79.90"))
    # At 80% a unit is ranked and may be listed; at 79.9% it is neither, though it has a total.
    assert by_name["T2"].eligible and by_name["T2"].rank is not None
    assert not by_name["T3"].eligible and by_name["T3"].rank is None and by_name["T3"].list_mark == "none"
    assert by_name["T3"].total is not None
    ranks = sorted(r.rank for r in by_name.values() if r.rank is not None)
    assert ranks == [1, 2, 3]  # the three others, ranked among themselves
    assert {r.list_mark for name, r in by_name.items() if name != "T3"} >= {"red", "black"}


def test_a_level_setting_moves_the_line(edge, district):
    LevelSetting.objects.update_or_create(level="township", defaults={"list_size": 1, "min_coverage": 79})
    by_name = results(services.compute_week("township", MONDAY, actor=district))
    assert by_name["T3"].eligible and by_name["T3"].rank is not None
    LevelSetting.objects.filter(level="township").update(min_coverage=81)
    by_name = results(services.compute_week("township", MONDAY, actor=district))
    assert not by_name["T2"].eligible and not by_name["T3"].eligible


@pytest.fixture
def published(edge, district):
    LevelSetting.objects.update_or_create(level="township", defaults={"list_size": 1, "min_coverage": 80, "appeal_hours": 0})
    week = services.compute_week("township", MONDAY, actor=district)
    services.publish_week(week, district)
    return week


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # words compared in English, whatever the translations


def test_the_week_page_the_public_page_and_the_unit_page_say_too_little_data(client, published, edge, district):
    _t1, t2, t3, _t4 = edge["towns"]
    english(client)
    client.force_login(district)
    week_page = client.get(published.get_absolute_url()).content.decode()
    row = week_page[week_page.index(f">{t3.name}</a>") : week_page.index("</tr>", week_page.index(f">{t3.name}</a>"))]
    assert "too little data" in row and "Indicator firms" in row and "Indicator table" not in row
    ranked_row = week_page[week_page.index(f">{t2.name}</a>") : week_page.index("</tr>", week_page.index(f">{t2.name}</a>"))]
    assert "too little data" not in ranked_row

    client.logout()
    english(client)
    public = client.get(published.get_public_url())
    body = public.content.decode()
    lists = body[body.index("red-title") : body.index("<details")]
    listed = [r.unit_id for r in public.context["red"] + public.context["black"]]
    assert t3.pk not in listed and t2.pk in listed and t3.name not in lists and t2.name in lists
    ranking = body[body.index("<details") :]
    line = ranking[ranking.index(t3.name) : ranking.index("</tr>", ranking.index(t3.name))]
    assert "too little data" in line and "Indicator firms" in line
    assert next(r.lacking for r in public.context["ranking"] if r.unit_id == t3.pk) == [edge["indicators"][0]]

    client.force_login(township_user(t3))
    english(client)
    page = client.get(reverse("leaderboard:unit", args=["township", t3.pk]))
    explanation = page.context["explanation"]
    assert explanation.missing == [edge["indicators"][0]]
    assert explanation.summary == "Not ranked: too little data (79.9% of the weights, 80% needed); missing: Indicator firms."
    summary = page.content.decode()
    summary = summary[summary.index('id="rank-summary"') : summary.index("</div>", summary.index('id="rank-summary"'))]
    assert "too little data" in summary and "Indicator firms" in summary


def test_the_zh_marker_reads_数据不足(client, published, edge, district):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    body = client.get(published.get_public_url()).content.decode()
    assert "数据不足" in body[body.index("<details") :]


def test_the_monday_job_is_scheduled_after_the_drafts():
    entry = settings.CELERY_BEAT_SCHEDULE["leaderboard-insufficient-data"]
    assert entry["task"] == "leaderboard.tasks.notify_insufficient_data"
    assert entry["schedule"] == crontab(minute=0, hour=8, day_of_week="mon")
    assert settings.CELERY_BEAT_SCHEDULE["leaderboard-weekly-draft"]["schedule"] == crontab(minute=0, hour=1, day_of_week="mon")


def test_the_monday_job_tells_each_responsible_user_once(edge, district, django_capture_on_commit_callbacks):
    t1, _t2, t3, _t4 = edge["towns"]
    LevelSetting.objects.update_or_create(level="township", defaults={"list_size": 1, "min_coverage": 80})
    village = VillageFactory(township=t3)  # no data at all: a second unit of T3's staff, at another level
    staff = township_user(t3)
    paired = agency_user(AgencyFactory(paired_township=t3))
    township_user(t1)  # answerable only for ranked units
    agency_user(AgencyFactory(paired_township=t1))
    # The 01:00 job computed last week's drafts; the newest revision of each level is the one read.
    services.compute_all_levels(MONDAY)
    assert not UnitResult.objects.get(week__level="village", unit_id=village.pk).eligible

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.notify_insufficient_data(today=NEXT_MONDAY)
    assert (first["week_start"], first["units"], first["notified"]) == (MONDAY.isoformat(), 2, 2)
    notices = Notification.objects.filter(dedupe_key=f"leaderboard-min-data-{MONDAY.isoformat()}")
    assert sorted(notices.values_list("recipient_id", flat=True)) == sorted([staff.pk, paired.pk])
    # Exactly the users units.responsible_users names for these units, and each once for both its units.
    from leaderboard.units import responsible_users

    expected = set(responsible_users("township", [t3.pk]).values_list("pk", flat=True)) | set(
        responsible_users("village", [village.pk]).values_list("pk", flat=True)
    )
    assert expected == {staff.pk, paired.pk}
    notice = notices.get(recipient=staff)
    assert t3.name in notice.body and village.name in notice.body and "指标firms" in notice.body
    assert notice.url == reverse("leaderboard:unit", args=["township", t3.pk])
    assert notices.get(recipient=paired).url == reverse("leaderboard:weeks")  # not theirs to open: the weeks

    # A second run (a retry, or the job run by hand) sends nothing.
    outbox = OutboxMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.notify_insufficient_data(today=NEXT_MONDAY)
    assert (second["notified"], second["already"]) == (0, 2)
    assert notices.count() == 2 and OutboxMessage.objects.count() == outbox
    assert Notification.objects.filter(recipient__in=User.objects.exclude(pk__in=[staff.pk, paired.pk])).filter(
        dedupe_key__startswith="leaderboard-min-data"
    ).count() == 0


def test_a_correction_is_read_as_the_newest_revision(edge, district, django_capture_on_commit_callbacks):
    """A unit whose data arrives in a correction is no longer named: the newest revision counts."""
    t3 = edge["towns"][2]
    staff = township_user(t3)
    LevelSetting.objects.update_or_create(level="township", defaults={"list_size": 1, "min_coverage": 80, "appeal_hours": 0})
    week = services.compute_week("township", MONDAY, actor=district)
    services.publish_week(week, district)
    services.open_correction(week, district, "T3 的企业数据补录")
    EnterpriseFactory(township=t3, registered_headcount=40, scale=Scale.SME)
    services.compute_week("township", MONDAY, actor=district)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = tasks.notify_insufficient_data(today=NEXT_MONDAY)
    assert outcome["units"] == 0 and not Notification.objects.filter(recipient=staff).exists()


def test_nobody_is_told_when_every_unit_has_enough_data(edge, district, django_capture_on_commit_callbacks):
    EnterpriseFactory(township=edge["towns"][2], registered_headcount=40, scale=Scale.SME)
    staff = township_user(edge["towns"][2])
    assert Role.TOWNSHIP == staff.role
    LevelSetting.objects.update_or_create(level="township", defaults={"list_size": 1, "min_coverage": 80})
    services.compute_week("township", MONDAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notify_insufficient_data(today=NEXT_MONDAY)["notified"] == 0
    assert not Notification.objects.exists()
