"""Password rules: at least 10 characters of 3 of the 4 classes, not the user name, none of the last five; a
password past its age must be changed before anything else (and expiry can be turned off)."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fuyang_portal.models import User
from tests.factories import township_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["short1A!", "alllowercaseletters", "lowercase12345678", "ALLCAPS-AND-SYMBOLS"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, township_user())


def test_three_classes_of_ten_characters_are_enough():
    validate_password("Fuchun-river-77", township_user())


def test_a_password_with_the_user_name_is_refused():
    user = township_user(username="lishan")
    with pytest.raises(ValidationError) as refused:
        validate_password("Lishan-2020-ok", user)
    assert any(e.code == "password_has_username" for e in refused.value.error_list)


def test_none_of_the_last_five_passwords_comes_back():
    user = township_user()
    for n in range(5):
        user.set_password(f"Spring-river-{n}0")
        user.save()
    with pytest.raises(ValidationError):
        validate_password("Spring-river-00", user)
    user.set_password("Spring-river-50")
    user.save()
    validate_password("Spring-river-00", user)  # six changes ago: allowed again


def test_an_expired_password_is_changed_first(client, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = township_user()
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("password_change"))
    assert client.get(reverse("password_change")).status_code == 200
    changed = client.post(reverse("password_change"), {
        "old_password": "Correct-Horse-42", "new_password1": "Qiantang-tide-91", "new_password2": "Qiantang-tide-91",
    })
    assert changed.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_expiry_can_be_turned_off(client, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    user = township_user()
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=900))
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
