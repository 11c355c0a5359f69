"""otwarchive's URL scheme, so readers' tools (FanFicFare, AO3 userscripts) can work here.

Three URL maps, because works' pages live under three prefixes: /works/…, /users/<name>/…
(a creator's works and co-creator requests, namespace "creators") and /tags/<name>/works
(namespace "tags"). ficshelf/urls.py mounts them.
"""

from django.urls import path

from .views import autosave, cocreators, listings, posting, reading, scheduling, versions, wrangling

app_name = "works"
urlpatterns = [
    path("", listings.index, name="index"),
    path("new", posting.new_work, name="new"),
    path("autosave", autosave.save, name="autosave"),
    path("autosave/discard", autosave.discard, name="discard_autosave"),
    path("<int:work_id>", reading.work, name="work"),
    path("<int:work_id>/edit", posting.edit_work, name="edit"),
    path("<int:work_id>/post", posting.post_work, name="post"),
    path("<int:work_id>/unschedule", scheduling.unschedule_work, name="unschedule"),
    path("<int:work_id>/confirm_delete", posting.delete_work, name="delete"),
    path("<int:work_id>/remove_me", cocreators.leave_work, name="leave"),
    path("<int:work_id>/navigate", reading.navigate, name="navigate"),
    path("<int:work_id>/chapters/new", posting.new_chapter, name="new_chapter"),
    path("<int:work_id>/chapters/manage", posting.manage_chapters, name="manage_chapters"),
    path("<int:work_id>/chapters/<int:chapter_id>", reading.chapter, name="chapter"),
    path("<int:work_id>/chapters/<int:chapter_id>/edit", posting.edit_chapter, name="edit_chapter"),
    path("<int:work_id>/chapters/<int:chapter_id>/post", posting.post_chapter, name="post_chapter"),
    path(
        "<int:work_id>/chapters/<int:chapter_id>/versions",
        versions.version_list,
        name="chapter_versions",
    ),
    path(
        "<int:work_id>/chapters/<int:chapter_id>/versions/<int:number>",
        versions.version,
        name="chapter_version",
    ),
    path(
        "<int:work_id>/chapters/<int:chapter_id>/versions/<int:number>/restore",
        versions.restore,
        name="restore_chapter_version",
    ),
    path(
        "<int:work_id>/chapters/<int:chapter_id>/unschedule",
        scheduling.unschedule_chapter,
        name="unschedule_chapter",
    ),
    path(
        "<int:work_id>/chapters/<int:chapter_id>/delete",
        posting.delete_chapter,
        name="delete_chapter",
    ),
]

creator_urlpatterns = (
    [
        path("<str:username>/works", listings.user_works, name="works"),
        path("<str:username>/pseuds/<str:pseud>/works", listings.pseud_works, name="pseud_works"),
        path("<str:username>/creatorships", cocreators.invitations, name="invitations"),
        path("<str:username>/scheduled", scheduling.queue, name="scheduled"),
        path(
            "<str:username>/creatorships/<int:invitation_id>",
            cocreators.answer_invitation,
            name="answer_invitation",
        ),
    ],
    "creators",
)

tag_urlpatterns = (
    [
        path("<str:tag>/works", listings.tag_works, name="works"),
        # Wrangling pages that count works (the others are in tags.urls).
        path("wrangling", wrangling.home, name="wrangling"),
        path("<str:tag>/wrangle", wrangling.fandom_bin, name="wrangle"),
    ],
    "tags",
)
