from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("works/<int:work_id>/stats", views.work_stats, name="work"),
    path("works/<int:work_id>/stats.csv", views.work_stats_csv, name="work_csv"),
    path("users/<str:username>/stats", views.user_stats, name="user"),
]
