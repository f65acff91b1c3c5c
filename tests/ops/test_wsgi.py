"""The portal's WSGI application: every request served on a reserved stretch of the frame stack, answers unchanged."""

import io
import sys

import pytest

from fuyang_portal import frame_stack


def test_the_reserving_call_has_a_frame_of_the_reserved_size():
    code = frame_stack.call_on_reserved_stack.__code__
    assert code.co_nlocals >= frame_stack.RESERVED_SLOTS


def test_the_call_passes_arguments_results_and_exceptions_through():
    assert frame_stack.call_on_reserved_stack(lambda *args: args, 1, "two") == (1, "two")
    with pytest.raises(ZeroDivisionError):
        frame_stack.call_on_reserved_stack(lambda: 1 / 0)


def test_deep_calls_run_on_the_reserved_stack():
    def depth(n):
        return 0 if n == 0 else 1 + depth(n - 1)

    assert frame_stack.call_on_reserved_stack(depth, sys.getrecursionlimit() - 100) == sys.getrecursionlimit() - 100


@pytest.mark.django_db
def test_the_portal_wsgi_application_answers_through_the_reserved_stack(settings):
    settings.SECURE_SSL_REDIRECT = False
    from fuyang_portal.wsgi import application

    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"] = status
        started["headers"] = dict(headers)

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/accounts/login/",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
        "REMOTE_ADDR": "127.0.0.1",
    }
    body = b"".join(application(environ, start_response))
    assert started["status"].startswith("200")
    assert b'name="username"' in body
