"""The load run (``make load``): bench/locustfile.py headless through the cluster's nginx (``make cluster``), with
two failures on the way, then the figures and the check that no write was lost.

    1. --kill-node-at S: one gunicorn node (web-1) is killed (SIGKILL) S seconds in, and started again
       --revive-node-after seconds later (systemd's Restart=always); nginx's access log shows which requests failed.
    2. --ranking-at S: the weekly ranking (leaderboard.tasks.compute_last_week) is queued; the Celery worker that
       receives it is stopped while it runs (--worker-signal: QUIT, a cold stop that does not wait for the task;
       KILL, a crash, whose task Redis hands out again only after the broker's visibility timeout); the other worker
       must finish it, once.

Then: p50/p95/p99 per request kind, the error rate, the machine's load average during the run, and every write that
got a success answer looked up in the database (each exactly once). Exit status 1 when a write is lost or doubled.
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import cluster

VAR = cluster.VAR
READ_GOAL_MS, WRITE_GOAL_MS = 500, 1000


class Timeline:
    """What happened when, in seconds from the start of the run."""

    def __init__(self):
        self.start = time.time()
        self.events = []

    def note(self, text):
        at = time.time() - self.start
        self.events.append((round(at, 1), text))
        print(f"[{at:6.1f}s] {text}", flush=True)


def cluster_cpu(seen):
    """CPU seconds used so far by the cluster's processes (web nodes, workers, beat, nginx: their process groups),
    kept per process so that a killed node's share still counts; PostgreSQL and Redis are not included."""
    groups = {pid for name in cluster.names() if (pid := cluster.pid_of(name))}
    ticks = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) in groups or int(stat.parent.name) in groups:
            seen[stat.parent.name] = (int(fields[11]) + int(fields[12])) / ticks
    return sum(seen.values())


def sample_load(stop, samples, cpu_seen):
    while not stop.is_set():
        samples.append((time.time(), *map(float, Path("/proc/loadavg").read_text().split()[:3]), cluster_cpu(cpu_seen)))
        stop.wait(5)


def kill_node(options, timeline):
    time.sleep(options.kill_node_at)
    cluster.main(["kill", options.node])
    timeline.note(f"{options.node} killed (SIGKILL)")
    timeline.killed_at = time.time()
    if options.revive_node_after:
        time.sleep(options.revive_node_after)
        cluster.main(["revive", options.node])
        timeline.note(f"{options.node} started again")


def ranking(options, timeline, outcome):
    """Queue the weekly ranking, stop the worker that runs it, and see who finishes it."""
    from leaderboard.models import ContestWeek
    from leaderboard.services import last_week
    from leaderboard.tasks import compute_last_week

    time.sleep(options.ranking_at)
    week_start = last_week(datetime.fromisoformat(options.ranking_today).date())
    revisions = lambda: sorted(ContestWeek.objects.filter(week_start=week_start).values_list("level", "revision"))
    outcome.update(week_start=week_start.isoformat(), revisions_before=revisions())
    result = compute_last_week.apply_async(kwargs={"today": options.ranking_today})
    timeline.note(f"weekly ranking queued (task {result.id}, week of {week_start})")
    logs = {name: VAR / f"{name}.log" for name in ("worker-1", "worker-2")}
    received = re.compile(rf"compute_last_week\[{result.id}\] received")
    victim, deadline = None, time.time() + 60
    while victim is None and time.time() < deadline:
        victim = next((name for name, log in logs.items() if received.search(log.read_text(errors="replace"))), None)
        time.sleep(0.05)
    if victim is None:
        outcome["error"] = "no worker received the ranking within 60 s"
        return
    time.sleep(options.worker_kill_delay)
    finished_first = f"compute_last_week[{result.id}] succeeded" in logs[victim].read_text(errors="replace")
    cluster.main(["kill", victim, "--signal", options.worker_signal])
    timeline.note(f"{victim} received the ranking and was stopped (SIG{options.worker_signal})"
                  + (" -- but it had already finished" if finished_first else ""))
    try:
        answer = result.get(timeout=options.ranking_timeout, propagate=False)
    except Exception as error:  # the result never came: reported as such
        answer = f"no result: {error!r}"
    timeline.note(f"weekly ranking result: {answer}")
    time.sleep(2)
    successes = {name: len(re.findall(rf"compute_last_week\[{result.id}\] succeeded", log.read_text(errors="replace")))
                 for name, log in logs.items()}
    receipts = {name: len(received.findall(log.read_text(errors="replace"))) for name, log in logs.items()}
    outcome.update(task=result.id, stopped=victim, signal=options.worker_signal, finished_before_stop=finished_first,
                   result=answer, successes=successes, receipts=receipts, revisions_after=revisions())
    cluster.main(["revive", victim])
    timeline.note(f"{victim} started again")


