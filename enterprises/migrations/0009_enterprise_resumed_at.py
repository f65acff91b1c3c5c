"""The firm's ``resumed_at``: when its resumption was approved (filled by 0010, kept by the approval services), and an index
of each township's firms by name for the firm list's pages."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('enterprises', '0008_business_clock_stamps'),
    ]

    operations = [
        migrations.AddField(
            model_name='enterprise',
            name='resumed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='resumed'),
        ),
        migrations.AddIndex(
            model_name='enterprise',
            index=models.Index(fields=['township', 'name', 'id'], name='enterprise_township_name_idx'),
        ),
    ]
