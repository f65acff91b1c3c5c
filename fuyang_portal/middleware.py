"""Answers for what goes wrong outside the view's own logic: input the database cannot hold (an id beyond 64
bits in a URL or a filter) answers 400, and a database that cannot be reached answers 503 with Retry-After."""

import sys

from django.core.signals import got_request_exception
from django.db import DataError, InterfaceError, OperationalError
from django.dispatch import receiver

from fuyang_portal.views import errors


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (DataError, OverflowError)):
            return errors.bad_request(request, exception)
        return None


# An error of the connection, not of the query: the database is down, restarting or out of connections.
UNAVAILABLE = (OperationalError, InterfaceError)


@receiver(got_request_exception)
def _note_unavailable_database(sender, request=None, **kwargs):
    # Sent while Django turns any uncaught exception (in a view or in a middleware) into a 500; the outermost
    # middleware below reads the note and answers 503 instead.
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, UNAVAILABLE) and not isinstance(error, DataError):
        request.database_unavailable = True


class DatabaseUnavailableMiddleware:
    """Outermost: whatever layer met the unavailable database, the client gets 503 with Retry-After, the page
    or JSON error in its language, and can send the same request again (no half-saved record: the request's
    transaction rolled back)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "database_unavailable", False):
            return errors.service_unavailable(request)
        return response


class AuditContextMiddleware:
    """Lets a row written deep in a service know the request's address; and records every write made by the
    installation superuser (it is for installing the portal, not for working in it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from fuyang_portal import audit
        from fuyang_portal.models import AuditEvent
        from fuyang_portal.roles import ADMINISTRATORS

        token = audit.bind_request(request)
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                if request.method not in ("GET", "HEAD", "OPTIONS") and user.is_superuser:
                    audit.record(AuditEvent.Kind.SUPERUSER, request, target=request.path[:200], detail=f"{request.method} {response.status_code}")
                # An administrator refused (the auditor trying a write, the system administrator opening the audit
                # log...) is an audit row: separated duties are only as good as the record of attempts to cross
                # them. Written here, after the view's transaction has been rolled back, so that the row stays.
                if response.status_code == 403 and user.role in ADMINISTRATORS:
                    audit.record(AuditEvent.Kind.REFUSED, request, target=request.path[:200], detail=request.method,
                                 outcome=AuditEvent.Outcome.FAILURE)
            return response
        finally:
            audit.unbind_request(token)
