"""Fill each firm's ``resumed_at`` from its approved resumption request (a firm has at most one), in one
UPDATE; the approval services keep it from here on. A migration of its own: the column exists when it runs."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Subquery


def fill_resumed_at(apps, schema_editor):
    Enterprise = apps.get_model("enterprises", "Enterprise")
    ResumptionRequest = apps.get_model("enterprises", "ResumptionRequest")
    approved = ResumptionRequest.objects.filter(enterprise=OuterRef("pk"), status="approved").order_by("approved_at")
    Enterprise.objects.filter(Exists(approved)).update(resumed_at=Subquery(approved.values("approved_at")[:1]))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0009_enterprise_resumed_at")]

    operations = [migrations.RunPython(fill_resumed_at, migrations.RunPython.noop, elidable=False)]
