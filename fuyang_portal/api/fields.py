"""Serializer pieces that start from the one policy: a related record the user may not see is answered
exactly like one that does not exist."""

from rest_framework import serializers


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary-key relation whose choices are the related model's ``visible_to(request.user)``."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return queryset.visible_to(user) if user is not None else queryset.none()


class ScopedModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose foreign-key fields only accept records in the user's scope."""

    serializer_related_field = ScopedRelatedField
