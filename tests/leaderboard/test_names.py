"""The contest's pages on Chinese pages: 无数据 rather than "n/d", and the indicators' English names only on
English pages."""

import pytest
from django.urls import reverse

from leaderboard import services
from tests.leaderboard.factories import MONDAY

pytestmark = pytest.mark.django_db


def test_a_score_without_data_reads_no_data_in_chinese(client, contest, district):
    week = services.compute_week("township", MONDAY, actor=district)  # no deductions entered: no data
    client.force_login(district)
    html = client.get(reverse("leaderboard:week", args=[week.pk])).content.decode()
    assert "无数据" in html and "n/d" not in html
    assert "Indicator headcount" not in html


def test_indicator_names_are_chinese_on_chinese_pages_and_english_on_english_ones(client, contest, district):
    client.force_login(district)
    chinese = client.get(reverse("leaderboard:indicators")).content.decode()
    assert "指标headcount" in chinese and "Indicator headcount" not in chinese
    english = client.get(reverse("leaderboard:indicators"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Indicator headcount" in english
