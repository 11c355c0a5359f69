# Fill Tag.name_key, renaming the later of two tags whose names are one key (the same name in
# two kinds, or, on SQLite, a non-ASCII case variant that LOWER() did not fold) with its
# kind's suffix, as otwarchive names them ("Sherlock - Freeform"). Warnings and categories keep
# their names. Marks the fixed tags canonical and creates the "Tag wranglers" group.
#
# The rule is a plain function over rows (unique_names), so a test can check it; the key
# function is copied here, as migrations must not change when the app's code does.

import unicodedata

from django.db import migrations

FIXED_KINDS = {"warning", "category"}
KIND_SUFFIXES = {
    "fandom": "Fandom",
    "relationship": "Relationship",
    "character": "Character",
    "freeform": "Freeform",
    "warning": "Warning",
    "category": "Category",
}


def tag_key(name):
    name = " ".join(name.split())
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def unique_names(tags):
    """`tags`: (id, kind, name) rows, oldest first. Returns {id: new name} for the tags that
    must be renamed so that every key is unique: warnings and categories first, then the
    oldest tag keeps a name; a later one takes " - <Kind>" (again, if that is taken too)."""
    ordered = sorted(enumerate(tags), key=lambda row: (row[1][1] not in FIXED_KINDS, row[0]))
    taken, renamed = set(), {}
    for _, (tag_id, kind, name) in ordered:
        candidate = name
        while tag_key(candidate) in taken:
            candidate = f"{candidate} - {KIND_SUFFIXES[kind]}"
        taken.add(tag_key(candidate))
        if candidate != name:
            renamed[tag_id] = candidate
    return renamed


def fill_name_keys(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    rows = list(Tag.objects.order_by("created_at", "pk").values_list("pk", "kind", "name"))
    renamed = unique_names(rows)
    tags = list(Tag.objects.all())
    for tag in tags:
        tag.name = renamed.get(tag.pk, tag.name)
        tag.name_key = tag_key(tag.name)
        tag.canonical = tag.canonical or tag.kind in FIXED_KINDS
    Tag.objects.bulk_update(tags, ["name", "name_key", "canonical"], batch_size=500)


def create_wrangler_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="tags", model="tag")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="wrangle_tag", defaults={"name": "Can wrangle tags"}
    )
    group, _ = Group.objects.get_or_create(name="Tag wranglers")
    group.permissions.add(permission)


class Migration(migrations.Migration):

    dependencies = [
        ('tags', '0002_wrangling'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
        migrations.RunPython(create_wrangler_group, migrations.RunPython.noop),
    ]
