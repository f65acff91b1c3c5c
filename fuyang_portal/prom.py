"""Prometheus metrics: django-prometheus's request metrics (latency by view among them, from its two middlewares
in settings.MIDDLEWARE), Celery task run times, and gauges read when scraped: the Celery queue depth in Redis and
the outbox backlog (notifications, queued tasks and SMS still waiting).

``/metrics`` is not public: it answers the addresses in METRICS_ALLOWED_IPS (loopback by default) and a bearer
token equal to METRICS_TOKEN; anyone else gets 404, as for a page that does not exist.

Several processes per node (gunicorn workers, Celery's prefork children): set PROMETHEUS_MULTIPROC_DIR to an
empty folder of the node before the processes start; each writes its samples there and ``/metrics`` (or the
worker's exporter on WORKER_METRICS_PORT) adds them up (prometheus_client's multiprocess mode).

The Celery application imports this module before Django is set up: models are imported where they are used.
"""

import hmac
import ipaddress
import logging
import os
import time

import prometheus_client
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CollectorRegistry, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

TASK_RUNTIME = Histogram(
    "portal_celery_task_runtime_seconds",
    "Run time of Celery tasks, by task name and final state.",
    ["task", "state"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900),
)

# kombu's Redis transport keeps a queue's messages of priority 3, 6 and 9 under keys of their own.
REDIS_PRIORITY_SEPARATOR = "\x06\x16"
REDIS_PRIORITY_STEPS = (3, 6, 9)

_task_started = {}


# --- Celery task run times (receivers connected in fuyang_portal/celery.py) --------------------------------

def task_started(task_id=None, **kwargs):
    _task_started[task_id] = time.perf_counter()


def task_finished(task_id=None, task=None, state=None, **kwargs):
    started = _task_started.pop(task_id, None)
    if started is not None:
        TASK_RUNTIME.labels(task=getattr(task, "name", None) or "unknown", state=state or "UNKNOWN").observe(time.perf_counter() - started)


def multiprocess_mode():
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def _process_registry():
    """The samples of this process, or of every process of the node in multiprocess mode."""
    if multiprocess_mode():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return prometheus_client.REGISTRY


def start_worker_exporter(**kwargs):
    """worker_init: with WORKER_METRICS_PORT set, the worker's main process serves its children's task metrics on
    127.0.0.1:<port> (a worker node runs no web server). Needs PROMETHEUS_MULTIPROC_DIR with the prefork pool."""
    port = getattr(settings, "WORKER_METRICS_PORT", 0)
    if port:
        prometheus_client.start_http_server(port, addr="127.0.0.1", registry=_process_registry())


# --- Gauges read at scrape time -----------------------------------------------------------------------------

def celery_queue_names(app):
    """The queues the project's tasks go to: the default queue, declared queues and routed ones."""
    names = {app.conf.task_default_queue or "celery"}
    names.update(queue.name for queue in (app.conf.task_queues or ()))
    routes = app.conf.task_routes
    if isinstance(routes, dict):
        names.update(route["queue"] for route in routes.values() if isinstance(route, dict) and route.get("queue"))
    return sorted(names)


class BacklogCollector:
    """Read once per scrape, from the shared Redis and database: the same figure on every node."""

    def collect(self):
        yield from self.queue_depth()
        yield from self.outbox()

    def queue_depth(self):
        from fuyang_portal.celery import app

        broker = app.conf.broker_url or ""
        if not broker.startswith(("redis://", "rediss://")):
            return  # in-process tasks (no broker): no queue to measure
        from redis import Redis

        depth = GaugeMetricFamily("portal_celery_queue_length", "Messages waiting in each Celery queue in Redis.", labels=["queue"])
        try:
            client = Redis.from_url(broker, socket_connect_timeout=1, socket_timeout=1)
            names = celery_queue_names(app)
            with client.pipeline(transaction=False) as pipe:
                for name in names:
                    for key in (name, *(f"{name}{REDIS_PRIORITY_SEPARATOR}{step}" for step in REDIS_PRIORITY_STEPS)):
                        pipe.llen(key)
                lengths = pipe.execute()
        except (RedisError, OSError) as error:  # Redis away: leave the gauge out of this scrape rather than fail the page
            log.warning("queue depth not measured: %s", type(error).__name__)
            return
        per_queue = 1 + len(REDIS_PRIORITY_STEPS)
        for index, name in enumerate(names):
            depth.add_metric([name], sum(lengths[index * per_queue:(index + 1) * per_queue]))
        yield depth

    def outbox(self):
        from fuyang_portal.models import OutboxMessage, QueuedTask, SmsMessage

        pending = {
            "notification": OutboxMessage.objects.filter(delivered_at__isnull=True),
            "task": QueuedTask.objects.filter(done_at__isnull=True),
            "sms": SmsMessage.objects.filter(status=SmsMessage.Status.QUEUED),
        }
        count = GaugeMetricFamily("portal_outbox_pending", "Rows of the outbox not delivered yet, by kind.", labels=["kind"])
        oldest = GaugeMetricFamily(
            "portal_outbox_oldest_pending_age_seconds", "Age of the oldest row of the outbox not delivered yet, by kind (0: none).", labels=["kind"]
        )
        now = timezone.now()
        try:
            for kind, rows in pending.items():
                figures = rows.aggregate(n=Count("pk"), first=Min("created_at"))
                count.add_metric([kind], figures["n"])
                oldest.add_metric([kind], (now - figures["first"]).total_seconds() if figures["first"] else 0)
        except DatabaseError as error:
            log.warning("outbox backlog not measured: %s", type(error).__name__)
            return
        yield count
        yield oldest


# --- The /metrics page --------------------------------------------------------------------------------------

def _allowed_networks(values):
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            log.warning("METRICS_ALLOWED_IPS: %r is not an address or network, ignored", value)
    return networks


def client_address(request):
    """The scraper's address, or None when it cannot be known. A request that came through a proxy (it carries
    X-Forwarded-For) is judged by the address the proxy appended, and only when the portal is told it is behind
    one (BEHIND_TLS_PROXY); otherwise every request through nginx would look like loopback."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    candidate = request.META.get("REMOTE_ADDR", "") if forwarded is None else None
    if forwarded is not None and settings.BEHIND_TLS_PROXY:
        candidate = forwarded.split(",")[-1].strip()
    try:
        return ipaddress.ip_address(candidate) if candidate else None
    except ValueError:
        return None


def has_token(request):
    expected = settings.METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected.encode())


def may_scrape(request):
    if has_token(request):
        return True
    address = client_address(request)
    return address is not None and any(address in network for network in _allowed_networks(settings.METRICS_ALLOWED_IPS))


@transaction.non_atomic_requests  # a down database leaves the backlog out, not the page
@never_cache
@require_safe
def metrics(request):
    if not may_scrape(request):
        raise Http404
    backlog = CollectorRegistry(auto_describe=False)
    backlog.register(BacklogCollector())
    body = prometheus_client.generate_latest(_process_registry()) + prometheus_client.generate_latest(backlog)
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
