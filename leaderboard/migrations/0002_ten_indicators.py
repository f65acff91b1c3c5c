"""Ship the report's ten indicators and the default list sizes (3 townships, 5 groups, 10 villages)."""

from decimal import Decimal

from django.db import migrations

from leaderboard.definitions import ALL_LEVELS, LIST_SIZES, TEN_INDICATORS


def load(apps, schema_editor):
    Indicator = apps.get_model("leaderboard", "Indicator")
    IndicatorChange = apps.get_model("leaderboard", "IndicatorChange")
    LevelSetting = apps.get_model("leaderboard", "LevelSetting")
    for order, row in enumerate(TEN_INDICATORS, start=1):
        weight = Decimal(row["weight"])
        values = {
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            "description": row["description"],
            "levels": list(ALL_LEVELS),
            "direction": row["direction"],
            "weight_township": weight,
            "weight_group": weight,
            "weight_village": weight,
            "source": row["source"],
            "unit": row["unit"],
            "metric_path": row["metric_path"],
            "min_value": Decimal(row["min_value"]) if row.get("min_value") else None,
            "max_value": Decimal(row["max_value"]) if row.get("max_value") else None,
            "sort_order": order,
        }
        indicator, created = Indicator.objects.get_or_create(code=row["code"], defaults=values)
        if created:
            snapshot = {key: (str(value) if isinstance(value, Decimal) else value) for key, value in values.items()}
            snapshot.update(code=row["code"], active=True)
            IndicatorChange.objects.create(indicator=indicator, version=1, snapshot=snapshot, reason="Initial definition")
    for level, size in LIST_SIZES.items():
        LevelSetting.objects.get_or_create(level=level, defaults={"list_size": size, "min_coverage": 50})


class Migration(migrations.Migration):
    dependencies = [("leaderboard", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
