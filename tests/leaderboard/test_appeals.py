"""The appeal window before publishing: a computed draft is shown to the units it ranks for the level's working
hours; their staff object to their own figures; the district office accepts (the figure is corrected and the week
recomputed as a new revision) or rejects; publishing waits for the window and for every decision."""

from contextlib import ExitStack
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from fuyang_portal import clock
from fuyang_portal.models import OutboxMessage, Transition
from leaderboard import appeals, services
from leaderboard.models import ContestWeek, LevelSetting, Objection, Score, ScoreOverride, UnitResult
from tests.enterprises.factories import PDF_BYTES
from tests.factories import (
    AgencyFactory, CommunityFactory, CommunityGroupFactory, TownshipFactory, agency_user, enterprise_user, specialist_user,
    township_user,
)
from tests.leaderboard import fake_metrics
from tests.leaderboard.conftest import enter_deductions
from tests.leaderboard.factories import MONDAY, set_list_size, use_test_indicators
from fuyang_portal.workflow import ActionRefused

pytestmark = pytest.mark.django_db

BJ = ZoneInfo("Asia/Shanghai")
COMPUTED = datetime(2020, 2, 10, 9, 0, tzinfo=BJ)  # the Monday after the week, 09:00
DURING = datetime(2020, 2, 10, 15, 0, tzinfo=BJ)
# 8 working hours from Monday 09:00: 09:00-12:00 and 13:30-17:30 (7 h), then Tuesday 08:30-09:30.
CLOSES = datetime(2020, 2, 11, 9, 30, tzinfo=BJ)
AFTER = datetime(2020, 2, 11, 10, 0, tzinfo=BJ)


@pytest.fixture
def move_clock():
    stack = ExitStack()
    yield lambda moment: stack.enter_context(clock.at(moment))
    stack.close()


@pytest.fixture
def draft(contest, district, move_clock):
    """The six townships' draft, computed on Monday 10 February 09:00 with the default window (8 working hours)."""
    LevelSetting.objects.filter(level="township").update(appeal_hours=8)
    move_clock(COMPUTED)
    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    move_clock(DURING)
    return week


@pytest.fixture
def specialist(contest):
    """A specialist of an agency paired with a contest township (no new township to rank)."""
    return specialist_user(AgencyFactory(paired_township=contest["towns"][5]))


@pytest.fixture
def t1(contest):
    return township_user(contest["towns"][0])


def score_of(week, unit, code):
    return Score.objects.get(week=week, unit_id=unit.pk, indicator__code=code)


def newest(level="township"):
    return ContestWeek.objects.filter(level=level, week_start=MONDAY).order_by("-revision").first()


def outbox_to(user):
    return [m.payload["title"] for m in OutboxMessage.objects.all() if user.pk in m.user_ids]


# --- the window ----------------------------------------------------------------------------------------------


def test_the_first_computation_opens_the_window_for_the_levels_working_hours(draft, district):
    assert draft.appeal_until == CLOSES
    assert appeals.appeal_open(draft)
    with clock.at(datetime(2020, 2, 10, 16, 0, tzinfo=BJ)):
        services.compute_week("township", MONDAY, actor=district)  # a recomputation does not move it
    draft.refresh_from_db()
    assert draft.appeal_until == CLOSES
    with clock.at(AFTER):
        assert not appeals.appeal_open(draft)


def test_no_appeal_hours_close_the_window_at_once(contest, district, move_clock):
    LevelSetting.objects.filter(level="township").update(appeal_hours=0)
    move_clock(COMPUTED)
    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    assert week.appeal_until == COMPUTED and not appeals.appeal_open(week)
    assert services.publish_week(week, district).status == ContestWeek.Status.PUBLISHED


