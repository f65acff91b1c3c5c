"""督查通报 is computed from the district's inspection findings on the units' work lists (programmes.metrics),
no longer typed in. A database that still has it entered gets the new definition as its next version."""

from django.db import migrations
from django.utils import timezone

CODE = "inspection-deductions"
COMPUTED = {
    "source": "computed",
    "metric_path": "programmes.metrics.inspection_deductions",
    "description": (
        "Points deducted in the week by the district's inspections of the unit's work-list items: each finding's "
        "points, plus 2 for each rectification deadline of the week missed (programmes.metrics); lower is better."
    ),
    "min_value": None,
    "max_value": None,
}
ENTERED = {
    "source": "entered",
    "metric_path": "",
    "description": "Points deducted in the week's inspection reports; lower is better.",
}


def _switch(apps, values, reason):
    Indicator = apps.get_model("leaderboard", "Indicator")
    IndicatorChange = apps.get_model("leaderboard", "IndicatorChange")
    indicator = Indicator.objects.filter(code=CODE).first()
    if indicator is None or indicator.source == values["source"]:
        return  # a new database already has the current definition (migration 0002)
    for name, value in values.items():
        setattr(indicator, name, value)
    indicator.version += 1
    indicator.updated_at = timezone.now()
    indicator.save()
    snapshot = dict(IndicatorChange.objects.filter(indicator=indicator).order_by("-version").values_list("snapshot", flat=True).first() or {})
    snapshot.update({key: (None if value is None else str(value)) for key, value in values.items()})
    IndicatorChange.objects.create(indicator=indicator, version=indicator.version, snapshot=snapshot, changed_at=indicator.updated_at, reason=reason)


def forwards(apps, schema_editor):
    _switch(apps, COMPUTED, "Computed from the inspection findings")


def backwards(apps, schema_editor):
    _switch(apps, ENTERED, "Entered by inspectors again")


class Migration(migrations.Migration):
    dependencies = [
        ("leaderboard", "0004_business_clock"),
        ("programmes", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
