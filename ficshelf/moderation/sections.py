"""What moderation adds to works' and accounts' pages, through their extension points (works
and accounts never import moderation): a "Report" link for readers; for a hidden work, the
notice its creators and admins see; and the admins' actions."""

from ficshelf.accounts.extensions import ProfileSection
from ficshelf.works import reading
from ficshelf.works.extensions import ReadingAdditions, ReadingSection


def reading_additions(request, work, chapters, *, full: bool) -> ReadingAdditions:
    """Above the work: "Report this work" (the same for every guest: a guest's page is cached
    whole), the hiding notice, and for admins, hide or unhide. No query unless it is hidden."""
    viewer = request.user
    context = {
        "work": work,
        "creator": reading.is_creator(viewer, work),
        "admin": reading.is_admin(viewer),
        "hidden": work.hidden_by_admin,
        "reason": "",
    }
    if work.hidden_by_admin:
        from .services import hiding_reason

        context["reason"] = hiding_reason(work)
    return ReadingAdditions(before_work=[ReadingSection("moderation/_work_section.html", context)])


def profile_sections(owner, pseud, viewer) -> list[ProfileSection]:
    """ "Report this account" for anyone but its owner; for admins, its moderation."""
    if reading.is_reader(viewer) and viewer.pk == owner.pk:
        return []
    context = {"owner": owner, "admin": reading.is_admin(viewer) and not owner.is_staff}
    return [ProfileSection("moderation/_profile_section.html", context)]
