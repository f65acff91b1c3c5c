"""The outbox row is written in the same transaction as the change it announces: a process that dies after
the commit but before delivery loses no notice; the dispatch sends it.

On PostgreSQL (CI) a real child process makes the change, commits and is killed (``os._exit``) before its
after-commit delivery runs. On SQLite (in-memory test database, invisible to a child) the test stops the
after-commit callbacks from running, which is what the dead process leaves behind."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from fuyang_portal.models import Notification, OutboxMessage, Transition
from fuyang_portal.tasks import dispatch_outbox
from tests.factories import township_user

ROOT = Path(django_settings.BASE_DIR)

CHANGE = textwrap.dedent(
    """
    import os, django
    django.setup()
    from django.db import transaction
    from fuyang_portal.models import User
    from fuyang_portal.notify import notify
    from fuyang_portal.workflow import record

    with transaction.atomic():
        # Registered first, so it runs first after the commit: the process dies before delivery is queued.
        transaction.on_commit(lambda: os._exit(9))
        user = User.objects.get(username="crash-target")
        record(user, actor=None, action="change", comment="crash test")
        notify([user], "outbox crash test", dedupe_key="outbox-crash")
    """
)


def _run_child():
    env = {**__import__("os").environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "fuyang_portal.settings"}
    return subprocess.run([sys.executable, "-c", CHANGE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _database_url():
    params = connection.settings_dict
    return f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"


def _assert_committed_undelivered_then_dispatched(user):
    # The change and its notice were committed together; nothing was delivered.
    assert Transition.objects.filter(action="change", comment="crash test").count() == 1
    pending = OutboxMessage.objects.get(payload__dedupe_key="outbox-crash")
    assert pending.delivered_at is None
    assert not Notification.objects.filter(recipient=user).exists()
    # The periodic dispatch sends it, once.
    assert dispatch_outbox(older_than_seconds=0) == 1
    assert Notification.objects.filter(recipient=user, title="outbox crash test").count() == 1
    assert dispatch_outbox(older_than_seconds=0) == 0


@pytest.mark.django_db(transaction=True)
def test_a_process_killed_between_commit_and_delivery_loses_no_notice():
    if connection.vendor != "postgresql":
        pytest.skip("a child process shares the database only on PostgreSQL (CI); the in-process test below runs here")
    user = township_user(username="crash-target")
    child = _run_child()
    assert child.returncode == 9, child.stderr
    _assert_committed_undelivered_then_dispatched(user)


@pytest.mark.django_db
def test_a_notice_whose_delivery_never_ran_is_sent_by_the_dispatch(django_capture_on_commit_callbacks):
    from django.db import transaction

    from fuyang_portal.notify import notify
    from fuyang_portal.workflow import record

    user = township_user(username="crash-target")
    # The after-commit delivery is captured and never run: what a process dying after the commit leaves behind.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            record(user, actor=None, action="change", comment="crash test")
            notify([user], "outbox crash test", dedupe_key="outbox-crash")
    assert callbacks, "delivery is queued after commit"
    _assert_committed_undelivered_then_dispatched(user)
