from django.urls import path  # noqa: F401

app_name = "feedback"

urlpatterns: list = []

# --- Kudos, blocks, mutes and hidden works (helper "kudos") ---
from .views import blocking as blocking_views  # noqa: E402
from .views import kudos as kudos_views  # noqa: E402

urlpatterns += [
    path("works/<int:work_id>/kudos", kudos_views.work_kudos, name="work_kudos"),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/kudos",
        kudos_views.chapter_kudos,
        name="chapter_kudos",
    ),
    path("works/<int:work_id>/hide", blocking_views.hide_work, name="hide_work"),
    path("works/<int:work_id>/unhide", blocking_views.unhide_work, name="unhide_work"),
    path("users/<str:username>/blocked", blocking_views.blocked_users, name="blocked"),
    path("users/<str:username>/blocked/remove", blocking_views.unblock_user, name="unblocked"),
    path("users/<str:username>/muted", blocking_views.muted_users, name="muted"),
    path("users/<str:username>/muted/remove", blocking_views.unmute_user, name="unmuted"),
    path("users/<str:username>/hidden_works", blocking_views.hidden_works, name="hidden_works"),
]

# --- Inline comments on a paragraph or a passage (helper "inline") ---
from .views import inline as inline_views  # noqa: E402

urlpatterns += [
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/paragraphs/<int:paragraph_id>/comments",
        inline_views.paragraph,
        name="paragraph",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/inline_comments/earlier",
        inline_views.earlier,
        name="earlier_inline",
    ),
    path("reading_settings", inline_views.reading_settings, name="reading_settings"),
]

# --- Comments, moderation and reports (helper "comments") ---
from .views import comments as comment_views  # noqa: E402
from .views import moderation as moderation_views  # noqa: E402

urlpatterns += [
    path("works/<int:work_id>/comments", comment_views.work_comments, name="work_comments"),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/comments",
        comment_views.chapter_comments,
        name="chapter_comments",
    ),
    path("comments/<int:comment_id>", comment_views.comment, name="comment"),
    path("comments/<int:comment_id>/reply", comment_views.reply, name="reply"),
    path("comments/<int:comment_id>/edit", comment_views.edit, name="edit_comment"),
    path("comments/<int:comment_id>/delete", comment_views.delete, name="delete_comment"),
    path("comments/<int:comment_id>/approve", moderation_views.approve, name="approve_comment"),
    path("comments/<int:comment_id>/reject", moderation_views.reject, name="reject_comment"),
    path("comments/<int:comment_id>/freeze", moderation_views.freeze, name="freeze_thread"),
    path("comments/<int:comment_id>/unfreeze", moderation_views.unfreeze, name="unfreeze_thread"),
    path("comments/<int:comment_id>/report", moderation_views.report, name="report_comment"),
    path("comments/awaiting", moderation_views.awaiting, name="awaiting"),
    path("comments/reports", moderation_views.reports, name="reports"),
    path(
        "comments/reports/<int:report_id>/resolve", moderation_views.resolve, name="resolve_report"
    ),
]
