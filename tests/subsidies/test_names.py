"""A worker's registration is listed under the worker's (masked) name, which opens it; the reference number
is a column, not the row's title (on a phone the first cell is the card's title)."""

import re

import pytest
from django.urls import reverse

from tests.factories import district_user
from tests.subsidies.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_the_registration_list_is_titled_by_the_workers_name(client):
    registration = RegistrationFactory(name="杨建华")
    client.force_login(district_user())
    html = client.get(reverse("subsidies:registrations")).content.decode()
    first_cell = re.search(r"<tbody[^>]*>\s*<tr[^>]*>\s*<td[^>]*>(.*?)</td>", html, flags=re.S).group(1)
    assert registration.masked_name in first_cell and registration.get_absolute_url() in first_cell
    assert registration.reference not in first_cell and registration.reference in html
