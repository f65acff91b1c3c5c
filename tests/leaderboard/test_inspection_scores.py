"""Inspection scores: entered by district inspectors by form or xlsx; out-of-range values, unknown units,
township users and bad sheets are refused with a clear message and nothing is saved."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fuyang_portal.workflow import ActionRefused
from leaderboard import services
from leaderboard.models import InspectionScore
from tests.factories import township_user
from tests.leaderboard.factories import MONDAY

pytestmark = pytest.mark.django_db


def sheet_url():
    return reverse("leaderboard:inspection-sheet", args=["township", MONDAY.isoformat()])


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("scores.xlsx", buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_an_entered_score_outside_its_range_is_refused(contest, district):
    town = contest["towns"][0]
    for value in ("-1", "100.5", "abc", "NaN"):
        with pytest.raises(ActionRefused) as refused:
            services.enter_inspection_score(
                district, level="township", week_start=MONDAY, unit_id=town.pk, indicator=contest["indicators"][2], value=value
            )
        assert refused.value.code == ActionRefused.INVALID
    assert not InspectionScore.objects.exists()


def test_a_computed_indicator_or_unknown_unit_cannot_be_entered(contest, district):
    town = contest["towns"][0]
    with pytest.raises(ActionRefused):
        services.enter_inspection_score(district, level="township", week_start=MONDAY, unit_id=town.pk, indicator=contest["indicators"][0], value=1)
    with pytest.raises(ActionRefused):
        services.enter_inspection_score(district, level="township", week_start=MONDAY, unit_id=999999, indicator=contest["indicators"][2], value=1)
    assert not InspectionScore.objects.exists()


def test_a_township_user_cannot_edit_scores(contest, district):
    town = contest["towns"][0]
    services.enter_inspection_score(district, level="township", week_start=MONDAY, unit_id=town.pk, indicator=contest["indicators"][2], value=7)
    with pytest.raises(ActionRefused) as refused:
        services.enter_inspection_score(
            township_user(town), level="township", week_start=MONDAY, unit_id=town.pk, indicator=contest["indicators"][2], value=0
        )
    assert refused.value.code == ActionRefused.FORBIDDEN
    with pytest.raises(ActionRefused):
        services.import_inspection_scores(township_user(town), level="township", week_start=MONDAY, rows=[(2, town.code, {contest["indicators"][2]: 0})])
    assert InspectionScore.objects.get().value == Decimal("7.00")


def test_the_sheet_saves_every_unit_at_once(client, contest, district):
    client.force_login(district)
    indicator = contest["indicators"][2]
    data = {f"v-{town.pk}-{indicator.pk}": str(value) for town, value in zip(contest["towns"], contest["deductions"])}
    response = client.post(sheet_url(), data)
    assert response.status_code == 302
    assert InspectionScore.objects.count() == 6
    assert InspectionScore.objects.get(unit_id=contest["towns"][4].pk).value == 20


def test_the_sheet_with_a_bad_row_saves_nothing_and_marks_the_row(client, contest, district):
    client.force_login(district)
    indicator = contest["indicators"][2]
    data = {f"v-{town.pk}-{indicator.pk}": "3" for town in contest["towns"]}
    data[f"v-{contest['towns'][2].pk}-{indicator.pk}"] = "150"
    response = client.post(sheet_url(), data)
    assert response.status_code == 400
    rows = response.context["rows"]
    assert [bool(row["errors"]) for row in rows] == [False, False, True, False, False, False]
    assert not InspectionScore.objects.exists()


def test_an_xlsx_upload_saves_all_rows(client, contest, district):
    client.force_login(district)
    rows = [["单位编码 code", "单位名称 name", "指标deductions"]] + [[t.code, t.name, v] for t, v in zip(contest["towns"], contest["deductions"])]
    response = client.post(sheet_url(), {"file": xlsx(rows)})
    assert response.status_code == 302
    assert sorted(InspectionScore.objects.values_list("value", flat=True)) == sorted(Decimal(v) for v in contest["deductions"])


def test_an_xlsx_with_bad_rows_lists_each_row_and_saves_nothing(client, contest, district):
    client.force_login(district)
    t = contest["towns"]
    rows = [
        ["单位编码 code", "单位名称 name", "deductions"],
        [t[0].code, t[0].name, 5],
        ["NOPE", "?", 5],  # row 3: unknown unit
        [t[1].code, t[1].name, -4],  # row 4: out of range
        [t[2].code, t[2].name, "x"],  # row 5: not a number
        [t[0].code, t[0].name, 6],  # row 6: duplicate
    ]
    response = client.post(sheet_url(), {"file": xlsx(rows)})
    assert response.status_code == 400
    errors = response.context["upload_form"].upload_errors
    assert len(errors) == 4 and all(str(n) in e for n, e in zip([3, 4, 5, 6], errors))
    assert not InspectionScore.objects.exists()


def test_a_file_that_is_not_xlsx_or_lacks_the_header_is_refused(client, contest, district):
    client.force_login(district)
    fake = SimpleUploadedFile("scores.xlsx", b"code,deductions\nT1,3\n", content_type="text/csv")
    response = client.post(sheet_url(), {"file": fake})
    assert response.status_code == 400 and response.context["upload_form"].errors
    response = client.post(sheet_url(), {"file": xlsx([["a", "b"], ["c", 1]])})
    assert response.status_code == 400 and response.context["upload_form"].errors
    assert not InspectionScore.objects.exists()


def test_the_template_lists_every_unit(client, contest, district):
    client.force_login(district)
    response = client.get(reverse("leaderboard:inspection-template", args=["township", MONDAY.isoformat()]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    codes = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == sorted(t.code for t in contest["towns"])
