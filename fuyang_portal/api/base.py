"""Base classes every API endpoint builds on: the queryset starts from ``visible_to(user)`` and every write
asks the policy (fuyang_portal.policy) before its body is validated.

A role that sees none of the model's rows gets 403 (as on the pages); an object outside the user's scope
404; an action the policy does not allow this user on this object 403, before any input is read.
"""

from rest_framework.parsers import MultiPartParser
from rest_framework import permissions, viewsets

from fuyang_portal import policy
from fuyang_portal.navigation import role_of

# DRF's own actions and the policy's names for them; a custom @action is named after its policy action,
# or maps itself in the viewset's ``policy_actions``.
READ_ACTIONS = {"list", "retrieve", "metadata"}
WRITE_ACTIONS = {"create": "create", "update": "change", "partial_update": "change", "destroy": "delete"}


class PolicyPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if role_of(user) not in view.get_roles():
            return False
        action = view.policy_action()
        if action is None:
            return True
        if view.detail_action():
            return True  # judged on the object, in has_object_permission
        return policy.can(user, action, model=view.model)

    def has_object_permission(self, request, view, obj):
        action = view.policy_action()
        return action is None or policy.can(request.user, action, obj, model=view.model)


class ScopedViewSetMixin:
    model = None
    roles = None  # default: the model's open roles (fuyang_portal.visibility)
    policy_actions = {}  # custom @action name → policy action, where they differ
    read_actions = ()  # custom @actions that only read the object: seeing it (its scope) is enough
    permission_classes = [PolicyPermission]
    # The actions whose body carries a file: they read multipart/form-data, and only that. Every other write
    # reads JSON only (REST_FRAMEWORK's default), so each operation declares exactly one body in the schema.
    upload_actions = ()

    def get_parsers(self):
        # Called before DRF sets ``self.action`` for the request: read it from the method then.
        action = getattr(self, "action", None)
        if action is None and getattr(self, "request", None) is not None:
            action = getattr(self, "action_map", {}).get(self.request.method.lower())
        if action in self.upload_actions:
            return [MultiPartParser()]
        return super().get_parsers()

    def get_roles(self):
        return self.roles if self.roles is not None else self.model.objects.open_roles()

    def policy_action(self):
        """The policy's name for this request's action, or None for reads."""
        if self.action in READ_ACTIONS or self.action in self.read_actions or self.action is None:
            return None
        return self.policy_actions.get(self.action) or WRITE_ACTIONS.get(self.action) or self.action

    def detail_action(self):
        if self.action in ("update", "partial_update", "destroy", "retrieve"):
            return True
        handler = getattr(self, self.action, None) if self.action else None
        return bool(getattr(handler, "detail", False))

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
