import django.db.models.deletion
from django.db import migrations, models

# The FTS5 table reads its text from search_worksearchdocument (external content); the
# triggers keep its index in step with every insert, update and delete of that table,
# including the deletes Django makes when a work is deleted.
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_workfts USING fts5(
        title, body, tags, creators, chapters,
        content='search_worksearchdocument', content_rowid='work_id',
        tokenize='unicode61'
    )""",
    """CREATE TRIGGER search_worksearchdocument_ai AFTER INSERT ON search_worksearchdocument
    BEGIN
        INSERT INTO search_workfts(rowid, title, body, tags, creators, chapters)
        VALUES (new.work_id, new.title, new.body, new.tags, new.creators, new.chapters);
    END""",
    """CREATE TRIGGER search_worksearchdocument_ad AFTER DELETE ON search_worksearchdocument
    BEGIN
        INSERT INTO search_workfts(search_workfts, rowid, title, body, tags, creators, chapters)
        VALUES ('delete', old.work_id, old.title, old.body, old.tags, old.creators, old.chapters);
    END""",
    """CREATE TRIGGER search_worksearchdocument_au AFTER UPDATE ON search_worksearchdocument
    BEGIN
        INSERT INTO search_workfts(search_workfts, rowid, title, body, tags, creators, chapters)
        VALUES ('delete', old.work_id, old.title, old.body, old.tags, old.creators, old.chapters);
        INSERT INTO search_workfts(rowid, title, body, tags, creators, chapters)
        VALUES (new.work_id, new.title, new.body, new.tags, new.creators, new.chapters);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_worksearchdocument_au",
    "DROP TRIGGER IF EXISTS search_worksearchdocument_ad",
    "DROP TRIGGER IF EXISTS search_worksearchdocument_ai",
    "DROP TABLE IF EXISTS search_workfts",
]

# 'simple': no stemming and no stop words, as FTS5's unicode61 tokenizer, so both databases
# find the same works for the same words.
POSTGRESQL_FORWARD = [
    """ALTER TABLE search_worksearchdocument ADD COLUMN document tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title), 'A')
        || setweight(to_tsvector('simple'::regconfig, tags), 'B')
        || setweight(to_tsvector('simple'::regconfig, creators), 'B')
        || setweight(to_tsvector('simple'::regconfig, body), 'C')
        || to_tsvector('simple'::regconfig, chapters)
    ) STORED""",
    "CREATE INDEX search_document_gin ON search_worksearchdocument USING GIN (document)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_gin",
    "ALTER TABLE search_worksearchdocument DROP COLUMN IF EXISTS document",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("works", "0008_scheduled_release"),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkSearchDocument",
            fields=[
                (
                    "work",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="works.work",
                    ),
                ),
                ("title", models.TextField()),
                ("body", models.TextField(blank=True)),
                ("tags", models.TextField(blank=True)),
                ("creators", models.TextField(blank=True)),
                ("chapters", models.TextField(blank=True)),
            ],
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        ),
    ]
