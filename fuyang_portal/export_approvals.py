"""Approved exports of personal data (GB/T 35273 §7.1): request → approve or refuse → one download, before it expires.

A list whose table declares ``personal_data = True`` does not stream its file on ``?_export=``: the user files a
request naming the list (its path), the filters (its query string), the format and a reason; a district-office
user other than the requester approves or refuses it; the requester then downloads it once within
``EXPORT_APPROVAL_HOURS`` (default 24). The file is produced at download time by the list page itself, as the
requester, so it holds what the requester's scope holds then. A second download, or one after expiry, is refused
as gone and changes nothing. Each step writes its history row (and so its audit row), and is notified.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuyang_portal import audit, policy
from fuyang_portal.models import AuditEvent, ExportRequest, User
from fuyang_portal.navigation import role_of
from fuyang_portal.notify import notify
from fuyang_portal.roles import Role
from fuyang_portal.workflow import ActionRefused, record, refuse_unless, transition

S = ExportRequest.Status
GONE = "gone"  # 410: this approval was used or has expired; a new request is needed
TRIGGER = "_export"


def approval_hours():
    return settings.EXPORT_APPROVAL_HOURS


def list_view(path):
    """The list page at ``path`` when its export needs approval, else None."""
    from fuyang_portal.views.generic import ObjectListView

    try:
        match = resolve(path or "")
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, ObjectListView) or not view_class.export_needs_approval():
        return None
    return view_class


def list_title(export):
    view_class = list_view(export.path)
    return view_class.list_title() if view_class is not None else export.view_name


def describe_filters(path, query):
    """The filters as ``(label, value)`` pairs, labelled as the list's filter form labels them."""
    view_class = list_view(path)
    filterset = getattr(view_class, "filterset_class", None)
    labels = {name: f.label or name for name, f in filterset.base_filters.items()} if filterset is not None else {}
    return [(labels.get(name, labels.get(name.rpartition("_")[0], name)), value)  # a range's ``_after``, ``_max``...
            for name, values in QueryDict(query or "").lists() if name != TRIGGER for value in values if value]


def _clean_query(query):
    """The list's filters, without the export trigger."""
    values = QueryDict(query or "", mutable=True)
    values.pop(TRIGGER, None)
    return values.urlencode()


def _deciders(requester):
    return User.objects.filter(role=Role.DISTRICT, is_active=True, is_superuser=False).exclude(pk=requester.pk)


def file_request(actor, *, path, query="", format, reason):
    """Ask for the export of the list at ``path`` filtered by ``query``; the district office is told."""
    policy.require(actor, "create", model=ExportRequest)
    view_class = list_view(path)
    refuse_unless(view_class is not None, _("This list needs no approval to export, or is not a list."), ActionRefused.INVALID)
    refuse_unless(role_of(actor) in view_class.export_roles(), _("You may not open this list."), ActionRefused.FORBIDDEN)
    refuse_unless(format in view_class.export_formats and format in ExportRequest.Format.values,
                  _("Choose a format the list offers: %(formats)s.") % {"formats": ", ".join(view_class.export_formats)},
                  ActionRefused.INVALID)
    reason = (reason or "").strip()
    refuse_unless(reason, _("Say why you need this export."), ActionRefused.INVALID)
    refuse_unless(len(reason) <= 500, _("Keep the reason under 500 characters."), ActionRefused.INVALID)
    query = _clean_query(query)
    refuse_unless(len(query) <= 1000, _("These filters are too long to keep."), ActionRefused.INVALID)
    with transaction.atomic():
        export = ExportRequest.objects.create(
            requested_by=actor, path=path, view_name=resolve(path).view_name, query=query, format=format, reason=reason,
        )
        record(export, actor=actor, action="create", comment=reason)
        notify(_deciders(actor), _("Export to approve: %(list)s") % {"list": view_class.list_title()},
               body=f"{actor.get_username()}: {reason}", url=export.get_absolute_url())
    return export


def approve(export, actor, note=""):
    """Approve: the requester may download it once within the approval window."""
    policy.require(actor, "approve", export)

    def apply(locked):
        now = timezone.now()
        locked.decided_by, locked.decided_at, locked.decision_note = actor, now, (note or "").strip()[:500]
        locked.expires_at = now + timedelta(hours=approval_hours())

    def announce(locked):
        notify([locked.requested_by], _("Export approved: %(list)s") % {"list": list_title(locked)},
               body=_("Download it once before %(time)s.") % {"time": timezone.localtime(locked.expires_at).strftime("%Y-%m-%d %H:%M")},
               url=locked.get_absolute_url())

    return transition(export, actor=actor, action="approve", comment=note, apply=apply, announce=announce)


def refuse(export, actor, reason):
    policy.require(actor, "refuse", export)
    reason = (reason or "").strip()
    refuse_unless(reason, _("Say why the export is refused."), ActionRefused.INVALID)

    def apply(locked):
        locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), reason[:500]

    def announce(locked):
        notify([locked.requested_by], _("Export refused: %(list)s") % {"list": list_title(locked)}, body=reason,
               url=locked.get_absolute_url())

    return transition(export, actor=actor, action="refuse", comment=reason, apply=apply, announce=announce)


def download(export, actor, produce):
    """The one download of an approved export: ``produce(locked)`` returns the list page's file response, made as
    the requester now. Used or expired: refused as gone, audited, nothing changed."""
    policy.require(actor, "download", export)
    try:
        with transaction.atomic():
            locked = ExportRequest.objects.select_for_update().get(pk=export.pk)
            refuse_unless(locked.status != S.DOWNLOADED,
                          _("This export was downloaded already: an approval gives one download. File a new request."), GONE)
            refuse_unless(locked.status == S.APPROVED, _("This export is not approved."), ActionRefused.CONFLICT)
            refuse_unless(not locked.expired, _("This approval expired at %(time)s: file a new request.")
                          % {"time": timezone.localtime(locked.expires_at).strftime("%Y-%m-%d %H:%M")}, GONE)
            response = produce(locked)
            refuse_unless(response.status_code == 200 and response.has_header("Content-Disposition"),
                          _("The list could not be produced."), ActionRefused.CONFLICT)
            transition(locked, actor=actor, action="download", apply=lambda row: setattr(row, "downloaded_at", timezone.now()))
    except ActionRefused as refusal:
        audit.record(AuditEvent.Kind.DOWNLOAD, user=actor, target=f"export request {export.pk}", detail=str(refusal.message),
                     outcome=AuditEvent.Outcome.FAILURE)
        raise
    export.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return response
