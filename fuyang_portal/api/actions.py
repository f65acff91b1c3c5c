"""What the apps' write endpoints share: reading a validated body, and a POST action on one object that calls one
service and answers with the object as it now stands."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response


def read_body(serializer_class, request, **kwargs):
    """The request's body, validated by ``serializer_class`` (a 400 with the field errors otherwise)."""
    body = serializer_class(data=request.data, **kwargs)
    body.is_valid(raise_exception=True)
    return body.validated_data


def object_action(name, perform, *, body, answer, doc=None):
    """A POST ``@action`` on one object, at ``{id}/<name with dashes>/``, named ``name``. The viewset finds the
    object in the user's scope and asks the policy (404, 403) before the body is read; ``body`` validates it
    (None: the action takes none); ``perform(obj, user, data)`` calls the service; the answer is the object read
    again, as ``answer`` shows it."""

    def act(self, request, pk=None):
        obj = self.get_object()
        perform(obj, request.user, read_body(body, request) if body is not None else {})
        return Response(answer(self.get_queryset().get(pk=obj.pk), context=self.get_serializer_context()).data)

    act.__name__ = name
    act.__doc__ = doc
    act = action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(act)
    return extend_schema(request=body, responses=answer)(act)
