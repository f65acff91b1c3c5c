"""Write audit events; views call these, never AuditEvent.objects.create directly."""

from fuyang_portal.models import AuditEvent


def client_ip(request):
    return request.META.get("REMOTE_ADDR") if request is not None else None


def record(kind, request=None, *, user=None, username="", target="", detail=""):
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    return AuditEvent.objects.create(
        kind=kind,
        actor=user,
        username=username or (user.get_username() if user else ""),
        ip_address=client_ip(request),
        target=str(target)[:200],
        detail=str(detail)[:500],
    )
