from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('fuyang_portal', '0002_notification_outbox'),
    ]

    operations = [
        migrations.CreateModel(
            name='Counter',
            fields=[
                ('name', models.CharField(max_length=80, primary_key=True, serialize=False, verbose_name='name')),
                ('value', models.PositiveBigIntegerField(default=0, verbose_name='last value')),
            ],
            options={
                'verbose_name': 'counter',
                'verbose_name_plural': 'counters',
            },
        ),
    ]
