# The contest's own stamps (created, updated, changed) read the business clock (fuyang_portal.clock).

import fuyang_portal.clock
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('leaderboard', '0003_rank_order'),
    ]

    operations = [
        migrations.AlterField(
            model_name='contestweek',
            name='created_at',
            field=models.DateTimeField(default=fuyang_portal.clock.now, verbose_name='created'),
        ),
        migrations.AlterField(
            model_name='indicator',
            name='updated_at',
            field=models.DateTimeField(default=fuyang_portal.clock.now, verbose_name='updated'),
        ),
        migrations.AlterField(
            model_name='indicatorchange',
            name='changed_at',
            field=models.DateTimeField(default=fuyang_portal.clock.now, verbose_name='changed'),
        ),
        migrations.AlterField(
            model_name='inspectionscore',
            name='updated_at',
            field=models.DateTimeField(default=fuyang_portal.clock.now, verbose_name='updated'),
        ),
    ]
