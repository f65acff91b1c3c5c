"""Redis unreachable (the cache and the Celery broker both): the pages still answer, never a 500; a township's
approval and a firm's daily report are kept; the notifications they announce wait in the outbox and go out
with the dispatch once the broker is back."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enterprises.models import DailyReport, ResumptionRequest, ResumptionStatus
from fuyang_portal import tasks
from fuyang_portal.celery import app as celery_app
from fuyang_portal.models import Notification, OutboxMessage
from tests.enterprises.factories import ResumptionRequestFactory
from tests.factories import EnterpriseFactory, enterprise_user, township_user

DEAD_REDIS = "redis://127.0.0.1:1/0"  # port 1 on loopback refuses connections at once


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "fuyang_portal.cache.ResilientRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    assert type(caches["default"]).__name__ == "ResilientRedisCache"  # Django swaps the cache on the settings change
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager", "task_publish_retry", "broker_connection_timeout")}
    saved_pools = celery_app._pool, celery_app.amqp._producer_pool
    celery_app.conf.update(broker_url=DEAD_REDIS, task_always_eager=False, task_publish_retry=False, broker_connection_timeout=0.5)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    celery_app._pool, celery_app.amqp._producer_pool = saved_pools
    celery_app.conf.update(saved)


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_pages_answer_and_submissions_wait_in_the_outbox(redis_down):
    firm = EnterpriseFactory()
    owner = enterprise_user(firm)
    township = township_user(firm.township)
    request = ResumptionRequestFactory(enterprise=firm, status=ResumptionStatus.SUBMITTED, submitted_at=timezone.now())
    browser = Client(raise_request_exception=False)

    for path in (reverse("leaderboard:public"), reverse("specialists:directory"), reverse("subsidies:public-register"), reverse("login")):
        assert browser.get(path).status_code == 200, path
    # Signing in counts failures in the cache (lockout): with the cache gone it still works.
    assert browser.post(reverse("login"), {"username": township.username, "password": "Correct-Horse-42"}).status_code == 302
    for path in ("/", reverse("enterprises:queue"), request.get_absolute_url()):
        assert browser.get(path).status_code == 200, path
    response = browser.post(reverse("enterprises:request-approve", args=[request.pk]), {"comment": "同意复工"})
    assert response.status_code == 302
    assert ResumptionRequest.objects.get(pk=request.pk).status == ResumptionStatus.APPROVED

    browser.force_login(owner)
    response = browser.post(reverse("enterprises:report-new"), {"staff_on_site": 30, "staff_away": 5, "capacity_percent": 70, "note": ""})
    assert response.status_code == 302
    assert DailyReport.objects.filter(enterprise=firm).count() == 1

    waiting = OutboxMessage.objects.filter(delivered_at__isnull=True)
    assert waiting.count() >= 1, "the approval's notice must wait in the outbox"
    assert not Notification.objects.filter(recipient=owner).exists()
    assert browser.get(reverse("inbox")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_waiting_notices_go_out_once_the_broker_is_back(redis_down):
    firm = EnterpriseFactory()
    owner = enterprise_user(firm)
    township = township_user(firm.township)
    request = ResumptionRequestFactory(enterprise=firm, status=ResumptionStatus.SUBMITTED, submitted_at=timezone.now())
    browser = Client()
    browser.force_login(township)
    assert browser.post(reverse("enterprises:request-approve", args=[request.pk]), {"comment": "同意"}).status_code == 302
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() >= 1
    # The broker is back: the periodic dispatch sends what waited (older than its grace period), once.
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    celery_app.conf.task_always_eager = True
    delivered = tasks.dispatch_outbox()
    assert delivered >= 1 and Notification.objects.filter(recipient=owner).exists()
    assert tasks.dispatch_outbox() == 0
