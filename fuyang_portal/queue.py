"""Queueing a Celery task never holds a request, and never loses the task.

``publish`` sends once, with the broker's short connect timeout and no retry loop, and gives up quietly when the
broker is away. ``after_commit`` is what a change uses: it writes the task in the change's own transaction
(``QueuedTask``) and publishes it once that commits; whatever was not published, or was lost by the broker, the
outbox dispatch (every minute) publishes again until the task has run.
"""

import logging

from celery import current_app
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import KombuError, OperationalError
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

BROKER_ERRORS = (KombuError, OperationalError, RedisError, OSError)


def publish(task, *args):
    """Send ``task(*args)`` to the broker now (in-process without one); False if the broker is unreachable."""
    try:
        task.apply_async(args, retry=False)
    except BROKER_ERRORS as error:
        log.warning("broker unreachable, %s left for the outbox dispatch: %s", task.name, error)
        return False
    return True


def after_commit(task, *args):
    """Run ``task(*args)`` once the current transaction commits, surely: the row is the guarantee."""
    from fuyang_portal.models import QueuedTask
    from fuyang_portal.tasks import run_queued

    queued = QueuedTask.objects.create(task=task.name, args=list(args))
    transaction.on_commit(lambda: publish(run_queued, queued.pk), robust=True)
    return queued


def run(queued_id):
    """Run one queued task in this process and mark it done; a done row is not run again."""
    from fuyang_portal.models import QueuedTask

    queued = QueuedTask.objects.filter(pk=queued_id, done_at__isnull=True).first()
    if queued is None:
        return None
    QueuedTask.objects.filter(pk=queued.pk).update(attempts=queued.attempts + 1)
    result = current_app.tasks[queued.task](*queued.args)
    QueuedTask.objects.filter(pk=queued.pk).update(done_at=timezone.now())
    return result


def resend(cutoff, limit=500):
    """Publish again the queued tasks written before ``cutoff`` and not yet done; how many."""
    from fuyang_portal.models import QueuedTask
    from fuyang_portal.tasks import run_queued

    pending = list(QueuedTask.objects.filter(done_at__isnull=True, created_at__lt=cutoff).values_list("pk", flat=True)[:limit])
    for pk in pending:
        publish(run_queued, pk)
    return len(pending)
