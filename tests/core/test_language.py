"""Chinese first, English one click away."""

import pytest
from django.urls import reverse

from tests.factories import district_user

pytestmark = pytest.mark.django_db


def test_pages_are_chinese_by_default(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html and "登录" in html


def test_the_language_switch_turns_the_portal_english_and_back(client):
    client.force_login(district_user())
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html and "Sign out" in html and "退出登录" not in html
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("home")}, follow=True)
    assert "退出登录" in response.content.decode()


def test_every_page_offers_the_switch(client):
    html = client.get(reverse("login")).content.decode()
    assert 'name="language" value="en"' in html and 'name="language" value="zh-hans"' in html
