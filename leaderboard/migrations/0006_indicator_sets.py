"""Indicators per level: each says which levels it applies to, its weight at each, and its basis (named in the
report, or the district's own rule); villages and community groups are ranked on their own duties (work lists,
inspections, checkpoints' registrations of returning workers) instead of the townships' firm figures. A unit needs
80% of the weights with data to be listed, and a draft stays open to objections for one working day.

The sets are written here (not read from a module) so this migration always ships the same data; each changed
definition is recorded as its next version, by no person (shipped with the portal)."""

from decimal import Decimal

from django.db import migrations, models
from django.utils import timezone
import django.core.validators

REPORT, DISTRICT = "report", "district"
# code: (township, group, village weights; None = not at that level), basis, basis in words
SETS = {
    "above-scale-resumption": ((15, None, None), REPORT, "报告：规上工业企业复工率"),
    "resumption": ((15, 20, 20), REPORT, "报告：每周以复工率进行排名"),
    "staff-return": ((10, None, None), DISTRICT, "区服务企业办：员工到岗率"),
    "visits-per-firm": ((10, 20, None), REPORT, "报告：服务企业力度"),
    "problems-closed": ((10, 15, None), DISTRICT, "区服务企业办：诉求办结"),
    "on-time-closure": ((5, None, None), DISTRICT, "区服务企业办：诉求按期办结"),
    "satisfaction": ((10, 10, None), DISTRICT, "区服务企业办：企业满意度"),
    "pass-issue-hours": ((10, None, None), REPORT, "报告：畅通度"),
    "inspection-deductions": ((5, 15, 20), REPORT, "报告：每周以督查通报进行排名"),
    "epidemic-prevention": ((5, 10, 20), DISTRICT, "区指挥部：疫情防控督查评分"),
}
NEW = [
    {
        "code": "worklist-completion",
        "name_zh": "工作清单完成率",
        "name_en": "Work-list items done on time",
        "description": "Items of the unit's own work lists due by the end of the week and done by then / items due by then.",
        "direction": "higher",
        "unit": "%",
        "metric_path": "programmes.metrics.worklist_completion_rate",
        "weights": (5, 10, 20),
        "basis": DISTRICT,
        "basis_note": "区服务企业办：新登镇“23条工作清单”的做法推广到各单位",
        "active": True,
    },
    {
        "code": "worker-registrations",
        "name_zh": "返岗人员登记",
        "name_en": "Returning workers registered per firm",
        "description": "Returning workers registered in the week per firm of the unit (the checkpoints' and villages' registrations).",
        "direction": "higher",
        "unit": "",
        "metric_path": "subsidies.metrics.worker_registrations_per_firm",
        "weights": (None, None, 20),
        "basis": DISTRICT,
        "basis_note": "区服务企业办：村级卡点和返岗人员登记职责",
        "active": True,
    },
    {
        "code": "hotline-response",
        "name_zh": "热线响应率",
        "name_en": "Hotline calls answered within 24 hours",
        "description": "Calls to the township's guidance hotline in the week answered within 24 hours / calls received.",
        "direction": "higher",
        "unit": "%",
        "metric_path": "programmes.metrics.hotline_response_rate",
        "weights": (5, None, None),
        "basis": DISTRICT,
        "basis_note": "区服务企业办：春江街道24小时服务热线；未开通热线的镇街无数据，故暂不启用",
        "active": False,
    },
]
LEVELS = ("township", "group", "village")
FIELDS = ("weight_township", "weight_group", "weight_village")
REASON = "各层级指标：村和社区组团按自身职责排名"


def _snapshot(indicator):
    return {
        "code": indicator.code, "name_zh": indicator.name_zh, "name_en": indicator.name_en, "levels": list(indicator.levels),
        "direction": indicator.direction, "weight_township": str(indicator.weight_township),
        "weight_group": str(indicator.weight_group), "weight_village": str(indicator.weight_village),
        "source": indicator.source, "basis": indicator.basis, "basis_note": indicator.basis_note, "unit": indicator.unit,
        "metric_path": indicator.metric_path,
        "min_value": None if indicator.min_value is None else str(indicator.min_value),
        "max_value": None if indicator.max_value is None else str(indicator.max_value), "active": indicator.active,
    }


def _apply(indicator, weights):
    indicator.levels = [level for level, weight in zip(LEVELS, weights) if weight is not None]
    for field, weight in zip(FIELDS, weights):
        setattr(indicator, field, Decimal(weight or 0))


def forwards(apps, schema_editor):
    Indicator = apps.get_model("leaderboard", "Indicator")
    IndicatorChange = apps.get_model("leaderboard", "IndicatorChange")
    LevelSetting = apps.get_model("leaderboard", "LevelSetting")
    now = timezone.now()
    for code, (weights, basis, note) in SETS.items():
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            continue
        _apply(indicator, weights)
        indicator.basis, indicator.basis_note = basis, note
        indicator.version += 1
        indicator.updated_at = now
        indicator.save()
        IndicatorChange.objects.create(indicator=indicator, version=indicator.version, snapshot=_snapshot(indicator), changed_at=now, reason=REASON)
    order = Indicator.objects.aggregate(n=models.Max("sort_order"))["n"] or 0
    for row in NEW:
        if Indicator.objects.filter(code=row["code"]).exists():
            continue
        order += 1
        values = {key: row[key] for key in ("name_zh", "name_en", "description", "direction", "unit", "metric_path", "basis", "basis_note", "active")}
        indicator = Indicator(code=row["code"], source="computed", sort_order=order, updated_at=now, **values)
        _apply(indicator, row["weights"])
        indicator.save()
        IndicatorChange.objects.create(indicator=indicator, version=1, snapshot=_snapshot(indicator), changed_at=now, reason=REASON)
    # The shipped 50% becomes 80%; a level the district has set otherwise keeps its setting.
    LevelSetting.objects.filter(min_coverage=50).update(min_coverage=80)


class Migration(migrations.Migration):
    dependencies = [
        ("leaderboard", "0005_inspections_from_findings"),
        ("subsidies", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="basis",
            field=models.CharField(
                choices=[("report", "Named in the district's contest rules (the report)"), ("district", "The district office's own rule")],
                default="district", max_length=8, verbose_name="basis",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="basis_note",
            field=models.CharField(blank=True, help_text="Where the rule comes from, e.g. the report's words.", max_length=200, verbose_name="basis in words"),
        ),
        migrations.AddField(
            model_name="levelsetting",
            name="appeal_hours",
            field=models.PositiveSmallIntegerField(
                default=8, help_text="How long a computed draft stays open to the units' objections before it can be published.",
                validators=[django.core.validators.MaxValueValidator(80)], verbose_name="appeal window (working hours)",
            ),
        ),
        migrations.AlterField(
            model_name="levelsetting",
            name="min_coverage",
            field=models.PositiveSmallIntegerField(
                default=80, help_text="A unit whose indicators with data carry less than this share of the weights is kept off both lists.",
                validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)],
                verbose_name="minimum data coverage (%)",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
