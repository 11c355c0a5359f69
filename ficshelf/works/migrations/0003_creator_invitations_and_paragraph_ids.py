import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import ficshelf.userstuff.fields


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("works", "0002_chapter_format_and_revisions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CreatorInvitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "invited_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "pseud",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="creator_invitations",
                        to="accounts.pseud",
                    ),
                ),
                (
                    "work",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="creator_invitations",
                        to="works.work",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("work", "pseud"), name="unique_creator_invitation"
                    )
                ],
            },
        ),
        migrations.AlterField(
            model_name="chapter",
            name="text",
            field=ficshelf.userstuff.fields.SanitizedHTMLField(
                keeps_paragraph_ids=True, version_field="text_sanitizer_version"
            ),
        ),
    ]
