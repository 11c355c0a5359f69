"""otwarchive's URL scheme: /users/<name>, /users/<name>/pseuds/<pseud> (their works' lists
are in works.urls)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import otwarchive, two_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("signup", views.signup, name="signup"),
    path("signup/done", views.signup_done, name="signup_done"),
    path("signup/requests", views.account_requests, name="account_requests"),
    path(
        "signup/requests/<int:account_request_id>/approve",
        views.approve_account_request,
        name="approve_account_request",
    ),
    path(
        "signup/requests/<int:account_request_id>/reject",
        views.reject_account_request,
        name="reject_account_request",
    ),
    path("invite-requests", views.invite_request, name="invite_request"),
    path("invite-requests/done", views.invite_request_done, name="invite_request_done"),
    path("invite-requests/manage", views.invite_queue, name="invite_queue"),
    path("invitations", views.own_invitations, name="own_invitations"),
    path("invitations/manage", views.manage_invitations, name="manage_invitations"),
    path("users/activate/<uidb64>/<token>", views.activate, name="activate"),
    path("users/login", views.LogInView.as_view(), name="login"),
    path("token_dispenser.json", otwarchive.token_dispenser, name="token_dispenser"),
    path("users/login/code", two_factor_views.login_code, name="login_code"),
    path("users/logout", views.LogOutView.as_view(), name="logout"),
    path("users/password/change", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "users/password/change/done",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("users/password/reset", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "users/password/reset/done",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "users/password/reset/complete",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "users/password/reset/<uidb64>/<token>",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("users/<str:username>", views.profile, name="profile"),
    path("users/<str:username>/export", views.export, name="export"),
    path("users/<str:username>/sessions", views.account_sessions, name="sessions"),
    path(
        "users/<str:username>/sessions/others/revoke",
        views.revoke_other_sessions,
        name="revoke_other_sessions",
    ),
    path(
        "users/<str:username>/sessions/<int:session_id>/revoke",
        views.revoke_session,
        name="revoke_session",
    ),
    path("users/<str:username>/two-factor", two_factor_views.setup, name="two_factor"),
    path(
        "users/<str:username>/two-factor/backup-codes",
        two_factor_views.new_backup_codes,
        name="two_factor_backup_codes",
    ),
    path("users/<str:username>/two-factor/off", two_factor_views.turn_off, name="two_factor_off"),
    path("users/<str:username>/pseuds", views.pseuds, name="pseuds"),
    path("users/<str:username>/pseuds/new", views.new_pseud, name="new_pseud"),
    path("users/<str:username>/pseuds/<str:pseud>", views.pseud, name="pseud"),
    path(
        "users/<str:username>/pseuds/<str:pseud>/default",
        views.make_default_pseud,
        name="make_default_pseud",
    ),
]
