"""An index that serves the listings' order, newest updated first: COALESCE(revised_at,
updated_at) then id (WorkQuerySet.newest_updated_first). An expression index, the same on SQLite
and PostgreSQL, so no column has to be kept in step by the services; both databases read it
backwards for the descending order and use it for the keyset conditions of the next page
(works.keyset). Building it fills it for existing rows."""

from django.db import migrations

INDEX = "work_listing_order"


def _create(apps, schema_editor):
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON works_work ((COALESCE(revised_at, updated_at)), id)"
    )


def _drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0012_work_hidden_by_admin"),
    ]

    operations = [migrations.RunPython(_create, _drop, elidable=False)]
