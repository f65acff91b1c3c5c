"""Input the database cannot hold (an id beyond 64 bits in a URL or a filter) answers 400, not 500."""

from django.db import DataError

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
