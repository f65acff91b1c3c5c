"""``POST /api/token/``: a token for a user name and password, behind the same lockout as the web sign-in.

django-axes counts failures per account whichever door they came in by; a lock set by either refuses both.
The view hands axes the underlying Django request, which is where axes records a failure and marks a lock.
"""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from fuyang_portal import second_factor
from fuyang_portal.api.schema import ErrorSerializer, ValidationErrorSerializer


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("user name"), max_length=150)
    password = serializers.CharField(label=_("password"), max_length=128, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        label=_("second-factor code"), max_length=20, required=False, allow_blank=True,
        help_text=_("The authenticator's current code or a recovery code: required for the district office and the administrators."),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class ObtainTokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = []

    @extend_schema(
        auth=[],
        request={"application/json": CredentialsSerializer},
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(ValidationErrorSerializer, description=_("Wrong user name or password, or missing fields.")),
            429: OpenApiResponse(ErrorSerializer, description=_("The account is locked after too many failed sign-ins.")),
        },
    )
    def post(self, request):
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        django_request = request._request
        code = credentials.validated_data.pop("otp", "")
        user = authenticate(django_request, **credentials.validated_data)
        if getattr(django_request, "axes_locked_out", False):
            # Answered here, in JSON, rather than by the axes middleware's HTML page.
            django_request.axes_locked_out = False
            return Response(
                {"detail": str(_("Too many failed sign-ins: this account is locked for 30 minutes.")), "code": "locked"},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if user is None or not user.is_active:
            return Response(
                {"detail": str(_("Unable to sign in with the user name and password given.")), "code": "invalid"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if second_factor.required(user):
            if second_factor.confirmed_device(user) is None:
                return Response(
                    {"detail": str(_("Set up the second factor by signing in on the web first.")), "code": "second_factor_enrol"},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            if second_factor.check(django_request, user, code) is None:
                return Response(
                    {"detail": str(_("The second-factor code is missing, wrong or used already.")), "code": "second_factor"},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
