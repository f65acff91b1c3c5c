"""Car runs, service stations and party members' shopping runs as simple ledgers; the weekly figures per township,
the district seeing every township side by side; menus and to-dos."""

from datetime import date

import pytest
from django.urls import reverse

from fuyang_portal.workflow import ActionRefused
from programmes import services
from programmes.models import CarRun, ShoppingRun
from tests.factories import EnterpriseFactory, TownshipFactory, district_user, township_user
from tests.programmes.factories import clinic_user, registration, work_item

pytestmark = pytest.mark.django_db


def test_car_runs_are_logged_by_the_township_and_checked():
    cadre = township_user()
    run = services.log_car_run(cadre, run_date=date(2020, 2, 20), origin="杭州东站", destination="春江工业区", people=4, driver="楼师傅",
                               plate="浙a 31250")
    assert run.plate == "浙A31250" and run.township == cadre.township
    for bad in ({"people": 0}, {"plate": "XYZ"}, {"run_date": date(2020, 2, 25)}, {"origin": ""}):
        values = {**dict(run_date=date(2020, 2, 20), origin="a", destination="b", people=2, driver="d"), **bad}
        with pytest.raises(ActionRefused):
            services.log_car_run(cadre, **values)
    with pytest.raises(ActionRefused):
        services.log_car_run(district_user(), run_date=date(2020, 2, 20), origin="a", destination="b", people=2, driver="d")
    assert CarRun.objects.count() == 1


def test_stations_and_shopping_runs_for_a_firm_or_a_household(client):
    cadre = township_user()
    station = services.open_station(cadre, name="服务驿站", place="便民中心", hours="08:00-18:00", services="代购")
    with pytest.raises(ActionRefused):
        services.open_station(cadre, name="服务驿站", place="x", hours="x", services="x")
    firm = EnterpriseFactory(township=cadre.township)
    services.log_shopping_run(cadre, run_date=date(2020, 2, 20), station=station, for_enterprise=firm, items="口罩", runner="党员 孙")
    services.log_shopping_run(cadre, run_date=date(2020, 2, 21), for_household="松溪村3号", items="大米", runner="党员 蒋")
    with pytest.raises(ActionRefused):
        services.log_shopping_run(cadre, run_date=date(2020, 2, 21), items="大米", runner="党员 蒋")
    other_station = services.open_station(township_user(TownshipFactory()), name="别处", place="x", hours="x", services="x")
    with pytest.raises(ActionRefused):
        services.log_shopping_run(cadre, run_date=date(2020, 2, 21), station=other_station, for_household="h", items="i", runner="r")
    assert ShoppingRun.objects.count() == 2
    client.force_login(cadre)
    response = client.post(reverse("programmes:shopping-run-create"), {"run_date": "2020-02-22", "for_household": "紫溪村", "items": "药",
                                                                         "runner": "党员 何"})
    assert response.status_code == 302 and ShoppingRun.objects.count() == 3
    api = client.post(reverse("car-run-list"), {"run_date": "2020-02-22", "origin": "a", "destination": "b", "people": 3, "driver": "d"},
                      content_type="application/json")
    assert api.status_code == 201
    assert client.get(reverse("programmes:stations")).status_code == 200
    assert client.get(reverse("programmes:shopping-runs")).status_code == 200


def test_a_township_sees_its_own_ledgers_only(client):
    mine, theirs = township_user(), township_user(TownshipFactory())
    services.log_car_run(mine, run_date=date(2020, 2, 20), origin="甲", destination="乙", people=2, driver="d")
    services.log_car_run(theirs, run_date=date(2020, 2, 20), origin="丙", destination="丁", people=2, driver="d")
    client.force_login(mine)
    data = client.get(reverse("car-run-list")).json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [row["origin"] for row in rows] == ["甲"]
    page = client.get(reverse("programmes:car-runs")).content.decode()
    assert "甲" in page and "丙" not in page


def test_the_district_sees_every_township_side_by_side(client, django_assert_max_num_queries):
    cadre = township_user()
    item, _ = work_item(cadre.township, cadre)
    services.report_progress(item, cadre, note="done", done=True)
    services.log_car_run(cadre, run_date=date(2020, 2, 24), origin="a", destination="b", people=5, driver="d")
    services.issue_voucher(cadre, registration(cadre.township))
    services.add_lodging(cadre, name="宾馆", kind="hotel", capacity=2)
    other = TownshipFactory()
    client.force_login(district_user())
    with django_assert_max_num_queries(20):
        response = client.get(reverse("programmes:figures") + "?week=2020-02-24")
    rows = {row["township"].pk: row for row in response.context["rows"]}
    assert set(rows) >= {cadre.township_id, other.pk}
    mine = rows[cadre.township_id]
    assert (mine["items"], mine["items_done"], mine["runs"], mine["carried"], mine["vouchers"], mine["lodgings"]) == (1, 1, 1, 5, 1, 1)
    assert rows[other.pk]["runs"] == 0
    client.force_login(cadre)
    response = client.get(reverse("programmes:figures"))
    assert [row["township"].pk for row in response.context["rows"]] == [cadre.township_id]
    client.force_login(clinic_user(cadre.township, cadre)[0])
    assert client.get(reverse("programmes:figures")).status_code == 403


def test_the_menu_and_the_to_do_list_offer_the_work(client):
    cadre = township_user()
    item, _ = work_item(cadre.township, cadre)
    client.force_login(cadre)
    home = client.get("/")
    assert reverse("programmes:figures") in home.content.decode()
    assert item.get_absolute_url() in home.content.decode()
