import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase


@pytest.fixture(scope="package")
def story(django_db_setup, django_db_blocker):
    """The whole demo, loaded once for this package's tests (``load_demo``, every app), then rolled back.

    The work queued after commit (claims' pre-checks, notices) runs as the load's commit would run it."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("load_demo", stdout=open("/dev/null", "w"))
            yield
            transaction.set_rollback(True)
