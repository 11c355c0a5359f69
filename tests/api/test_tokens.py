"""API tokens: made on the owner's page (shown once, stored only as a hash), revoked there."""

import hashlib
import re

from ficshelf.api.models import ApiToken
from ficshelf.api.tokens import create_token
from tests.api.conftest import api_get
from tests.factories import make_work


def test_the_owner_makes_a_token_shown_once_and_stored_hashed(author_client, author):
    page = author_client.get("/users/author/api-tokens")
    assert page.status_code == 200 and b"You have no tokens" in page.content
    made = author_client.post("/users/author/api-tokens", {"name": "My importer"})
    assert made.status_code == 200
    raw = re.search(rb'value="(fsh_[^"]+)"', made.content).group(1).decode()
    token = ApiToken.objects.get(user=author)
    assert token.name == "My importer"
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {getattr(token, f.attname) for f in ApiToken._meta.fields}
    again = author_client.get("/users/author/api-tokens")
    assert raw.encode() not in again.content and b"My importer" in again.content


def test_a_token_needs_a_name(author_client):
    response = author_client.post("/users/author/api-tokens", {"name": "  "})
    assert response.status_code == 400 and b"Please name the token" in response.content


def test_only_the_owner_has_a_tokens_page(client, author, reader):
    assert client.get("/users/author/api-tokens").status_code == 302  # log in first
    client.force_login(reader)
    assert client.get("/users/author/api-tokens").status_code == 404
    assert client.post("/users/author/api-tokens", {"name": "x"}).status_code == 404
    token, _ = create_token(user=author, name="Mine")
    revoke = f"/users/author/api-tokens/{token.pk}/revoke"
    assert client.post(revoke).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).is_active


def test_the_page_needs_a_csrf_token(author):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    assert client.post("/users/author/api-tokens", {"name": "x"}).status_code == 403


def test_a_revoked_token_no_longer_works(author_client, author):
    work = make_work(author, post=False)
    token, raw = create_token(user=author, name="Old")
    assert api_get(author_client, f"/works/{work.pk}", raw).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    response = author_client.post(f"/users/author/api-tokens/{token.pk}/revoke")
    assert response.status_code == 302
    assert author_client.get(f"/users/author/api-tokens/{token.pk}/revoke").status_code == 405
    refused = api_get(author_client, f"/works/{work.pk}", raw)
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]


def test_a_bad_or_malformed_token_is_a_401(client, db):
    assert api_get(client, "/works", "fsh_not-a-real-token").status_code == 401
    assert client.get("/api/v1/works", HTTP_AUTHORIZATION="Basic abc").status_code == 401
