"""API errors: a refused action answers 400, 403 or 409 with its translated message."""

from django.db import DataError
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from fuyang_portal.workflow import ActionRefused

STATUS_FOR = {
    ActionRefused.INVALID: status.HTTP_400_BAD_REQUEST,
    ActionRefused.FORBIDDEN: status.HTTP_403_FORBIDDEN,
    ActionRefused.CONFLICT: status.HTTP_409_CONFLICT,
}


def exception_handler(exc, context):
    if isinstance(exc, ActionRefused):
        set_rollback()
        return Response({"detail": str(exc.message), "code": exc.code}, status=STATUS_FOR.get(exc.code, 400))
    if isinstance(exc, (OverflowError, DataError)):
        # A number too large for the database (an id of 2**63, say) is bad input, not a server fault.
        set_rollback()
        return Response({"detail": str(_("A value is out of range.")), "code": "invalid"}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
