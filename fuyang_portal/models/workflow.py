"""The transition log: one row for every state change of any record, written by the services."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuyang_portal.visibility import PrivateQuerySet


class TransitionQuerySet(PrivateQuerySet):
    def scope_auditor(self, user):
        return self.all()  # the history of every change is the auditor's to read

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        ).select_related("actor", "content_type")


class Transition(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("record type"))
    object_id = models.CharField(_("record id"), max_length=40)
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from"), max_length=30, blank=True)
    to_state = models.CharField(_("to"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    comment = models.TextField(_("comment"), blank=True)

    objects = TransitionQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("state transition")
        verbose_name_plural = _("state transitions")
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="transition_subject_idx")]

    def __str__(self):
        return f"{self.content_type.model}#{self.object_id}: {self.from_state or '∅'} → {self.to_state}"
