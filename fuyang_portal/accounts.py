"""The one write path of user accounts: creating an account leaves its history row with the actor."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fuyang_portal import clock
from fuyang_portal.models import User
from fuyang_portal.roles import ADMINISTRATORS, Role
from fuyang_portal.workflow import ActionRefused, record


@transaction.atomic
def create_account(*, username, role, password=None, actor=None, full_name="", mobile="", township=None, agency=None, **extra):
    """Create an account of ``role`` scoped to ``township`` or ``agency`` (an enterprise account's firm is
    kept by the enterprises app). Validates the account like every other record before saving it."""
    if User.objects.filter(username__iexact=username).exists():
        raise ActionRefused(_("An account with this user name already exists."), ActionRefused.CONFLICT)
    extra.setdefault("date_joined", clock.now())
    if role in ADMINISTRATORS:
        extra["is_staff"] = True  # an administrator works in the admin site, within its duty (fuyang_portal/duties.py)
    user = User(username=username, role=role, full_name=full_name, mobile=mobile, township=township, agency=agency, **extra)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record(user, actor=actor, action="create", state=role)
    return user


def ensure_account(username, role, *, password=None, actor=None, **fields):
    """The account ``username``, created through ``create_account`` when missing (idempotent loaders)."""
    existing = User.objects.filter(username=username).first()
    return existing or create_account(username=username, role=role, password=password, actor=actor, **fields)


SCOPED_BY = {Role.TOWNSHIP: "township", Role.AGENCY: "agency", Role.SPECIALIST: "agency"}
