"""Celery: in CI a real worker answers through Redis; without REDIS_URL tasks run in-process."""

import time

import pytest
from django.conf import settings

from fuyang_portal.models import Notification
from fuyang_portal.notify import notify
from fuyang_portal.tasks import ping
from tests.factories import township_user


@pytest.mark.worker
def test_a_task_sent_with_delay_comes_back_with_its_result():
    result = ping.delay().get(timeout=60)
    if settings.REDIS_URL:
        # Taken by a worker process through the broker, not run here.
        assert result["eager"] is False and "@" in result["hostname"]
    else:
        assert result["eager"] is True


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_notifications_are_delivered_by_the_worker_after_commit():
    user = township_user()
    notify([user], "复工申请已通过", url="/")
    deadline = time.monotonic() + 60
    while not Notification.objects.filter(recipient=user).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert Notification.objects.get(recipient=user).title == "复工申请已通过"


def test_task_defaults_survive_a_lost_worker():
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_TASK_TIME_LIMIT > settings.CELERY_TASK_SOFT_TIME_LIMIT > 0
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
