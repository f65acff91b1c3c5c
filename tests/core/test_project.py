"""Project-wide checks: migrations complete, production settings pass Django's deploy check."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_the_deploy_check_is_clean_with_production_settings():
    env = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "ALLOW_INSECURE_DEV_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    } | {
        "DEBUG": "0",
        "SECRET_KEY": "x7#kq!" + "b" * 20 + "Zp@3" + "c" * 30,
        "FIELD_ENCRYPTION_KEY": "production-field-key-0123456789",
        "ALLOWED_HOSTS": "portal.fuyang.gov.cn",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_COOKIES": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
        "SECURE_HSTS_PRELOAD": "1",
    }
    run = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout


def test_without_a_secret_key_production_refuses_to_start():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "ALLOW_INSECURE_DEV_KEY", "SECRET_KEY"}} | {"DEBUG": "0"}
    run = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert run.returncode != 0 and "SECRET_KEY must be set" in run.stderr
