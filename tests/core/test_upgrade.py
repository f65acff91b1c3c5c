"""Nothing is lost on upgrade: a database built by the last released schema (its own code, from the git
history: migrate + load_demo on PostgreSQL) migrates forward with every row of every table kept, and every
enterprise account still bound to its firm.

PostgreSQL only (the production database; CI runs it): the test makes its own scratch database on the
server the suite uses and drops it afterwards."""

import os
import subprocess
import sys
import tarfile
import io
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings as django_settings
from django.db import connection

ROOT = Path(django_settings.BASE_DIR)
# The last schema before enterprise accounts left the user model (main before the core's rework).
BASELINE = "206bd3e"
SCRATCH = "fuyang_upgrade_check"

pytestmark = pytest.mark.django_db


def _server():
    params = connection.settings_dict
    return {"user": params["USER"], "host": params["HOST"] or "127.0.0.1", "port": params["PORT"] or 5432}


def _url(name):
    server = _server()
    return f"postgres://{server['user']}@{server['host']}:{server['port']}/{name}"


def _admin(sql):
    conn = psycopg2.connect(dbname="postgres", **_server())
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def _query(sql):
    conn = psycopg2.connect(dbname=SCRATCH, **_server())
    with conn.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    conn.close()
    return rows


def _table_counts():
    tables = [name for (name,) in _query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    counts = {}
    for table in tables:
        counts[table] = _query(f'SELECT count(*) FROM "{table}"')[0][0]
    return counts


def _manage(cwd, *args):
    env = {**os.environ, "DATABASE_URL": _url(SCRATCH), "DEBUG": "1", "ALLOW_INSECURE_DEV_KEY": "1"}
    env.pop("REDIS_URL", None)  # tasks in-process: the scratch database is not the worker's
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]


def _checkout(commit, target):
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    (target / "node_modules").symlink_to(ROOT / "node_modules")


@pytest.fixture
def scratch_database():
    _admin(f"DROP DATABASE IF EXISTS {SCRATCH}")
    _admin(f"CREATE DATABASE {SCRATCH}")
    yield
    _admin(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")


def test_the_demo_database_of_the_previous_schema_migrates_forward_with_every_row_kept(tmp_path, scratch_database):
    if connection.vendor != "postgresql":
        pytest.skip("the upgrade is proven on PostgreSQL, the production database (CI sets DATABASE_URL)")
    old = tmp_path / "baseline"
    _checkout(BASELINE, old)
    _manage(old, "migrate", "--noinput", "-v0")
    _manage(old, "load_demo")
    before = _table_counts()
    links_before = sorted(_query("SELECT id, enterprise_id FROM fuyang_portal_user WHERE enterprise_id IS NOT NULL"))
    assert before["enterprises_enterprise"] > 4000 and len(links_before) >= 2

    _manage(ROOT, "migrate", "--noinput", "-v0")

    after = _table_counts()
    # Bookkeeping tables gain the rows of new migrations and models; every other table keeps exactly its rows.
    grows = {"django_migrations", "django_content_type", "auth_permission", "leaderboard_indicatorchange", "leaderboard_indicator"}
    for table, count in before.items():
        if table in grows:
            assert after[table] >= count, table
            continue
        assert after[table] == count, f"{table}: {count} rows before, {after[table]} after"
    # Shipped definitions a migration changed or added get their next version in the indicators' history, by no
    # person; the indicators added are the per-level sets' new ones.
    new_changes = _query(f"SELECT changed_by_id FROM leaderboard_indicatorchange ORDER BY id OFFSET {before['leaderboard_indicatorchange']}")
    assert new_changes and all(changed_by is None for (changed_by,) in new_changes)
    assert ("inspection-deductions", "programmes.metrics.inspection_deductions") in _query(
        "SELECT code, metric_path FROM leaderboard_indicator")
    added = {code for (code,) in _query(f"SELECT code FROM leaderboard_indicator ORDER BY id OFFSET {before['leaderboard_indicator']}")}
    assert added == {"worklist-completion", "worker-registrations", "hotline-response"}
    links_after = sorted(_query("SELECT user_id, enterprise_id FROM enterprises_firmaccount"))
    assert links_after == links_before
    columns = {name for (name,) in _query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'fuyang_portal_user'")}
    assert "enterprise_id" not in columns
    constraints = {name for (name,) in _query(
        "SELECT conname FROM pg_constraint WHERE conrelid = 'fuyang_portal_user'::regclass")}
    assert "user_role_scope" in constraints and "user_scope_matches_role" not in constraints
    # And the schema is the one the models describe: nothing left for makemigrations to do.
    _manage(ROOT, "makemigrations", "--check", "--dry-run")
