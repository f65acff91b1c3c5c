import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings

from fuyang_portal.celery import app as celery_app


@pytest.fixture(scope="package")
def story(django_db_setup, django_db_blocker):
    """The whole demo, loaded once for this package's tests (``load_demo``, every app), then rolled back.

    The work queued after commit (claims' pre-checks, notices) runs in-process as the load's commit would run it:
    the rows are never committed, so a worker could not see them. Passwords are hashed as in every test (the
    function-scoped settings of tests/conftest.py do not reach a package fixture)."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with django_db_blocker.unblock(), override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ):
            with transaction.atomic():
                with TestCase.captureOnCommitCallbacks(execute=True):
                    call_command("load_demo", stdout=open("/dev/null", "w"))
                yield
                transaction.set_rollback(True)
    finally:
        celery_app.conf.task_always_eager = eager
