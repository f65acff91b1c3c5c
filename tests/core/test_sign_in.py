"""Sign-in: lockout after five failures, audited attempts, idle expiry, password rules."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from fuyang_portal.models import AuditEvent
from tests.factories import township_user

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.8")


def test_correct_credentials_sign_in_and_are_audited(client):
    user = township_user(username="fuchun-staff")
    response = _sign_in(client, "fuchun-staff", "Correct-Horse-42")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN, actor=user, ip_address="10.0.0.8").exists()


def test_five_failures_lock_the_account_for_thirty_minutes_even_with_the_right_password(client):
    township_user(username="target")
    for _ in range(4):
        response = _sign_in(client, "target", "wrong-password")
        assert response.status_code == 200
    locked = _sign_in(client, "target", "wrong-password")
    assert locked.status_code == 429
    assert "30" in locked.content.decode()
    # Now even the right password is refused, with the lockout page.
    again = _sign_in(client, "target", "Correct-Horse-42")
    assert again.status_code == 429 and "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_FAILED, username="target").count() >= 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60


def test_a_failed_attempt_shows_a_clear_message_in_chinese(client):
    township_user(username="someone")
    response = _sign_in(client, "someone", "nope")
    assert "请输入一个正确的" in response.content.decode()


def test_sessions_expire_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_SAVE_EVERY_REQUEST


def test_passwords_need_ten_characters():
    with pytest.raises(ValidationError):
        validate_password("Fy-2020ab")
    validate_password("Fuyang-2020-ok")


def test_sign_out_needs_a_post_and_ends_the_session(client):
    user = township_user()
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session
