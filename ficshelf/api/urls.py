from django.urls import path

from . import views
from .api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("users/<str:username>/api-tokens", views.tokens, name="api_tokens"),
    path(
        "users/<str:username>/api-tokens/<int:token_id>/revoke",
        views.revoke,
        name="api_token_revoke",
    ),
]