def test_a_draft_is_shown_to_the_staff_of_the_units_it_ranks_their_rows_only(draft, contest, t1):
    own = contest["towns"][0].pk
    assert list(ContestWeek.objects.visible_to(t1)) == [draft]
    assert set(Score.objects.visible_to(t1).values_list("unit_id", flat=True)) == {own}
    assert set(UnitResult.objects.visible_to(t1).values_list("unit_id", flat=True)) == {own}
    # Agency staff answer for groups only: the townships' draft stays hidden from them; firms see no draft.
    assert not ContestWeek.objects.visible_to(agency_user()).exists()
    assert not ContestWeek.objects.visible_to(specialist_user()).exists()


def test_agency_staff_see_and_object_to_their_groups_figures_only(contest, district, move_clock):
    agency, other = AgencyFactory(), AgencyFactory()
    ours = CommunityGroupFactory(community=CommunityFactory(township=contest["towns"][0]), agency=agency)
    theirs = CommunityGroupFactory(community=CommunityFactory(township=contest["towns"][1]), agency=other)
    set_list_size("group", 1)
    LevelSetting.objects.filter(level="group").update(appeal_hours=8)
    move_clock(COMPUTED)
    week = services.compute_week("group", MONDAY, actor=district)
    staff = agency_user(agency)
    assert list(ContestWeek.objects.visible_to(staff)) == [week]
    assert set(Score.objects.visible_to(staff).values_list("unit_id", flat=True)) == {ours.pk}
    objection = appeals.file_objection(staff, score_of(week, ours, "headcount"), reason="组团企业数统计有误")
    assert objection.status == Objection.Status.OPEN and objection.level == "group"
    with pytest.raises(ActionRefused) as refused:
        appeals.file_objection(staff, score_of(week, theirs, "headcount"), reason="不是本单位")
    assert refused.value.code == ActionRefused.FORBIDDEN
    # The group's township sees its group's figures and objections too.
    assert list(Objection.objects.visible_to(township_user(contest["towns"][0]))) == [objection]
    assert not Objection.objects.visible_to(township_user(contest["towns"][1])).exists()


# --- filing -------------------------------------------------------------------------------------------------


def test_township_staff_object_to_their_figure_and_the_district_is_told(draft, contest, t1, district):
    evidence = SimpleUploadedFile("台账.pdf", PDF_BYTES, content_type="application/pdf")
    objection = appeals.file_objection(
        t1, score_of(draft, contest["towns"][0], "headcount"), reason="漏报了两家企业的职工", evidence=evidence, proposed_value="120"
    )
    assert (objection.status, objection.unit_id, objection.figure, objection.proposed_value) == (
        Objection.Status.OPEN, contest["towns"][0].pk, Decimal("100.0000"), Decimal("120"))
    assert objection.evidence.name.startswith("leaderboard/objections/") and "台账" not in objection.evidence.name
    assert list(Transition.objects.for_object(objection).values_list("action", "actor")) == [("create", t1.pk)]
    assert ("object", t1.pk) in Transition.objects.for_object(draft).values_list("action", "actor")
    assert any("T1" in title for title in outbox_to(district))


@pytest.mark.parametrize("make_user", [specialist_user, enterprise_user, lambda: None], ids=["specialist", "enterprise", "anonymous"])
def test_other_roles_may_not_object(draft, contest, make_user):
    with pytest.raises(ActionRefused) as refused:
        appeals.file_objection(make_user(), score_of(draft, contest["towns"][0], "headcount"), reason="x")
    assert refused.value.code == ActionRefused.FORBIDDEN


def test_the_district_decides_it_does_not_object(draft, contest, district):
    with pytest.raises(ActionRefused) as refused:
        appeals.file_objection(district, score_of(draft, contest["towns"][0], "headcount"), reason="x")
    assert refused.value.code == ActionRefused.FORBIDDEN


