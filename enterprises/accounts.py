"""Enterprise accounts: a user of the enterprise role bound to one firm (FirmAccount)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from enterprises.models import FirmAccount
from fuyang_portal import clock
from fuyang_portal.accounts import create_account
from fuyang_portal.models import User
from fuyang_portal.roles import Role
from fuyang_portal.workflow import ActionRefused, record, record_many


@transaction.atomic
def create_firm_account(*, username, enterprise, password=None, actor=None, full_name="", mobile=""):
    """Create an account for ``enterprise`` and bind it to the firm, with their history rows."""
    user = create_account(
        username=username, role=Role.ENTERPRISE, password=password, actor=actor, full_name=full_name, mobile=mobile
    )
    user.firm_account = FirmAccount.objects.create(user=user, enterprise=enterprise)
    record(enterprise, actor=actor, action="add_account", comment=username)
    return user


def ensure_firm_account(username, enterprise, **fields):
    """The firm's account ``username``, created when missing (idempotent loaders)."""
    existing = User.objects.filter(username=username).select_related("firm_account").first()
    return existing or create_firm_account(username=username, enterprise=enterprise, **fields)


def firm_users(enterprise, *, active=True):
    """The accounts of a firm (a firm or its id)."""
    firm_id = getattr(enterprise, "pk", enterprise)
    users = User.objects.filter(role=Role.ENTERPRISE, firm_account__enterprise_id=firm_id)
    return users.filter(is_active=True) if active else users


@transaction.atomic
def create_firm_accounts(rows, *, actor=None):
    """Open many firms' accounts at once (the demo, a bulk import): ``rows`` of (username, enterprise, full_name).
    The same checks and history as ``create_firm_account``, in a handful of queries; returns the users in order.
    The accounts get no usable password: each firm sets its own through a reset."""
    if not rows:
        return []
    names = [username for username, _firm, _full in rows]
    taken = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    if taken or len(set(names)) != len(names):
        raise ActionRefused(_("An account with this user name already exists."), ActionRefused.CONFLICT)
    users = []
    for username, _firm, full_name in rows:
        user = User(username=username, role=Role.ENTERPRISE, full_name=full_name, date_joined=clock.now())
        user.set_unusable_password()
        # The role constraint is the database's own (one query a row to pre-check it here).
        user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
        users.append(user)
    users = User.objects.bulk_create(users)
    if any(user.pk is None for user in users):  # backends that do not return ids
        users = list(User.objects.filter(username__in=names).order_by("pk"))
        users.sort(key=lambda user: names.index(user.username))
    links = FirmAccount.objects.bulk_create(
        [FirmAccount(user=user, enterprise=firm) for user, (_name, firm, _full) in zip(users, rows)]
    )
    for user, link in zip(users, links):
        user.firm_account = link
    record_many(users, actor=actor, action="create", state=Role.ENTERPRISE)
    record_many([firm for _name, firm, _full in rows], actor=actor, action="add_account")
    return users
