"""Browser journey of the township programmes on a phone, with axe-core on every page: a township cadre updates a
work-list item with a photo from the field, the district office inspects it and finds problems, and the unit's
computed inspection score for the week moves, in the contest too: the district recomputes the week's draft and the
township's 督查通报 figure opens on the finding behind it."""

from datetime import timedelta

import pytest

from django.urls import reverse

from fuyang_portal import clock
from leaderboard import services as contest
from leaderboard.models import Score
from fuyang_portal.metrics import Level, week_of
from programmes import metrics, services
from programmes.models import Finding, WorkItem
from tests.browser.conftest import PHONE
from tests.factories import TownshipFactory, district_user, enrolled, township_user
from tests.programmes.factories import PNG, indicator_code

# The live server's database is emptied between tests: the journey defines the two indicators it reads itself.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _sign_in(journey, user):
    """Password, then the second factor where the role needs one (the district office): a confirmed TOTP device
    made for the test, its current code typed in."""
    journey.sign_in(user.username)
    if "/accounts/second-factor/" in journey.page.url:
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        journey.page.fill("#id_code", f"{code:0{device.digits}d}")
        journey.page.click("main form button[type=submit]")
        journey.page.wait_for_load_state()
    assert "/accounts/" not in journey.page.url, journey.page.url


def _score(township_id):
    start, end = week_of(clock.today())
    return {row.unit_id: row.value for row in metrics.inspection_score(Level.TOWNSHIP, start, end)}.get(township_id)


def _inspection_indicator():
    """督查通报 as migration 0005 defines it, again where the browser tests' live server emptied the database."""
    from decimal import Decimal

    from leaderboard.models import Indicator

    Indicator.objects.update_or_create(code="inspection-deductions", defaults=dict(
        name_zh="督查通报", name_en="Inspection-report deductions", levels=["township", "group", "village"], direction="lower",
        weight_township=Decimal(5), weight_group=Decimal(15), weight_village=Decimal(20), source="computed",
        metric_path="programmes.metrics.inspection_deductions", sort_order=9, active=True,
    ))


def _contest_figure(week, township):
    score = Score.objects.get(week=week, unit_id=township.pk, indicator__code="inspection-deductions")
    return score.raw_value, score.score, score.no_data


def test_a_cadre_reports_with_a_photo_the_district_inspects_and_the_score_moves(people, tmp_path):
    township = TownshipFactory(name="新登镇测试")
    cadre = township_user(township, username="xd-cadre", full_name="新登镇 何副镇长")
    district = district_user(username="xd-district")
    enrolled(district)
    work_list = services.create_work_list(cadre, title="23条工作清单")
    item = services.add_item(cadre, work_list, category="checkpoint", indicator_code=indicator_code(),
                             title="320国道新登入口卡点24小时值守", responsible_unit="镇综合执法队", responsible_person=cadre,
                             deadline=clock.today() + timedelta(days=3))
    picture = tmp_path / "卡点.png"
    picture.write_bytes(PNG)
    phone = people(PHONE)
    page = phone.page

    _sign_in(phone, cadre)
    phone.go(f"/programmes/items/{item.pk}/")
    page.click(f"main a[href='/programmes/items/{item.pk}/report/']")
    page.wait_for_load_state()
    phone.check_accessibility("report form")
    page.fill("#id_note", "卡点已设置，三班轮值，测温登记全覆盖")
    page.set_input_files("#id_photo", str(picture))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    phone.check_accessibility("item after the report")
    item.refresh_from_db()
    assert item.status == WorkItem.Status.IN_PROGRESS and item.updates.get().photo
    assert page.locator("main img[alt]").count() == 1
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the item page is wider than the phone: {width}"
    before = _score(township.pk)
    # The contest's draft of the week before the inspection: another township inspected (passed), this one not yet.
    other = TownshipFactory(name="对照镇")
    other_cadre = township_user(other)
    other_item = services.add_item(other_cadre, services.create_work_list(other_cadre, title="清单"), category="checkpoint",
                                   indicator_code=indicator_code(), title="卡点", responsible_unit="执法队",
                                   responsible_person=other_cadre, deadline=clock.today())
    services.inspect_item(other_item, district, outcome="passed")
    _inspection_indicator()
    monday = week_of(clock.today())[0]
    week = contest.compute_week("township", monday, actor=district)
    assert _contest_figure(week, township) == (None, None, True)

    page.context.clear_cookies()
    _sign_in(phone, district)
    phone.go(f"/programmes/items/{item.pk}/")
    page.click(f"main a[href='/programmes/items/{item.pk}/inspect/']")
    page.wait_for_load_state()
    phone.check_accessibility("inspection form")
    page.select_option("#id_outcome", "problems")
    page.fill("#id_points", "3")
    page.fill("#id_description", "夜间登记表填写不全")
    page.fill("#id_rectify_by", (clock.today() + timedelta(days=2)).isoformat())
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    phone.check_accessibility("item after the inspection")
    finding = Finding.objects.get(item=item)
    assert (finding.outcome, finding.points) == (Finding.Outcome.PROBLEMS, 3)
    after = _score(township.pk)
    assert before is None and after == 97

    phone.go(f"/programmes/findings/{finding.pk}/")
    assert "夜间登记表填写不全" in page.content()

    # The contest: the district recomputes the draft; 3 points deducted, the worst of the two, and the drill-down
    # lists the finding, which opens.
    phone.go(week.get_absolute_url())
    page.click(f"main form[action='/leaderboard/manage/weeks/{week.pk}/recompute/'] button[type=submit]")
    page.wait_for_load_state()
    assert _contest_figure(week, township) == (3, 0, False) and _contest_figure(week, other) == (0, 100, False)
    phone.go(reverse("leaderboard:drill", args=["township", township.pk, week.pk, "inspection-deductions"]))
    phone.check_accessibility("inspection drill-down")
    page.click(f"main a[href='/programmes/findings/{finding.pk}/']")
    page.wait_for_load_state()
    assert "夜间登记表填写不全" in page.content()
    phone.go("/programmes/?week=" + clock.today().isoformat())
    assert "新登镇测试" in page.content()
