"""The OpenAPI schema documents the errors every endpoint can answer, not only its success."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong, in the user's language."))
    code = serializers.CharField(required=False)


class ValidationErrorSerializer(serializers.Serializer):
    """Field name → list of messages (or ``detail`` for a refusal)."""

    detail = serializers.CharField(required=False)

    class Meta:
        # Field errors come under each field's own name.
        ref_name = "ValidationError"


ERRORS = {
    "400": OpenApiResponse(ValidationErrorSerializer, description="Invalid input; nothing was changed."),
    "401": OpenApiResponse(ErrorSerializer, description="Not signed in."),
    "403": OpenApiResponse(ErrorSerializer, description="This role may not do this."),
    "404": OpenApiResponse(ErrorSerializer, description="No such record in your scope."),
    "405": OpenApiResponse(ErrorSerializer, description="Method not allowed."),
    "415": OpenApiResponse(ErrorSerializer, description="The body is not in a media type this endpoint reads."),
    "409": OpenApiResponse(ErrorSerializer, description="Not possible in the record's current state, or an Idempotency-Key already used for another request."),
    "429": OpenApiResponse(ErrorSerializer, description="Too many requests; try again later."),
    "503": OpenApiResponse(ErrorSerializer, description="Briefly unavailable (see Retry-After); nothing was saved, send it again."),
}


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        # An open endpoint (the token sign-in, the public directory) has no "not signed in / not allowed" answers.
        open_endpoint = not getattr(self.view, "authentication_classes", True)
        for code, response in ERRORS.items():
            if open_endpoint and code in ("401", "403", "409"):
                continue
            if code == "404" and open_endpoint and "{" not in self.path and not self._is_list_view():
                continue  # the token sign-in names no record and has no pages: nothing to be missing
            if code in ("409", "415") and self.method == "GET":
                continue
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
