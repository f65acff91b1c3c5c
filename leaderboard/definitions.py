"""The ten indicators the district ranks every week since 3 February 2020 (the report's 擂台比武).

Loaded by migration 0002; after that they are data the district office edits (with history). Kept in a
plain module so the migration never imports the models.
"""

ALL_LEVELS = ["township", "group", "village"]

TEN_INDICATORS = [
    {
        "code": "above-scale-resumption",
        "name_zh": "规上工业企业复工率",
        "name_en": "Above-scale industrial firms resumed",
        "description": "Share of the unit's above-scale industrial firms whose resumption was approved by the end of the week.",
        "direction": "higher",
        "weight": "15",
        "source": "computed",
        "unit": "%",
        "metric_path": "enterprises.metrics.above_scale_resumption_rate",
    },
    {
        "code": "resumption",
        "name_zh": "企业复工率",
        "name_en": "Firms resumed",
        "description": "Share of all the unit's firms whose resumption was approved by the end of the week.",
        "direction": "higher",
        "weight": "15",
        "source": "computed",
        "unit": "%",
        "metric_path": "enterprises.metrics.resumption_rate",
    },
    {
        "code": "staff-return",
        "name_zh": "员工到岗率",
        "name_en": "Staff back at work",
        "description": "Staff reported at work against the registered headcount of the reporting firms.",
        "direction": "higher",
        "weight": "10",
        "source": "computed",
        "unit": "%",
        "metric_path": "enterprises.metrics.staff_return_rate",
    },
    {
        "code": "visits-per-firm",
        "name_zh": "服务企业力度",
        "name_en": "Specialist visits per firm",
        "description": "Specialists' visits logged in the week per firm of the unit.",
        "direction": "higher",
        "weight": "10",
        "source": "computed",
        "unit": "",
        "metric_path": "specialists.metrics.visits_per_firm",
    },
    {
        "code": "problems-closed",
        "name_zh": "诉求办结率",
        "name_en": "Problems closed",
        "description": "Problems closed against problems open in the week.",
        "direction": "higher",
        "weight": "10",
        "source": "computed",
        "unit": "%",
        "metric_path": "specialists.metrics.problems_closed_rate",
    },
    {
        "code": "on-time-closure",
        "name_zh": "诉求按期办结率",
        "name_en": "Problems closed on time",
        "description": "Problems closed before their deadline against problems closed in the week.",
        "direction": "higher",
        "weight": "10",
        "source": "computed",
        "unit": "%",
        "metric_path": "specialists.metrics.on_time_closure_rate",
    },
    {
        "code": "satisfaction",
        "name_zh": "企业满意度",
        "name_en": "Firms' satisfaction",
        "description": "Mean rating (1 to 5) firms gave when confirming their problems closed.",
        "direction": "higher",
        "weight": "10",
        "source": "computed",
        "unit": "/5",
        "metric_path": "specialists.metrics.mean_satisfaction",
    },
    {
        "code": "pass-issue-hours",
        "name_zh": "畅通度",
        "name_en": "Pass issuing time (median hours)",
        "description": "Median hours from a pass application to its issue; lower is better.",
        "direction": "lower",
        "weight": "10",
        "source": "computed",
        "unit": "h",
        "metric_path": "enterprises.metrics.pass_issue_median_hours",
    },
    {
        "code": "inspection-deductions",
        "name_zh": "督查通报",
        "name_en": "Inspection-report deductions",
        "description": (
            "Points deducted in the week by the district's inspections of the unit's work-list items: each finding's "
            "points, plus 2 for each rectification deadline of the week missed (programmes.metrics); lower is better."
        ),
        "direction": "lower",
        "weight": "5",
        "source": "computed",
        "unit": "",
        "metric_path": "programmes.metrics.inspection_deductions",
    },
    {
        "code": "epidemic-prevention",
        "name_zh": "疫情防控",
        "name_en": "Epidemic-prevention inspection score",
        "description": "The inspectors' epidemic-prevention score for the week (0 to 100).",
        "direction": "higher",
        "weight": "5",
        "source": "entered",
        "unit": "",
        "metric_path": "",
        "min_value": "0",
        "max_value": "100",
    },
]

LIST_SIZES = {"township": 3, "group": 5, "village": 10}
