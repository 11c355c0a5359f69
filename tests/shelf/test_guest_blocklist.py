"""A guest's blocklist lives in a signed cookie: it hides their tags, creators and works from
their lists only; a cookie that does not verify is ignored; a guest who keeps one gets pages
made for them, and every other guest still gets the shared cached page."""

import pytest
from django.core import signing

from ficshelf.shelf import blocklist
from ficshelf.tags.models import Tag, TagKind
from tests.factories import make_user, make_work
from tests.shelf.test_blocklist import block, notice, titles

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def works(author):
    return {
        "angst": make_work(author, title="Sad Harbour", freeforms=["Angst"]),
        "fluff": make_work(author, title="Warm Kitchen", freeforms=["Fluff"]),
        "other": make_work(make_user("someone"), title="Elsewhere", freeforms=["Picnic"]),
    }


def _from_cache(response) -> bool:
    # Served without rendering a template (the test client records every template rendered).
    return response.status_code == 200 and not response.templates


def test_a_guest_blocks_a_tag_in_a_cookie_and_their_lists_leave_it_out(client, works):
    response = block(client, "Angst")
    assert response.status_code == 302
    assert blocklist.COOKIE in response.cookies
    assert response.cookies[blocklist.COOKIE]["httponly"]
    assert set(titles(client, "/works/")) == {"Warm Kitchen", "Elsewhere"}
    assert "1 work hidden by your filters." in notice(client, "/works/")
    assert titles(client, "/tags/Angst/works") == []
    assert "Warm Kitchen" in titles(client, "/works/search", q="kitchen")
    assert "Sad Harbour" not in titles(client, "/works/search")
    page = client.get("/blocklist").content.decode()
    assert "Angst" in page and "kept in a cookie" in page


def test_a_guest_with_a_blocklist_gets_a_private_page_and_others_the_cached_one(client, works):
    stranger = client.__class__()
    assert stranger.get("/works/").templates  # rendered once, then cached
    assert _from_cache(stranger.get("/works/"))
    block(client, "Angst")
    mine = client.get("/works/")
    assert mine.templates and "Sad Harbour" not in mine.content.decode()
    assert "private" in mine["Cache-Control"]
    # Another guest, without the cookie, still gets the shared page, with every work.
    theirs = stranger.get("/works/")
    assert _from_cache(theirs)
    assert "Sad Harbour" in theirs.content.decode()
    assert "hidden by your filters" not in theirs.content.decode()
    # The tag page with its "Block this tag" link is shared too (it carries no CSRF token).
    assert stranger.get("/tags/Angst/works").templates
    assert _from_cache(stranger.get("/tags/Angst/works"))
    # ?show_hidden=1 changes nothing for a guest without a blocklist.
    assert "Sad Harbour" in stranger.get("/works/", {"show_hidden": "1"}).content.decode()


def test_a_tampered_cookie_is_ignored(client, works):
    block(client, "Angst")
    value = client.cookies[blocklist.COOKIE].value
    client.cookies[blocklist.COOKIE] = value[:-3] + ("AAA" if value[-3:] != "AAA" else "BBB")
    assert len(titles(client, "/works/")) == 3
    # Signed with another key, or holding nonsense: ignored as well, never a 500.
    client.cookies[blocklist.COOKIE] = signing.dumps({"t": [[1, None]]}, salt="another.salt")
    assert len(titles(client, "/works/")) == 3
    forged = signing.dumps(
        {"t": "x", "u": [True, -1, "2"], "w": {"a": 1}}, salt=blocklist.COOKIE_SALT
    )
    client.cookies[blocklist.COOKIE] = forged
    assert len(titles(client, "/works/")) == 3
    assert client.get("/blocklist").status_code == 200


def test_a_guest_hides_a_creator_and_a_work_and_shows_them_again(client, works):
    response = client.post("/blocklist/creators/add", {"username": "SOMEONE"})
    assert response.status_code == 302
    assert "Elsewhere" not in titles(client, "/works/")
    response = client.post("/blocklist/works/add", {"work": f"http://x/works/{works['fluff'].pk}"})
    assert response.status_code == 302
    assert titles(client, "/works/") == ["Sad Harbour"]
    someone = works["other"].creatorships.get().pseud.user
    client.post("/blocklist/creators/remove", {"id": someone.pk})
    client.post("/blocklist/works/remove", {"id": works["fluff"].pk})
    assert len(titles(client, "/works/")) == 3
    # Nothing left: the cookie goes, and the guest is given the shared pages again.
    assert client.cookies[blocklist.COOKIE].value == ""


def test_unknown_names_are_form_errors_for_guests_too(client, works):
    response = client.post("/blocklist/creators/add", {"username": "nobody-here"})
    assert response.status_code == 400
    assert "Nobody here is called “nobody-here”." in response.content.decode()
    response = client.post("/blocklist/works/add", {"work": "not a work"})
    assert response.status_code == 400
    assert block(client, "No Such Tag").status_code == 400
    assert blocklist.COOKIE not in client.cookies


def test_a_guests_blocklist_is_capped_to_fit_a_cookie(client, works):
    tags = Tag.objects.bulk_create(
        Tag(kind=TagKind.FREEFORM, name=f"Guest {n}", name_key=f"guest {n}")
        for n in range(blocklist.GUEST_TAGS_MAX)
    )
    full = blocklist.GuestBlocklist(
        tags=[(tag.pk, None) for tag in tags],
        creators=list(range(10**6, 10**6 + blocklist.GUEST_CREATORS_MAX)),
        works=list(range(10**6, 10**6 + blocklist.GUEST_WORKS_MAX)),
    )
    from django.http import HttpResponse

    response = HttpResponse()
    blocklist.write_cookie(response, full)
    value = response.cookies[blocklist.COOKIE].value
    assert len(value) < 4000
    client.cookies[blocklist.COOKIE] = value
    response = block(client, "Angst")
    assert response.status_code == 400
    assert "at most 100 tags: log in to block more" in response.content.decode()
    assert len(titles(client, "/works/")) == 3


def test_guest_forms_carry_django_csrf_tokens(client, works):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert block(strict, "Angst").status_code == 403
    page = strict.get("/blocklist")
    token = page.context["csrf_token"]
    response = strict.post("/blocklist/tags/add", {"tag": "Angst", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
