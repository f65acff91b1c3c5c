"""Secure by default in production: with DEBUG off, http is redirected to https, the session and CSRF cookies are
Secure and HSTS asks browsers for https for a year, subdomains included, unless a named switch says otherwise;
behind a TLS-terminating proxy the portal trusts its X-Forwarded-Proto and leaves the redirect to it; `check
--deploy` reports nothing. The settings are read in a child process from the environment alone, as production
reads them; `make run` (DEBUG on) keeps answering over http."""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import township_user

ONE_YEAR = 365 * 24 * 3600
SECURITY_NAMES = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
]
SWITCHES = {"BEHIND_TLS_PROXY", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"}
READ_SETTINGS = textwrap.dedent(
    """
    import json, sys
    from fuyang_portal import settings
    print(json.dumps({name: getattr(settings, name, None) for name in sys.argv[1:]}))
    """
)


def production(**switches):
    """The environment of a production node: DEBUG off, real keys, none of the switches unless given."""
    # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests' Playwright in this process, never on a production node.
    left_out = SWITCHES | {"DEBUG", "ALLOW_INSECURE_DEV_KEY", "SECRET_KEY", "FIELD_ENCRYPTION_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {name: value for name, value in os.environ.items() if name not in left_out}
    return env | {
        "DEBUG": "0",
        "SECRET_KEY": "q8#Vw!m2" + "R" * 20 + "t@5Lz" + "k" * 30,
        "FIELD_ENCRYPTION_KEY": "production-field-key-0123456789",
        "ALLOWED_HOSTS": "portal.fuyang.gov.cn",
    } | switches


def read_settings(env):
    run = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS, *SECURITY_NAMES],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def deploy_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def test_with_debug_off_https_is_on_without_any_switch():
    values = read_settings(production())
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= ONE_YEAR and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None  # X-Forwarded-Proto is a client's word until a proxy is named


def test_behind_a_tls_proxy_the_portal_trusts_its_header_and_leaves_the_redirect_to_it():
    values = read_settings(production(BEHIND_TLS_PROXY="1"))
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= ONE_YEAR and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    # A deployment whose proxy does not redirect asks the portal to.
    assert read_settings(production(BEHIND_TLS_PROXY="1", SECURE_SSL_REDIRECT="1"))["SECURE_SSL_REDIRECT"] is True


def test_each_protection_is_turned_off_only_by_its_own_switch():
    values = read_settings(production(SECURE_SSL_REDIRECT="0", SECURE_COOKIES="no", SECURE_HSTS_SECONDS="0"))
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False and values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert read_settings(production(SECURE_HSTS_INCLUDE_SUBDOMAINS="0"))["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False


def test_with_debug_on_the_development_server_answers_over_http():
    env = {name: value for name, value in os.environ.items() if name not in SWITCHES}
    env |= {"DEBUG": "1", "ALLOW_INSECURE_DEV_KEY": "1"}
    values = read_settings(env)
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False and values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0


@pytest.mark.parametrize("switches", [{}, {"BEHIND_TLS_PROXY": "1"}], ids=["direct", "behind a TLS proxy"])
def test_the_deploy_check_reports_nothing_with_the_production_defaults(switches):
    run = deploy_check(production(**switches))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout, run.stdout + run.stderr


def test_the_deploy_check_still_warns_when_a_protection_is_switched_off():
    """The warnings silenced with a reason are the preload list's and, behind a proxy, the redirect's: no other."""
    run = deploy_check(production(SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0", SECURE_HSTS_SECONDS="0"))
    assert run.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in run.stderr + run.stdout


def production_security(settings, **switches):
    for name, value in read_settings(production(**switches)).items():
        if name != "DEBUG":
            setattr(settings, name, tuple(value) if isinstance(value, list) else value)


@pytest.mark.django_db
def test_with_the_production_values_http_is_redirected_and_https_gets_hsts_and_secure_cookies(client, settings):
    production_security(settings)
    over_http = client.get(reverse("login"))
    assert over_http.status_code == 301 and over_http["Location"] == "https://testserver" + reverse("login")

    over_https = client.get(reverse("login"), secure=True)
    assert over_https.status_code == 200
    assert over_https["Strict-Transport-Security"] == f"max-age={settings.SECURE_HSTS_SECONDS}; includeSubDomains"
    assert over_https.cookies[settings.CSRF_COOKIE_NAME]["secure"] is True
    user = township_user()
    signed_in = client.post(reverse("login"), {"username": user.username, "password": "Correct-Horse-42"}, secure=True)
    assert signed_in.status_code == 302
    assert signed_in.cookies[settings.SESSION_COOKIE_NAME]["secure"] is True


@pytest.mark.django_db
def test_behind_the_proxy_its_https_header_is_believed_and_plain_http_is_not_redirected(client, settings):
    production_security(settings, BEHIND_TLS_PROXY="1")
    forwarded = client.get(reverse("login"), headers={"X-Forwarded-Proto": "https"})
    assert forwarded.status_code == 200 and "Strict-Transport-Security" in forwarded
    assert forwarded.wsgi_request.is_secure()
    # Without the header the request is plain http: no HSTS (it would be ignored), and the proxy does the redirect.
    plain = client.get(reverse("login"))
    assert plain.status_code == 200 and "Strict-Transport-Security" not in plain


@pytest.mark.django_db
def test_without_the_proxy_switch_a_forged_https_header_is_not_believed(client, settings):
    production_security(settings)
    forged = client.get(reverse("login"), headers={"X-Forwarded-Proto": "https"})
    assert forged.status_code == 301 and forged["Location"].startswith("https://")


def test_behind_the_proxy_the_audit_records_the_client_not_the_proxy(rf, settings):
    from fuyang_portal.audit import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    settings.BEHIND_TLS_PROXY = False
    assert client_ip(request) == "10.0.0.2"  # a forwarded header is not trusted without the proxy
    settings.BEHIND_TLS_PROXY = True
    assert client_ip(request) == "203.0.113.9"  # the entry the proxy appended, not one the client wrote
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="junk")) == "10.0.0.2"
