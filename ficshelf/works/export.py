"""The creator's unsaved and earlier writing, in their account's export
(accounts.extensions.register_account_export): what the posting forms autosaved, and the
earlier texts of their chapters (works.history). The works themselves are exported as files
(archive.account_deletion); these are what no file of a work holds."""

from .models import ChapterVersion, Creatorship, FormAutosave


def writing_export(user) -> dict:
    autosaves = [
        {
            "form": row.kind,
            "target": row.target,
            "work_id": row.work_id,
            "chapter_id": row.chapter_id,
            "fields": row.fields,
            "saved_at": row.saved_at,
        }
        for row in FormAutosave.objects.filter(user=user).order_by("saved_at", "pk")
    ]
    own_works = Creatorship.objects.filter(pseud__user=user).values("work")
    versions = [
        {
            "work_id": version.chapter.work_id,
            "chapter_id": version.chapter_id,
            "number": version.number,
            "title": version.title,
            "summary": version.summary,
            "notes": version.notes,
            "end_notes": version.end_notes,
            "text": version.text,
            "text_format": version.text_format,
            "text_source": version.text_source,
            "word_count": version.word_count,
            "saved_at": version.saved_at,
            "replaced_at": version.replaced_at,
        }
        for version in ChapterVersion.objects.filter(chapter__work__in=own_works)
        .select_related("chapter")
        .order_by("chapter__work_id", "chapter_id", "number")
    ]
    return {"autosaves": autosaves, "chapter_versions": versions}
