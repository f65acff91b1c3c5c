"""The audit log: who did what, from where, with what outcome; chained by hash so that a changed or removed row
is found (fuyang_portal/audit.py seals and verifies the chain). Kept 180 days or more."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuyang_portal.visibility import PrivateQuerySet


class AuditQuerySet(PrivateQuerySet):
    def visible_to(self, user):
        # The security auditor's alone (等保: separated duties): not the district office, not the other
        # administrators, not the installation superuser.
        if user is None or not user.is_authenticated or not user.is_active or user.role != "auditor":
            return self.none()
        return self.all()

    def scope_auditor(self, user):
        return self.all()


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        SIGN_OUT = "sign_out", _("Signed out")
        SECOND_FACTOR_FAILED = "otp_failed", _("Wrong second-factor code")
        UNMASK = "unmask", _("Viewed a full ID number or mobile")
        EXPORT = "export", _("Exported a list")
        DOWNLOAD = "download", _("Downloaded a file")
        CHANGE = "change", _("Changed a record")
        PERMISSION = "permission", _("Changed an account's role, lock or device")
        REFUSED = "refused", _("Refused an administrator's action")
        SUPERUSER = "superuser", _("Used the installation superuser")
        PURGE = "purge", _("Purged audit rows past retention")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Succeeded")
        FAILURE = "failure", _("Failed")

    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("user")
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=12, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    target = models.CharField(_("about"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.SUCCESS)
    # The chain, written by the sealer: the row's place in it, the previous row's hash and its own.
    seq = models.PositiveBigIntegerField(_("chain position"), null=True, blank=True, unique=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.get_kind_display()} {self.username} {self.target}"
