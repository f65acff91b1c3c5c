"""The service domains specialists are published under, and the default answer deadlines per category."""

from django.db import migrations

DOMAINS = [
    ("water", "用水", "Water"),
    ("power", "用电", "Power"),
    ("gas", "用气", "Gas"),
    ("bus", "公交与包车", "Bus and charter"),
    ("approvals", "审批", "Approvals"),
    ("filing", "备案", "Filing"),
    ("passes", "通行证", "Passes"),
    ("credit-finance", "信贷金融", "Credit and finance"),
    ("labour", "劳动用工与社保", "Labour and social insurance"),
    ("legal-aid", "法律援助", "Legal aid"),
    ("tax", "税务", "Tax"),
    ("foreign-trade", "外贸", "Foreign trade"),
    ("epidemic", "疫情防控", "Epidemic prevention"),
    ("land-planning", "用地规划", "Land and planning"),
]

# Working days an agency has to answer, by problem category.
DEADLINES = {
    "funds": 5,
    "legal": 5,
    "labour": 3,
    "supplies": 2,
    "logistics": 2,
    "approvals": 5,
    "energy": 3,
    "other": 5,
}


def seed(apps, schema_editor):
    ServiceDomain = apps.get_model("specialists", "ServiceDomain")
    DeadlineRule = apps.get_model("specialists", "DeadlineRule")
    for order, (code, name, name_en) in enumerate(DOMAINS):
        ServiceDomain.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "sort_order": order})
    for category, days in DEADLINES.items():
        DeadlineRule.objects.get_or_create(category=category, defaults={"working_days": days})


class Migration(migrations.Migration):
    dependencies = [("specialists", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
