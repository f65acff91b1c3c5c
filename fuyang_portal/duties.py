"""The three administrators' duties (等保 2.0 level 3, 8.1.4.2 / 8.1.5), as Django permissions the admin site checks.

- system administrator: accounts (not their role, scope or lock), places, agencies, pairings, reference data;
  never the audit log, never a full ID number;
- security administrator: roles and scopes, locks (active flag, failed sign-in locks), second-factor devices;
  never a business record;
- auditor: reads the audit log and the history of changes, and nothing else.

An account holds one role, so no account holds two duties. The installation superuser keeps Django's own rights;
every write it makes is an audit row (fuyang_portal/middleware.py).
"""

from fuyang_portal.roles import ADMINISTRATORS, Role

REFERENCE = [
    "fuyang_portal.township", "fuyang_portal.community", "fuyang_portal.village", "fuyang_portal.agency",
    "fuyang_portal.communitygroup",
]

DUTIES = {
    Role.SYSADMIN: {
        "fuyang_portal.user": {"view", "add", "change"},
        **{model: {"view", "add", "change"} for model in REFERENCE},
    },
    Role.SECADMIN: {
        "fuyang_portal.user": {"view", "change"},
        "axes.accessattempt": {"view", "delete"},
        "axes.accessfailurelog": {"view"},
        "otp_totp.totpdevice": {"view", "delete"},
        "otp_static.staticdevice": {"view", "delete"},
    },
    Role.AUDITOR: {
        "fuyang_portal.auditevent": {"view"},
        "fuyang_portal.transition": {"view"},
    },
}

# The fields of an account each administrator may change in the admin (the rest are shown read-only).
ACCOUNT_FIELDS = {
    Role.SYSADMIN: {"username", "full_name", "mobile", "email", "first_name", "last_name", "password"},
    Role.SECADMIN: {"role", "township", "agency", "is_active"},
}


def duty_permissions(user):
    """``app_label.codename`` of every permission the user's administrator duty carries."""
    if not user.is_active or getattr(user, "role", None) not in ADMINISTRATORS:
        return set()
    found = set()
    for model, actions in DUTIES[user.role].items():
        app_label, model_name = model.split(".")
        found |= {f"{app_label}.{action}_{model_name}" for action in actions}
    return found


class DutiesBackend:
    """An authorisation backend (it authenticates no one): an administrator's permissions are its duty's."""

    def authenticate(self, request, **credentials):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        return duty_permissions(user_obj)

    def has_perm(self, user_obj, perm, obj=None):
        return perm in duty_permissions(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return any(perm.startswith(app_label + ".") for perm in duty_permissions(user_obj))
