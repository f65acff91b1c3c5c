"""What makes writes safe when something fails: tasks queued in the transaction of the change that needs them,
and the first answer to each idempotent request."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuyang_portal.visibility import PrivateQuerySet


class QueuedTask(models.Model):
    """A Celery task a change needs, written in the change's own transaction (fuyang_portal/queue.py).

    Published once the transaction commits; marked done when the task has run. A row still not done a
    minute later (broker away, message lost in a broker restart, process killed after the commit) is
    published again by the outbox dispatch. Queued tasks are idempotent, so running one twice is harmless.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    done_at = models.DateTimeField(_("done"), null=True, blank=True, db_index=True)

    objects = PrivateQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"


class IdempotentRequest(models.Model):
    """The first answer to a write sent with an Idempotency-Key, replayed when the same key comes again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("user"))
    # The client's key, or for anonymous requests the key joined to nothing else: the key alone is the secret.
    key = models.CharField(_("key"), max_length=100)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    headers = models.JSONField(_("headers"), default=dict)
    body = models.BinaryField(_("body"), default=b"")
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    objects = PrivateQuerySet.as_manager()

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_once_per_user"),
            models.UniqueConstraint(fields=["key"], condition=models.Q(user__isnull=True), name="idempotent_request_once_anonymous"),
        ]

    def __str__(self):
        return self.key
