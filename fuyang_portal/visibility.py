"""The one place that decides what a user may see: ``Model.objects.visible_to(user)``. Closed by default.

Every model's queryset derives from ScopedQuerySet. The district office (and a superuser) sees everything;
every other role sees what the queryset's ``scope_<role>(user)`` method returns, and a role the queryset does
not name sees nothing. Reference data (places, agencies, indicators) is opened by deriving from
ReferenceQuerySet, a declaration, never by default. Pages, tables, filters, exports, serializer fields, API
endpoints and Celery tasks all start from ``visible_to``; an object outside it answers 404.
"""

from fuyang_portal.reference import WithReferencesQuerySet
from fuyang_portal.roles import Role

# The district's own roles: every model says what each of them sees.
DISTRICT_ROLES = (Role.TOWNSHIP, Role.AGENCY, Role.SPECIALIST, Role.ENTERPRISE)
# Partner bodies outside the district see only what a model names for them; elsewhere they stay closed
# without a declaration, so a new partner role cannot open a model by being forgotten.
PARTNER_ROLES = (Role.COUNTY, Role.CLINIC)
# The administrators keep accounts, reference data and the audit log, not the business: closed unless named too.
ADMIN_ROLES = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR)
SCOPED_ROLES = DISTRICT_ROLES + PARTNER_ROLES + ADMIN_ROLES


class ScopedQuerySet(WithReferencesQuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.role == Role.DISTRICT:
            return self.all()
        scope = getattr(self, f"scope_{user.role}", None)
        return scope(user) if scope is not None else self.none()

    @classmethod
    def declared_scopes(cls):
        """The roles this queryset names (for the policy test: every model names every role)."""
        return {role for role in SCOPED_ROLES if getattr(cls, f"scope_{role}", None) is not None}

    @classmethod
    def undeclared_roles(cls):
        """The district roles this queryset does not name (partner and administrator roles are closed unless named)."""
        return set(DISTRICT_ROLES) - cls.declared_scopes()

    def open_roles(self):
        """The roles that may see some rows: the district office and every role not declared ``closed``.
        A page or endpoint of the model answers 403 to the others, and 404 to an object outside the scope.
        (A plain method, so the model's manager offers it too.)"""
        cls = type(self)
        return {Role.DISTRICT} | {
            role for role in SCOPED_ROLES
            if getattr(cls, f"scope_{role}", None) is not None and not getattr(getattr(cls, f"scope_{role}"), "closed", False)
        }


def closed(self, user):
    """Declares a role that sees none of these rows (``scope_agency = closed``)."""
    return self.none()


closed.closed = True


class PrivateQuerySet(ScopedQuerySet):
    """Declares that no role but the district office sees these rows."""

    scope_township = scope_agency = scope_specialist = scope_enterprise = closed


class ReferenceQuerySet(ScopedQuerySet):
    """Declares reference data (places, agencies, published definitions) open to every signed-in user."""

    def scope_township(self, user):
        return self.all()

    scope_agency = scope_specialist = scope_enterprise = scope_county = scope_clinic = scope_township
