"""The versions that key cached pages: Work.content_version and the one ListingsVersion row."""

import django.utils.timezone
from django.db import migrations, models


def create_listings_version(apps, schema_editor):
    apps.get_model("works", "ListingsVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("works", "0004_number_paragraphs")]

    operations = [
        migrations.AddField(
            model_name="work",
            name="content_version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.CreateModel(
            name="ListingsVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveBigIntegerField(default=1)),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("id", 1)), name="one_listings_version"
                    )
                ],
            },
        ),
        migrations.RunPython(create_listings_version, migrations.RunPython.noop),
    ]
