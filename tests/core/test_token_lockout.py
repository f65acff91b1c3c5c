"""The token sign-in shares the web sign-in's lockout: failures are counted per account whichever door they
came in by, and a lock set by either refuses both."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import township_user

pytestmark = pytest.mark.django_db

RIGHT = "Correct-Horse-42"


def _token(client, username, password):
    return client.post(reverse("api-token"), {"username": username, "password": password}, content_type="application/json")


def _web(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_right_password_gives_a_token(client):
    township_user(username="tok")
    response = _token(client, "tok", RIGHT)
    assert response.status_code == 200 and len(response.json()["token"]) == 40


def test_a_wrong_password_is_a_clear_400_and_is_recorded(client):
    township_user(username="tok")
    response = _token(client, "tok", "wrong")
    assert response.status_code == 400 and "token" not in response.json()
    assert AccessAttempt.objects.get(username="tok").failures_since_start == 1


def test_six_wrong_passwords_then_the_right_one_gives_no_token(client):
    township_user(username="tok")
    answers = [_token(client, "tok", f"wrong-{n}").status_code for n in range(6)]
    assert answers[:4] == [400] * 4 and answers[5] == 429
    locked = _token(client, "tok", RIGHT)
    assert locked.status_code == 429 and "token" not in locked.json()
    assert "30" in locked.json()["detail"]


def test_a_lock_set_on_the_web_refuses_the_token(client):
    township_user(username="both")
    for n in range(5):
        _web(client, "both", f"wrong-{n}")
    assert _token(client, "both", RIGHT).status_code == 429


def test_a_lock_set_through_the_token_refuses_the_web_sign_in(client):
    township_user(username="both")
    for n in range(5):
        _token(client, "both", f"wrong-{n}")
    response = _web(client, "both", RIGHT)
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_the_schema_lets_a_client_obtain_a_token_without_credentials(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/token/"]["post"]
    assert operation.get("security", []) in ([], [{}]) and "security" not in schema
    assert not {"401", "403"} & set(operation["responses"])
    assert list(operation["requestBody"]["content"]) == ["application/json"]
    assert "200" in operation["responses"] and "429" in operation["responses"]
