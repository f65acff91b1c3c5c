"""Probes for a load balancer and the nodes' supervisor.

``/health/live``: the process answers; touches nothing else (no database, no cache, no session), so a database
outage never gets healthy web processes restarted. ``/health/ready``: this node can serve: the database answers,
Redis answers (when REDIS_URL is set) and a Celery worker has shown a heartbeat within
WORKER_HEARTBEAT_MAX_AGE_SECONDS. Otherwise 503, with the failing checks named in the JSON body. Without
REDIS_URL (SQLite, tasks run in-process) there is no worker to wait for: that check is skipped and says so.

The heartbeat: each worker writes the time to the shared cache when it starts and then from Celery's own
worker heartbeat (every 2 s, written at most every HEARTBEAT_WRITE_SECONDS), so the newest heartbeat is that of
the liveliest worker. The receivers are connected in fuyang_portal/celery.py.

Anonymous, no personal data, nothing written, never a page view in the audit log. The answers name checks and
exception classes only, never a host, address or message.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import Error as DatabaseErrors
from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from redis.exceptions import RedisError

HEARTBEAT_KEY = "health:worker-heartbeat"
# A worker writes its heartbeat at most this often (Celery's own heartbeat comes every 2 s).
HEARTBEAT_WRITE_SECONDS = 30
# Kept in the cache long past any sensible maximum age, so that an old one reads as old, not as missing.
HEARTBEAT_KEEP_SECONDS = 24 * 3600

_last_written = {"at": 0.0}
_redis_clients = {}


def record_heartbeat(at=None):
    """Write the worker heartbeat (seconds since the epoch; now by default)."""
    cache.set(HEARTBEAT_KEY, {"at": time.time() if at is None else at}, timeout=HEARTBEAT_KEEP_SECONDS)


def on_worker_ready(**kwargs):
    """worker_ready: a worker that has just started is ready at once."""
    _last_written["at"] = time.monotonic()
    record_heartbeat()


def on_worker_heartbeat(**kwargs):
    """heartbeat_sent: the worker's event loop is turning; written at most every HEARTBEAT_WRITE_SECONDS."""
    interval = min(HEARTBEAT_WRITE_SECONDS, settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS / 3)
    now = time.monotonic()
    if now - _last_written["at"] >= interval:
        _last_written["at"] = now
        record_heartbeat()


def _passed(started, **extra):
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1), **extra}


def _failed(started, error):
    return {"ok": False, "ms": round((time.perf_counter() - started) * 1000, 1), "error": error}


def check_database():
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseErrors as error:  # down, restarting, out of connections, read-only...: named by its class
        return _failed(started, type(error).__name__)
    return _passed(started)


def _redis(url):
    # One client (one connection pool) per process, with the cache's short timeouts.
    if url not in _redis_clients:
        import redis

        _redis_clients[url] = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    return _redis_clients[url]


def check_redis():
    started = time.perf_counter()
    if not settings.REDIS_URL:
        return _passed(started, skipped="no REDIS_URL: the cache is this process's memory")
    try:
        _redis(settings.REDIS_URL).ping()
    except (RedisError, OSError) as error:  # asked directly: the cache backend hides outages by design
        return _failed(started, type(error).__name__)
    return _passed(started)


def check_worker():
    started = time.perf_counter()
    if not settings.REDIS_URL:
        return _passed(started, skipped="no REDIS_URL: tasks run in-process (eager), there is no worker")
    heartbeat = cache.get(HEARTBEAT_KEY)
    if not heartbeat:
        return _failed(started, "no worker heartbeat")
    age = time.time() - float(heartbeat["at"])
    limit = settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS
    if age > limit:
        return _failed(started, f"newest worker heartbeat is {age:.0f} s old (limit {limit} s)")
    return _passed(started, age_seconds=round(age, 1))


# Name -> check, in the order they run.
CHECKS = {"database": check_database, "redis": check_redis, "worker": check_worker}


def run_checks():
    results = {name: check() for name, check in CHECKS.items()}
    return results, [name for name, result in results.items() if not result["ok"]]


@transaction.non_atomic_requests
@never_cache
@require_safe
def live(request):
    return JsonResponse({"status": "ok"})


@transaction.non_atomic_requests  # a down database must reach the check, not fail the request's transaction
@never_cache
@require_safe
def ready(request):
    results, failing = run_checks()
    body = {"status": "unavailable" if failing else "ready", "failing": failing, "checks": results}
    return JsonResponse(body, status=503 if failing else 200)
