"""The district office appoints service specialists and edits their published profiles."""

import pytest
from django.urls import reverse

from fuyang_portal.models import Transition, User
from specialists.models import ServiceDomain, Specialist
from tests.factories import AgencyFactory, TownshipFactory, district_user, township_user
from tests.specialists.factories import SpecialistFactory

pytestmark = pytest.mark.django_db


def _form(agency, township, **extra):
    domain = ServiceDomain.objects.order_by("pk").first()
    return {
        "username": "zhou-min",
        "full_name": "周敏",
        "agency": agency.pk,
        "published_mobile": "13805712345",
        "domains": [domain.pk],
        "townships": [township.pk],
        **extra,
    }


def test_the_district_office_appoints_a_specialist_with_an_account_and_profile(client):
    agency, township = AgencyFactory(), TownshipFactory()
    client.force_login(district_user())
    response = client.post(reverse("specialists:specialist-new"), _form(agency, township))
    specialist = Specialist.objects.get(user__username="zhou-min")
    assert response.status_code == 302 and response["Location"] == specialist.get_absolute_url()
    user = specialist.user
    assert (user.role, user.agency, user.full_name) == ("specialist", agency, "周敏")
    assert user.has_usable_password()
    assert list(specialist.townships.all()) == [township]
    assert Transition.objects.for_object(specialist).get().action == "appoint"


def test_a_bad_mobile_or_a_taken_user_name_changes_nothing(client):
    agency, township = AgencyFactory(), TownshipFactory()
    client.force_login(district_user())
    response = client.post(reverse("specialists:specialist-new"), _form(agency, township, published_mobile="12345"))
    assert response.status_code == 200 and response.context["form"].errors["published_mobile"]
    township_user(username="zhou-min")
    response = client.post(reverse("specialists:specialist-new"), _form(agency, township))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Specialist.objects.exists()
    assert User.objects.filter(username="zhou-min").count() == 1


def test_other_roles_may_not_appoint_or_edit(client):
    township = TownshipFactory()
    ours, elsewhere = SpecialistFactory(townships=[township]), SpecialistFactory()
    client.force_login(township_user(township))
    assert client.get(reverse("specialists:specialist-new")).status_code == 403
    assert client.get(reverse("specialists:specialist-edit", args=[ours.pk])).status_code == 403
    assert client.get(reverse("specialists:specialist-edit", args=[elsewhere.pk])).status_code == 404  # out of scope


def test_deactivating_takes_the_specialist_off_the_directory_and_blocks_sign_in(client):
    specialist = SpecialistFactory()
    township = TownshipFactory()
    specialist.townships.add(township)
    client.force_login(district_user())
    data = {
        "agency": specialist.agency_id,
        "published_mobile": specialist.published_mobile,
        "domains": [ServiceDomain.objects.order_by("pk").first().pk],
        "townships": [township.pk],
    }  # "active" unticked
    response = client.post(reverse("specialists:specialist-edit", args=[specialist.pk]), data)
    assert response.status_code == 302
    specialist.refresh_from_db()
    assert specialist.active is False and specialist.user.is_active is False
    assert Transition.objects.for_object(specialist).get().action == "deactivate"
    client.logout()
    directory = client.get(reverse("specialists:directory"))
    assert specialist.published_mobile not in directory.content.decode()
