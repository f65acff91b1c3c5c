"""The second factor (等保 2.0 level 3, 8.1.4.1: two factors for administrators, one of them cryptographic): a
TOTP code (RFC 6238, django-otp) after the password, for the district office and the three administrators, at
every sign-in and on the token endpoint. Ten single-use recovery codes stand in for a lost phone.

The password step does not sign in such a user: it remembers who passed it in the session and sends them here.
A first sign-in enrols a device (QR code and key) before anything else. A wrong code counts as a failed sign-in
(django-axes: five lock the account, as five wrong passwords do) and is audited; a code already used is refused
(the device remembers the last time step it accepted).
"""

import secrets

import segno
from django.contrib.auth import login
from django.contrib.auth.signals import user_login_failed
from django_otp import devices_for_user, login as otp_login, match_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from fuyang_portal import audit
from fuyang_portal.models import AuditEvent, User
from fuyang_portal.roles import SECOND_FACTOR_ROLES

PENDING = "second_factor_user"
RECOVERY_CODES = 10


def required(user):
    return user.is_active and (user.is_superuser or user.role in SECOND_FACTOR_ROLES)


def begin(request, user):
    """The password is right: remember who, until the second factor is given."""
    request.session[PENDING] = {"user": user.pk, "backend": user.backend}


def pending_user(request):
    data = request.session.get(PENDING) or {}
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    return (user, data.get("backend")) if user else (None, None)


def confirmed_device(user):
    return next(iter(devices_for_user(user, confirmed=True)), None)


def enrolment_device(user):
    """The device being enrolled (not confirmed yet), made once per user and reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_svg(device):
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


def base32_key(device):
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


def check(request, user, code):
    """The code of a confirmed device or a recovery code; a failure counts toward the lock and is audited."""
    device = match_token(user, (code or "").strip().replace(" ", ""))
    if device is None:
        fail(request, user)
    return device


def fail(request, user):
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    audit.record(AuditEvent.Kind.SECOND_FACTOR_FAILED, request, username=user.get_username(), outcome=AuditEvent.Outcome.FAILURE)


def confirm(request, user, device, code):
    """Enrolment: the first code from the new device confirms it; returns the recovery codes (shown once)."""
    if not device.verify_token((code or "").strip()):
        fail(request, user)
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes(user)


def recovery_codes(user):
    """A new set of recovery codes (the old ones stop working)."""
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [secrets.token_hex(4) for _ in range(RECOVERY_CODES)]
    for code in codes:
        static.token_set.create(token=code)
    audit.record(AuditEvent.Kind.PERMISSION, user=user, target=f"user:{user.pk} {user.username}", detail="second factor enrolled")
    return codes


def finish(request, user, backend, device):
    """Both factors given: sign in (audited as a sign-in) and mark the session verified."""
    request.session.pop(PENDING, None)
    login(request, user, backend=backend)
    otp_login(request, device)