def test_another_townships_figure_is_refused_and_answers_404_on_the_page_and_the_api(draft, contest, t1, client):
    other = score_of(draft, contest["towns"][1], "headcount")
    with pytest.raises(ActionRefused):
        appeals.file_objection(t1, other, reason="别人的数")
    client.force_login(t1)
    assert client.get(reverse("leaderboard:objection-file", args=[other.pk])).status_code == 404
    assert client.post(reverse("leaderboard:objection-file", args=[other.pk]), {"reason": "x"}).status_code == 404
    api = APIClient()
    api.force_authenticate(t1)
    assert api.post("/api/v1/leaderboard/objections/", {"score": other.pk, "reason": "x"}, format="multipart").status_code == 404
    assert not Objection.objects.exists()


def test_objections_are_refused_after_the_window_closes(draft, contest, t1, move_clock):
    move_clock(AFTER)
    with pytest.raises(ActionRefused) as refused:
        appeals.file_objection(t1, score_of(draft, contest["towns"][0], "headcount"), reason="晚了")
    assert refused.value.code == ActionRefused.CONFLICT and not Objection.objects.exists()


def test_objections_are_refused_on_a_published_week(draft, contest, district, t1, move_clock):
    move_clock(AFTER)
    services.publish_week(draft, district)
    score = score_of(draft, contest["towns"][0], "headcount")
    with pytest.raises(ActionRefused) as refused:
        appeals.file_objection(t1, score, reason="已发布")
    assert refused.value.code == ActionRefused.CONFLICT
    assert not appeals.objectable_scores(t1).exists()  # the pages and the API offer no figure of a published week


def test_a_second_open_objection_on_the_same_figure_is_a_conflict(draft, contest, t1):
    score = score_of(draft, contest["towns"][0], "headcount")
    appeals.file_objection(t1, score, reason="第一次")
    with pytest.raises(ActionRefused) as refused:
        appeals.file_objection(township_user(contest["towns"][0]), score, reason="第二次")
    assert refused.value.code == ActionRefused.CONFLICT
    assert Objection.objects.count() == 1
    # Another figure of the same unit is a separate objection.
    appeals.file_objection(t1, score_of(draft, contest["towns"][0], "deductions"), reason="督查扣分有误", proposed_value="0")
    assert Objection.objects.count() == 2


def test_a_file_that_is_not_what_it_says_is_refused(draft, contest, t1):
    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with pytest.raises(ActionRefused) as refused:
        appeals.file_objection(t1, score_of(draft, contest["towns"][0], "headcount"), reason="附件", evidence=fake)
    assert refused.value.code == ActionRefused.INVALID and not Objection.objects.exists()


def test_an_objection_needs_a_reason(draft, contest, t1):
    with pytest.raises(ActionRefused) as refused:
        appeals.file_objection(t1, score_of(draft, contest["towns"][0], "headcount"), reason="  ")
    assert refused.value.code == ActionRefused.INVALID


# --- publishing waits --------------------------------------------------------------------------------------------


def test_publishing_waits_for_the_window_unless_the_district_closes_it_early_with_a_reason(draft, district, specialist):
    with pytest.raises(ActionRefused) as refused:
        services.publish_week(draft, district)
    assert refused.value.code == ActionRefused.CONFLICT and "2020-02-11 09:30" in str(refused.value.message)
    with pytest.raises(ActionRefused) as refused:
        appeals.close_appeals(draft, specialist, reason="x")
    assert refused.value.code == ActionRefused.FORBIDDEN
    with pytest.raises(ActionRefused) as refused:
        appeals.close_appeals(draft, district, reason=" ")
    assert refused.value.code == ActionRefused.INVALID
    appeals.close_appeals(draft, district, reason="各镇街已确认无异议")
    assert not appeals.appeal_open(draft)
    assert ("close-appeals", "各镇街已确认无异议") in Transition.objects.for_object(draft).values_list("action", "comment")
    with pytest.raises(ActionRefused) as refused:
        appeals.close_appeals(draft, district, reason="again")
    assert refused.value.code == ActionRefused.CONFLICT
    assert services.publish_week(draft, district).status == ContestWeek.Status.PUBLISHED


