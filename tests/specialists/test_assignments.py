"""Assigning specialists to firms: one at a time, in bulk from a filtered list, and from an xlsx sheet."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from specialists.models import Assignment
from tests.factories import EnterpriseFactory, TownshipFactory, district_user, township_user

from .factories import AssignmentFactory, SpecialistFactory

pytestmark = pytest.mark.django_db


def xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["credit_code", "specialist_mobile", "starts_on", "ends_on"])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("assign.xlsx", buffer.getvalue())


def test_bulk_assignment_from_a_filtered_list(client):
    township = TownshipFactory()
    above = [EnterpriseFactory(township=township, scale="above_scale") for _ in range(3)]
    EnterpriseFactory(township=township, scale="sme")
    already = above[0]
    specialist = SpecialistFactory()
    AssignmentFactory(specialist=specialist, enterprise=already)
    client.force_login(district_user())
    url = reverse("specialists:bulk-assign") + f"?township={township.pk}&scale=above_scale"
    assert client.get(url).context["count"] == 3
    response = client.post(url, {"specialist": specialist.pk, "starts_on": "2020-02-03"})
    assert response.status_code == 302
    assert set(Assignment.objects.filter(specialist=specialist).values_list("enterprise", flat=True)) == {f.pk for f in above}


def test_township_staff_bulk_assign_only_their_own_firms(client):
    mine, other = TownshipFactory(), TownshipFactory()
    own = EnterpriseFactory(township=mine)
    EnterpriseFactory(township=other)
    specialist = SpecialistFactory(townships=[mine])  # a township assigns the specialists who serve it
    client.force_login(township_user(mine))
    client.post(reverse("specialists:bulk-assign"), {"specialist": specialist.pk, "starts_on": "2020-02-03"})
    assert list(Assignment.objects.values_list("enterprise", flat=True)) == [own.pk]


def test_xlsx_import_assigns_good_rows_and_reports_each_bad_row(client):
    firm, second = EnterpriseFactory(), EnterpriseFactory()
    specialist = SpecialistFactory(published_mobile="13600000001")
    AssignmentFactory(specialist=specialist, enterprise=second)
    upload = xlsx([
        [firm.credit_code, "13600000001", date(2020, 2, 3), None],
        ["91330183XXXXXXXXXX", "13600000001", "2020-02-03", None],
        [firm.credit_code, "13600009999", "2020-02-03", None],
        [second.credit_code, "13600000001", "2020-02-03", None],
        [firm.credit_code, "13600000001", "03/02/2020", None],
    ])
    client.force_login(district_user())
    response = client.post(reverse("specialists:import-assignments"), {"file": upload})
    assert response.status_code == 200
    assert response.context["created"] == 1
    assert [row for row, _ in response.context["errors"]] == [3, 4, 5, 6]
    assert Assignment.objects.filter(specialist=specialist, enterprise=firm, starts_on=date(2020, 2, 3)).exists()


def test_a_file_that_is_not_xlsx_is_refused(client):
    client.force_login(district_user())
    response = client.post(reverse("specialists:import-assignments"), {"file": SimpleUploadedFile("a.xlsx", b"PK\x03\x04junk")})
    assert response.status_code == 200 and response.context["form"].errors
    assert Assignment.objects.count() == 0


def test_ending_an_assignment_keeps_today_and_sets_the_end_date(client):
    assignment = AssignmentFactory()
    client.force_login(district_user())
    client.post(reverse("specialists:end-assignment", args=[assignment.pk]))
    from enterprises.models import Enterprise

    assert Enterprise.objects.visible_to(assignment.specialist.user).count() == 1  # ends today: still active today
    assignment.refresh_from_db()
    assert assignment.ends_on is not None
