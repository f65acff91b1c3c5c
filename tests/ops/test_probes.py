"""/health/live answers whenever the process does; /health/ready answers 503 naming the check that fails."""

import time

import pytest
from django.core.cache import cache
from django.db import OperationalError

from fuyang_portal import health
from fuyang_portal.models import AuditEvent

pytestmark = pytest.mark.django_db

REDIS_TEST_URL = "redis://127.0.0.1:6379/11"


class FakeRedis:
    def __init__(self, error=None):
        self.error = error

    def ping(self):
        if self.error:
            raise self.error
        return True


@pytest.fixture
def with_redis(settings, monkeypatch):
    """REDIS_URL set (a web node of the scaled-out portal) with a Redis that answers; the cache stays local."""
    settings.REDIS_URL = REDIS_TEST_URL
    monkeypatch.setattr(health, "_redis", lambda url: FakeRedis())
    cache.delete(health.HEARTBEAT_KEY)
    yield
    cache.delete(health.HEARTBEAT_KEY)


@pytest.fixture
def broken_database(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(health.connection, "cursor", refuse)


def test_live_answers_anonymous_without_touching_the_database_or_session(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "Set-Cookie" not in response and "no-store" in response["Cache-Control"]


def test_live_still_answers_while_the_database_is_down(client, broken_database):
    assert client.get("/health/live").status_code == 200


def test_ready_without_redis_checks_the_database_and_says_the_worker_check_is_skipped(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/health/ready")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ready" and body["failing"] == []
    assert body["checks"]["database"]["ok"] is True and "skipped" not in body["checks"]["database"]
    assert "eager" in body["checks"]["worker"]["skipped"]
    assert "skipped" in body["checks"]["redis"]


def test_ready_answers_503_naming_the_database_when_it_cannot_be_reached(client, settings, broken_database):
    settings.REDIS_URL = ""
    response = client.get("/health/ready")
    body = response.json()
    assert response.status_code == 503 and body["failing"] == ["database"]
    assert body["checks"]["database"] == {"ok": False, "ms": body["checks"]["database"]["ms"], "error": "OperationalError"}
    # Only the exception's class: no host or message leaks to whoever asks.
    assert "connect" not in response.content.decode()


def test_ready_with_a_fresh_worker_heartbeat(client, with_redis):
    health.record_heartbeat(at=time.time() - 20)
    response = client.get("/health/ready")
    assert response.status_code == 200, response.content
    assert 19 <= response.json()["checks"]["worker"]["age_seconds"] <= 60


def test_ready_answers_503_naming_the_worker_when_the_newest_heartbeat_is_stale(client, settings, with_redis):
    settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS = 180
    health.record_heartbeat(at=time.time() - 181)
    response = client.get("/health/ready")
    body = response.json()
    assert response.status_code == 503 and body["failing"] == ["worker"]
    assert "old" in body["checks"]["worker"]["error"]
    settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS = 600  # the limit is a setting
    assert client.get("/health/ready").status_code == 200


def test_ready_answers_503_when_no_worker_ever_wrote_a_heartbeat(client, with_redis):
    response = client.get("/health/ready")
    assert response.status_code == 503 and response.json()["checks"]["worker"]["error"] == "no worker heartbeat"


def test_ready_answers_503_naming_redis_when_it_does_not_answer(client, with_redis, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    health.record_heartbeat()
    monkeypatch.setattr(health, "_redis", lambda url: FakeRedis(RedisConnectionError("refused")))
    response = client.get("/health/ready")
    assert response.status_code == 503 and response.json()["failing"] == ["redis"]


def test_a_worker_heartbeat_signal_writes_at_most_every_interval(with_redis, monkeypatch):
    monkeypatch.setitem(health._last_written, "at", 0.0)
    health.on_worker_heartbeat()
    first = cache.get(health.HEARTBEAT_KEY)["at"]
    health.on_worker_heartbeat()  # two seconds later in a worker: not written again
    assert cache.get(health.HEARTBEAT_KEY)["at"] == first
    monkeypatch.setitem(health._last_written, "at", time.monotonic() - health.HEARTBEAT_WRITE_SECONDS)
    health.on_worker_heartbeat()
    assert cache.get(health.HEARTBEAT_KEY)["at"] >= first


def test_heartbeat_through_a_real_redis(client, settings, monkeypatch):
    """The worker writes through the shared Redis cache; another node's readiness reads it there (Redis db 11)."""
    settings.REDIS_URL = REDIS_TEST_URL
    settings.CACHES = {"default": {"BACKEND": "fuyang_portal.cache.ResilientRedisCache", "LOCATION": REDIS_TEST_URL, "KEY_PREFIX": "fuyang-ops-test"}}
    health._redis_clients.pop(REDIS_TEST_URL, None)
    try:
        health.on_worker_ready()
        assert client.get("/health/ready").status_code == 200
        health.record_heartbeat(at=time.time() - settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS - 5)
        assert client.get("/health/ready").json()["failing"] == ["worker"]
    finally:
        cache.delete(health.HEARTBEAT_KEY)


def test_probes_are_not_redirected_to_https_and_are_not_audited(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301  # the rest of the portal still is
    before = AuditEvent.objects.count()
    assert client.get("/health/live").status_code == 200
    assert client.get("/health/ready").status_code in (200, 503)
    assert AuditEvent.objects.count() == before


def test_probes_answer_get_and_head_only(client):
    assert client.head("/health/live").status_code == 200
    assert client.post("/health/live").status_code == 405
