"""SMS backends. The outbox backend records messages for the admin to read; a gateway backend for a
real provider implements ``send(message)`` the same way and is chosen with the SMS_BACKEND setting."""

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class OutboxBackend:
    name = "outbox"

    def send(self, message):
        """Mark the message sent; the outbox table itself is the record of what went out."""
        message.status = message.Status.SENT
        message.sent_at = timezone.now()


def get_backend():
    return import_string(settings.SMS_BACKEND)()
