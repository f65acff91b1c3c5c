"""Core Celery tasks: notification delivery and the SMS outbox. Each is idempotent."""

import socket

from celery import shared_task
from django.db import IntegrityError, transaction

from fuyang_portal.models import Notification, SmsMessage, User
from fuyang_portal.sms import get_backend


@shared_task(bind=True)
def ping(self):
    """Answers with the worker's name: proves a real worker took the task through the broker."""
    return {"hostname": self.request.hostname or "", "eager": bool(self.request.is_eager), "host": socket.gethostname()}


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def deliver_notifications(user_ids, payload):
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
    send_pending_sms.delay()
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
