"""A broker outage never holds a request: a publish tries once with a short connect timeout and gives up; the
task written in the change's transaction is published again by the outbox dispatch and runs once."""

import subprocess
import sys
import textwrap
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from fuyang_portal import queue, tasks
from fuyang_portal.models import QueuedTask

DEAD_REDIS = "redis://127.0.0.1:1/0"  # port 1 on loopback refuses connections at once

PUBLISH = textwrap.dedent(
    """
    import time, django
    django.setup()
    from fuyang_portal import queue
    from fuyang_portal.tasks import send_pending_sms
    started = time.monotonic()
    sent = queue.publish(send_pending_sms)
    print(sent, round(time.monotonic() - started, 3))
    """
)


def test_a_publish_to_an_unreachable_broker_returns_at_once_with_the_portals_own_settings():
    # A child process, so that the portal's real Celery settings for a Redis broker are what is measured.
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "fuyang_portal.settings", "REDIS_URL": DEAD_REDIS,
           "ALLOW_INSECURE_DEV_KEY": "1", "DEBUG": "0", "PYTHONPATH": str(settings.BASE_DIR)}
    started = time.monotonic()
    child = subprocess.run([sys.executable, "-c", PUBLISH], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert child.returncode == 0, child.stderr
    sent, seconds = child.stdout.split()
    assert sent == "False" and float(seconds) < 2, child.stdout
    assert time.monotonic() - started < 30


def test_results_are_not_stored_unless_a_task_asks_and_publishing_does_not_retry():
    from fuyang_portal.celery import app

    assert app.conf.task_ignore_result and not app.conf.task_publish_retry
    assert app.conf.broker_connection_timeout <= 1 and app.conf.broker_connection_max_retries is None
    assert not tasks.ping.ignore_result  # the worker probe is read back
    assert tasks.deliver_outbox_message.ignore_result and tasks.run_queued.ignore_result


@pytest.mark.django_db
def test_a_task_queued_while_the_broker_is_down_runs_later_once(monkeypatch, django_capture_on_commit_callbacks):
    ran = []
    monkeypatch.setattr(tasks.ping, "run", lambda *args: ran.append(args) or {"hostname": "here"})

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_queued, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        queued = queue.after_commit(tasks.ping)
    assert not ran and QueuedTask.objects.get(pk=queued.pk).done_at is None
    monkeypatch.undo()
    monkeypatch.setattr(tasks.ping, "run", lambda *args: ran.append(args) or {"hostname": "here"})

    QueuedTask.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert tasks.dispatch_outbox() == 1
    assert len(ran) == 1 and QueuedTask.objects.get(pk=queued.pk).done_at is not None
    assert tasks.dispatch_outbox() == 0 and len(ran) == 1


@pytest.mark.django_db
def test_a_task_of_a_change_rolled_back_is_never_queued(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                queue.after_commit(tasks.ping)
                raise RuntimeError("the change fails")
        except RuntimeError:
            pass
    assert not QueuedTask.objects.exists()
