"""Deleting an account (archive.account_deletion): everything is offered for download first,
then the works are deleted or orphaned (co-created ones stay with their other creators), and
the account goes, all at once."""

import io
import json
import zipfile

import pytest
from django.test import Client

from ficshelf.accounts.models import AccountSession, Pseud, User
from ficshelf.archive import account_deletion
from ficshelf.bookmarks.models import Bookmark
from ficshelf.bookmarks.services import bookmark_work
from ficshelf.works.models import Work
from ficshelf.works.services import ORPHAN_ACCOUNT
from tests.factories import PASSWORD, add_co_creator, make_user, make_work

# The password check is throttled in the cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def author(db):
    return make_user("author")


@pytest.fixture
def author_client(author):
    browser = Client()
    assert browser.post("/users/login", {"username": "author", "password": PASSWORD}).status_code
    return browser


def delete(browser, works="orphan", password=PASSWORD, understood="on", **extra):
    data = {"works": works, "password": password}
    if understood:
        data["understood"] = understood
    return browser.post("/users/author/delete", data, **extra)


def creators(work) -> list[str]:
    return sorted(c.pseud.user.username for c in work.creatorships.select_related("pseud__user"))


def test_the_page_offers_the_export_first_and_asks_for_the_password(author_client, author):
    make_work(author, title="Night Shift")
    page = author_client.get("/users/author/delete").content.decode()
    assert page.index("Download everything") < page.index("Delete the account")
    assert 'href="/users/author/export"' in page
    assert 'action="/users/author/delete/everything.zip"' in page
    assert "Night Shift" in page
    assert 'type="password"' in page


def test_only_the_owner_reaches_the_page(author, client):
    assert client.get("/users/author/delete").status_code == 302  # a guest: log in first
    client.force_login(make_user("reader"))
    assert client.get("/users/author/delete").status_code == 404
    assert client.post("/users/author/delete", {"password": PASSWORD}).status_code == 404
    assert client.post("/users/author/delete/everything.zip").status_code == 404
    assert User.objects.filter(username="author").exists()


def test_the_zip_holds_the_json_export_and_every_work_as_epub_html_and_json(author_client, author):
    posted = make_work(author, title="Night Shift", chapters=2)
    draft = make_work(author, title="Unfinished", post=False, text="<p>Draft words.</p>")
    response = author_client.post("/users/author/delete/everything.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "ficshelf-author-everything.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    stem = f"works/{posted.pk}-night-shift"
    assert {"ficshelf-author.json", f"{stem}.epub", f"{stem}.html", f"{stem}.json"} <= names
    assert f"works/{draft.pk}-unfinished.json" in names
    account = json.loads(archive.read("ficshelf-author.json"))
    assert account["account"]["username"] == "author"
    assert "Chapter 2 text." in archive.read(f"{stem}.html").decode()
    assert archive.read(f"{stem}.epub")[:2] == b"PK"
    draft_json = json.loads(archive.read(f"works/{draft.pk}-unfinished.json"))
    assert draft_json["chapters"][0]["text"].count("Draft words.") == 1


def test_orphaning_keeps_the_works_up_credited_to_orphan_account(author_client, author):
    work = make_work(author, title="Night Shift")
    draft = make_work(author, post=False)
    response = delete(author_client, works="orphan", follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Your account was deleted (1 works deleted, 1 orphaned" in response.content.decode()
    assert not User.objects.filter(username="author").exists()
    assert creators(Work.objects.get(pk=work.pk)) == [ORPHAN_ACCOUNT]
    assert not Work.objects.filter(pk=draft.pk).exists()
    assert not author_client.get("/users/password/change").wsgi_request.user.is_authenticated


def test_deleting_takes_the_works_down(author_client, author):
    work = make_work(author)
    delete(author_client, works="delete")
    assert not Work.objects.filter(pk=work.pk).exists()
    assert not User.objects.filter(username=ORPHAN_ACCOUNT).exists()


@pytest.mark.parametrize("choice", ["orphan", "delete"])
def test_a_co_created_work_stays_with_its_other_creator(author_client, author, choice):
    partner = make_user("partner")
    work = add_co_creator(make_work(author, title="Together"), by=author, user=partner)
    assert creators(work) == ["author", "partner"]
    delete(author_client, works=choice)
    assert creators(Work.objects.get(pk=work.pk)) == ["partner"]


def test_orphaned_works_of_two_accounts_share_one_orphan_pseud(author_client, author):
    first = make_work(author)
    other = make_user("other")
    second = make_work(other)
    delete(author_client)
    account_deletion.delete_account(user=other, works="orphan")
    (pseud,) = Pseud.objects.filter(user__username=ORPHAN_ACCOUNT)
    for work in (first, second):
        assert list(Work.objects.get(pk=work.pk).creatorships.values_list("pseud", flat=True)) == [
            pseud.pk
        ]


def test_the_accounts_own_things_go_with_it(author_client, author):
    reader_work = make_work(make_user("someone"))
    bookmark_work(user=author, work=reader_work)
    other_browser = Client()
    other_browser.post("/users/login", {"username": "author", "password": PASSWORD})
    assert AccountSession.objects.filter(user=author).count() == 2
    delete(author_client)
    assert not Bookmark.objects.filter(user_id=author.pk).exists()
    assert not Pseud.objects.filter(user_id=author.pk).exists()
    assert not AccountSession.objects.exists()
    assert not other_browser.get("/users/password/change").wsgi_request.user.is_authenticated
    assert Work.objects.filter(pk=reader_work.pk).exists()


def test_a_wrong_password_or_no_confirmation_deletes_nothing(author_client, author):
    work = make_work(author)
    wrong = delete(author_client, password="not-it")
    assert wrong.status_code == 400
    assert "That is not your password." in wrong.content.decode()
    unconfirmed = delete(author_client, understood=None)
    assert unconfirmed.status_code == 400
    assert User.objects.filter(username="author").exists()
    assert Work.objects.filter(pk=work.pk).exists()


def test_password_guesses_here_are_throttled_like_logins(author_client, author):
    for _ in range(5):
        delete(author_client, password="guess")
    response = delete(author_client)
    assert response.status_code == 429
    assert "Retry-After" in response
    assert User.objects.filter(username="author").exists()


def test_it_is_all_or_nothing(author, monkeypatch):
    make_work(author)

    def fail(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(User, "delete", fail)
    with pytest.raises(RuntimeError):
        account_deletion.delete_account(user=author, works="orphan")
    assert Work.objects.filter(creatorships__pseud__user=author).count() == 1
    assert not User.objects.filter(username=ORPHAN_ACCOUNT).exists()


def test_the_orphan_account_itself_cannot_be_deleted(author):
    make_work(author)
    account_deletion.delete_account(user=author, works="orphan")
    with pytest.raises(account_deletion.DeletionRefused):
        account_deletion.delete_account(
            user=User.objects.get(username=ORPHAN_ACCOUNT), works="orphan"
        )
