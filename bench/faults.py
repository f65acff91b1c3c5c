"""The fault suite (``make faults``): the portal under write load while faults are injected one after another.

Local only, never in CI: it restarts this machine's PostgreSQL cluster. It builds its own database
(``fuyang_faults``) and its own Redis (port 6392), runs gunicorn (two sync workers) and a Celery worker with beat,
each kept up by a supervisor loop as the systemd units in deploy/systemd do (Restart=always), and has eight firms
raise problems through the API, each write with an Idempotency-Key and retried with the same key on a timeout,
a 5xx or a refused connection (honouring Retry-After). Then it prints, per fault: requests, error answers, the
slowest answer, recovery time, and the writes lost, duplicated, or written for an answer the client took as a
failure; and the notices still undelivered two minutes after the last fault.
"""

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
SERVER = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
DATABASE = "fuyang_faults"
REDIS_PORT = 6392
WEB_PORT = 8077
TIMEOUT = 5  # the client's own timeout per request, seconds
GIVE_UP = 30  # a client stops retrying a write after this many seconds


def environment():
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{SERVER['user']}@{SERVER['host']}:{SERVER['port']}/{DATABASE}",
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",  # the fault suite's gunicorn is reached over plain http
        "ALLOW_INSECURE_DEV_KEY": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONUNBUFFERED": "1",
    }


def query(sql, database=DATABASE, autocommit=False):
    connection = psycopg2.connect(dbname=database, **SERVER)
    connection.autocommit = autocommit
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else None
    finally:
        connection.close()


def pg_cluster():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


def redis_start():
    subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(REDIS_PORT), "--save", "",
                    "--appendonly", "no"], check=True, stdout=subprocess.DEVNULL)
    time.sleep(0.3)


def redis_stop():
    subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Supervisor(threading.Thread):
    """Keeps one process running: started again a second after it exits, like systemd's Restart=always."""

    def __init__(self, name, command, log):
        super().__init__(daemon=True)
        self.name, self.command, self.log = name, command, log
        self.process, self.restarts, self.stopping = None, 0, False

    def run(self):
        while not self.stopping:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=environment(), stdout=self.log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
            self.process.wait()
            if not self.stopping:
                self.restarts += 1
                time.sleep(1)

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)

    def stop(self):
        self.stopping = True
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.phase = "warm-up"
        self.requests = []  # (phase, started, seconds, status)
        self.writes = []  # (phase, key, outcome) outcome: "ok" | "failed"

    def request(self, started, seconds, status):
        with self.lock:
            self.requests.append((self.phase, started, seconds, status))

    def write(self, phase, key, outcome):
        with self.lock:
            self.writes.append((phase, key, outcome))


def raise_problems(firm, recorder, stop):
    """One firm: write after write, each retried under its own key until it is answered or GIVE_UP passes."""
    headers = {"Authorization": f"Token {firm['token']}", "Content-Type": "application/json", "Accept-Language": "zh-hans"}
    while not stop.is_set():
        key, phase, first = uuid.uuid4().hex, recorder.phase, time.monotonic()
        body = json.dumps({"enterprise": firm["enterprise"], "category": "funds", "description": f"fault-run {key}"})
        outcome = "failed"
        while time.monotonic() - first < GIVE_UP:
            started = time.monotonic()
            wait = 0.5
            try:
                connection = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=TIMEOUT)
                connection.request("POST", "/api/v1/problems/", body, {**headers, "Idempotency-Key": key})
                response = connection.getresponse()
                response.read()
                status = response.status
                wait = float(response.getheader("Retry-After") or wait)
                connection.close()
            except TimeoutError:
                status = "timeout"
            except OSError:
                status = "refused"
            recorder.request(started, time.monotonic() - started, status)
            if status == 201:
                outcome = "ok"
                break
            if status in (400, 403, 404):
                break  # refused for good: retrying would not change it
            time.sleep(min(wait, 2))
        recorder.write(phase, key, outcome)


def wait_for_web(seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=2)
            connection.request("GET", "/accounts/login/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer")


