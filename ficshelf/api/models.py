"""API tokens: how an author's tool posts and updates their works (Authorization: Bearer).

Only a SHA-256 of a token is stored: the token itself is shown once, when it is made, and a
copy of the database gives no one the power to post as its owner."""

from django.conf import settings
from django.db import models


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, to tell it apart.")
    # The hex SHA-256 of the token (never the token itself).
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the token, shown on the tokens page to tell tokens apart.
    prefix = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"API token {self.name!r} of {self.user_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
