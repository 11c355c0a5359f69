from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    # Anyone may report (guests with an email).
    path("report/works/<int:work_id>", views.report_work, name="report_work"),
    path("report/comments/<int:comment_id>", views.report_comment, name="report_comment"),
    path("report/users/<str:username>", views.report_user, name="report_user"),
    # The admins' queue, actions and log (404 to everyone else).
    path("admin-queue/", views.queue, name="queue"),
    path("admin-queue/reports/<int:report_id>", views.report_detail, name="report"),
    path("admin-queue/reports/<int:report_id>/dismiss", views.dismiss, name="dismiss"),
    path("admin-queue/works/<int:work_id>/hide", views.hide_work, name="hide_work"),
    path("admin-queue/works/<int:work_id>/unhide", views.unhide_work, name="unhide_work"),
    path(
        "admin-queue/comments/<int:comment_id>/delete",
        views.delete_comment,
        name="delete_comment",
    ),
    path("admin-queue/users/<str:username>/suspend", views.suspend, name="suspend"),
    path("admin-queue/users/<str:username>/unsuspend", views.unsuspend, name="unsuspend"),
    path("admin-queue/users/<str:username>/ban", views.ban, name="ban"),
    path("admin-queue/log", views.log, name="log"),
]
