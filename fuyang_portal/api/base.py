"""Base classes every API endpoint builds on: the queryset starts from ``visible_to(user)``."""

from rest_framework import permissions, viewsets

from fuyang_portal.navigation import role_of


class HasRole(permissions.BasePermission):
    """Checks the view's ``roles`` (None: any signed-in role)."""

    def has_permission(self, request, view):
        roles = getattr(view, "roles", None)
        return bool(request.user and request.user.is_authenticated and (roles is None or role_of(request.user) in roles))


class ScopedViewSetMixin:
    model = None
    roles = None
    permission_classes = [permissions.IsAuthenticated, HasRole]

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
