"""Temporary lodgings: registered returning workers check in and out; over capacity is refused with the number of
free places; a person who is not a registered worker is refused with a link to register; occupancy by day."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fuyang_portal.workflow import ActionRefused
from programmes import services
from programmes.models import Lodging, Occupancy
from tests.factories import TownshipFactory, district_user, township_user
from tests.programmes.factories import registration

pytestmark = pytest.mark.django_db


def _lodging(cadre, capacity=2, name="春江宾馆 201室"):
    return services.add_lodging(cadre, name=name, kind=Lodging.Kind.HOTEL, capacity=capacity)


def test_workers_check_in_with_the_14_day_observation_and_check_out():
    cadre = township_user()
    lodging = _lodging(cadre)
    worker = registration(cadre.township)
    stay = services.check_in(cadre, lodging, worker, date(2020, 2, 20))
    assert (stay.status, stay.observation_end) == (Occupancy.Status.STAYING, date(2020, 3, 5))
    services.check_out(stay, cadre, date(2020, 2, 24))
    stay.refresh_from_db()
    assert (stay.status, stay.check_out) == (Occupancy.Status.LEFT, date(2020, 2, 24))
    with pytest.raises(ActionRefused) as refused:
        services.check_out(stay, cadre)
    assert refused.value.code == ActionRefused.CONFLICT


def test_over_capacity_is_refused_with_the_number_free(settings):
    settings.LANGUAGE_CODE = "en"
    cadre = township_user()
    lodging = _lodging(cadre, capacity=2)
    services.check_in(cadre, lodging, registration(cadre.township))
    with pytest.raises(ActionRefused) as refused:
        services.check_in_many(cadre, lodging, [registration(cadre.township), registration(cadre.township)])
    assert refused.value.code == ActionRefused.CONFLICT and "2 places and 1 free" in str(refused.value.message)
    assert lodging.occupancies.count() == 1


def test_a_worker_stays_in_one_lodging_at_a_time():
    cadre = township_user()
    worker = registration(cadre.township)
    services.check_in(cadre, _lodging(cadre), worker)
    with pytest.raises(ActionRefused) as refused:
        services.check_in(cadre, _lodging(cadre, name="宿舍 101"), worker)
    assert refused.value.code == ActionRefused.CONFLICT


def test_someone_not_registered_is_refused_with_a_link_to_register(client):
    cadre = township_user()
    lodging = _lodging(cadre)
    elsewhere = registration(TownshipFactory())  # registered with another township's firm: not this township's worker
    client.force_login(cadre)
    for term in ("LFNOSUCHREF", elsewhere.reference, "110101199003070000"):
        response = client.post(reverse("programmes:check-in", args=[lodging.pk]), {"worker": term})
        assert response.status_code == 200
        assert reverse("subsidies:public-register") in response.content.decode()
        api = client.post(reverse("lodging-check-in", args=[lodging.pk]), {"worker": term}, content_type="application/json")
        assert api.status_code == 400 and api.json()["register_url"] == reverse("subsidies:public-register")
    assert not Occupancy.objects.exists()


def test_a_worker_is_found_by_reference_or_id_number(client):
    cadre = township_user()
    lodging = _lodging(cadre, capacity=3)
    first, second = registration(cadre.township), registration(cadre.township)
    client.force_login(cadre)
    assert client.post(reverse("programmes:check-in", args=[lodging.pk]), {"worker": first.reference.lower()}).status_code == 302
    api = client.post(reverse("lodging-check-in", args=[lodging.pk]), {"worker": second.id_number}, content_type="application/json")
    assert api.status_code == 201
    assert set(lodging.occupancies.values_list("registration", flat=True)) == {first.pk, second.pk}


def test_occupancy_by_day_counts_who_slept_there_each_night():
    cadre = township_user()
    lodging = _lodging(cadre, capacity=4)
    a, b, c = (registration(cadre.township) for _ in range(3))
    services.check_in(cadre, lodging, a, date(2020, 2, 18))
    services.check_in(cadre, lodging, b, date(2020, 2, 20))
    stay = services.check_in(cadre, lodging, c, date(2020, 2, 20))
    services.check_out(stay, cadre, date(2020, 2, 22))
    days = [date(2020, 2, 17) + timedelta(days=n) for n in range(7)]
    figures = dict(services.occupancy_by_day(Lodging.objects.all(), days))
    assert [figures[d] for d in days] == [0, 1, 1, 3, 3, 2, 2]


def test_another_townships_lodging_is_404_and_other_roles_403(client):
    cadre = township_user()
    lodging = _lodging(cadre)
    client.force_login(township_user(TownshipFactory()))
    assert client.get(lodging.get_absolute_url()).status_code == 404
    assert client.post(reverse("programmes:check-in", args=[lodging.pk]), {"worker": "x"}).status_code == 404
    assert client.get(reverse("lodging-detail", args=[lodging.pk])).status_code == 404
    district = district_user()
    client.force_login(district)
    assert client.get(lodging.get_absolute_url()).status_code == 200
    assert client.post(reverse("programmes:check-in", args=[lodging.pk]), {"worker": "x"}).status_code == 403
    assert client.post(reverse("lodging-check-in", args=[lodging.pk]), {"worker": "x"}, content_type="application/json").status_code == 403


def test_the_lodging_list_shows_free_places_in_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    cadre = township_user()
    services.add_lodgings(cadre, [dict(name=f"宿舍 {n}", kind="dormitory", capacity=4) for n in range(30)])
    with pytest.raises(ActionRefused):
        services.add_lodgings(cadre, [dict(name="宿舍 1", kind="dormitory", capacity=4)])
    services.check_in(cadre, Lodging.objects.get(name="宿舍 1"), registration(cadre.township))
    client.force_login(cadre)
    client.get(reverse("programmes:lodgings") + "?sort=name")  # warm up: the reference lists are read once
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("programmes:lodgings") + "?sort=name")
    services.add_lodgings(cadre, [dict(name=f"宾馆 {n}", kind="hotel", capacity=2) for n in range(30)])
    with django_assert_max_num_queries(13), CaptureQueriesContext(connection) as many:
        response = client.get(reverse("programmes:lodgings") + "?sort=name")
    assert response.status_code == 200 and len(many) == len(few)
    row = next(r for r in response.context["table"].rows if r.record.name == "宿舍 1")
    assert (row.record.staying_count, row.record.free_count) == (1, 3)