def requests_log(path):
    """[(moment, method, name, milliseconds, ok)] of every request, from the locustfile's log."""
    return [tuple(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def kind_of(method, name):
    if name.startswith("sign in"):
        return "sign-in"
    return "write" if method == "POST" else "read"


def percentile(values, share):
    """Nearest-rank percentile of sorted ``values``."""
    return values[min(len(values) - 1, max(0, round(share * len(values) + 0.5) - 1))] if values else 0


def by_name(rows, since=0.0):
    groups = {}
    for moment, method, name, took, ok in rows:
        if moment >= since:
            group = groups.setdefault((method, name), {"times": [], "failures": 0})
            group["times"].append(took)
            group["failures"] += 0 if ok else 1
    table = []
    for (method, name), group in groups.items():
        times = sorted(group["times"])
        table.append({"method": method, "name": name, "kind": kind_of(method, name), "requests": len(times),
                      "failures": group["failures"], "p50": percentile(times, 0.5), "p95": percentile(times, 0.95),
                      "p99": percentile(times, 0.99)})
    return sorted(table, key=lambda row: (row["kind"], row["name"]))


def overall(rows, since=0.0):
    """Per kind (read, write, sign-in): requests, failures and the percentiles over all its requests."""
    totals = {}
    for moment, method, name, took, ok in rows:
        if moment >= since:
            total = totals.setdefault(kind_of(method, name), {"times": [], "failures": 0})
            total["times"].append(took)
            total["failures"] += 0 if ok else 1
    return {kind: {"requests": len(total["times"]), "failures": total["failures"],
                   **{f"p{int(share * 100)}": percentile(sorted(total["times"]), share) for share in (0.5, 0.95, 0.99)}}
            for kind, total in totals.items()}


def percentile_table(table):
    lines = ["| request | method | requests | failures | p50 ms | p95 ms | p99 ms | p95 goal |",
             "|---|---|---:|---:|---:|---:|---:|---|"]
    for row in table:
        goal = READ_GOAL_MS if row["kind"] == "read" else WRITE_GOAL_MS
        lines.append(f"| {row['name']} | {row['method']} | {row['requests']} | {row['failures']} | {row['p50']:.0f} | "
                     f"{row['p95']:.0f} | {row['p99']:.0f} | {'met' if row['p95'] < goal else 'missed'} (< {goal}) |")
    return "\n".join(lines)


NGINX_LINE = re.compile(r'^\S+ \[(?P<time>[^\]]+)\] "(?P<request>[^"]*)" (?P<status>\d+) \d+ (?P<took>[\d.]+) '
                        r'(?P<upstream>.*?) (?P<upstream_status>[\d, :-]+|-) (?P<upstream_took>.*?) rid=(?P<rid>\w+)$')


def nginx_window(since, killed_at):
    """nginx's view: error answers (5xx) by second from the kill, and requests nginx moved to the other node."""
    errors, moved = [], 0
    for line in (VAR / "nginx-access.log").read_text(errors="replace").splitlines():
        match = NGINX_LINE.match(line)
        if not match:
            continue
        at = datetime.strptime(match["time"], "%d/%b/%Y:%H:%M:%S %z").timestamp()
        if at < since:
            continue
        if "," in match["upstream"]:
            moved += 1
        if int(match["status"]) >= 500:
            errors.append({"at": round(at - killed_at, 1) if killed_at else None, "request": match["request"],
                           "status": match["status"], "upstream": match["upstream"], "upstream_status": match["upstream_status"]})
    return errors, moved


def check_writes(path):
    """Every write that got a success answer, looked up: the key's record (committed with the write) and the row
    carrying the run's token, exactly once."""
    from enterprises.models import DailyReport, EnterpriseExport, Pass
    from fuyang_portal.models import IdempotentRequest
    from fuyang_portal.uploads import private_storage
    from specialists.models import Problem, ProblemAttachment, Visit

    rows_with_token = {
        "log visit": lambda token: Visit.objects.filter(notes__contains=token),
        "raise problem": lambda token: Problem.objects.filter(description__contains=token),
        "raise problem with PDF": lambda token: Problem.objects.filter(description__contains=token),
        "apply for vehicle pass": lambda token: Pass.objects.filter(route__contains=token),
        "headcount report": lambda token: DailyReport.objects.filter(note=token),
    }
    # The background export's form carries no key: found by the address it answered with.
    rows_at_location = {"export: firm list queued": lambda pk: EnterpriseExport.objects.filter(pk=pk)}
    answers = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    writes = [answer for answer in answers if answer.get("outcome") != "refused"]
    refused = Counter((answer["kind"], answer["reason"][:80]) for answer in answers if answer.get("outcome") == "refused")
    found, lost, doubled, per_kind = 0, [], [], Counter()
    for write in writes:
        per_kind[write["kind"]] += 1
        if write["kind"] in rows_at_location:
            pk = re.search(r"(\d+)/?$", write["location"])
            count = rows_at_location[write["kind"]](int(pk.group(1))).count() if pk else 0
            keyed = 1
        else:
            keyed = IdempotentRequest.objects.filter(key=write["key"], user__username=write["user"]).count()
            rows = rows_with_token.get(write["kind"])
            count = rows(write["token"]).count() if rows else keyed
        if write["kind"] == "raise problem with PDF" and count:
            attachment = ProblemAttachment.objects.filter(problem__description__contains=write["token"]).first()
            if attachment is None or not private_storage.exists(attachment.file.name):
                count = 0
        if keyed != 1 or count == 0:
            lost.append(write)
        elif count > 1:
            doubled.append(write)
        else:
            found += 1
    return {"writes": len(writes), "found": found, "lost": lost, "doubled": doubled, "per_kind": dict(per_kind),
            "resent": sum(1 for write in writes if write.get("attempts", 1) > 1),
            "refused": [{"kind": kind, "reason": reason, "count": count} for (kind, reason), count in refused.most_common()]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=230, help="simulated people: 200 signed in, the rest anonymous")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--run-time", type=int, default=180, help="seconds")
    parser.add_argument("--kill-node-at", type=float, default=60, help="seconds; 0: no node is killed")
    parser.add_argument("--node", default="web-1")
    parser.add_argument("--revive-node-after", type=float, default=30, help="seconds; 0: the node stays down")
    parser.add_argument("--ranking-at", type=float, default=100, help="seconds; 0: no ranking")
    parser.add_argument("--ranking-today", default="2020-03-02", help="the ranking computes the week before this day")
    parser.add_argument("--ranking-timeout", type=float, default=300)
    parser.add_argument("--worker-signal", default="QUIT", choices=["QUIT", "KILL"])
    parser.add_argument("--worker-kill-delay", type=float, default=0.3, help="seconds between receipt and the stop")
    options = parser.parse_args(argv)

    state = json.loads(cluster.STATE.read_text()) if cluster.STATE.exists() else None
    if not state or not cluster.wait_http(f"http://127.0.0.1:{state['port']}/accounts/login/", 5):
        sys.exit("start the cluster first: make cluster (with the same DATABASE_URL and REDIS_URL)")
    if not (VAR / "load-accounts.json").exists():
        sys.exit("open the load run's accounts first: manage.py load_run_accounts --password ...")
    os.environ.update(cluster.node_environment())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuyang_portal.settings")
    import django

    django.setup()

    timeline, samples, stop_sampling, ranking_outcome, cpu_seen = Timeline(), [], threading.Event(), {}, {}
    timeline.killed_at = None
    cpu_before = cluster_cpu(cpu_seen)
    threading.Thread(target=sample_load, args=(stop_sampling, samples, cpu_seen), daemon=True).start()
    csv_prefix = VAR / "load"
    locust = subprocess.Popen(
        [str(cluster.VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(options.users),
         "-r", str(options.spawn_rate), "-t", f"{options.run_time}s", "--host", f"http://127.0.0.1:{state['port']}",
         "--csv", str(csv_prefix), "--only-summary", "--stop-timeout", "20", "--loglevel", "WARNING"],
        cwd=ROOT, stdout=open(VAR / "locust.log", "w"), stderr=subprocess.STDOUT,
    )
    timeline.note(f"locust: {options.users} users, spawn rate {options.spawn_rate}/s, {options.run_time} s")
    threads = []
    if options.kill_node_at:
        threads.append(threading.Thread(target=kill_node, args=(options, timeline), daemon=True))
    if options.ranking_at:
        threads.append(threading.Thread(target=ranking, args=(options, timeline, ranking_outcome), daemon=True))
    for thread in threads:
        thread.start()
    locust.wait()
    timeline.note(f"locust finished (exit {locust.returncode})")
    cpu_used = cluster_cpu(cpu_seen) - cpu_before
    run_seconds = time.time() - timeline.start
    for thread in threads:
        thread.join(options.ranking_timeout)
    stop_sampling.set()

    rows = requests_log(Path(os.environ.get("LOAD_REQUESTS", VAR / "load-requests.jsonl")))
    # After the sign-in wave: every person spawned (users / spawn rate) and 30 s more to sign in.
    steady_from = timeline.start + options.users / options.spawn_rate + 30
    with open(f"{csv_prefix}_failures.csv", newline="") as rows_file:
        failures = list(csv.DictReader(rows_file))
    nginx_errors, moved = nginx_window(timeline.start, timeline.killed_at)
    writes = check_writes(Path(os.environ.get("LOAD_WRITES", VAR / "load-writes.jsonl")))
    loads = [sample[1] for sample in samples]
    totals, steady = overall(rows), overall(rows, steady_from)
    requests = sum(total["requests"] for total in totals.values())
    failed = sum(total["failures"] for total in totals.values())
    report = {
        "options": vars(options), "timeline": timeline.events, "totals": totals, "steady": steady,
        "steady_from_s": round(steady_from - timeline.start, 1), "requests": requests, "failed": failed,
        "error_rate": failed / requests if requests else None, "failures": failures, "nginx_5xx": nginx_errors,
        "nginx_moved_to_other_node": moved, "writes": writes, "ranking": ranking_outcome,
        "load_average_1min": {"min": min(loads, default=None), "max": max(loads, default=None),
                              "mean": round(sum(loads) / len(loads), 2) if loads else None},
        "load_samples": samples, "cpus": os.cpu_count(),
        "cluster_cpu_seconds": round(cpu_used, 1), "run_seconds": round(run_seconds, 1),
        "cluster_cpu_ms_per_request": round(1000 * cpu_used / max(requests, 1), 1),
        "by_request": by_name(rows), "by_request_steady": by_name(rows, steady_from),
    }
    (VAR / "load-report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))

    print("\nwhole run\n" + percentile_table(report["by_request"]))
    print(f"\nafter the sign-in wave (from {report['steady_from_s']} s)\n" + percentile_table(report["by_request_steady"]))
    print(f"\nrequests {requests}, failed {failed} ({100 * failed / max(requests, 1):.2f} %)")
    for row in failures:
        print(f"  {row['Occurrences']:>4} x {row['Method']} {row['Name']}: {row['Error']}")
    for label, figures in (("whole run", totals), ("after the sign-in wave", steady)):
        for kind, total in sorted(figures.items()):
            print(f"{label:24} {kind:8} requests {total['requests']:6}  failures {total['failures']:4}  "
                  f"p50 {total['p50']:.0f}  p95 {total['p95']:.0f}  p99 {total['p99']:.0f} ms")
    print(f"nginx: {len(nginx_errors)} answers 5xx, {moved} requests moved to the other node")
    for error in nginx_errors[:20]:
        print(f"  {error}")
    print(f"writes answered with success: {writes['writes']} (resent after a lost answer: {writes['resent']}); "
          f"found once: {writes['found']}, lost: {len(writes['lost'])}, doubled: {len(writes['doubled'])}")
    for write in (writes["lost"] + writes["doubled"])[:20]:
        print(f"  {write}")
    for refusal in writes["refused"]:
        print(f"  refused by the workflow (nothing written): {refusal['count']} x {refusal['kind']}: {refusal['reason']}")
    print(f"ranking: {json.dumps(ranking_outcome, ensure_ascii=False, default=str)}")
    print(f"load average (1 min) during the run on {os.cpu_count()} CPUs: {report['load_average_1min']}")
    print(f"the cluster's processes used {cpu_used:.0f} CPU s in {run_seconds:.0f} s "
          f"({cpu_used / run_seconds:.2f} cores, {report['cluster_cpu_ms_per_request']} ms per request)")
    print(f"report: {VAR.relative_to(ROOT) / 'load-report.json'}")
    return 1 if writes["lost"] or writes["doubled"] else 0


if __name__ == "__main__":
    sys.exit(main())
