"""Queue notifications: in-app messages and SMS, delivered by a Celery task after the transaction commits; and
the unread count every page's header shows, cached per user for a short time."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from fuyang_portal import queue
from fuyang_portal.models import Notification, OutboxMessage


def unread_count_seconds():
    """How long a page may show an unread count without counting again (settings.UNREAD_COUNT_SECONDS; 0 counts on
    every page). A new notice or a message marked read drops the user's entry at once, so this
    bounds only changes made some other way (the admin, a bulk update)."""
    return getattr(settings, "UNREAD_COUNT_SECONDS", 0)


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


def _unread_key(user_id):
    return f"unread-count:{user_id}"


def unread_count(user):
    """The user's unread notices, from the cache when counted less than unread_count_seconds() ago. The entry
    carries when the account was created, so a key reused by another account (a deleted user's) never counts."""
    seconds = unread_count_seconds()
    if not seconds:
        return Notification.objects.visible_to(user).unread().count()
    stamp = user.date_joined.timestamp() if user.date_joined else 0
    cached = cache.get(_unread_key(user.pk))
    if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == stamp:
        return cached[1]
    count = Notification.objects.visible_to(user).unread().count()
    cache.set(_unread_key(user.pk), (stamp, count), seconds)
    return count


def forget_unread_count(user_ids):
    """Drop the cached unread counts of ``user_ids`` now and again once the current transaction commits, so a
    page served between the change and its commit does not keep the old count."""
    keys = [_unread_key(user_id) for user_id in user_ids]
    cache.delete_many(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.delete_many(keys), robust=True)


@receiver(post_save, sender=Notification, dispatch_uid="notify-forget-unread-on-save")
@receiver(post_delete, sender=Notification, dispatch_uid="notify-forget-unread-on-delete")
def _notice_changed(sender, instance, **kwargs):
    # A notice delivered (fuyang_portal.tasks.deliver_notifications), saved as read, or removed.
    forget_unread_count([instance.recipient_id])
