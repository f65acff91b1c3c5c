"""Queue notifications: in-app messages and SMS, delivered by a Celery task after the transaction commits."""

from django.db import transaction


def notify(recipients, title, body="", url="", *, sms=False, dedupe_key=""):
    """Queue a notification to each user in ``recipients``, sent only once the current transaction commits.

    ``dedupe_key`` makes repeated calls (a retried task, a sweep run twice) deliver once per recipient.
    """
    user_ids = sorted({user.pk for user in recipients if user is not None})
    if not user_ids:
        return
    payload = {"title": str(title), "body": str(body), "url": url, "sms": sms, "dedupe_key": dedupe_key}

    def enqueue():
        from fuyang_portal.tasks import deliver_notifications

        deliver_notifications.delay(user_ids, payload)

    transaction.on_commit(enqueue, robust=True)
