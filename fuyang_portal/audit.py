"""The audit log: every sign-in and failure, unmask, export, permission change and write of a business record is
a row (time, user, role, IP, event, object, outcome). Views and services call ``record``; the workflow's history
rows are mirrored by ``record_changes``; nothing writes AuditEvent itself.

Tamper evidence: a sealer (beat, every minute, and ``manage.py verify_audit_chain --seal``) gives each new row its
place in a chain, ``hash = sha256(previous hash + the row's fields)``. ``verify`` walks the chain and reports the
first row whose hash or link does not match: a row changed, inserted or removed. Rows past retention are purged
from the start of the chain only, and the purge is itself a row that names where the chain now begins.
"""

import contextvars
import hashlib
import ipaddress
import json

from django.conf import settings
from django.db import transaction

from fuyang_portal.models import AuditEvent

GENESIS = "0" * 64
_request = contextvars.ContextVar("audit_request", default=None)


def client_ip(request):
    """The client's address; behind the TLS proxy, the last X-Forwarded-For entry (the one the proxy appended)."""
    if request is None:
        return None
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def bind_request(request):
    """Remember the request being served, for rows written deep in a service (their IP). Returns a reset token."""
    return _request.set(request)


def unbind_request(token):
    _request.reset(token)


def record(kind, request=None, *, user=None, username="", target="", detail="", outcome=AuditEvent.Outcome.SUCCESS):
    request = request if request is not None else _request.get()
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    return AuditEvent.objects.create(
        kind=kind,
        actor=user,
        username=username or (user.get_username() if user else ""),
        role=getattr(user, "role", "") if user else "",
        ip_address=client_ip(request),
        target=str(target)[:200],
        detail=str(detail)[:500],
        outcome=outcome,
    )


def record_changes(transitions):
    """The audit rows of history rows just written (one bulk insert)."""
    request = _request.get()
    ip = client_ip(request)
    return AuditEvent.objects.bulk_create([
        AuditEvent(
            kind=AuditEvent.Kind.CHANGE,
            actor_id=t.actor_id,
            username=t.actor.get_username() if t.actor_id else "",
            role=t.actor.role if t.actor_id else "",
            ip_address=ip,
            target=f"{t.content_type.app_label}.{t.content_type.model}:{t.object_id}"[:200],
            detail=f"{t.action} {t.from_state}→{t.to_state} {t.comment}".strip()[:500],
        )
        for t in transitions
    ])


# --- The chain ---------------------------------------------------------------------------------------------

FIELDS = ("kind", "actor_id", "username", "role", "at", "ip_address", "target", "detail", "outcome", "seq")


def digest(row, prev_hash):
    values = {name: getattr(row, name) for name in FIELDS}
    values["at"] = row.at.isoformat()
    body = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _anchor():
    """Where the chain begins: genesis, or the hash named by the latest purge."""
    purge = AuditEvent.objects.filter(kind=AuditEvent.Kind.PURGE, seq__isnull=False).order_by("-seq").first()
    if purge is None:
        return 0, GENESIS
    first_seq, _sep, first_prev = purge.detail.partition(" ")
    return int(first_seq), first_prev


@transaction.atomic
def seal(limit=5000):
    """Chain the rows not sealed yet, oldest first; returns how many. One sealer at a time (row lock)."""
    last = AuditEvent.objects.select_for_update().filter(seq__isnull=False).order_by("-seq").first()
    seq, prev = (last.seq, last.hash) if last else (0, GENESIS)
    pending = list(AuditEvent.objects.select_for_update(skip_locked=True).filter(seq__isnull=True).order_by("pk")[:limit])
    for row in pending:
        seq += 1
        row.seq, row.prev_hash = seq, prev
        row.hash = prev = digest(row, row.prev_hash)
    AuditEvent.objects.bulk_update(pending, ["seq", "prev_hash", "hash"], batch_size=500)
    return len(pending)


def verify():
    """Walk the chain: (rows checked, the id of the first row that breaks it, or None)."""
    first_seq, expected_prev = _anchor()
    checked, expected_seq = 0, None
    for row in AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000):
        if expected_seq is None:
            expected_seq = row.seq
            if first_seq and row.seq < first_seq:
                return checked, row.pk  # a row the purge said was gone
        if row.seq != expected_seq or row.prev_hash != expected_prev or row.hash != digest(row, row.prev_hash):
            return checked, row.pk
        checked += 1
        expected_seq, expected_prev = row.seq + 1, row.hash
    return checked, None


@transaction.atomic
def purge(before):
    """Delete the start of the chain up to its first row written at or after ``before`` (a row older than that
    but chained after a newer one waits its turn: retention is a minimum). The purge is itself a row naming the
    chain's new beginning: its first position and the hash it links to."""
    seal()
    sealed = AuditEvent.objects.filter(seq__isnull=False)
    first_kept = sealed.filter(at__gte=before).order_by("seq").first()
    doomed = sealed.filter(seq__lt=first_kept.seq) if first_kept else sealed
    last = doomed.order_by("-seq").first()
    if last is None:
        return 0
    anchor = f"{first_kept.seq} {first_kept.prev_hash}" if first_kept else f"{last.seq + 1} {last.hash}"
    deleted, _ = doomed.delete()
    record(AuditEvent.Kind.PURGE, target=f"before {before.isoformat()}", detail=anchor)
    seal()
    return deleted
