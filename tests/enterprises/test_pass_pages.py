"""Pass pages: filing, pass-list import, printing with a QR code, public verification, audited unmasking."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from enterprises import services
from enterprises.models import Pass, PassKind, PassStatus
from enterprises.views import verification_token
from fuyang_portal.models import AuditEvent
from tests.enterprises.factories import EmployeePassFactory, VehiclePassFactory, resident_id
from tests.factories import EnterpriseFactory, district_user, enterprise_user, township_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def issued(factory=VehiclePassFactory, **kwargs):
    p = factory(**kwargs)
    services.approve_pass(p, township_user(p.enterprise.township))
    return Pass.objects.get(pk=p.pk)


def test_a_firm_applies_for_a_new_energy_vehicle_pass(client):
    firm = EnterpriseFactory()
    client.force_login(enterprise_user(firm))
    response = client.post(
        reverse("enterprises:pass-new-vehicle"),
        {
            "plate": "浙A12345D", "vehicle_type": "truck", "driver_name": "赵师傅", "mobile": "13905710005",
            "route": "富阳—桐庐", "valid_from": TODAY.isoformat(), "valid_until": (TODAY + datetime.timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Pass.objects.get().plate == "浙A12345D"


def test_a_bad_plate_and_a_bad_id_check_digit_are_refused(client):
    client.force_login(enterprise_user())
    response = client.post(reverse("enterprises:pass-new-vehicle"), {"plate": "AB12345", "vehicle_type": "car", "driver_name": "x", "mobile": "13905710005", "route": "x", "valid_from": TODAY, "valid_until": TODAY})
    assert response.context["form"].errors["plate"]
    good = resident_id(5)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = client.post(reverse("enterprises:pass-new-employee"), {"holder_name": "李四", "id_number": wrong, "mobile": "13905710006", "origin": "江西", "health_code": "green", "valid_from": TODAY, "valid_until": TODAY})
    assert response.context["form"].errors["id_number"]
    assert not Pass.objects.exists()


def test_a_duplicate_pass_shows_a_clear_message(client):
    existing = EmployeePassFactory(id_number=resident_id(9))
    firm = EnterpriseFactory()
    client.force_login(enterprise_user(firm))
    response = client.post(reverse("enterprises:pass-new-employee"), {"holder_name": "王五", "id_number": resident_id(9), "mobile": "13905710006", "origin": "江西", "health_code": "green", "valid_from": TODAY, "valid_until": TODAY})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Pass.objects.count() == 1 and Pass.objects.get() == existing


def employee_sheet(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "手机号", "来自", "健康码", "有效期起", "有效期止"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "staff.xlsx"
    return buffer


def test_pass_list_import_shows_per_row_errors_with_masked_ids_and_imports_nothing(client):
    firm = EnterpriseFactory()
    client.force_login(enterprise_user(firm))
    until = TODAY + datetime.timedelta(days=20)
    good = resident_id(21)
    upload = employee_sheet(
        [
            ["甲", good, "13905710001", "安徽", "绿码", TODAY, until],
            ["乙", good, "13905710002", "安徽", "绿码", TODAY, until],  # same person twice
            ["丙", "330183199001011230", "13905710003", "安徽", "绿码", TODAY, until],  # bad check digit (or birth)
            ["丁", resident_id(22), "1234", "安徽", "绿码", TODAY, until],  # bad mobile
        ]
    )
    response = client.post(reverse("enterprises:pass-import-employee"), {"file": upload})
    page = response.content.decode()
    assert response.context["error_count"] >= 3
    assert good not in page  # ID numbers only masked in the preview
    assert not Pass.objects.exists()


def test_a_clean_pass_list_is_imported_whole_with_one_notice_to_the_township(client, django_capture_on_commit_callbacks):
    from fuyang_portal.models import Notification

    firm = EnterpriseFactory()
    reviewer = township_user(firm.township)
    client.force_login(enterprise_user(firm))
    until = TODAY + datetime.timedelta(days=20)
    upload = employee_sheet([[f"员工{i}", resident_id(30 + i), "13905710001", "安徽", "绿码", TODAY, until] for i in range(5)])
    response = client.post(reverse("enterprises:pass-import-employee"), {"file": upload})
    token = response.context["token"]
    assert resident_id(30) not in str(dict(client.session.items()))  # the preview keeps the rows encrypted
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("enterprises:pass-import-employee"), {"confirm": token})
    assert Pass.objects.filter(enterprise=firm, kind=PassKind.EMPLOYEE, status=PassStatus.PENDING).count() == 5
    assert Notification.objects.filter(recipient=reviewer).count() == 1


def test_the_printable_pass_carries_an_svg_qr_code(client):
    p = issued()
    client.force_login(enterprise_user(p.enterprise))
    response = client.get(reverse("enterprises:pass-print", args=[p.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and "<svg" in page and p.number in page


def test_public_verification_shows_only_validity_firm_and_masked_holder(client):
    p = issued(EmployeePassFactory, holder_name="张三丰", id_number=resident_id(41))
    response = client.get(reverse("enterprises:verify", args=[verification_token(p)]))
    page = response.content.decode()
    assert response.status_code == 200 and response.context["valid"] is True
    assert "张**" in page and "张三丰" not in page
    assert resident_id(41) not in page and resident_id(41)[-4:] not in page
    assert p.mobile not in page and p.enterprise.name in page


def test_a_revoked_pass_verifies_as_not_valid(client):
    p = issued()
    services.revoke_pass(p, district_user(), "车辆报废")
    response = client.get(reverse("enterprises:verify", args=[verification_token(p)]))
    assert response.context["valid"] is False


def test_a_forged_token_is_not_found(client):
    response = client.get(reverse("enterprises:verify", args=["1:forged:token"]))
    assert response.status_code == 404 and response.context["found"] is False


def test_ids_are_masked_on_the_pass_page_and_a_district_unmask_is_audited(client):
    number = resident_id(51)
    p = EmployeePassFactory(id_number=number)
    client.force_login(township_user(p.enterprise.township))
    page = client.get(p.get_absolute_url()).content.decode()
    assert number not in page and number[-4:] in page
    assert client.post(reverse("enterprises:pass-unmask", args=[p.pk])).status_code == 403
    client.force_login(district_user())
    response = client.post(reverse("enterprises:pass-unmask", args=[p.pk]))
    assert number in response.content.decode()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.UNMASK)
    assert event.target.endswith(f"#{p.pk}")


def test_pass_list_query_count_is_fixed(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    firm = EnterpriseFactory()
    client.force_login(township_user(firm.township))
    counts = []
    for size in (3, 30):
        while Pass.objects.count() < size:
            EmployeePassFactory(enterprise=EnterpriseFactory(township=firm.township))
        client.get(reverse("enterprises:passes"))  # warm up: reference lists changed by the new rows are read again once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("enterprises:passes")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_another_township_cannot_see_or_issue_a_pass(client):
    p = VehiclePassFactory()
    client.force_login(township_user())
    assert client.get(p.get_absolute_url()).status_code == 404
    assert client.post(reverse("enterprises:pass-approve", args=[p.pk]), {}).status_code == 404
    p.refresh_from_db()
    assert p.status == PassStatus.PENDING


def test_agency_staff_do_not_see_passes(client):
    from tests.factories import agency_user

    VehiclePassFactory()
    client.force_login(agency_user())
    assert client.get(reverse("enterprises:passes")).status_code == 403
    assert not Pass.objects.visible_to(agency_user()).exists()


def test_a_duplicate_appearing_between_preview_and_import_rolls_back_the_whole_list(client):
    firm = EnterpriseFactory()
    client.force_login(enterprise_user(firm))
    until = TODAY + datetime.timedelta(days=20)
    upload = employee_sheet([[f"员工{i}", resident_id(70 + i), "13905710001", "安徽", "绿码", TODAY, until] for i in range(4)])
    token = client.post(reverse("enterprises:pass-import-employee"), {"file": upload}).context["token"]
    EmployeePassFactory(id_number=resident_id(72))  # filed elsewhere meanwhile
    response = client.post(reverse("enterprises:pass-import-employee"), {"confirm": token}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Pass.objects.filter(enterprise=firm).exists()
