"""The one place that decides what a user may see.

Every model's queryset derives from ScopedQuerySet and answers ``visible_to(user)``. The district office
(and a superuser) sees everything; every other role sees what the model's ``scope_<role>(user)`` method
returns, and a role the model does not name sees nothing. Pages, tables, exports, API endpoints and
Celery-built reports all start from ``visible_to``; an object outside it answers 404.
"""

from django.db import models

from fuyang_portal.roles import Role


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.role == Role.DISTRICT:
            return self.all()
        scope = getattr(self, f"scope_{user.role}", None)
        return scope(user) if scope is not None else self.none()

    # Reference data (places, agencies, pairings) is open to every signed-in user; models that hold
    # anything more override these.
    def scope_township(self, user):
        return self.all()

    scope_agency = scope_specialist = scope_enterprise = scope_township


class PrivateQuerySet(ScopedQuerySet):
    """A queryset that shows nothing outside the district office unless a subclass says otherwise."""

    def scope_township(self, user):
        return self.none()

    scope_agency = scope_specialist = scope_enterprise = scope_township
