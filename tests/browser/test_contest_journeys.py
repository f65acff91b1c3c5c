"""Browser journey of the contest, on a phone and at a desk, with axe-core on every page: the district office
computes a week's draft from the form, publishes it from the week's page, and anyone, signed in or not, sees
the published lists on the public page."""

import pytest

from enterprises.models import Scale
from leaderboard.models import ContestWeek
from tests.factories import EnterpriseFactory, TownshipFactory, district_user
from tests.leaderboard.factories import MONDAY, set_list_size, use_test_indicators

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_district_office_publishes_a_week_and_the_public_page_shows_it(journey):
    use_test_indicators(
        ("headcount", "higher", 3, "computed", "mean_headcount"),
        ("individual", "lower", 2, "computed", "individual_share"),
    )
    set_list_size("township", 1)
    towns = [TownshipFactory(name=name, sort_order=i) for i, name in enumerate(["银湖街道", "东洲街道", "新登镇"])]
    for town, (headcount, scale) in zip(towns, [(200, Scale.SME), (50, Scale.INDIVIDUAL), (120, Scale.SME)]):
        EnterpriseFactory(township=town, registered_headcount=headcount, scale=scale)
    district_user(username="contest-district")
    page = journey.page

    journey.sign_in("contest-district")
    journey.go("/leaderboard/manage/compute/")
    page.select_option("#id_level", "township")
    page.fill("#id_week_start", MONDAY.isoformat())
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    journey.check_accessibility("the computed draft")
    week = ContestWeek.objects.get(level="township", week_start=MONDAY)
    assert week.status == ContestWeek.Status.DRAFT
    assert page.url.endswith(f"/leaderboard/manage/weeks/{week.pk}/")

    page.fill("#id_comment", "第一周")
    page.click(f"form[action='/leaderboard/manage/weeks/{week.pk}/publish/'] button[type=submit]")
    page.wait_for_load_state()
    journey.check_accessibility("the published week")
    week.refresh_from_db()
    assert week.status == ContestWeek.Status.PUBLISHED

    page.context.clear_cookies()
    journey.go("/leaderboard/")
    main = page.locator("main").inner_text()
    assert "银湖街道" in main and "东洲街道" in main  # the red list's head and the black list's tail
    assert MONDAY.strftime("%Y-%m-%d") in main or MONDAY.strftime("%m") in main
