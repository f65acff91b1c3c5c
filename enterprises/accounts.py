"""Enterprise accounts: a user of the enterprise role bound to one firm (FirmAccount)."""

from django.db import transaction

from enterprises.models import FirmAccount
from fuyang_portal.accounts import create_account
from fuyang_portal.models import User
from fuyang_portal.roles import Role
from fuyang_portal.workflow import record


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
