"""Core Celery tasks: notification delivery, the SMS outbox, queued tasks and retention sweeps. Each is
idempotent. Results are not stored (fire-and-forget) unless a task says ``ignore_result=False``: its caller
reads the answer (the worker probe, the sweeps' counts)."""

import socket
from datetime import timedelta

from celery import shared_task
from django.db import IntegrityError, transaction
from django.utils import timezone

from fuyang_portal import queue
from fuyang_portal.models import Notification, OutboxMessage, SmsMessage, User
from fuyang_portal.sms import get_backend


@shared_task(bind=True, ignore_result=False)
def ping(self):
    """Answers with the worker's name: proves a real worker took the task through the broker."""
    return {"hostname": self.request.hostname or "", "eager": bool(self.request.is_eager), "host": socket.gethostname()}


@shared_task
def deliver_outbox_message(message_id):
    """Deliver one outbox row; a second run finds it delivered and does nothing."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id, delivered_at__isnull=True).first()
        if message is None:
            return 0
        payload = dict(message.payload)
        # Without a key of its own the outbox row is the key, so a retried delivery adds nothing.
        payload["dedupe_key"] = payload.get("dedupe_key") or f"outbox:{message.pk}"
        created = deliver_notifications(message.user_ids, payload, send_sms_now=False)
        message.delivered_at = timezone.now()
        message.save(update_fields=["delivered_at"])
    if payload.get("sms"):  # only then is there a text to send (the beat sends what this misses)
        queue.publish(send_pending_sms)
    return created


@shared_task(ignore_result=False)
def dispatch_outbox(older_than_seconds=60, limit=500):
    """Send what the broker missed: notices still undelivered a minute after they were written (delivered here),
    and queued tasks not yet run (published again). Returns how many of both."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    pending = list(
        OutboxMessage.objects.filter(delivered_at__isnull=True, created_at__lt=cutoff).values_list("pk", flat=True)[:limit]
    )
    for pk in pending:
        deliver_outbox_message(pk)
    return len(pending) + queue.resend(cutoff, limit)


@shared_task
def run_queued(queued_id):
    """Run a task queued by ``queue.after_commit`` and mark it done (a done one is not run again)."""
    return queue.run(queued_id)


def deliver_notifications(user_ids, payload, send_sms_now=True):
    created = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True).only("pk", "mobile"):
        key = payload.get("dedupe_key", "")
        try:
            with transaction.atomic():
                Notification.objects.create(
                    recipient=user, title=payload["title"][:200], body=payload.get("body", ""), url=payload.get("url", ""), dedupe_key=key
                )
                created += 1
        except IntegrityError:
            continue  # already delivered under this key
        if payload.get("sms") and user.mobile:
            try:
                with transaction.atomic():
                    SmsMessage.objects.create(mobile=user.mobile, body=payload["title"][:500], dedupe_key=key)
            except IntegrityError:
                pass
    if send_sms_now and payload.get("sms"):
        queue.publish(send_pending_sms)
    return created


@shared_task
def send_pending_sms(limit=200):
    """Send queued SMS through the configured backend; failures stay queued for the next run."""
    backend = get_backend()
    sent = 0
    for pk in list(SmsMessage.objects.filter(status=SmsMessage.Status.QUEUED).values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            message = SmsMessage.objects.select_for_update(skip_locked=True).filter(pk=pk, status=SmsMessage.Status.QUEUED).first()
            if message is None:
                continue
            message.attempts += 1
            message.backend = backend.name
            try:
                backend.send(message)
                sent += 1
            except Exception as exc:  # a gateway failure must not lose the message
                message.error = str(exc)[:300]
                if message.attempts >= 5:
                    message.status = SmsMessage.Status.FAILED
            message.save()
    return sent


@shared_task(ignore_result=False)
def purge_retired_rows():
    """Forget idempotency keys after their retention (IDEMPOTENCY_KEEP_HOURS, at least 24) and queued tasks done
    a week ago."""
    from django.conf import settings

    from fuyang_portal.models import IdempotentRequest, QueuedTask

    keys, _ = IdempotentRequest.objects.filter(created_at__lt=timezone.now() - timedelta(hours=max(24, settings.IDEMPOTENCY_KEEP_HOURS))).delete()
    tasks, _ = QueuedTask.objects.filter(done_at__lt=timezone.now() - timedelta(days=7)).delete()
    return keys + tasks


@shared_task(ignore_result=False)
def purge_audit_log():
    """Delete audit events older than the retention period (AUDIT_RETENTION_DAYS, at least 180 days), from the start
    of the chain; the purge is itself recorded (fuyang_portal/audit.py)."""
    from django.conf import settings

    from fuyang_portal import audit

    days = max(180, settings.AUDIT_RETENTION_DAYS)
    return audit.purge(timezone.now() - timedelta(days=days))


@shared_task(ignore_result=False)
def seal_audit_log():
    """Chain the audit rows written since the last run (fuyang_portal/audit.py)."""
    from fuyang_portal import audit

    return audit.seal()

@shared_task(ignore_result=False, soft_time_limit=50 * 60, time_limit=55 * 60)
def backup_database():
    """Dump the database and the private uploads into BACKUP_DIR, verified, keeping BACKUP_KEEP generations
    (fuyang_portal/backup.py). Returns the backup's folder. One at a time: a second run while one is writing fails
    without touching it."""
    from fuyang_portal import backup

    return str(backup.create_backup())