def test_a_pending_objection_blocks_publishing_until_it_is_decided(draft, contest, district, t1, move_clock):
    objection = appeals.file_objection(t1, score_of(draft, contest["towns"][0], "headcount"), reason="有误")
    move_clock(AFTER)
    with pytest.raises(ActionRefused) as refused:
        services.publish_week(draft, district)
    assert refused.value.code == ActionRefused.CONFLICT
    draft.refresh_from_db()
    assert draft.status == ContestWeek.Status.DRAFT
    appeals.reject_objection(objection, district, reason="台账与系统一致")
    assert services.publish_week(draft, district).status == ContestWeek.Status.PUBLISHED


# --- deciding --------------------------------------------------------------------------------------------------


def test_the_district_rejects_with_a_reason_and_the_objector_is_told(draft, contest, district, t1):
    objection = appeals.file_objection(t1, score_of(draft, contest["towns"][0], "headcount"), reason="有误")
    with pytest.raises(ActionRefused) as refused:
        appeals.reject_objection(objection, t1, reason="自己驳回")
    assert refused.value.code == ActionRefused.FORBIDDEN
    with pytest.raises(ActionRefused) as refused:
        appeals.reject_objection(objection, district, reason="")
    assert refused.value.code == ActionRefused.INVALID
    appeals.reject_objection(objection, district, reason="台账与系统一致")
    assert (objection.status, objection.decided_by, objection.decision) == (Objection.Status.REJECTED, district, "台账与系统一致")
    assert any("rejected" in title or "驳回" in title or "T1" in title for title in outbox_to(t1))
    assert ("reject-objection", district.pk) in Transition.objects.for_object(draft).values_list("action", "actor")
    assert newest().pk == draft.pk  # the figure stays: no new revision
    with pytest.raises(ActionRefused) as refused:
        appeals.accept_objection(objection, district, reason="改主意", corrected_value="1")
    assert refused.value.code == ActionRefused.CONFLICT


def test_accepting_a_computed_figure_records_the_correction_and_recomputes_a_new_revision(draft, contest, district, t1):
    town = contest["towns"][0]
    objection = appeals.file_objection(t1, score_of(draft, town, "headcount"), reason="漏报职工", proposed_value="40")
    with pytest.raises(ActionRefused) as refused:
        appeals.accept_objection(objection, t1, reason="x")
    assert refused.value.code == ActionRefused.FORBIDDEN
    appeals.accept_objection(objection, district, reason="核实台账，职工数应为40")
    assert (objection.status, objection.corrected_value) == (Objection.Status.ACCEPTED, Decimal("40"))
    override = ScoreOverride.objects.get()
    assert (override.unit_id, override.indicator.code, override.value, override.objection) == (town.pk, "headcount", Decimal("40"), objection)
    draft.refresh_from_db()
    revision = newest()
    assert (draft.status, revision.revision, revision.status) == (ContestWeek.Status.SUPERSEDED, 2, ContestWeek.Status.DRAFT)
    assert "核实台账" in revision.reason and revision.appeal_until == draft.appeal_until
    assert score_of(revision, town, "headcount").raw_value == Decimal("40")
    assert score_of(draft, town, "headcount").raw_value == Decimal("100")  # the earlier revision is kept as it was
    assert [a for a in Transition.objects.for_object(draft).values_list("action", flat=True)][-2:] == ["accept-objection", "revise"]
    assert any("T1" in title for title in outbox_to(t1))


