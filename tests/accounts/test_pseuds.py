"""Pseuds: listing, adding, the pseud's page and works, and choosing the default."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ficshelf.accounts.models import Pseud
from ficshelf.accounts.services import add_pseud
from ficshelf.works.services import ChapterContent, create_work
from tests.factories import make_metadata, make_user, make_work

pytestmark = pytest.mark.django_db


def work_by(pseud, *, post: bool = True, **meta):
    """A work credited to `pseud` alone (make_work credits the default pseud)."""
    return create_work(
        creators=[pseud],
        metadata=make_metadata(**meta),
        chapter=ChapterContent(text="<p>Text.</p>"),
        post=post,
    )


def test_the_pseuds_page_lists_every_pseud_with_a_link(client, author):
    add_pseud(user=author, name="Night Owl", description="Late-night stories.")
    page = client.get("/users/author/pseuds").content.decode()
    assert 'href="/users/author/pseuds/author"' in page
    assert 'href="/users/author/pseuds/Night%20Owl"' in page
    assert "Late-night stories." in page


def test_the_owner_adds_a_pseud(author_client, author):
    response = author_client.post(
        "/users/author/pseuds/new",
        {"name": "Night Owl", "description": "Late-night stories."},
        follow=True,
    )
    assert response.redirect_chain == [("/users/author/pseuds/Night%20Owl", 302)]
    assert "Pseud “Night Owl” was created." in response.content.decode()
    pseud = author.pseuds.get(name="Night Owl")
    assert pseud.description == "Late-night stories."
    assert not pseud.is_default


def test_only_the_owner_can_add_a_pseud(client, author, reader):
    client.force_login(reader)
    assert client.get("/users/author/pseuds/new").status_code == 403
    response = client.post("/users/author/pseuds/new", {"name": "Impostor"})
    assert response.status_code == 403
    assert not Pseud.objects.filter(name="Impostor").exists()


def test_a_guest_is_asked_to_log_in_before_adding_a_pseud(client, author):
    response = client.get("/users/author/pseuds/new")
    assert response.status_code == 302
    assert response["Location"].startswith("/users/login?next=")


def test_a_pseud_name_is_unique_per_user_ignoring_case(author_client, author):
    add_pseud(user=author, name="Night Owl")
    response = author_client.post("/users/author/pseuds/new", {"name": "night owl"})
    assert response.status_code == 200
    assert "You already have a pseud called “night owl”." in response.content.decode()
    assert author.pseuds.count() == 2


def test_two_users_may_share_a_pseud_name(author_client, reader):
    add_pseud(user=reader, name="Night Owl")
    author_client.post("/users/author/pseuds/new", {"name": "Night Owl"})
    assert Pseud.objects.filter(name="Night Owl").count() == 2


@pytest.mark.parametrize("name", ["", "Night/Owl", "<b>bold</b>", "x" * 41])
def test_a_pseud_name_must_be_letters_numbers_spaces_or_underscores(author_client, name):
    response = author_client.post("/users/author/pseuds/new", {"name": name})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Pseud.objects.exclude(name="author").exists()


def test_a_pseud_cannot_be_called_new_as_that_is_the_add_page(author_client):
    response = author_client.post("/users/author/pseuds/new", {"name": "New"})
    assert "That pseud name is reserved." in response.content.decode()


def test_the_pseud_page_shows_its_description_and_works(client, author):
    pseud = add_pseud(user=author, name="Night Owl", description="Stories after midnight.")
    work_by(pseud, title="Owl Work")
    make_work(author, title="Default Pseud Work")
    response = client.get(reverse("accounts:pseud", args=["author", "Night Owl"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in page and page.count("<h1") == 1
    assert "Stories after midnight." in page
    assert "Owl Work" in page
    assert "Default Pseud Work" not in page


def test_the_pseud_works_page_lists_that_pseuds_works(client, author):
    pseud = add_pseud(user=author, name="Night Owl")
    work_by(pseud, title="Owl Work")
    make_work(author, title="Default Pseud Work")
    response = client.get("/users/author/pseuds/Night%20Owl/works")
    page = response.content.decode()
    assert '<ol class="work index group">' in page
    assert "Owl Work" in page
    assert "Default Pseud Work" not in page


def test_the_pseud_works_page_lists_drafts_only_to_the_creator(client, author, reader):
    pseud = add_pseud(user=author, name="Night Owl")
    work_by(pseud, title="Owl Draft", post=False)
    url = "/users/author/pseuds/Night%20Owl/works"
    assert "Owl Draft" not in client.get(url).content.decode()
    client.force_login(reader)
    assert "Owl Draft" not in client.get(url).content.decode()
    client.force_login(author)
    assert "Owl Draft" in client.get(url).content.decode()


def test_pseud_names_in_urls_ignore_case(client, author):
    add_pseud(user=author, name="Night Owl")
    assert client.get("/users/AUTHOR/pseuds/night%20owl").status_code == 200


def test_an_unknown_pseud_is_not_found(client, author):
    make_user("other")
    assert client.get("/users/author/pseuds/nobody").status_code == 404
    # A pseud belongs to its own account only.
    assert client.get("/users/author/pseuds/other").status_code == 404
    assert client.get("/users/author/pseuds/nobody/works").status_code == 404


def test_the_owner_makes_a_pseud_the_default(author_client, author):
    pseud = add_pseud(user=author, name="Night Owl")
    response = author_client.post("/users/author/pseuds/Night%20Owl/default", follow=True)
    assert response.redirect_chain == [("/users/author/pseuds", 302)]
    assert "“Night Owl” is now your default pseud." in response.content.decode()
    assert author.default_pseud == pseud
    assert author.pseuds.filter(is_default=True).count() == 1


def test_only_the_owner_can_change_the_default_pseud(client, author, reader):
    add_pseud(user=author, name="Night Owl")
    client.force_login(reader)
    response = client.post("/users/author/pseuds/Night%20Owl/default")
    assert response.status_code == 403
    assert author.default_pseud.name == "author"


def test_making_a_pseud_the_default_needs_a_post(author_client, author):
    add_pseud(user=author, name="Night Owl")
    assert author_client.get("/users/author/pseuds/Night%20Owl/default").status_code == 405
    assert author.default_pseud.name == "author"


def test_the_owner_sees_make_default_buttons_and_others_do_not(client, author, reader):
    add_pseud(user=author, name="Night Owl")
    client.force_login(reader)
    assert "Make default" not in client.get("/users/author/pseuds").content.decode()
    client.force_login(author)
    page = client.get("/users/author/pseuds").content.decode()
    assert page.count("Make default") == 1
    assert 'action="/users/author/pseuds/Night%20Owl/default"' in page


def test_the_service_refuses_a_pseud_name_that_cannot_be_in_a_url(db):
    user = make_user("slashed")
    with pytest.raises(ValidationError):
        add_pseud(user=user, name="Left/Right")
    assert add_pseud(user=user, name="Left Right").name == "Left Right"
