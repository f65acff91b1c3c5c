"""A draft open to the units' objections: the window's end on the week, the objections, and the corrected figures."""


import django.db.models.deletion
import fuyang_portal.clock
import fuyang_portal.uploads
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('leaderboard', '0006_indicator_sets'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='contestweek',
            name='appeal_until',
            field=models.DateTimeField(blank=True, help_text="Set when the draft is first computed: the level's appeal window in working hours.", null=True, verbose_name='open to objections until'),
        ),
        migrations.CreateModel(
            name='Objection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.CharField(choices=[('township', 'Townships (24)'), ('group', 'Community-agency groups (50)'), ('village', 'Administrative villages (276)')], max_length=8, verbose_name='level')),
                ('week_start', models.DateField(verbose_name='week starting')),
                ('unit_id', models.PositiveIntegerField(verbose_name='unit')),
                ('unit_name', models.CharField(max_length=120, verbose_name='unit name')),
                ('figure', models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True, verbose_name='figure objected to')),
                ('proposed_value', models.DecimalField(blank=True, decimal_places=4, help_text='The value the unit says is right; the district office decides the corrected value.', max_digits=14, null=True, verbose_name='correct value (as the unit says)')),
                ('reason', models.TextField(max_length=2000, verbose_name='reason')),
                ('evidence', models.FileField(blank=True, max_length=200, storage=fuyang_portal.uploads.get_private_storage, upload_to=fuyang_portal.uploads.PrivateUploadTo('leaderboard/objections'), validators=[fuyang_portal.uploads.FileCheck(('pdf', 'docx', 'jpeg', 'png'))], verbose_name='evidence')),
                ('status', models.CharField(choices=[('open', 'Pending'), ('accepted', 'Accepted'), ('rejected', 'Rejected')], db_index=True, default='open', max_length=10, verbose_name='status')),
                ('filed_at', models.DateTimeField(default=fuyang_portal.clock.now, verbose_name='filed')),
                ('corrected_value', models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True, verbose_name='corrected value')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided')),
                ('decision', models.TextField(blank=True, verbose_name='reason for the decision')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('filed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='filed by')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='objections', to='leaderboard.indicator', verbose_name='indicator')),
                ('week', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='objections', to='leaderboard.contestweek', verbose_name='contest week')),
            ],
            options={
                'verbose_name': 'objection',
                'verbose_name_plural': 'objections',
                'ordering': ['-filed_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ScoreOverride',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.CharField(choices=[('township', 'Townships (24)'), ('group', 'Community-agency groups (50)'), ('village', 'Administrative villages (276)')], max_length=8, verbose_name='level')),
                ('week_start', models.DateField(verbose_name='week starting')),
                ('unit_id', models.PositiveIntegerField(verbose_name='unit')),
                ('value', models.DecimalField(decimal_places=4, max_digits=14, verbose_name='corrected value')),
                ('created_at', models.DateTimeField(default=fuyang_portal.clock.now, verbose_name='at')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='overrides', to='leaderboard.indicator', verbose_name='indicator')),
                ('objection', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='overrides', to='leaderboard.objection', verbose_name='objection')),
            ],
            options={
                'verbose_name': 'corrected figure',
                'verbose_name_plural': 'corrected figures',
                'ordering': ['-week_start', 'level', 'unit_id'],
            },
        ),
        migrations.AddConstraint(
            model_name='objection',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('level', 'week_start', 'unit_id', 'indicator'), name='objection_one_open_per_figure'),
        ),
        migrations.AddConstraint(
            model_name='scoreoverride',
            constraint=models.UniqueConstraint(fields=('level', 'week_start', 'unit_id', 'indicator'), name='score_override_unique'),
        ),
    ]
