"""otwarchive's URL scheme: /users/<name>, /users/<name>/pseuds/<pseud> (their works' lists
are in works.urls)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("signup", views.signup, name="signup"),
    path("users/login", views.LogInView.as_view(), name="login"),
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
    path("users/<str:username>/pseuds", views.pseuds, name="pseuds"),
    path("users/<str:username>/pseuds/new", views.new_pseud, name="new_pseud"),
    path("users/<str:username>/pseuds/<str:pseud>", views.pseud, name="pseud"),
    path(
        "users/<str:username>/pseuds/<str:pseud>/default",
        views.make_default_pseud,
        name="make_default_pseud",
    ),
]
