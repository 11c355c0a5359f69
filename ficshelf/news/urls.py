from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("news/", views.news_index, name="index"),
    path("news/feed.atom", feeds.news_feed, name="feed"),
    path("news/new/", views.new_news_post, name="new"),
    path("news/<int:news_id>/", views.news_post, name="post"),
    path("news/<int:news_id>/edit/", views.edit_news_post, name="edit"),
    path("news/<int:news_id>/delete/", views.delete_news_post, name="delete"),
]