def test_accepting_an_entered_figure_goes_through_the_inspection_scores(draft, contest, district, t1):
    from leaderboard.models import InspectionScore

    town = contest["towns"][0]
    objection = appeals.file_objection(t1, score_of(draft, town, "deductions"), reason="已整改，不应扣分", proposed_value="0")
    appeals.accept_objection(objection, district, reason="复核属实")
    assert InspectionScore.objects.get(unit_id=town.pk, indicator__code="deductions").value == Decimal("0")
    assert not ScoreOverride.objects.exists()
    assert score_of(newest(), town, "deductions").raw_value == Decimal("0")
    # Out of the entered indicator's range: refused, nothing changes.
    other = appeals.file_objection(t1, score_of(newest(), town, "individual"), reason="x", proposed_value="0.1")
    second = appeals.file_objection(township_user(contest["towns"][1]), score_of(newest(), contest["towns"][1], "deductions"), reason="y")
    with pytest.raises(ActionRefused) as refused:
        appeals.accept_objection(second, district, reason="超出范围", corrected_value="150")
    assert refused.value.code == ActionRefused.INVALID
    second.refresh_from_db()
    assert second.status == Objection.Status.OPEN and newest().revision == 2
    assert other.status == Objection.Status.OPEN


def _lists(week):
    results = list(UnitResult.objects.filter(week=week).order_by("unit_id").values_list("unit_id", "total", "coverage", "eligible", "rank", "list_mark"))
    scores = list(Score.objects.filter(week=week).order_by("unit_id", "indicator__sort_order").values_list("unit_id", "indicator__code", "raw_value", "score", "no_data"))
    return results, scores


@pytest.mark.parametrize("code", ["table", "deductions"])
def test_a_corrected_figure_changes_the_lists_exactly_as_a_recomputation_from_the_corrected_inputs(district, move_clock, code):
    """The new revision after an accepted objection equals ``compute_week`` run from scratch on inputs where the
    figure was right all along (the metric's own data for a computed indicator, the inspectors' entry for an
    entered one)."""
    indicators = use_test_indicators(("table", "higher", 3, "computed", "table"), ("deductions", "lower", 1, "entered", ""))
    set_list_size("township", 1, min_coverage=0)
    LevelSetting.objects.filter(level="township").update(appeal_hours=8)
    towns = [TownshipFactory(name=f"L{i}", sort_order=i) for i in range(1, 6)]
    table = {t.pk: (n, 10) for t, n in zip(towns, (9, 7, 5, 3, 1))}
    deductions = dict(zip((t.pk for t in towns), (0, 2, 4, 6, 8)))
    fake_metrics.TABLE["township"] = dict(table)
    move_clock(COMPUTED)
    for town in towns:
        services.enter_inspection_score(district, level="township", week_start=MONDAY, unit_id=town.pk, indicator=indicators[1], value=deductions[town.pk])
    week = services.compute_week("township", MONDAY, actor=district)
    move_clock(DURING)
    # The worst unit says its figure is wrong.
    worst = towns[-1]
    corrected = "0.95" if code == "table" else "0"
    objection = appeals.file_objection(township_user(worst), score_of(week, worst, code), reason="数据有误", proposed_value=corrected)
    before = _lists(week)
    appeals.accept_objection(objection, district, reason="核实属实")
    after = _lists(newest())
    assert after != before  # the correction moved the figures and totals
    assert UnitResult.objects.get(week=newest(), unit_id=worst.pk).total > UnitResult.objects.get(week=week, unit_id=worst.pk).total

    with transaction.atomic():
        ScoreOverride.objects.all().delete()
        Objection.objects.all().delete()
        ContestWeek.objects.filter(level="township", week_start=MONDAY).delete()
        if code == "table":
            fake_metrics.TABLE["township"][worst.pk] = (Decimal("9.5"), 10)
        else:
            services.enter_inspection_score(district, level="township", week_start=MONDAY, unit_id=worst.pk, indicator=indicators[1], value=corrected)
        scratch = services.compute_week("township", MONDAY, actor=district)
        assert scratch.revision == 1
        from_scratch = _lists(scratch)
        transaction.set_rollback(True)
    fake_metrics.TABLE.pop("township", None)
    assert after == from_scratch


# --- pages -----------------------------------------------------------------------------------------------------


