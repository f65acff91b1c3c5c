"""Firm accounts move from the user model (fuyang_portal.User.enterprise, gone from the core) to FirmAccount.

A database built before keeps the old column and its role constraint: their rows are copied here, then the
column and the old constraint are dropped and the core's constraint put in place. A new database has neither
and only gets the table.
"""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion

OLD_CONSTRAINT = "user_scope_matches_role"
NEW_CONSTRAINT = "user_role_scope"


def move_firm_links(apps, schema_editor):
    connection = schema_editor.connection
    User = apps.get_model("fuyang_portal", "User")
    table = User._meta.db_table
    with connection.cursor() as cursor:
        columns = {column.name for column in connection.introspection.get_table_description(cursor, table)}
    if "enterprise_id" not in columns:
        return
    FirmAccount = apps.get_model("enterprises", "FirmAccount")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, enterprise_id FROM {table} WHERE enterprise_id IS NOT NULL")
        links = cursor.fetchall()
    FirmAccount.objects.bulk_create([FirmAccount(user_id=user_id, enterprise_id=firm_id) for user_id, firm_id in links])
    if connection.vendor == "sqlite":
        # SQLite cannot drop a column named in a CHECK: rebuild the table from the current model state, which
        # has neither the column nor the old constraint, and carries the new one.
        schema_editor._remake_table(User)
        return
    constraint = next(c for c in User._meta.constraints if c.name == NEW_CONSTRAINT)
    schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {OLD_CONSTRAINT}")
    schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN enterprise_id")
    schema_editor.add_constraint(User, constraint)


class Migration(migrations.Migration):

    dependencies = [
        ('enterprises', '0004_firm_export'),
        ('fuyang_portal', '0003_counters'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FirmAccount',
            fields=[
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='firm_account', serialize=False, to=settings.AUTH_USER_MODEL, verbose_name='account')),
                ('enterprise', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='accounts', to='enterprises.enterprise', verbose_name='enterprise')),
            ],
            options={
                'verbose_name': 'firm account',
                'verbose_name_plural': 'firm accounts',
            },
        ),
        migrations.RunPython(move_firm_links, migrations.RunPython.noop),
    ]
