import os
import re

import pytest
from django.conf import settings
from django.utils.functional import empty

from fuyang_portal.celery import app as celery_app

# The suite runs with DEBUG off, as production does, but over plain http (the test client, the browsers' live
# server): the redirect to https is the one production default it leaves out. The defaults themselves are proven
# by tests/security/test_deploy_settings.py.
settings.SECURE_SSL_REDIRECT = False

# Run in parallel (pytest-xdist), each process keeps its cache in its own Redis database: tests clear the cache,
# and a clear empties the whole database. The broker stays where the Celery worker listens.
_PROCESS = os.environ.get("PYTEST_XDIST_WORKER", "")
if _PROCESS.startswith("gw") and settings.REDIS_URL:
    _base, _db = re.fullmatch(r"(.*?)(?:/(\d+))?/?", settings.REDIS_URL).groups()
    settings.CACHES["default"]["LOCATION"] = f"{_base}/{(int(_db or 0) - 1 - int(_PROCESS[2:])) % 16}"

# Fixtures shared beyond one test keep their tests in one process when the suite runs in parallel: the demo
# (package scope) and module-scoped ones. A transactional test stays out of a group: it empties the database
# behind it, so it must run where pytest-django puts it, after the others.
SHARED_FIXTURE_GROUPS = {"tests/demo/": "demo"}


def pytest_addoption(parser):
    parser.addoption(
        "--worker-tests",
        choices=("with", "only", "without"),
        default="with",
        help="tests marked worker (the one Celery worker reads one test database): with the rest, only, or without",
    )


# Before xdist's own hook, which turns the group into the node id suffix its scheduler reads.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    wanted = config.getoption("--worker-tests")
    if wanted != "with":
        keep = [item for item in items if (item.get_closest_marker("worker") is not None) == (wanted == "only")]
        config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = keep
    for item in items:
        if _transactional(item):
            continue
        path = str(item.fspath)
        group = next((name for folder, name in SHARED_FIXTURE_GROUPS.items() if folder in path), None)
        if group is None and any(d.scope == "module" for ds in item._fixtureinfo.name2fixturedefs.values() for d in ds):
            group = item.module.__name__
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


def _transactional(item):
    marker = item.get_closest_marker("django_db")
    transaction = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return bool(transaction) or {"transactional_db", "live_server"} & set(item.fixturenames)


@pytest.fixture(autouse=True)
def _test_environment(request, settings, tmp_path):
    """Uploads go to a temporary folder; Celery tasks run in-process unless a test is marked ``worker``."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # Hashing test passwords with PBKDF2 would dominate the suite's time; production keeps PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "zh-hans"
    # Counted on every page: tests share the cache (Redis under CI) while their rows are rolled back.
    settings.UNREAD_COUNT_SECONDS = 0
    # Query counts are taken on the uncached path, the most a page runs (tests/core/test_reference.py keeps them).
    settings.REFERENCE_LIST_SECONDS = 0
    eager = request.node.get_closest_marker("worker") is None or not settings.REDIS_URL
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_reference_lists():
    """Each test's database starts again (rolled back without a signal): so do the process's reference lists."""
    from fuyang_portal import reference

    reference.forget()
    yield
    reference.forget()


@pytest.fixture(autouse=True)
def _reset_private_storage(_test_environment):
    from fuyang_portal.uploads import private_storage

    # Re-read PRIVATE_MEDIA_ROOT, which each test points at its own folder.
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


@pytest.fixture
def real_worker():
    """True when a real worker answers through Redis (CI); such tests then assert the result came from it."""
    return bool(settings.REDIS_URL)
