"""Queue notifications: in-app messages and SMS, delivered by a Celery task after the transaction commits."""

from django.db import transaction

from fuyang_portal import queue
from fuyang_portal.models import OutboxMessage


def notify(recipients, title, body="", url="", *, sms=False, dedupe_key=""):
    """Queue a notification to each user in ``recipients``, sent only once the current transaction commits.

    The message is written to the outbox with the change it announces, so it is sent exactly when that
    change commits and never when it rolls back. ``dedupe_key`` makes repeated calls (a retried task, a
    sweep run twice) deliver once per recipient.
    """
    user_ids = sorted({user.pk for user in recipients if user is not None})
    if not user_ids:
        return None
    message = OutboxMessage.objects.create(
        user_ids=user_ids,
        payload={"title": str(title), "body": str(body), "url": url, "sms": sms, "dedupe_key": dedupe_key},
    )

    def enqueue():
        from fuyang_portal.tasks import deliver_outbox_message

        queue.publish(deliver_outbox_message, message.pk)

    # The outbox row is the guarantee: a publish that fails (broker away) leaves it to the dispatch.
    transaction.on_commit(enqueue, robust=True)
    return message
