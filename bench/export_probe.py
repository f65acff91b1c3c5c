"""Case c of the benchmark: the firm export task run in a fresh process per size, its peak memory read from
the operating system (ru_maxrss), so the figure is what a Celery worker would hold."""

import json
import os
import subprocess
import sys

from django.conf import settings
from django.db import connection
from django.db.models import Count

PROBE = r"""
import json, os, resource, sys, time
import django
django.setup()
from django.db import connection
from django.test.utils import CaptureQueriesContext
from enterprises.models import EnterpriseExport
from enterprises.tasks import export_enterprises
from fuyang_portal.models import User

user = User.objects.get(username=sys.argv[1])
export = EnterpriseExport.objects.create(requested_by=user, query=sys.argv[2])
def rss_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
before = rss_kb()  # resident memory once Django is loaded, before the task
with CaptureQueriesContext(connection) as captured:
    started = time.perf_counter()
    rows = export_enterprises.apply(args=[export.pk]).get()
    seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
export.refresh_from_db()
size = export.file.size
export.file.delete(save=False)
export.delete()
print(json.dumps({"rows": rows, "seconds": seconds, "before_kb": before, "peak_kb": peak, "queries": len(captured.captured_queries), "bytes": size}))
"""


def run_probe(username, query, database_url):
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="fuyang_portal.settings")
    env.setdefault("ALLOW_INSECURE_DEV_KEY", "1")
    done = subprocess.run([sys.executable, "-c", PROBE, username, query], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(user, database_url, stdout):
    from fuyang_portal.models import Township

    township = Township.objects.annotate(n=Count("enterprises")).order_by("-n").first()
    results, growth = [], {}
    for label, query in (("one township", f"township={township.pk}"), ("all firms", "")):
        figures = run_probe(user.username, query, database_url)
        growth[label] = (figures["peak_kb"] - figures["before_kb"]) / 1024
        stdout.write(f"  export of {label}: {figures['rows']:,} rows in {figures['seconds']:.1f} s, peak RSS {figures['peak_kb'] / 1024:.0f} MB")
        results.append(
            {
                "case": f"c. xlsx export task, {label}",
                "rows": figures["rows"],
                "queries": figures["queries"],
                "median": figures["seconds"] * 1000,
                "p95": figures["seconds"] * 1000,
                "note": f"peak RSS {figures['peak_kb'] / 1024:.0f} MB ({growth[label]:+.0f} MB over the loaded process), "
                f"file {figures['bytes'] / 1e6:.1f} MB, 1 run",
            }
        )
    small, large = growth["one township"], growth["all firms"]
    results[-1]["note"] += f"; memory growth {large:.0f} MB vs {small:.0f} MB for {results[0]['rows']:,} rows"
    return results
