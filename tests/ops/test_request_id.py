"""Every request has an id: taken from X-Request-ID when it is a short token, else made; sent back, put on every
log record of the request, printed by the JSON formatter, and carried into the Celery tasks it queues."""

import json
import logging
import re

import pytest
from celery import signals
from celery.app.task import Context
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from fuyang_portal import request_id
from fuyang_portal.logs import JsonFormatter
from fuyang_portal.request_id import (
    HEADER,
    TASK_HEADER,
    RequestIdFilter,
    RequestIdMiddleware,
)

NEW_ID = re.compile(r"[0-9a-f]{32}")
log = logging.getLogger("fuyang_portal.tests.ops")


def _serve(incoming=None):
    """One request through the middleware, whose view logs a line; (response, the id seen inside the view)."""
    seen = {}

    def view(request):
        seen["id"] = request_id.current()
        log.warning("serving the request")
        return HttpResponse("ok")

    headers = {f"HTTP_{HEADER.upper().replace('-', '_')}": incoming} if incoming is not None else {}
    response = RequestIdMiddleware(view)(RequestFactory().get("/", **headers))
    return response, seen["id"]


@pytest.fixture
def records(caplog):
    caplog.handler.addFilter(RequestIdFilter())  # as on the console handler of settings.LOGGING
    caplog.set_level(logging.WARNING, logger="fuyang_portal.tests.ops")
    yield caplog
    request_id.forget()


def test_an_incoming_request_id_comes_back_and_is_on_the_log_record(records):
    response, seen = _serve("edge-7f3a.b_2")
    assert response[HEADER] == "edge-7f3a.b_2" and seen == "edge-7f3a.b_2"
    (record,) = [r for r in records.records if r.getMessage() == "serving the request"]
    assert record.request_id == "edge-7f3a.b_2"


@pytest.mark.parametrize("bad", ["x" * 65, "has space", "quote\"d", "new\nline", "中文", ""])
def test_a_malformed_request_id_is_replaced_by_a_new_one(records, bad):
    response, seen = _serve(bad)
    assert NEW_ID.fullmatch(response[HEADER]) and response[HEADER] != bad and seen == response[HEADER]
    assert [r.request_id for r in records.records if r.getMessage() == "serving the request"] == [seen]


def test_without_a_header_each_request_gets_its_own_id(records):
    first, _ = _serve()
    second, _ = _serve()
    assert NEW_ID.fullmatch(first[HEADER]) and NEW_ID.fullmatch(second[HEADER]) and first[HEADER] != second[HEADER]


@pytest.mark.django_db
def test_the_whole_stack_sends_the_id_back_and_forgets_it_after_the_response(client, records):
    response = client.get("/health/live", HTTP_X_REQUEST_ID="lb-probe-1")
    assert response[HEADER] == "lb-probe-1"
    assert request_id.current() is None  # response closed: the thread's next lines belong to no request
    # Django's own "Not Found" line comes after the middleware has returned, and still names the request.
    client.get("/metrics", REMOTE_ADDR="203.0.113.7", HTTP_X_REQUEST_ID="scan-9")
    assert [r.request_id for r in records.records if r.name == "django.request"] == ["scan-9"]


def test_outside_a_request_the_record_says_dash(records):
    request_id.forget()
    log.warning("from a management command")
    assert records.records[-1].request_id == "-"


def test_the_json_formatter_prints_one_object_with_the_request_id():
    record = logging.LogRecord("fuyang_portal.queue", logging.WARNING, __file__, 1, "broker away: %s", ("timeout",), None)
    record.request_id = "abc123"
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "broker away: timeout" and entry["request_id"] == "abc123"
    assert entry["level"] == "WARNING" and entry["logger"] == "fuyang_portal.queue" and entry["time"].endswith("+00:00")


def test_the_console_handler_names_the_request_and_json_is_a_setting():
    console = settings.LOGGING["handlers"]["console"]
    assert console["filters"] == ["request_id"] and console["formatter"] == settings.LOG_FORMAT == "text"
    assert "%(request_id)s" in settings.LOGGING["formatters"]["text"]["format"]
    assert settings.LOGGING["formatters"]["json"]["()"] == "fuyang_portal.logs.JsonFormatter"


def test_a_task_published_during_a_request_carries_the_id_in_its_headers():
    headers = {}
    token = request_id._current.set("req-55")
    try:
        # The receiver connected in fuyang_portal/celery.py, as Celery calls it when publishing.
        signals.before_task_publish.send(sender="fuyang_portal.tasks.ping", body=(), headers=headers, exchange="", routing_key="celery")
    finally:
        request_id._current.reset(token)
    assert headers[TASK_HEADER] == "req-55"
    outside = {}
    request_id.add_to_task_headers(headers=outside)
    assert outside == {}


class FakeTask:
    """A task as the worker hands it to the signals: its request context holds the message headers."""

    name = "fuyang_portal.tasks.ping"

    def __init__(self, headers):
        self.request = Context(headers)


def test_the_worker_restores_the_id_for_the_task_and_clears_it_after():
    task = FakeTask({TASK_HEADER: "req-55"})
    request_id.forget()
    signals.task_prerun.send(sender=task, task_id="t-9", task=task, args=(), kwargs={})
    assert request_id.current() == "req-55"
    signals.task_postrun.send(sender=task, task_id="t-9", task=task, args=(), kwargs={}, retval=None, state="SUCCESS")
    assert request_id.current() is None


def test_a_task_header_that_is_not_a_valid_id_is_ignored():
    task = FakeTask({TASK_HEADER: "bad id\n"})
    request_id.forget()
    request_id.restore_in_task(task_id="t-10", task=task)
    assert request_id.current() is None
    request_id.clear_after_task(task_id="t-10")


def test_a_task_run_in_process_during_a_request_keeps_the_request_id(records):
    """Without a broker (eager) the task runs inside the request: its lines name the request, and the request's
    own lines after it still do."""
    from fuyang_portal.tasks import ping

    token = request_id._current.set("req-eager")
    try:
        ping.apply()
        log.warning("after the task")
        assert request_id.current() == "req-eager"
    finally:
        request_id._current.reset(token)
    assert records.records[-1].request_id == "req-eager"
