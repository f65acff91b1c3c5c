"""Who a service tells of a change: the active staff of a township, or of the district office."""

from fuyang_portal.models import User
from fuyang_portal.roles import Role


def township_staff(township_id):
    return User.objects.filter(role=Role.TOWNSHIP, township_id=township_id, is_active=True)


def district_staff():
    # Superusers are operators of the system, not staff of the district office.
    return User.objects.filter(role=Role.DISTRICT, is_active=True, is_superuser=False)
