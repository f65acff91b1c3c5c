# The loop's new fields filled in for the problems already there. A migration of its own: PostgreSQL creates the
# previous migration's foreign-key indexes at its end, which it refuses once rows of the table were updated in the
# same transaction.

from django.db import migrations, models
from django.db.models.functions import Coalesce, TruncDate


def backfill(apps, schema_editor):
    """Version 1 of every category's rule; existing problems keep their history as the new fields read it: the
    first assignment is the current one, a confirmed problem was confirmed by the firm, its rating gives the
    satisfaction (4-5 satisfied, 3 basically, 1-2 dissatisfied)."""
    from django.db.models import Q

    DeadlineRule = apps.get_model("specialists", "DeadlineRule")
    Version = apps.get_model("specialists", "DeadlineRuleVersion")
    Problem = apps.get_model("specialists", "Problem")
    fields = ("working_days", "sign_for_hours", "triage_hours", "township_days", "callback_days", "auto_close_days",
              "reminder_percent", "max_extension_days")
    for rule in DeadlineRule.objects.all():
        if not Version.objects.filter(rule=rule).exists():
            Version.objects.create(rule=rule, version=rule.version, effective_from=None,
                                   **{name: getattr(rule, name) for name in fields})
    Problem.objects.filter(assigned_at__isnull=False, first_assigned_at__isnull=True).update(first_assigned_at=models.F("assigned_at"))
    confirmed = Problem.objects.filter(status="confirmed", closed_how="")
    confirmed.filter(rating__gte=4).update(satisfaction="satisfied")
    confirmed.filter(rating=3).update(satisfaction="basic")
    confirmed.filter(rating__lte=2).update(satisfaction="dissatisfied")
    confirmed.update(closed_how="firm")
    Problem.objects.filter(Q(status="resolved") | Q(status="answered"), callback_due__isnull=True).update(
        callback_due=TruncDate(Coalesce("answered_at", "resolved_at"))
    )


class Migration(migrations.Migration):

    dependencies = [
        ("specialists", "0005_problem_loop"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
