"""Audit sign-ins, failed sign-ins and sign-outs."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from fuyang_portal import audit
from fuyang_portal.models import AuditEvent


@receiver(user_logged_in)
def on_sign_in(sender, request, user, **kwargs):
    audit.record(AuditEvent.Kind.SIGN_IN, request, user=user)


@receiver(user_logged_out)
def on_sign_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(AuditEvent.Kind.SIGN_OUT, request, user=user)


@receiver(user_login_failed)
def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    audit.record(AuditEvent.Kind.SIGN_IN_FAILED, request, username=str(credentials.get("username", ""))[:150])