def test_a_township_objects_on_its_page_and_the_district_accepts_on_the_week_page(draft, contest, district, t1, client):
    town = contest["towns"][0]
    score = score_of(draft, town, "headcount")
    client.force_login(t1)
    page = client.get(reverse("leaderboard:appeals"))
    assert page.status_code == 200
    links = [reverse("leaderboard:objection-file", args=[s.pk]) for s in Score.objects.filter(week=draft, unit_id=town.pk)]
    assert all(link in page.content.decode() for link in links)
    assert reverse("leaderboard:objection-file", args=[score_of(draft, contest["towns"][1], "headcount").pk]) not in page.content.decode()
    evidence = SimpleUploadedFile("a.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(reverse("leaderboard:objection-file", args=[score.pk]), {"reason": "漏报", "proposed_value": "40", "evidence": evidence})
    objection = Objection.objects.get()
    assert response.status_code == 302 and response["Location"] == objection.get_absolute_url()
    assert client.get(reverse("leaderboard:objection-evidence", args=[objection.pk])).status_code == 200
    again = client.post(reverse("leaderboard:objection-file", args=[score.pk]), {"reason": "再次"})
    assert again.status_code == 409
    assert "objection pending" in client.get(reverse("leaderboard:appeals")).content.decode() or "异议" in client.get(reverse("leaderboard:appeals")).content.decode()
    # Another township's staff: the objection and its file are out of scope.
    client.force_login(township_user(contest["towns"][1]))
    assert client.get(objection.get_absolute_url()).status_code == 404
    assert client.get(reverse("leaderboard:objection-evidence", args=[objection.pk])).status_code == 404
    assert client.post(reverse("leaderboard:objection-accept", args=[objection.pk]), {"reason": "x"}).status_code == 404
    # The objector may not decide.
    client.force_login(t1)
    assert client.post(reverse("leaderboard:objection-accept", args=[objection.pk]), {"reason": "x"}).status_code == 403

    client.force_login(district)
    week_page = client.get(draft.get_absolute_url()).content.decode()
    assert reverse("leaderboard:objection-accept", args=[objection.pk]) in week_page
    assert reverse("leaderboard:objection-reject", args=[objection.pk]) in week_page
    response = client.post(reverse("leaderboard:objection-accept", args=[objection.pk]), {"reason": "核实属实", "corrected_value": "40", "next": draft.get_absolute_url()})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == Objection.Status.ACCEPTED and newest().revision == 2
    detail = client.get(objection.get_absolute_url())
    assert detail.status_code == 200 and [h.action for h in detail.context["history"]] == ["create", "accept"]


def test_the_district_closes_the_window_on_the_week_page_then_publishes(draft, district, client):
    client.force_login(district)
    assert reverse("leaderboard:close-appeals", args=[draft.pk]) in client.get(draft.get_absolute_url()).content.decode()
    client.post(reverse("leaderboard:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == ContestWeek.Status.DRAFT
    client.post(reverse("leaderboard:close-appeals", args=[draft.pk]), {"reason": "无异议"})
    client.post(reverse("leaderboard:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == ContestWeek.Status.PUBLISHED


def test_the_units_page_is_for_unit_staff(draft, client, district):
    client.force_login(district)
    assert client.get(reverse("leaderboard:appeals")).status_code == 403
    client.force_login(specialist_user())
    assert client.get(reverse("leaderboard:appeals")).status_code == 403
    assert client.get(reverse("leaderboard:objections")).status_code == 403


def test_the_list_of_objections_runs_a_fixed_number_of_queries(draft, contest, district, client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(district)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("leaderboard:objections")).status_code == 200
        return len(queries)

    appeals.file_objection(township_user(contest["towns"][0]), score_of(draft, contest["towns"][0], "headcount"), reason="a")
    few = count()
    for town in contest["towns"][1:]:
        for code in ("headcount", "individual", "deductions"):
            appeals.file_objection(township_user(town), score_of(draft, town, code), reason="b")
    assert Objection.objects.count() == 16
    assert count() == few
    with django_assert_max_num_queries(20):
        client.get(reverse("leaderboard:objections"), {"status": "open", "_export": "csv"})


# --- API --------------------------------------------------------------------------------------------------------


def test_the_api_files_lists_and_decides_objections(draft, contest, district, t1, specialist):
    api = APIClient()
    town = contest["towns"][0]
    score = score_of(draft, town, "headcount")
    api.force_authenticate(specialist)
    assert api.post("/api/v1/leaderboard/objections/", {"score": score.pk, "reason": "x"}, format="multipart").status_code == 403
    assert api.get("/api/v1/leaderboard/objections/").status_code == 403
    api.force_authenticate(t1)
    bad = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    assert api.post("/api/v1/leaderboard/objections/", {"score": score.pk, "reason": "x", "evidence": bad}, format="multipart").status_code == 400
    created = api.post("/api/v1/leaderboard/objections/", {"score": score.pk, "reason": "漏报", "proposed_value": "40"}, format="multipart")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["unit_id"], body["indicator_code"]) == ("open", town.pk, "headcount")
    assert api.post("/api/v1/leaderboard/objections/", {"score": score.pk, "reason": "再次"}, format="multipart").status_code == 409
    assert [o["id"] for o in api.get("/api/v1/leaderboard/objections/").json()["results"]] == [body["id"]]
    assert api.post(f"/api/v1/leaderboard/objections/{body['id']}/accept/", {"reason": "x"}, format="json").status_code == 403
    api.force_authenticate(township_user(contest["towns"][1]))
    assert api.get(f"/api/v1/leaderboard/objections/{body['id']}/").status_code == 404
    assert api.get("/api/v1/leaderboard/objections/").json()["results"] == []

    api.force_authenticate(district)
    assert api.post(f"/api/v1/leaderboard/objections/{body['id']}/accept/", {}, format="json").status_code == 400
    accepted = api.post(f"/api/v1/leaderboard/objections/{body['id']}/accept/", {"reason": "核实属实"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert accepted.json()["corrected_value"] == "40.0000"
    assert api.post(f"/api/v1/leaderboard/objections/{body['id']}/reject/", {"reason": "晚了"}, format="json").status_code == 409
    week = newest()
    assert api.post(f"/api/v1/leaderboard/weeks/{week.pk}/publish/", {}, format="json").status_code == 409
    closed = api.post(f"/api/v1/leaderboard/weeks/{week.pk}/close-appeals/", {"reason": "已处理完毕"}, format="json")
    assert closed.status_code == 200
    assert api.post(f"/api/v1/leaderboard/weeks/{week.pk}/publish/", {}, format="json").status_code == 200


def test_the_objections_are_in_the_api_schema():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in ("/api/v1/leaderboard/objections/", "/api/v1/leaderboard/objections/{id}/", "/api/v1/leaderboard/objections/{id}/accept/",
                 "/api/v1/leaderboard/objections/{id}/reject/", "/api/v1/leaderboard/weeks/{id}/close-appeals/"):
        assert path in paths
    assert "multipart/form-data" in paths["/api/v1/leaderboard/objections/"]["post"]["requestBody"]["content"]


def test_a_township_reads_its_rows_of_the_draft_on_the_week_page_and_no_action(draft, contest, t1, client):
    client.force_login(t1)
    page = client.get(draft.get_absolute_url())
    assert page.status_code == 200
    assert [result.unit_id for result, _scores, _open in page.context["rows"]] == [contest["towns"][0].pk]
    assert page.context["allowed_actions"] == [] and page.context["missing"] == []
    assert reverse("leaderboard:publish", args=[draft.pk]) not in page.content.decode()
    # Firms and specialists still see no draft.
    client.force_login(specialist_user(AgencyFactory(paired_township=contest["towns"][5])))
    assert client.get(draft.get_absolute_url()).status_code == 404
