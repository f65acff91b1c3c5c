"""``manage.py compute_contest``: the weekly job by hand, with its timing; a published week stays frozen."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from leaderboard import services
from leaderboard.models import ContestWeek
from tests.leaderboard.conftest import enter_deductions
from tests.leaderboard.factories import MONDAY

pytestmark = pytest.mark.django_db


def test_compute_contest_computes_every_level_and_reports_frozen_ones(contest, district):
    out = io.StringIO()
    call_command("compute_contest", "--week", MONDAY.isoformat(), stdout=out)
    assert "township: 6 units in" in out.getvalue() and "in all" in out.getvalue()
    assert ContestWeek.objects.filter(week_start=MONDAY).count() == 3
    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    services.publish_week(week, district)
    out = io.StringIO()
    call_command("compute_contest", "--week", MONDAY.isoformat(), "--level", "township", stdout=out)
    assert "township: 6 units" not in out.getvalue() and out.getvalue().startswith("township: ")
    assert ContestWeek.objects.get(level="township").status == "published"
    with pytest.raises(CommandError):
        call_command("compute_contest", "--week", "2020-02-04", stdout=io.StringIO())


def test_inspection_start_form_goes_to_the_weeks_sheet(client, district):
    client.force_login(district)
    response = client.get("/leaderboard/manage/inspections/start/", {"level": "village", "week_start": MONDAY.isoformat()})
    assert response.status_code == 302 and response["Location"].endswith(f"/manage/inspections/village/{MONDAY.isoformat()}/")
    response = client.get("/leaderboard/manage/inspections/start/", {"level": "village", "week_start": "2020-02-05"})
    assert response.status_code == 200 and response.context["form"].errors
