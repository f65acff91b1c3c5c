"""python manage.py bench: the district-scale benchmark (issue 8). PostgreSQL only.

It works in its own database, ``fuyang_bench``, on the server DATABASE_URL points at: created, migrated and
filled by generate_scale the first time, reused afterwards. It prints one table: for each case the rows
involved, the queries run, the median and p95 time, and the ratio to its reference measured in the same run.
"""

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

BENCH_DATABASE = "fuyang_bench"
RANKED_WEEK = date(2020, 3, 23)  # the 8th week of the generated data: recomputed as a draft on every run
PUBLIC_WEEK = date(2020, 3, 16)  # the 7th week: published once, for the public red and black lists
PORT = 8190
ROUNDS = 7  # one-second turns of a list page and the bare view
LUA = Path(__file__).resolve().parents[2] / "wrk_report.lua"


def percentile(values, share):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return ordered[index]


class Row:
    def __init__(self, case, rows, queries, median, p95, reference=None, goal="", rps=None, note=""):
        self.case, self.rows, self.queries, self.median, self.p95 = case, rows, queries, median, p95
        self.reference, self.goal, self.rps, self.note = reference, goal, rps, note

    @property
    def ratio(self):
        if self.reference and self.median is not None:
            return self.median / self.reference
        return None


class Command(BaseCommand):
    help = "Benchmark the portal at district scale on PostgreSQL (needs wrk and gunicorn)."

    def add_arguments(self, parser):
        parser.add_argument("--firms", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=5, help="Runs of the ranking and of each page's query count.")
        parser.add_argument("--duration", type=int, default=6, help="Seconds of wrk load per page.")
        parser.add_argument("--database", default=BENCH_DATABASE, help="The benchmark's own database on the same server.")
        parser.add_argument("--skip", default="", help="Comma-separated cases to skip: ranking,pages,export,public.")
        parser.add_argument("--connections", type=int, default=1, help="wrk connections for the list pages and the bare view.")

    def handle(self, *args, firms, repeat, duration, database, skip, connections, **options):
        self.connections = connections
        if connection.vendor != "postgresql":
            raise CommandError(
                "make bench runs on PostgreSQL only: DATABASE_URL is "
                f"{os.environ.get('DATABASE_URL') or 'not set (SQLite)'}. Set DATABASE_URL=postgres://user@host:5432/any_db; "
                f"the benchmark creates and uses its own database “{database}” on that server."
            )
        self.skip = {part.strip() for part in skip.split(",") if part.strip()}
        self.repeat, self.duration = repeat, duration
        self.use_database(database)
        self.prepare(firms)
        results = []
        started = time.perf_counter()
        if "ranking" not in self.skip:
            results += self.case_ranking()
            self.print_table(results)
        if "pages" not in self.skip or "public" not in self.skip:
            with self.server():
                if "pages" not in self.skip:
                    results += self.case_pages()
                if "public" not in self.skip:
                    results += self.case_public()
        if "export" not in self.skip:
            results += self.case_export()
            self.print_table(results[-2:])
        self.print_table(results)
        self.stdout.write(f"Benchmark ran in {time.perf_counter() - started:.0f} s on {os.cpu_count()} CPUs, database {database}.")

    # -- the database ------------------------------------------------------------------------------
    def use_database(self, name):
        """Switch the default connection to ``name`` on the same server, creating the database if needed."""
        config = connections["default"].settings_dict
        connection.close()
        with connection.cursor() as cursor:  # still the configured database: it only checks the name
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cursor.fetchone() is not None
        if not exists:
            connection.set_autocommit(True)
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
            self.stdout.write(f"Created database {name}.")
        connection.close()
        config["NAME"] = name
        self.database_url = (
            f"postgres://{config['USER']}{':' + config['PASSWORD'] if config['PASSWORD'] else ''}@{config['HOST'] or 'localhost'}"
            f":{config['PORT'] or 5432}/{name}"
        )

    def prepare(self, firms):
        from enterprises.models import Enterprise

        call_command("migrate", verbosity=0, interactive=False)
        present = Enterprise.objects.count()
        if present < firms:
            if present:
                raise CommandError(f"{BENCH_DATABASE} holds {present:,} firms, fewer than {firms:,}: drop it and run again.")
            self.stdout.write(f"Generating the district at {firms:,} firms into {connection.settings_dict['NAME']} (once)…")
            call_command("generate_scale", firms=firms, stdout=self.stdout)
        else:
            self.stdout.write(f"Reusing {present:,} firms in {connection.settings_dict['NAME']}.")
        # As autovacuum leaves a production database: statistics, and the visibility map that lets the lists'
        # pages read their keys from an index alone (tables just loaded with COPY have neither yet).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        from fuyang_portal.models import User
        from fuyang_portal.roles import Role

        self.district, _ = User.objects.get_or_create(username="bench-district", defaults={"role": Role.DISTRICT, "full_name": "Benchmark"})
        self.publish_public_week()

    def publish_public_week(self):
        """The public lists need a published week: enter the inspectors' figures and publish week 7 once."""
        from fuyang_portal import clock
        from leaderboard import appeals, services
        from leaderboard.demo import _enter_inspections
        from leaderboard.models import ContestWeek, Indicator, Source
        from leaderboard.units import units_of
        from fuyang_portal.metrics import Level

        for level in Level:
            if ContestWeek.objects.filter(level=level, week_start=PUBLIC_WEEK, status=ContestWeek.Status.PUBLISHED).exists():
                continue
            entered = [i for i in Indicator.objects.for_level(level) if i.source == Source.ENTERED]
            _enter_inspections(level, PUBLIC_WEEK, 6, self.district, entered, units_of(level))
            week = services.compute_week(level, PUBLIC_WEEK, actor=self.district)
            if week.appeal_until is not None and week.appeal_until > clock.now():  # generated figures: nobody objects
                week = appeals.close_appeals(week, self.district, reason="benchmark data")
            services.publish_week(week, self.district, comment="benchmark")

    # -- timing helpers --------------------------------------------------------------------------------
    def timed(self, fn, repeat):
        times, queries = [], None
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                fn()
                times.append((time.perf_counter() - started) * 1000)
            queries = len(captured.captured_queries)
        return statistics.median(times), percentile(times, 0.95), queries

    # -- a. the weekly ranking ------------------------------------------------------------------------
    def case_ranking(self):
        from bench import reference
        from enterprises.models import DailyReport, Enterprise, Pass, ResumptionRequest
        from leaderboard import services
        from leaderboard.models import UnitResult
        from specialists.models import Problem, Visit

        self.stdout.write("a. weekly ranking of the three levels…")
        rows = sum(model.objects.count() for model in (Enterprise, Visit, Problem, Pass, DailyReport, ResumptionRequest))
        reference.all_levels(RANKED_WEEK)  # warm the cache the same way for both
        ref_median, ref_p95, ref_queries = self.timed(lambda: reference.all_levels(RANKED_WEEK), self.repeat)
        median, p95, queries = self.timed(lambda: services.compute_all_levels(RANKED_WEEK, actor=self.district), self.repeat)
        # The same totals, unit by unit.
        expected = reference.all_levels(RANKED_WEEK)
        weeks, _frozen = services.compute_all_levels(RANKED_WEEK, actor=self.district)
        mismatches = 0
        for week in weeks:
            got = {row.unit_id: row.total for row in UnitResult.objects.filter(week=week) if row.total is not None}
            mismatches += sum(1 for unit in set(got) | set(expected[week.level]) if got.get(unit) != expected[week.level].get(unit))
        note = "same totals as the SQL" if not mismatches else f"{mismatches} totals differ from the SQL"
        return [
            Row("a. ranking, hand-written SQL (reference)", rows, ref_queries, ref_median, ref_p95),
            Row("a. ranking, compute_all_levels", rows, queries, median, p95, reference=ref_median, goal="≤ 3x", note=note),
        ]

    # -- b. list pages under gunicorn -----------------------------------------------------------------
    def server(self):
        command = self

        class Server:
            def __enter__(self):
                gunicorn = Path(sys.executable).with_name("gunicorn")
                env = dict(os.environ, DATABASE_URL=command.database_url, DJANGO_SETTINGS_MODULE="bench.settings", DEBUG="0")
                env.setdefault("ALLOW_INSECURE_DEV_KEY", "1")
                env.setdefault("PYTHONWARNINGS", "ignore::UserWarning")  # no collected static files needed here
                self.process = subprocess.Popen(
                    [str(gunicorn), "bench.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", "2", "--log-level", "warning"],
                    env=env,
                    cwd=settings.BASE_DIR,
                )
                deadline = time.time() + 30
                while time.time() < deadline:
                    try:
                        with socket.create_connection(("127.0.0.1", PORT), timeout=1):
                            return self
                    except OSError:
                        time.sleep(0.3)
                self.process.terminate()
                raise CommandError("gunicorn did not start on port %s." % PORT)

            def __exit__(self, *exc):
                self.process.terminate()
                self.process.wait(timeout=20)

        return Server()

    def wrk(self, path, cookie=None, connections=4, duration=None, warm_up=2):
        if not shutil.which("wrk"):
            raise CommandError("wrk is missing: install it with `apt-get install wrk` (make bench does it).")
        url = f"http://127.0.0.1:{PORT}{path}"
        headers = ["-H", f"Cookie: sessionid={cookie}"] if cookie else []
        threads = f"-t{min(2, connections)}"  # wrk needs at least one connection per thread
        if warm_up:
            subprocess.run(["wrk", threads, f"-c{connections}", f"-d{warm_up}s", *headers, url], capture_output=True, check=True)
        done = subprocess.run(
            ["wrk", threads, f"-c{connections}", f"-d{duration or self.duration}s", "-s", str(LUA), *headers, url],
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    def wrk_against_bare(self, path, cookie, connections, rounds=ROUNDS):
        """The page and the bare view measured in turns (``rounds`` of one second each, after a warm-up of both):
        (the page's figures, the bare view's, the median of the rounds' ratios). This machine's speed drifts by a
        third within minutes; figures taken seconds apart drift together."""
        self.wrk("/bench/bare/", cookie, connections, duration=1)
        self.wrk(path, cookie, connections, duration=1)
        pages, bares = [], []
        for _ in range(rounds):
            bares.append(self.wrk("/bench/bare/", cookie, connections, duration=1, warm_up=0))
            pages.append(self.wrk(path, cookie, connections, duration=1, warm_up=0))
        ratio = statistics.median(page["p50_ms"] / bare["p50_ms"] for page, bare in zip(pages, bares))

        def merged(runs):
            return {
                "p50_ms": statistics.median(run["p50_ms"] for run in runs),
                "p95_ms": statistics.median(run["p95_ms"] for run in runs),
                "rps": statistics.median(run["rps"] for run in runs),
                "status_errors": sum(run["status_errors"] for run in runs),
            }

        return merged(pages), merged(bares), ratio

    def signed_in(self):
        client = Client()
        client.force_login(self.district)
        return client, client.cookies[settings.SESSION_COOKIE_NAME].value

    def page_queries(self, client, path):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, secure=True)  # the portal redirects http to https; gunicorn here is told not to
        if response.status_code != 200:
            raise CommandError(f"{path} answered {response.status_code}.")
        return len(captured.captured_queries)

    def list_pages(self):
        """(label, path of page 1, rows, last page number) for each list page measured."""
        from enterprises.models import Enterprise
        from fuyang_portal.models import Township
        from specialists.models import Problem
        from subsidies.models import SubsidyClaim
        from django.db.models import Count, Q

        township = Township.objects.annotate(n=Count("enterprises")).order_by("-n").first()
        firms = Enterprise.objects.filter(township=township).count()
        queue = Problem.objects.filter(
            Q(status=Problem.Status.ESCALATED) | Q(extension=Problem.Extension.REQUESTED, status__in=Problem.AGENCY_STATES)
        ).count()
        claims = SubsidyClaim.objects.count()
        from labour.models import Vacancy
        from programmes.models import WorkItem
        from relief.models import Award

        return [
            ("firm list, township filter, sorted by name", f"{reverse('enterprises:list')}?township={township.pk}&sort=name", firms),
            ("district problem queue", reverse("specialists:queue") + "?", queue),
            ("claim review queue", reverse("subsidies:claims") + "?", claims),
            ("relief awards", reverse("relief:awards") + "?", Award.objects.count()),
            ("vacancies", reverse("labour:vacancies") + "?", Vacancy.objects.count()),
            ("work list items", reverse("programmes:items") + "?", WorkItem.objects.count()),
        ]

    def case_pages(self):
        self.stdout.write("b. list pages under gunicorn and wrk…")
        client, cookie = self.signed_in()
        # One request at a time (--connections 1): the page's own latency. Two at a time on two cores also measure
        # the queueing of gunicorn, PostgreSQL and wrk for the same cores, which a list's 10 statements feel and a
        # bare view does not. Each page is measured in turns with the bare view (bench.urls, gunicorn only):
        # wrk_against_bare.
        connections = self.connections
        bare = self.wrk("/bench/bare/", cookie, connections=connections)
        results = [Row("b. bare Django view (reference)", 0, 0, bare["p50_ms"], bare["p95_ms"], rps=bare["rps"])]
        for label, path, rows in self.list_pages():
            last = max(1, -(-rows // 25))
            for page in (1, min(400, last)):
                url = f"{path}&page={page}"
                queries = self.page_queries(client, url)
                measured, bare, ratio = self.wrk_against_bare(url, cookie, connections)
                note = f"bare view in the same rounds: {bare['p50_ms']:.1f} ms; ratio = median of {ROUNDS} rounds' ratios"
                if page not in (1, 400):
                    note += f"; page 400 does not exist: {rows:,} rows make {last} pages"
                if measured["status_errors"]:
                    note = f"{measured['status_errors']} non-2xx answers; " + note
                results.append(
                    Row(
                        f"b. {label}, page {page}",
                        rows,
                        queries,
                        measured["p50_ms"],
                        measured["p95_ms"],
                        reference=measured["p50_ms"] / ratio,  # so that the table's ratio is the rounds' median
                        goal="≤ 5x",
                        rps=measured["rps"],
                        note=note,
                    )
                )
        return results

    # -- d. public pages ----------------------------------------------------------------------------------
    def case_public(self):
        from leaderboard.models import UnitResult
        from specialists.models import Specialist

        self.stdout.write("d. public pages under wrk…")
        anonymous = Client()
        results = []
        for label, path, rows in (
            ("public specialist directory", reverse("specialists:directory"), Specialist.objects.public().count()),
            ("public red and black lists", reverse("leaderboard:public"), UnitResult.objects.filter(week__week_start=PUBLIC_WEEK).count()),
        ):
            with CaptureQueriesContext(connection) as captured:
                response = anonymous.get(path, secure=True)
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code}.")
            measured = self.wrk(path, connections=16)
            results.append(
                Row(f"d. {label}", rows, len(captured.captured_queries), measured["p50_ms"], measured["p95_ms"], rps=measured["rps"])
            )
        return results

    # -- c. xlsx export ------------------------------------------------------------------------------------
    def case_export(self):
        from bench import export_probe

        self.stdout.write("c. xlsx export of the firms (Celery task, streamed to a private file)…")
        return [Row(**row) for row in export_probe.measure(self.district, self.database_url, self.stdout)]

    # -- the table -------------------------------------------------------------------------------------------
    def print_table(self, results):
        header = "| case | rows | queries | median ms | p95 ms | req/s | ratio | goal | note |"
        lines = [header, "|" + "---|" * 9]
        for row in results:
            ratio = f"{row.ratio:.1f}x" if row.ratio is not None else ""
            met = ""
            if row.ratio is not None and row.goal:
                limit = float(row.goal.split()[-1].rstrip("x"))
                met = " ✓" if row.ratio <= limit else " ✗"
            lines.append(
                f"| {row.case} | {row.rows:,} | {row.queries if row.queries is not None else ''} | "
                f"{row.median:.1f} | {row.p95:.1f} | {'' if row.rps is None else f'{row.rps:.0f}'} | {ratio}{met} | {row.goal} | {row.note} |"
            )
        self.stdout.write("\n".join(lines))
