"""Give every existing chapter's paragraphs their ids (data-p), as saving a chapter now does."""

from django.db import migrations

from ficshelf.userstuff.paragraphs import number_paragraphs


def number_existing_paragraphs(apps, schema_editor):
    Chapter = apps.get_model("works", "Chapter")
    for chapter in Chapter.objects.only("pk", "text", "next_paragraph_id").iterator(chunk_size=200):
        text, next_id = number_paragraphs(
            chapter.text, previous=chapter.text, next_id=chapter.next_paragraph_id
        )
        # update() skips the field's pre_save: the text is already clean and numbered.
        Chapter.objects.filter(pk=chapter.pk).update(text=text, next_paragraph_id=next_id)


class Migration(migrations.Migration):
    dependencies = [("works", "0003_creator_invitations_and_paragraph_ids")]

    operations = [migrations.RunPython(number_existing_paragraphs, migrations.RunPython.noop)]
