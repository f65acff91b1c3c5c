"""Browser journey of the appeal window on a phone, with axe-core on every page: the district office computes a
week's draft, a township's cadre objects to its figure with evidence, the district accepts it on the week's page
(the week is recomputed as a new revision), closes the window early with a reason and publishes, and the public
page shows the corrected lists."""

from decimal import Decimal

import pytest

from leaderboard.models import ContestWeek, LevelSetting, Objection, Score, UnitResult
from tests.browser.conftest import PHONE
from tests.enterprises.factories import PDF_BYTES
from tests.factories import TownshipFactory, district_user, enrolled, township_user
from tests.leaderboard import fake_metrics
from tests.leaderboard.factories import MONDAY, set_list_size, use_test_indicators

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def table():
    yield fake_metrics.TABLE
    fake_metrics.TABLE.clear()


def test_a_township_objects_the_district_accepts_recomputes_and_publishes_the_corrected_lists(people, table, tmp_path):
    use_test_indicators(("table", "higher", 1, "computed", "table"))
    set_list_size("township", 1, min_coverage=0)
    LevelSetting.objects.filter(level="township").update(appeal_hours=8)
    towns = [TownshipFactory(name=name, sort_order=i) for i, name in enumerate(["银湖街道", "东洲街道", "新登镇"])]
    # 新登镇's figure was under-counted: 1 of 10 instead of 9.5 of 10.
    table["township"] = {towns[0].pk: (9, 10), towns[1].pk: (5, 10), towns[2].pk: (1, 10)}
    district = district_user(username="appeal-district")
    enrolled(district)
    cadre = township_user(towns[2], username="xd-contest", full_name="新登镇 统计员")
    evidence = tmp_path / "复工台账.pdf"
    evidence.write_bytes(PDF_BYTES)

    office = people(PHONE)
    office.sign_in(district.username)
    office.go("/leaderboard/manage/compute/")
    office.page.select_option("#id_level", "township")
    office.page.fill("#id_week_start", MONDAY.isoformat())
    office.page.click("main form button[type=submit]")
    office.page.wait_for_load_state()
    office.check_accessibility("the computed draft, open to objections")
    draft = ContestWeek.objects.get(level="township", week_start=MONDAY)
    assert draft.appeal_until is not None and "leaderboard/manage/weeks/" in office.page.url

    field = people(PHONE)
    field.sign_in(cadre.username)
    field.go("/leaderboard/appeals/")
    score = Score.objects.get(week=draft, unit_id=towns[2].pk)
    assert field.page.locator("main a[href^='/leaderboard/appeals/scores/']").count() == 1  # only its own figure
    field.page.click(f"main a[href='/leaderboard/appeals/scores/{score.pk}/object/']")
    field.page.wait_for_load_state()
    field.check_accessibility("the objection form")
    field.page.fill("#id_reason", "复工企业台账显示19家中已复工，系统漏计")
    field.page.fill("#id_proposed_value", "0.95")
    field.page.set_input_files("#id_evidence", str(evidence))
    field.page.click("main form button[type=submit]")
    field.page.wait_for_load_state()
    field.check_accessibility("the objection filed")
    objection = Objection.objects.get()
    assert field.page.url.endswith(objection.get_absolute_url()) and objection.evidence
    width = field.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the objection page is wider than the phone: {width}"

    office.go(draft.get_absolute_url())
    office.page.fill(f"#accept-reason-{objection.pk}", "核对台账属实")
    office.page.click(f"form[action='/leaderboard/objections/{objection.pk}/accept/'] button[type=submit]")
    office.page.wait_for_load_state()
    office.check_accessibility("the new revision")
    revision = ContestWeek.objects.get(level="township", week_start=MONDAY, status=ContestWeek.Status.DRAFT)
    assert revision.revision == 2 and office.page.url.endswith(revision.get_absolute_url())
    assert UnitResult.objects.get(week=revision, unit_id=towns[2].pk).list_mark == "red"

    # The window is still open: publishing is refused until the district closes it with a reason.
    office.page.click(f"form[action='/leaderboard/manage/weeks/{revision.pk}/publish/'] button[type=submit]")
    office.page.wait_for_load_state()
    revision.refresh_from_db()
    assert revision.status == ContestWeek.Status.DRAFT
    office.page.click(f"main details:has(form[action='/leaderboard/manage/weeks/{revision.pk}/close-appeals/']) summary")
    office.page.fill(f"form[action='/leaderboard/manage/weeks/{revision.pk}/close-appeals/'] textarea[name=reason]", "唯一异议已处理，提前结束")
    office.page.click(f"form[action='/leaderboard/manage/weeks/{revision.pk}/close-appeals/'] button[type=submit]")
    office.page.wait_for_load_state()
    office.page.click(f"form[action='/leaderboard/manage/weeks/{revision.pk}/publish/'] button[type=submit]")
    office.page.wait_for_load_state()
    office.check_accessibility("the published correction")
    revision.refresh_from_db()
    assert revision.status == ContestWeek.Status.PUBLISHED
    objection.refresh_from_db()
    assert objection.status == Objection.Status.ACCEPTED and objection.corrected_value == Decimal("0.95")

    public = people(PHONE)
    public.go(f"/leaderboard/lists/township/{MONDAY.isoformat()}/")
    red = public.page.locator("section[aria-labelledby=red-title]").inner_text()
    black = public.page.locator("section[aria-labelledby=black-title]").inner_text()
    assert "新登镇" in red and "东洲街道" in black and "新登镇" not in black
