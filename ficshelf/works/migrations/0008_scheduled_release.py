# Scheduled release: a draft chapter of a posted work, or a draft work, set to post itself.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0007_filter_tags"),
    ]

    operations = [
        migrations.AddField(
            model_name="work",
            name="scheduled_for",
            field=models.DateTimeField(blank=True, db_index=True, null=True),
        ),
        migrations.AddField(
            model_name="work",
            name="scheduled_time_zone",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="chapter",
            name="scheduled_for",
            field=models.DateTimeField(blank=True, db_index=True, null=True),
        ),
        migrations.AddField(
            model_name="chapter",
            name="scheduled_time_zone",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
