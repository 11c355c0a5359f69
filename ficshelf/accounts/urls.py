from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("signup", views.signup, name="signup"),
    path("users/login", auth_views.LoginView.as_view(), name="login"),
    path("users/logout", auth_views.LogoutView.as_view(), name="logout"),
    path("users/<str:username>", views.profile, name="profile"),
    path("users/<str:username>/works", views.user_works, name="works"),
    path("users/<str:username>/pseuds/<str:pseud>", views.pseud, name="pseud"),
]
