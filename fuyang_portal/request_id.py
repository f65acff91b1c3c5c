"""One id per request, followed across nodes, log lines and the Celery tasks the request queues.

The id comes from the incoming ``X-Request-ID`` when it is a short token (nginx sends one:
``proxy_set_header X-Request-ID $request_id``), otherwise a new uuid4 hex. It is sent back on the response, put
on every log record by ``RequestIdFilter``, and carried to the worker in a header of each task published during
the request, where it names the task's log lines too.

Imports nothing that needs Django set up: the Celery application imports this module before Django is set up.
"""

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver

HEADER = "X-Request-ID"
# The task message header that carries the id to the worker.
TASK_HEADER = "portal_request_id"
# What an incoming id may be; anything else (too long, spaces, quotes, newlines) is replaced, so a client cannot
# write into the logs through it.
VALID = re.compile(r"[A-Za-z0-9_.\-]{1,64}")

_current = contextvars.ContextVar("request_id", default=None)
# The context tokens of the tasks running in this process, to put back what was there before each one.
_task_tokens = {}


def current():
    """The id of the request (or task) being served, or None."""
    return _current.get()


def accept(value):
    """The id to use for an incoming header value: the value when it is valid, else a new one."""
    if value and VALID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Outermost, so that every answer (a 503 included) carries the id and every log line of the request has it.

    The id stays set until the response is closed (request_finished), not only while the middleware runs: Django
    logs a 4xx or 5xx answer ("Not Found: ...") after the last middleware has returned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accept(request.headers.get(HEADER, ""))
        request.request_id = request_id
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_finished, dispatch_uid="request_id.forget")
def forget(**kwargs):
    """The response has been sent: what this thread logs next belongs to no request."""
    _current.set(None)


class RequestIdFilter(logging.Filter):
    """Gives each record ``request_id`` ("-" outside a request or task), for the formatters to print."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = _current.get() or "-"
        return True


# Celery signal receivers (connected in fuyang_portal/celery.py).

def add_to_task_headers(headers=None, **kwargs):
    """before_task_publish: a task queued while serving a request carries the request's id."""
    request_id = _current.get()
    if request_id and headers is not None:
        headers.setdefault(TASK_HEADER, request_id)


def restore_in_task(task_id=None, task=None, **kwargs):
    """task_prerun: the task's log lines carry the id of the request that queued it. A task run in-process
    (eager, without a broker) already runs inside the request's context and keeps it."""
    request_id = task.request.get(TASK_HEADER) if task is not None else None
    if request_id and VALID.fullmatch(str(request_id)):
        _task_tokens[task_id] = _current.set(str(request_id))


def clear_after_task(task_id=None, **kwargs):
    """task_postrun: what the task set is taken away again, so the next task in this process starts clean."""
    token = _task_tokens.pop(task_id, None)
    if token is None:
        return
    try:
        _current.reset(token)
    except ValueError:  # finished in another context than it started in (a thread pool): clear it there
        _current.set(None)
