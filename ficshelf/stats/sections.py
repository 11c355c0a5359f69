"""What stats adds to others' pages, through their extension points: a link to the dashboard
and the "Should I continue?" summary on reading pages (the work's creators only, whose pages
are never cached for others), and a link on one's own profile."""

from django.urls import reverse

from ficshelf.accounts.extensions import ProfileSection
from ficshelf.works.extensions import ReadingAdditions, ReadingSection

from . import figures


def reading_additions(request, work, chapters, *, full: bool) -> ReadingAdditions:
    additions = ReadingAdditions()
    if not work.is_creator(request.user):
        return additions
    url = reverse("stats:work", kwargs={"work_id": work.pk})
    additions.after_work.append(ReadingSection("stats/_work_link.html", {"url": url}))
    drafts = [chapter for chapter in chapters if not chapter.posted]
    if work.posted and drafts:
        response = figures.response_since_last(work)
        if response is not None:
            section = ReadingSection(
                "stats/_draft_response.html", {"response": response, "url": url}
            )
            for chapter in drafts:
                additions.after_chapter.setdefault(chapter.pk, []).append(section)
    return additions


def profile_links(owner, pseud, viewer) -> list[ProfileSection]:
    """On one's own profile: a link to one's works' statistics."""
    if pseud is not None or not getattr(viewer, "is_authenticated", False) or viewer.pk != owner.pk:
        return []
    return [ProfileSection("stats/_profile_link.html", {"owner": owner})]
