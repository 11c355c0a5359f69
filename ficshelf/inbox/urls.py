from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("inbox", views.inbox, name="inbox"),
    path("inbox/read_all", views.read_all, name="read_all"),
    path("inbox/items/<int:item_id>", views.item_action, name="item"),
    path("inbox/items/<int:item_id>/reply", views.reply, name="reply"),
    path("inbox/subscriptions", views.subscriptions, name="subscriptions"),
    path("inbox/subscriptions/remove", views.unsubscribe_subscription, name="unsubscribe_from"),
    path(
        "inbox/subscriptions/series/<int:series_id>",
        views.subscribe_series,
        name="subscribe_series",
    ),
    path(
        "inbox/subscriptions/series/<int:series_id>/remove",
        views.unsubscribe_series,
        name="unsubscribe_series",
    ),
    path("inbox/settings", views.email_settings, name="settings"),
    path("inbox/settings/feed", views.reset_feed, name="reset_feed"),
    path("inbox/feed/<str:token>", views.feed, name="feed"),
    path("inbox/unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
]