def gunicorn_worker_pid(master_pid):
    children = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout.split()
    return int(children[0]) if children else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage", type=int, default=60, help="seconds Redis stays stopped")
    parser.add_argument("--settle", type=int, default=15, help="seconds of load after each fault")
    args = parser.parse_args()

    print("setting up: database, migrations, the small district")
    query(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", database="postgres", autocommit=True)
    query(f"CREATE DATABASE {DATABASE}", database="postgres", autocommit=True)
    redis_stop()
    redis_start()
    manage = [sys.executable, "manage.py"]
    subprocess.run(manage + ["migrate", "-v0"], cwd=ROOT, env=environment(), check=True)
    setup = subprocess.run(manage + ["faults_setup"], cwd=ROOT, env=environment(), check=True, capture_output=True, text=True)
    firms = json.loads(setup.stdout.strip().splitlines()[-1])["firms"]

    log = open(ROOT / "var" / "faults.log", "w")
    web = Supervisor("web", [str(Path(sys.executable).parent / "gunicorn"), "fuyang_portal.wsgi", "-w", "2", "-b", f"127.0.0.1:{WEB_PORT}",
                             "--timeout", "30", "--graceful-timeout", "5"], log)
    worker = Supervisor("worker", [str(Path(sys.executable).parent / "celery"), "-A", "fuyang_portal", "worker", "-B", "-n", "faults@vm",
                                   "--concurrency", "2", "--loglevel", "warning", "-s", str(ROOT / "var" / "faults-beat-schedule")], log)
    web.start()
    worker.start()
    wait_for_web()

    recorder, stop = Recorder(), threading.Event()
    clients = [threading.Thread(target=raise_problems, args=(firm, recorder, stop), daemon=True) for firm in firms]
    for client in clients:
        client.start()

    def fault(name, inject, hold=0, restore=None):
        recorder.phase = name
        injected = time.monotonic()
        inject()
        time.sleep(hold)
        if restore:
            restore()
        time.sleep(args.settle)
        return name, injected

    def cut_connections():
        for _ in range(5):
            query(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{DATABASE}' AND pid <> pg_backend_pid()",
                  database="postgres", autocommit=True)
            time.sleep(2)

    injected = {}
    recorder.phase = "no fault"
    time.sleep(args.settle)
    steps = [
        ("PostgreSQL restarted", lambda: subprocess.run(pg_cluster() + ["restart"], check=True), 0, None),
        (f"Redis stopped {args.outage} s", redis_stop, args.outage, redis_start),
        ("Celery worker killed", worker.kill, 0, None),
        ("one gunicorn worker killed", lambda: os.kill(gunicorn_worker_pid(web.process.pid), signal.SIGKILL), 0, None),
        ("database connections cut (5× in 10 s)", cut_connections, 0, None),
    ]
    for name, inject, hold, restore in steps:
        print(f"fault: {name}")
        _name, at = fault(name, inject, hold, restore)
        injected[name] = at
    stop.set()
    for client in clients:
        client.join(GIVE_UP + TIMEOUT + 5)
    finished = time.monotonic()

    print("waiting up to 150 s for the outbox to drain")
    undelivered = None
    while time.monotonic() - finished < 150:
        undelivered = query("SELECT (SELECT count(*) FROM fuyang_portal_outboxmessage WHERE delivered_at IS NULL),"
                            " (SELECT count(*) FROM fuyang_portal_queuedtask WHERE done_at IS NULL)")[0]
        if sum(undelivered) == 0:
            break
        time.sleep(5)
    drained = time.monotonic() - finished

    rows = dict(query("SELECT description, count(*) FROM specialists_problem WHERE description LIKE 'fault-run %' GROUP BY description"))
    web.stop()
    worker.stop()
    redis_stop()

    print()
    print("| fault | requests | error answers | slowest (s) | recovery (s) | writes | lost | duplicated | rows for error answers |")
    print("|---|---|---|---|---|---|---|---|---|")
    for phase in ["no fault"] + [name for name, *_ in steps]:
        answers = [r for r in recorder.requests if r[0] == phase]
        errors = [r for r in answers if not (isinstance(r[3], int) and r[3] < 400)]
        recovery = max((r[1] + r[2] - injected[phase] for r in errors), default=0) if phase in injected else 0
        writes = [w for w in recorder.writes if w[0] == phase]
        lost = sum(1 for _p, key, outcome in writes if outcome == "ok" and rows.get(f"fault-run {key}", 0) == 0)
        doubled = sum(1 for _p, key, _o in writes if rows.get(f"fault-run {key}", 0) > 1)
        phantom = sum(1 for _p, key, outcome in writes if outcome == "failed" and rows.get(f"fault-run {key}", 0) > 0)
        slowest = max((r[2] for r in answers), default=0)
        print(f"| {phase} | {len(answers)} | {len(errors)} | {slowest:.2f} | {max(recovery, 0):.1f} | {len(writes)} | {lost} | {doubled} | {phantom} |")
    statuses = {}
    for r in recorder.requests:
        statuses[r[3]] = statuses.get(r[3], 0) + 1
    print()
    print(f"answers by status: {dict(sorted(statuses.items(), key=str))}")
    print(f"restarts by the supervisors: web {web.restarts}, worker {worker.restarts}")
    print(f"undelivered notices / queued tasks not run, {drained:.0f} s after the last fault: {undelivered[0]} / {undelivered[1]}")


if __name__ == "__main__":
    main()
