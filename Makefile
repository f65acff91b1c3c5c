# The portal's everyday commands. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Local development defaults; production sets real values in the environment.
export DEBUG ?= 1
export ALLOW_INSECURE_DEV_KEY ?= 1

.PHONY: install assets messages run test system-packages worker beat demo check clean bench faults backup restore cluster cluster-stop load

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP) assets messages

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json

messages: $(STAMP)
	@bash .ci/system-packages gettext
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

# The demo's story stands at Monday 24 February 2020, 10:00 Beijing time (fuyang_portal/clock.py).
run: export DEMO_CLOCK ?= 2020-02-24T10:00:00
run: demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Installs the Debian packages the suite needs (gettext, Chromium, CJK fonts) when they are missing.
system-packages:
	@bash .ci/system-packages

# The tests marked `worker` reach the one Celery worker, which reads one test database: they run first, in one
# process. The rest run in TEST_PROCESSES processes (pytest-xdist), each with its own test database; the demo's
# package and module-scoped fixtures keep their tests in one process (tests/conftest.py). Exit status 5 is
# "nothing selected" (PYTEST_ARGS naming a part without such tests).
TEST_PROCESSES ?= 2
test: system-packages install
	DEBUG=0 $(PY) -m pytest --worker-tests=only $(PYTEST_ARGS) || [ $$? -eq 5 ]
	DEBUG=0 $(PY) -m pytest --worker-tests=without -n $(TEST_PROCESSES) --dist loadgroup $(PYTEST_ARGS) || [ $$? -eq 5 ]

worker: install
	$(VENV)/bin/celery -A fuyang_portal worker --loglevel=info --concurrency=2

beat: install
	$(VENV)/bin/celery -A fuyang_portal beat --loglevel=info

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# District-scale benchmark (docs/benchmarks.md): PostgreSQL only, in its own database fuyang_bench on the
# server DATABASE_URL names (generated once, reused). Installs wrk from Debian's packages when missing.
# The fault suite: PostgreSQL + Redis + gunicorn + a Celery worker under write load while faults are injected
# (restarts this machine's PostgreSQL: local only, never in CI). Figures in docs/reliability.md.
faults: install
	DEBUG=0 $(PY) bench/faults.py $(FAULTS_ARGS)

bench: install
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "make bench needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/postgres (now: $${DATABASE_URL:-unset, SQLite})." >&2; exit 2;; esac
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -q wrk; else sudo apt-get install -y -q wrk; fi; }
	DEBUG=0 $(PY) -W ignore::UserWarning manage.py bench $(BENCH_ARGS)
	# 免申即享 matching over 100,000 firms (the bench's own database): one statement per rule against a hand-written
	# SQL one (rolled back).
	DATABASE_URL="$${DATABASE_URL%/*}/fuyang_bench" DEBUG=0 $(PY) -W ignore::UserWarning manage.py bench_relief --firms 100000

clean:
	rm -rf $(VENV) node_modules staticfiles

# Backups (docs/backup.md): the database (pg_dump custom format, or SQLite's backup API) and the private uploads into
# BACKUP_DIR (default var/backups), verified, BACKUP_KEEP generations kept (default 7). The beat does the same on
# BACKUP_SCHEDULE.
backup: $(STAMP)
	$(PY) manage.py backup $(BACKUP_ARGS)

# Restores a backup (BACKUP=<folder or name>, default the latest) into a NEW database RESTORE_DB (a PostgreSQL name on
# the server DATABASE_URL names, or a file path for a SQLite backup) and the uploads into the empty folder
# RESTORE_UPLOADS, then checks every table's row count and every upload's checksum against the backup.
restore: $(STAMP)
	@test -n "$(RESTORE_DB)" -a -n "$(RESTORE_UPLOADS)" || { echo "usage: make restore RESTORE_DB=<new database> RESTORE_UPLOADS=<empty folder> [BACKUP=<backup>]" >&2; exit 2; }
	$(PY) manage.py restore --database "$(RESTORE_DB)" --uploads "$(RESTORE_UPLOADS)" $(if $(BACKUP),--backup "$(BACKUP)") $(RESTORE_ARGS)

# The portal as several nodes (bench/cluster.py): nginx (Debian's, installed when missing) in front of two gunicorn
# nodes, two Celery workers and a beat, on the PostgreSQL and Redis that DATABASE_URL and REDIS_URL name; pids and
# logs in var/cluster/. CLUSTER_ARGS e.g. "--port 8100 --web-ports 8101,8102".
cluster: install
	$(PY) bench/cluster.py start $(CLUSTER_ARGS)

cluster-stop:
	$(PY) bench/cluster.py stop

# A day of the district through the cluster's nginx (bench/locustfile.py, run by bench/load.py): 230 people (200
# signed in, 30 anonymous) for 3 minutes, one web node killed after 60 s and a Celery worker stopped during the weekly
# ranking; then percentiles per request kind, errors and lost writes (docs/benchmarks.md). Needs `make cluster` on the
# same DATABASE_URL / REDIS_URL and `manage.py load_run_accounts` once.
# LOAD_ARGS e.g. "--users 230 --spawn-rate 10 --run-time 180 --kill-node-at 60 --ranking-at 100".
load: install
	DEBUG=0 $(PY) bench/load.py $(LOAD_ARGS)
