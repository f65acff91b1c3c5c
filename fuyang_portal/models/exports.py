"""Approved bulk exports of personal data (GB/T 35273 §7.1): a request to export a list whose table carries
personal data, decided by the district office and downloaded once by its requester before it expires.

The approval window is a security control, so its times keep real time (like the audit log), not the business
clock: a frozen demo clock must not keep an approval open for ever. The service is fuyang_portal.export_approvals.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuyang_portal import policy
from fuyang_portal.links import key_url
from fuyang_portal.policy import Step, Workflow, district, role_is, rule
from fuyang_portal.roles import Role
from fuyang_portal.visibility import (
    DISTRICT_ROLES,
    PARTNER_ROLES,
    ScopedQuerySet,
    closed,
)


class ExportRequestQuerySet(ScopedQuerySet):
    """The requester sees their own requests; the district office every one (it decides them); the auditor every
    one (the record of who exported what); the system and security administrators none."""

    def _own(self, user):
        return self.filter(requested_by=user)

    scope_township = scope_agency = scope_specialist = scope_enterprise = scope_county = scope_clinic = _own

    def scope_auditor(self, user):
        return self.all()

    scope_sysadmin = scope_secadmin = closed

    def waiting(self):
        return self.filter(status=ExportRequest.Status.REQUESTED)


class ExportRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        DOWNLOADED = "downloaded", _("Downloaded")

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_requests", verbose_name=_("requested by")
    )
    # The list: its path (a list page of the portal) and filters (the page's query string), produced again at
    # download time with the requester's scope of that moment.
    path = models.CharField(_("list"), max_length=200)
    view_name = models.CharField(_("list page"), max_length=100)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED, db_index=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    expires_at = models.DateTimeField(_("download before"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded at"), null=True, blank=True)

    objects = ExportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export request")
        verbose_name_plural = _("export requests")
        indexes = [models.Index(fields=["requested_by", "status"], name="export_request_owner_idx")]

    def __str__(self):
        return _("Export request %(id)s") % {"id": self.pk}

    def get_absolute_url(self):
        return key_url("exports:detail", self.pk)

    @property
    def expired(self):
        return self.status == self.Status.APPROVED and self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def state_display(self):
        return _("Expired") if self.expired else self.get_status_display()



# --- who may do what (the workflow table of ExportRequest) -------------------------------------------------

S = ExportRequest.Status


@rule
def own_request(user, export):
    return export is None or export.requested_by_id == user.pk


@rule
def not_own_request(user, export):
    return export is None or export.requested_by_id != user.pk


# Everyone who works on the business may ask; the administrators keep no list of personal data to export.
requesters = role_is(Role.DISTRICT, *DISTRICT_ROLES, *PARTNER_ROLES)

policy.register(
    ExportRequest,
    actions={"create": requesters},
    workflow=Workflow("status", [
        # Separation of duties: the district office decides, never on its own request.
        Step("approve", [S.REQUESTED], S.APPROVED, district & not_own_request),
        Step("refuse", [S.REQUESTED], S.REFUSED, district & not_own_request),
        Step("download", [S.APPROVED], S.DOWNLOADED, own_request),
    ]),
)
