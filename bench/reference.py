"""The physical limit of the weekly ranking: one hand-written PostgreSQL statement per level that computes
every unit's raw figures, min-max scores and weighted total for a week, the way leaderboard.services does
it (same rounding: raw to 4 places, scores and totals to 2, half up).

The benchmark compares leaderboard.services.compute_all_levels against it, and checks that both give the
same totals.
"""

from datetime import timedelta

from django.db import connection

from fuyang_portal import clock
from fuyang_portal.metrics import Level, period_bounds
from leaderboard.models import Indicator

# The unit of a firm at each level, over the firm alias ``e`` (and ``g`` for its community group).
UNIT_SQL = {
    Level.TOWNSHIP: ("e.township_id", ""),
    Level.GROUP: ("g.id", "JOIN fuyang_portal_communitygroup g ON g.community_id = e.community_id"),
    Level.VILLAGE: ("e.village_id", ""),
}

# The unit of a work list at each level (a township's own lists only), over the list alias ``wl``.
LIST_UNIT_SQL = {
    Level.TOWNSHIP: ("wl.township_id", "", "wl.community_id IS NULL AND wl.village_id IS NULL"),
    Level.GROUP: ("lg.id", "JOIN fuyang_portal_communitygroup lg ON lg.community_id = wl.community_id", "TRUE"),
    Level.VILLAGE: ("wl.village_id", "", "wl.village_id IS NOT NULL"),
}

# Each computed indicator's raw value, as a SELECT of (unit, value) over the CTEs below.
RAW_SQL = {
    "enterprises.metrics.above_scale_resumption_rate": "SELECT unit, above_resumed::numeric / above_n FROM firm_totals WHERE above_n > 0",
    "enterprises.metrics.resumption_rate": "SELECT unit, resumed::numeric / n FROM firm_totals WHERE n > 0",
    "enterprises.metrics.staff_return_rate": "SELECT unit, on_site::numeric / headcount FROM staff WHERE headcount > 0",
    "specialists.metrics.visits_per_firm": (
        "SELECT t.unit, COALESCE(v.visits, 0)::numeric / t.n FROM firm_totals t LEFT JOIN visits v USING (unit) WHERE t.n > 0"
    ),
    "specialists.metrics.problems_closed_rate": "SELECT unit, closed::numeric / open_in FROM problems WHERE open_in > 0",
    "specialists.metrics.on_time_closure_rate": "SELECT unit, on_time::numeric / closed FROM problems WHERE closed > 0",
    "specialists.metrics.mean_satisfaction": "SELECT unit, rating_sum::numeric / ratings FROM problems WHERE ratings > 0",
    "enterprises.metrics.pass_issue_median_hours": "SELECT unit, median_hours::numeric FROM pass_hours",
    "programmes.metrics.inspection_deductions": "SELECT unit, deductions::numeric FROM inspections",
    "programmes.metrics.worklist_completion_rate": "SELECT unit, done::numeric / due FROM items WHERE due > 0",
    "subsidies.metrics.worker_registrations_per_firm": (
        "SELECT r.unit, r.registered::numeric / t.n FROM registrations r JOIN firm_totals t USING (unit) WHERE t.n > 0"
    ),
}

