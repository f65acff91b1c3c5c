"""Matching at scale: each policy's eligibility is ONE statement, timed against a hand-written SQL statement of the
same condition (issue 13: within 3×). ``manage.py bench_relief --firms 100000`` tops the database up to that many
firms (with resumptions and tags, bulk-inserted inside a transaction that is rolled back) and prints, per rule,
the matcher's query count, its time, the hand-written SQL's time and the ratio."""

import random
import time
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprises.models import Enterprise, EnterpriseTag, ResumptionRequest, ResumptionStatus, Scale
from fuyang_portal.demo import make_credit_code
from fuyang_portal.models import Township
from relief import rules

FIRM = Enterprise._meta.db_table
RESUMPTION = ResumptionRequest._meta.db_table
TAGS = Enterprise.tags.through._meta.db_table
TAG = EnterpriseTag._meta.db_table
CUTOFF = timezone.make_aware(datetime(2020, 2, 21))

CASES = [
    (
        "job retention: SME or individual, resumed before 20 Feb",
        {"all": [{"fact": "scale", "op": "in", "value": ["sme", "individual"]}, {"fact": "resumed_on", "op": "before", "value": "2020-02-20"}]},
        f"SELECT e.id FROM {FIRM} e WHERE e.scale IN ('sme', 'individual') AND EXISTS (SELECT 1 FROM {RESUMPTION} r "
        f"WHERE r.enterprise_id = e.id AND r.status = 'approved' AND r.approved_at < %s)",
        [CUTOFF],
    ),
    (
        "export: tagged exporter, not an individual business",
        {"all": [{"fact": "tags", "op": "has_any", "value": ["exporter"]}, {"fact": "scale", "op": "ne", "value": "individual"}]},
        f"SELECT e.id FROM {FIRM} e WHERE e.scale <> 'individual' AND EXISTS (SELECT 1 FROM {TAGS} t JOIN {TAG} g ON g.id = t.enterprisetag_id "
        f"WHERE t.enterprise_id = e.id AND g.code = 'exporter')",
        [],
    ),
    (
        "guarantee fee: SME with 50 staff or more",
        {"all": [{"fact": "scale", "op": "eq", "value": "sme"}, {"fact": "registered_headcount", "op": "gte", "value": 50}]},
        f"SELECT e.id FROM {FIRM} e WHERE e.scale = 'sme' AND e.registered_headcount >= 50",
        [],
    ),
]


def top_up(firms, seed=2020):
    """Add plain firms (and approved resumptions, exporter tags) until the database holds ``firms``."""
    rng = random.Random(seed)
    exporter, _ = EnterpriseTag.objects.get_or_create(code="exporter", defaults={"name": "外贸企业"})
    if not exporter.enterprises.exists():  # a district generated without tags: one firm in ten exports
        Enterprise.tags.through.objects.bulk_create([
            Enterprise.tags.through(enterprise_id=pk, enterprisetag_id=exporter.pk)
            for pk in Enterprise.objects.values_list("pk", flat=True) if rng.random() < 0.1
        ], batch_size=5000)
    have = Enterprise.objects.count()
    if have >= firms:
        return 0
    townships = list(Township.objects.values_list("pk", flat=True))
    if not townships:
        townships = [Township.objects.create(code="B0001", name="基准镇", name_en="Bench", kind="town", sort_order=99).pk]
    start = timezone.make_aware(datetime(2020, 2, 10, 9))
    # 85% resumed: the approval's moment on the request and, as the approval services keep it, on the firm.
    approvals = [start + timedelta(hours=rng.randint(0, 300)) if rng.random() < 0.85 else None for _ in range(firms - have)]
    rows = [
        Enterprise(name=f"基准企业{n}", credit_code=make_credit_code(3_000_000 + n), township_id=rng.choice(townships),
                   scale=rng.choice([Scale.SME] * 8 + [Scale.INDIVIDUAL] * 3 + [Scale.ABOVE_SCALE]), registered_headcount=rng.randint(1, 400),
                   resumed_at=approved_at)
        for n, approved_at in enumerate(approvals)
    ]
    made = Enterprise.objects.bulk_create(rows, batch_size=5000)
    ids = [f.pk for f in made] if made and made[0].pk else list(Enterprise.objects.filter(name__startswith="基准企业").values_list("pk", flat=True))
    ResumptionRequest.objects.bulk_create([
        ResumptionRequest(enterprise_id=pk, planned_date=start.date(), status=ResumptionStatus.APPROVED, approved_at=approved_at)
        for pk, approved_at in zip(ids, approvals) if approved_at is not None
    ], batch_size=5000)
    Enterprise.tags.through.objects.bulk_create(
        [Enterprise.tags.through(enterprise_id=pk, enterprisetag_id=exporter.pk) for pk in ids if rng.random() < 0.1], batch_size=5000
    )
    return len(ids)


def _best_of(func, runs=3):
    best = None
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def measure():
    """[(label, queries, matcher seconds, SQL seconds, ratio, rows)] for each case; the two agree on the rows."""
    found = []
    for label, rule, sql, params in CASES:
        rules.validate_rule(rule)
        with CaptureQueriesContext(connection) as queries:
            ours, ids = _best_of(lambda: set(rules.eligible_firms(rule).values_list("pk", flat=True)), runs=1)
        count = len(queries)
        ours, ids = _best_of(lambda: set(rules.eligible_firms(rule).values_list("pk", flat=True)))

        def hand():
            with connection.cursor() as cursor:
                cursor.execute(sql, [connection.ops.adapt_datetimefield_value(p) if isinstance(p, datetime) else p for p in params])
                return {row[0] for row in cursor.fetchall()}

        theirs, reference = _best_of(hand)
        if ids != reference:
            raise AssertionError(f"{label}: the matcher and the hand-written SQL disagree")
        found.append((label, count, ours, theirs, ours / theirs if theirs else 0.0, len(ids)))
    return found


def run(firms, stdout):
    with transaction.atomic():
        added = top_up(firms)
        stdout.write(f"firms: {Enterprise.objects.count()} ({added} added for the run, rolled back after)")
        for label, count, ours, theirs, ratio, rows in measure():
            stdout.write(f"{label}: {rows} firms, {count} query, matcher {ours * 1000:.1f} ms, SQL {theirs * 1000:.1f} ms, ratio {ratio:.2f}")
        transaction.set_rollback(True)
