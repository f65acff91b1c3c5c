"""/metrics: request latency by view, task run times, queue depth and outbox backlog; closed to all but the
allowed addresses and the bearer token."""

import time
from types import SimpleNamespace

import pytest
from django.utils import timezone
from prometheus_client import generate_latest
from redis import Redis

from fuyang_portal import prom
from fuyang_portal.celery import app as celery_app
from fuyang_portal.models import OutboxMessage, QueuedTask

pytestmark = pytest.mark.django_db

REDIS_TEST_URL = "redis://127.0.0.1:6379/11"


def test_metrics_are_404_from_an_address_not_allowed(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 404 and b"django_http" not in response.content


def test_metrics_from_loopback_have_the_latency_by_view(client):
    client.get("/health/live")
    response = client.get("/metrics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "# TYPE django_http_requests_latency_seconds_by_view_method histogram" in text
    assert 'view="health-live"' in text


def test_allowed_addresses_and_networks_are_a_setting(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.8.0.0/16"]
    assert client.get("/metrics", REMOTE_ADDR="10.8.3.4").status_code == 200
    assert client.get("/metrics").status_code == 404  # loopback no longer listed


def test_a_bearer_token_opens_metrics_from_anywhere_and_a_wrong_one_does_not(client, settings):
    settings.METRICS_TOKEN = "s3cret-token-for-scraper"
    far = {"REMOTE_ADDR": "203.0.113.7"}
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token-for-scraper", **far).status_code == 200
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **far).status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="s3cret-token-for-scraper", **far).status_code == 404
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ", **far).status_code == 404


def test_through_a_proxy_the_address_the_proxy_appended_counts(client, settings):
    # nginx connects from loopback: without BEHIND_TLS_PROXY the forwarded client is unknown, so refused.
    settings.BEHIND_TLS_PROXY = False
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 404
    settings.BEHIND_TLS_PROXY = True
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 404
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.7").status_code == 404  # first entry is the client's to forge
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.7, 127.0.0.1").status_code == 200
    assert client.get("/metrics").status_code == 200  # a scraper on the node itself, not through nginx


def test_the_outbox_backlog_is_a_gauge_by_kind(client):
    old = timezone.now() - timezone.timedelta(minutes=5)
    OutboxMessage.objects.create(user_ids=[1], payload={"title": "t"}, created_at=old)
    OutboxMessage.objects.create(user_ids=[1], payload={"title": "t"}, delivered_at=timezone.now())
    QueuedTask.objects.create(task="fuyang_portal.tasks.ping")
    text = client.get("/metrics").content.decode()
    assert 'portal_outbox_pending{kind="notification"} 1.0' in text
    assert 'portal_outbox_pending{kind="task"} 1.0' in text
    assert 'portal_outbox_pending{kind="sms"} 0.0' in text
    age = next(line for line in text.splitlines() if line.startswith('portal_outbox_oldest_pending_age_seconds{kind="notification"}'))
    assert 299 <= float(age.split()[-1]) < 400


def test_the_celery_queue_depth_is_read_from_redis(monkeypatch):
    """LLEN of each queue the project's tasks use, priority sub-queues included (Redis db 11)."""
    redis = Redis.from_url(REDIS_TEST_URL)
    names = prom.celery_queue_names(celery_app)
    assert names == ["celery"]  # the project routes every task to the default queue
    redis.delete("celery", "celery\x06\x166")
    redis.rpush("celery", "a", "b")
    redis.rpush("celery\x06\x166", "c")
    monkeypatch.setattr(celery_app.conf, "broker_url", REDIS_TEST_URL)
    try:
        families = {family.name: family for family in prom.BacklogCollector().queue_depth()}
        (sample,) = families["portal_celery_queue_length"].samples
        assert sample.labels == {"queue": "celery"} and sample.value == 3
    finally:
        redis.delete("celery", "celery\x06\x166")


def test_without_a_broker_there_is_no_queue_depth(monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_url", "memory://")
    assert list(prom.BacklogCollector().queue_depth()) == []


def test_task_run_times_are_a_histogram_by_task_name():
    task = SimpleNamespace(name="fuyang_portal.tasks.ping")

    def count():
        text = generate_latest(prom._process_registry()).decode()
        line = next((l for l in text.splitlines() if l.startswith('portal_celery_task_runtime_seconds_count{state="SUCCESS",task="fuyang_portal.tasks.ping"}')), None)
        return float(line.split()[-1]) if line else 0.0

    before = count()
    prom.task_started(task_id="t-1", task=task)
    time.sleep(0.01)
    prom.task_finished(task_id="t-1", task=task, state="SUCCESS")
    assert count() == before + 1


def test_a_task_run_in_process_is_timed_through_the_signals():
    from fuyang_portal.tasks import ping

    def total():
        text = generate_latest(prom._process_registry()).decode()
        return sum(float(l.split()[-1]) for l in text.splitlines() if l.startswith("portal_celery_task_runtime_seconds_count") and 'task="fuyang_portal.tasks.ping"' in l)

    before = total()
    ping.apply()
    assert total() == before + 1
