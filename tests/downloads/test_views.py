"""Downloading a work from its page: who may, what the file is called, and that it is built
once per revision."""

import pytest
from django.urls import reverse

from ficshelf.downloads import files
from ficshelf.downloads.views import download_name
from ficshelf.works.services import ChapterContent, edit_chapter
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def url(work, extension="epub", slug=None):
    return reverse(
        "downloads:download",
        kwargs={"work_id": work.pk, "slug": slug or download_name(work), "extension": extension},
    )


def test_a_guest_downloads_an_epub_as_an_attachment_named_after_the_title(client):
    work = make_work(title="Quiet Hours")
    response = client.get(url(work))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"
    assert response["Content-Disposition"] == 'attachment; filename="quiet-hours.epub"'
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_the_html_download_is_served_as_html(client):
    work = make_work(title="Quiet Hours")
    response = client.get(url(work, "html"))
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="quiet-hours.html"'
    assert b"The first chapter" in b"".join(response.streaming_content)


def test_the_file_name_is_safe_whatever_the_title(client):
    work = make_work(title='../../etc/passwd "quoted" <b>')
    assert download_name(work) == "etcpasswd-quoted-b"
    response = client.get(url(work))
    assert response["Content-Disposition"] == 'attachment; filename="etcpasswd-quoted-b.epub"'
    assert download_name(make_work(title="🦊🦊")) == "work"


def test_a_link_with_an_old_title_leads_to_the_current_name(client):
    work = make_work(title="New Title")
    response = client.get(url(work, slug="old-title"))
    assert response.status_code == 302
    assert response["Location"] == url(work)


def test_a_draft_is_not_found_for_anyone_even_its_creator(client, author):
    draft = make_work(author, title="Unfinished", post=False)
    for extension in ("epub", "html"):
        assert client.get(url(draft, extension)).status_code == 404
    client.force_login(author)
    assert client.get(url(draft)).status_code == 404
    client.force_login(make_user())
    assert client.get(url(draft)).status_code == 404
    assert not files.directory().exists() or not list(files.directory().iterdir())


def test_a_guest_is_asked_to_log_in_before_a_restricted_work(client, reader):
    work = make_work(title="Members Only", restricted=True)
    response = client.get(url(work))
    assert response.status_code == 403
    assert b"only available to registered readers" in response.content
    client.force_login(reader)
    response = client.get(url(work))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"


def test_an_adult_work_downloads_without_the_adult_notice(client):
    work = make_work(title="After Dark", rating="explicit")
    response = client.get(url(work))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"


def test_a_file_is_built_once_and_rebuilt_after_an_edit(client, author):
    work = make_work(author, title="Quiet Hours")
    client.get(url(work, "html"))
    built = files.path_for(work, "html")
    first_built_at = built.stat().st_mtime_ns
    built.write_bytes(built.read_bytes().replace(b"first chapter", b"cached chapter"))
    cached_at = built.stat().st_mtime_ns
    response = client.get(url(work, "html"))
    assert b"cached chapter" in b"".join(response.streaming_content)  # read from disk
    assert built.stat().st_mtime_ns == cached_at >= first_built_at

    edit_chapter(
        chapter=work.chapters.get(),
        editor=author,
        content=ChapterContent(text="<p>A rewritten chapter.</p>"),
    )
    work.refresh_from_db()
    response = client.get(url(work, "html"))
    assert b"A rewritten chapter." in b"".join(response.streaming_content)
    assert not built.exists()  # the old revision's file is gone
    assert files.path_for(work, "html").exists()


def test_the_work_page_links_to_the_downloads(client, author):
    work = make_work(author, title="Quiet Hours")
    page = client.get(work.get_absolute_url()).content.decode()
    assert url(work, "epub") in page and url(work, "html") in page
    client.force_login(make_user())
    assert url(work, "epub") in client.get(work.get_absolute_url()).content.decode()


def test_a_drafts_page_shows_its_creator_no_download_links(client, author):
    draft = make_work(author, title="Unfinished", post=False)
    client.force_login(author)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "/download/" not in response.content.decode()


def test_a_long_work_is_built_in_the_background_while_the_reader_waits(
    client, author, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(files, "LONG_WORK_WORDS", 3)
    work = make_work(author, title="Epic", text="<p>Many many words here.</p>")
    with django_capture_on_commit_callbacks(execute=False) as asked:
        response = client.get(url(work))
        again = client.get(url(work))
    assert response.status_code == again.status_code == 202
    assert "is being prepared" in response.content.decode()
    assert response["Refresh"] == "5"
    assert len(asked) == 1  # asked once, however often the page reloads
    asked[0]()  # the task runs
    response = client.get(url(work))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"
    assert not files.pending_marker(work, "epub").exists()


def test_a_background_build_of_a_work_deleted_meanwhile_does_nothing(author):
    from ficshelf.downloads.tasks import build_download
    from ficshelf.works.services import delete_work

    work = make_work(author, title="Gone Soon")
    delete_work(work=work, editor=author)
    assert build_download.call(work.pk, "epub") is False
