"""The in-app inbox and the SMS outbox."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuyang_portal import clock
from fuyang_portal.visibility import PrivateQuerySet


class NotificationQuerySet(PrivateQuerySet):
    def visible_to(self, user):
        # Everyone, the district office included, reads only their own inbox.
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # A message is dated by the business clock, like the change it announces.
    created_at = models.DateTimeField(_("created"), default=clock.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Makes delivery idempotent: a retried task finds the row it already wrote.
    dedupe_key = models.CharField(_("dedupe key"), max_length=120, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=~models.Q(dedupe_key=""), name="notification_once_per_key"
            )
        ]

    def __str__(self):
        return self.title


class OutboxMessage(models.Model):
    """A notification written in the same transaction as the change it announces, then delivered by Celery.

    If the broker is unreachable when the transaction commits, the row waits here and the periodic
    dispatch sends it later: a notification is never lost with the broker.
    """

    user_ids = models.JSONField(_("recipients"))
    payload = models.JSONField(_("message"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True, db_index=True)

    objects = PrivateQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("outgoing notification")
        verbose_name_plural = _("notification outbox")

    def __str__(self):
        return str(self.payload.get("title", ""))


class SmsMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    mobile = models.CharField(_("mobile"), max_length=11)
    body = models.CharField(_("text"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    backend = models.CharField(_("backend"), max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    dedupe_key = models.CharField(_("dedupe key"), max_length=120, blank=True)

    objects = PrivateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS outbox")
        constraints = [
            models.UniqueConstraint(
                fields=["mobile", "dedupe_key"], condition=~models.Q(dedupe_key=""), name="sms_once_per_key"
            )
        ]

    def __str__(self):
        return f"{self.mobile}: {self.body[:30]}"
