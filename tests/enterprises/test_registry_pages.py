"""The registry's pages: list scope and query count, firm page, create/edit refusals, bulk import."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from enterprises.models import Enterprise, EnterpriseTag, Scale
from fuyang_portal.demo import make_credit_code
from tests.enterprises.factories import ApprovedRequestFactory, PDF_BYTES
from tests.factories import EnterpriseFactory, TownshipFactory, VillageFactory, district_user, enterprise_user, township_user

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_district_sees_every_firm_and_a_township_only_its_own(client):
    t1, t2 = TownshipFactory(), TownshipFactory()
    mine, other = EnterpriseFactory(township=t1, name="本镇企业有限公司"), EnterpriseFactory(township=t2, name="外镇企业有限公司")
    page = login(client, township_user(t1)).get(reverse("enterprises:list")).content.decode()
    assert mine.name in page and other.name not in page
    page = login(client, district_user()).get(reverse("enterprises:list")).content.decode()
    assert mine.name in page and other.name in page


def test_the_firm_list_runs_the_same_number_of_queries_for_5_and_40_firms(client, django_assert_num_queries):
    tag = EnterpriseTag.objects.create(code="key-talent", name="重点人才企业")
    user = district_user()
    login(client, user)
    counts = []
    for size in (5, 40):
        for _ in range(size - Enterprise.objects.count()):
            firm = EnterpriseFactory(village=VillageFactory())
            firm.tags.add(tag)
            ApprovedRequestFactory(enterprise=firm)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(reverse("enterprises:list"))  # warm up: reference lists changed by the new rows are read again once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("enterprises:list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_list_filters_by_scale_and_by_credit_code(client):
    above = EnterpriseFactory(scale=Scale.ABOVE_SCALE, name="规上甲有限公司")
    sme = EnterpriseFactory(scale=Scale.SME, name="小微乙有限公司")
    login(client, district_user())
    page = client.get(reverse("enterprises:list"), {"scale": Scale.ABOVE_SCALE}).content.decode()
    assert above.name in page and sme.name not in page
    page = client.get(reverse("enterprises:list"), {"q": sme.credit_code.lower()}).content.decode()
    assert sme.name in page and above.name not in page


def test_firm_list_exports_xlsx(client):
    EnterpriseFactory()
    login(client, district_user())
    response = client.get(reverse("enterprises:list"), {"_export": "xlsx"})
    assert response.status_code == 200 and response.content.startswith(b"PK")


def test_another_townships_firm_page_is_404_and_an_enterprise_sees_only_its_own(client):
    firm = EnterpriseFactory()
    assert login(client, township_user()).get(firm.get_absolute_url()).status_code == 404
    assert login(client, enterprise_user()).get(firm.get_absolute_url()).status_code == 404
    assert login(client, enterprise_user(firm)).get(firm.get_absolute_url()).status_code == 200
    assert login(client, township_user(firm.township)).get(firm.get_absolute_url()).status_code == 200


def test_an_enterprise_cannot_open_the_registry_list(client):
    assert login(client, enterprise_user()).get(reverse("enterprises:list")).status_code == 403


def firm_form(township, **extra):
    return {
        "name": "杭州新注册科技有限公司",
        "credit_code": make_credit_code(88001),
        "township": township.pk,
        "industry": "C",
        "scale": Scale.SME,
        "registered_headcount": 30,
        "contact_mobile": "13905710099",
        **extra,
    }


def test_township_staff_register_a_firm_and_the_history_records_it(client):
    township = TownshipFactory()
    login(client, township_user(township))
    response = client.post(reverse("enterprises:create"), firm_form(township))
    firm = Enterprise.objects.get(name="杭州新注册科技有限公司")
    assert response.status_code == 302
    from fuyang_portal.models import Transition

    assert Transition.objects.for_object(firm).get().action == "create"
    assert client.get(firm.get_absolute_url()).status_code == 200


def test_a_wrong_credit_code_check_digit_is_refused(client):
    township = TownshipFactory()
    code = make_credit_code(88002)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    login(client, township_user(township))
    response = client.post(reverse("enterprises:create"), firm_form(township, credit_code=wrong))
    assert response.status_code == 200
    assert "GB 32100" in response.content.decode() or "统一社会信用代码" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_a_duplicate_firm_is_refused_with_the_existing_firms_name(client):
    existing = EnterpriseFactory(name="已登记企业有限公司")
    login(client, township_user(existing.township))
    response = client.post(reverse("enterprises:create"), firm_form(existing.township, credit_code=existing.credit_code))
    assert response.status_code == 200 and "已登记企业有限公司" in response.content.decode()
    assert Enterprise.objects.count() == 1


def test_township_staff_cannot_register_a_firm_in_another_township(client):
    login(client, township_user())
    other = TownshipFactory()
    response = client.post(reverse("enterprises:create"), firm_form(other))
    assert response.status_code == 200
    assert not Enterprise.objects.exists()


def test_township_staff_cannot_edit_another_townships_firm(client):
    firm = EnterpriseFactory()
    assert login(client, township_user()).get(reverse("enterprises:edit", args=[firm.pk])).status_code == 404


def xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "firms.xlsx"
    return buffer


HEADER = ["企业名称", "统一社会信用代码", "镇街", "村社", "规模", "行业门类", "登记人数", "标签"]


def test_import_preview_lists_every_rows_errors_and_imports_nothing(client):
    township = TownshipFactory(name="测试导入镇")
    existing = EnterpriseFactory()
    bad = make_credit_code(88010)
    bad = bad[:-1] + ("0" if bad[-1] != "0" else "1")
    upload = xlsx(
        [
            HEADER,
            ["甲有限公司", make_credit_code(88011), township.name, "", "中小微", "C", 10, ""],
            ["乙有限公司", bad, township.name, "", "中小微", "C", 10, ""],
            ["丙有限公司", make_credit_code(88012), "不存在镇", "", "中小微", "C", 10, ""],
            ["丁有限公司", existing.credit_code, township.name, "", "中小微", "C", 10, ""],
            ["戊有限公司", make_credit_code(88011), township.name, "", "中小微", "C", 10, ""],
        ]
    )
    login(client, district_user())
    response = client.post(reverse("enterprises:import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("table-danger") == 4
    assert "不存在镇" in page and existing.name in page
    assert 'name="confirm"' not in page
    assert Enterprise.objects.count() == 1


def test_a_clean_file_is_previewed_then_imported_whole(client):
    township = TownshipFactory(name="测试导入镇")
    village = VillageFactory(township=township, name="导入村")
    EnterpriseTag.objects.create(code="exporter", name="外贸企业")
    upload = xlsx(
        [
            HEADER,
            ["甲有限公司", make_credit_code(88021), township.name, village.name, "规上工业", "C", 300, "exporter"],
            ["乙有限公司", make_credit_code(88022), township.name, "", "个体工商户", "F", 2, ""],
        ]
    )
    login(client, township_user(township))
    response = client.post(reverse("enterprises:import"), {"file": upload})
    token = response.context["token"]
    assert not Enterprise.objects.exists()
    response = client.post(reverse("enterprises:import"), {"confirm": token})
    assert response.status_code == 302
    first = Enterprise.objects.get(name="甲有限公司")
    assert first.village == village and first.scale == Scale.ABOVE_SCALE and first.tags.get().code == "exporter"
    assert Enterprise.objects.count() == 2


def test_a_township_importing_another_townships_firms_gets_row_errors(client):
    other = TownshipFactory(name="别的镇")
    upload = xlsx([HEADER, ["甲有限公司", make_credit_code(88031), other.name, "", "中小微", "C", 3, ""]])
    login(client, township_user())
    response = client.post(reverse("enterprises:import"), {"file": upload})
    assert response.context["error_count"] == 1
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize(
    "payload,name",
    [(PDF_BYTES, "firms.csv"), (b"PK\x03\x04not really a zip", "firms.xlsx"), (b"\x00\x01\x02binary", "firms.csv")],
)
def test_a_malformed_file_gets_a_message_not_a_500(client, payload, name):
    upload = io.BytesIO(payload)
    upload.name = name
    login(client, district_user())
    response = client.post(reverse("enterprises:import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Enterprise.objects.exists()


def test_a_csv_in_gb18030_is_read(client):
    township = TownshipFactory(name="编码镇")
    text = "企业名称,统一社会信用代码,镇街,规模\n编码测试有限公司,%s,编码镇,中小微\n" % make_credit_code(88041)
    upload = io.BytesIO(text.encode("gb18030"))
    upload.name = "firms.csv"
    login(client, township_user(township))
    response = client.post(reverse("enterprises:import"), {"file": upload})
    assert response.context["error_count"] == 0 and response.context["token"]


def test_enterprise_accounts_cannot_import_firms(client):
    assert login(client, enterprise_user()).get(reverse("enterprises:import")).status_code == 403


def test_the_import_template_has_the_chinese_column_names(client):
    from openpyxl import load_workbook

    login(client, district_user())
    response = client.get(reverse("enterprises:import-template", args=["firms"]))
    header = [cell.value for cell in load_workbook(io.BytesIO(response.content)).active[1]]
    assert header[:2] == ["企业名称", "统一社会信用代码"]
    assert client.get(reverse("enterprises:import-template", args=["employee"])).status_code == 403
    assert client.get(reverse("enterprises:import-template", args=["nothing"])).status_code == 404


def test_editing_a_firm_is_recorded_in_its_history(client):
    firm = EnterpriseFactory(registered_headcount=10)
    login(client, township_user(firm.township))
    data = firm_form(firm.township, name=firm.name, credit_code=firm.credit_code, registered_headcount=99)
    assert client.post(reverse("enterprises:edit", args=[firm.pk]), data).status_code == 302
    firm.refresh_from_db()
    assert firm.registered_headcount == 99
    from fuyang_portal.models import Transition

    step = Transition.objects.for_object(firm).get()
    assert step.action == "change" and "registered_headcount" in step.comment