TEMPLATE = """
WITH firms AS (
    SELECT e.id, {unit} AS unit, e.scale, e.registered_headcount FROM enterprises_enterprise e {join} WHERE {unit} IS NOT NULL
), resumed AS (
    SELECT DISTINCT enterprise_id FROM enterprises_resumptionrequest WHERE status = 'approved' AND approved_at < %(until)s
), firm_totals AS (
    SELECT f.unit, COUNT(*) AS n, COUNT(r.enterprise_id) AS resumed,
           COUNT(*) FILTER (WHERE f.scale = 'above_scale') AS above_n,
           COUNT(r.enterprise_id) FILTER (WHERE f.scale = 'above_scale') AS above_resumed
    FROM firms f LEFT JOIN resumed r ON r.enterprise_id = f.id GROUP BY f.unit
), latest AS (
    SELECT DISTINCT ON (enterprise_id) enterprise_id, staff_on_site FROM enterprises_dailyreport
    WHERE date <= %(end)s ORDER BY enterprise_id, date DESC
), staff AS (
    SELECT f.unit, SUM(l.staff_on_site) AS on_site, SUM(f.registered_headcount) AS headcount
    FROM latest l JOIN firms f ON f.id = l.enterprise_id GROUP BY f.unit
), visits AS (
    SELECT f.unit, COUNT(*) AS visits FROM specialists_visit v JOIN firms f ON f.id = v.enterprise_id
    WHERE v.visited_on BETWEEN %(start)s AND %(end)s GROUP BY f.unit
), problem_rows AS (
    SELECT p.enterprise_id, p.on_time, p.rating,
           (p.status = 'confirmed' AND p.closed_at >= %(since)s AND p.closed_at < %(until)s) AS closed
    FROM specialists_problem p
    WHERE p.raised_at < %(until)s AND (p.closed_at IS NULL OR p.closed_at >= %(since)s)
), problems AS (
    SELECT f.unit, COUNT(*) AS open_in, COUNT(*) FILTER (WHERE p.closed) AS closed,
           COUNT(*) FILTER (WHERE p.closed AND p.on_time) AS on_time,
           SUM(p.rating) FILTER (WHERE p.closed AND p.rating IS NOT NULL) AS rating_sum,
           COUNT(p.rating) FILTER (WHERE p.closed) AS ratings
    FROM problem_rows p JOIN firms f ON f.id = p.enterprise_id GROUP BY f.unit
), pass_hours AS (
    SELECT f.unit, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (p.issued_at - p.applied_at)) / 3600.0) AS median_hours
    FROM enterprises_pass p JOIN firms f ON f.id = p.enterprise_id
    WHERE p.issued_at >= %(since)s AND p.issued_at < %(until)s AND p.status IN ('issued', 'revoked', 'expired')
    GROUP BY f.unit
), findings AS (
    SELECT {list_unit} AS unit, f.points, f.inspected_on BETWEEN %(start)s AND %(end)s AS found,
           (f.outcome = 'problems' AND f.rectify_by BETWEEN %(start)s AND %(end)s AND f.rectify_by < %(today)s
            AND (f.rectified_on IS NULL OR f.rectified_on > f.rectify_by)) AS late
    FROM programmes_finding f JOIN programmes_workitem i ON i.id = f.item_id JOIN programmes_worklist wl ON wl.id = i.work_list_id
    {list_join} WHERE {list_where}
), inspections AS (
    SELECT unit, COALESCE(SUM(points) FILTER (WHERE found), 0) + 2 * COUNT(*) FILTER (WHERE late) AS deductions
    FROM findings WHERE unit IS NOT NULL AND (found OR late) GROUP BY unit
), items AS (
    SELECT {list_unit} AS unit, COUNT(*) AS due, COUNT(*) FILTER (WHERE i.status = 'done' AND i.done_at < %(until)s) AS done
    FROM programmes_workitem i JOIN programmes_worklist wl ON wl.id = i.work_list_id {list_join}
    WHERE {list_where} AND i.deadline <= %(end)s GROUP BY 1
), registrations AS (
    SELECT f.unit, COUNT(r.id) AS registered FROM firms f
    LEFT JOIN subsidies_workerregistration r ON r.enterprise_id = f.id AND r.created_at >= %(since)s AND r.created_at < %(until)s
    GROUP BY f.unit
), raw (unit, code, value) AS (
    {raw}
), weights (code, weight, lower_is_better) AS (
    VALUES {weights}
), quantised AS (
    SELECT r.unit, r.code, ROUND(r.value, 4) AS v, w.weight, w.lower_is_better
    FROM raw r JOIN weights w ON w.code = r.code WHERE r.value IS NOT NULL
), scored AS (
    SELECT unit, code, weight,
           CASE WHEN MAX(v) OVER c = MIN(v) OVER c THEN 100
                WHEN lower_is_better THEN ROUND((MAX(v) OVER c - v) / (MAX(v) OVER c - MIN(v) OVER c) * 100, 2)
                ELSE ROUND((v - MIN(v) OVER c) / (MAX(v) OVER c - MIN(v) OVER c) * 100, 2) END AS score
    FROM quantised WINDOW c AS (PARTITION BY code)
)
SELECT unit, ROUND(SUM(score * weight) / SUM(weight), 2) AS total
FROM scored WHERE weight > 0 GROUP BY unit ORDER BY unit
"""


def level_sql(level, week_start):
    """The statement and its parameters for one level's totals in the week starting ``week_start``."""
    level = Level(level)
    indicators = Indicator.objects.for_level(level)
    raw_parts, weights, params = [], [], {}
    for n, indicator in enumerate(indicators):
        code_param = f"code{n}"
        params[code_param] = indicator.code
        params[f"weight{n}"] = indicator.weight_for(level)
        weights.append(f"(%({code_param})s, %(weight{n})s::numeric, {'TRUE' if indicator.direction == 'lower' else 'FALSE'})")
        if indicator.is_entered:
            raw_parts.append(
                f"SELECT unit_id, %({code_param})s, value::numeric FROM leaderboard_inspectionscore "
                f"WHERE week_start = %(start)s AND level = %(level)s AND indicator_id = {int(indicator.pk)}"
            )
        else:
            select = RAW_SQL[indicator.metric_path]
            head, rest = select.split(",", 1)
            raw_parts.append(f"{head}, %({code_param})s,{rest}")
    unit, join = UNIT_SQL[level]
    list_unit, list_join, list_where = LIST_UNIT_SQL[level]
    end = week_start + timedelta(days=6)
    since, until = period_bounds(week_start, end)
    params.update(start=week_start, end=end, since=since, until=until, level=level.value, today=clock.today())
    sql = TEMPLATE.format(
        unit=unit, join=join, list_unit=list_unit, list_join=list_join, list_where=list_where,
        raw="\n    UNION ALL ".join(raw_parts), weights=", ".join(weights),
    )
    return sql, params


def totals(level, week_start):
    """{unit_id: total} for one level, from the hand-written statement."""
    sql, params = level_sql(level, week_start)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def all_levels(week_start):
    return {level: totals(level, week_start) for level in Level}
