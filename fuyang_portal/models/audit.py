"""The audit log: sign-ins, failed sign-ins, unmasked ID views and exports (kept 180 days or more)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuyang_portal.visibility import PrivateQuerySet


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        SIGN_OUT = "sign_out", _("Signed out")
        UNMASK = "unmask", _("Viewed a full ID number")
        EXPORT = "export", _("Exported a list")
        DOWNLOAD = "download", _("Downloaded a file")

    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("user")
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    target = models.CharField(_("about"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    objects = PrivateQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.get_kind_display()} {self.username} {self.target}"
