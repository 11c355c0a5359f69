"""Anyone can report a work, a comment or an account to the admins: guests with an email,
readers with their account; bad input gets a clear answer, never a 500."""

import pytest
from django.core.cache import cache

from ficshelf.moderation.models import DESCRIPTION_MAX, AbuseReport, ReportKind, ReportStatus
from tests.factories import make_account, make_work
from tests.feedback.commenting import comment_on
from tests.moderation.helpers import client_of, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_rate_limits_left_over():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def writer():
    return make_account("writer")


@pytest.fixture
def work(writer):
    return make_work(writer, title="The Reported Work", text="<p>Some copied words.</p>")


def _send(client, url, **data):
    return client.post(url, {"category": "plagiarism", "description": "Copied.", **data})


def test_a_guest_reports_a_work_from_its_page_with_an_email(work):
    guest = client_of()
    page = guest.get(work.get_absolute_url()).content.decode()
    assert f'href="/report/works/{work.pk}"' in page
    form = guest.get(f"/report/works/{work.pk}")
    assert form.status_code == 200 and "Your email address" in form.content.decode()
    response = _send(guest, f"/report/works/{work.pk}", email="reader@example.org")
    assert response.status_code == 302 and response["Location"] == work.get_absolute_url()
    filed = AbuseReport.objects.get()
    assert (filed.kind, filed.work, filed.reporter, filed.reporter_email) == (
        ReportKind.WORK,
        work,
        None,
        "reader@example.org",
    )
    assert (filed.category, filed.description, filed.status) == ("plagiarism", "Copied.", "open")
    # The evidence is kept as it was.
    assert filed.snapshot_title == "The Reported Work"
    assert "Some copied words." in filed.snapshot_text


def test_a_guest_must_give_a_valid_email(work):
    guest = client_of()
    for email in ("", "not an address"):
        response = _send(guest, f"/report/works/{work.pk}", email=email)
        assert response.status_code == 400
        assert "email address" in response.content.decode()
    assert not AbuseReport.objects.exists()


def test_a_reader_reports_a_work_without_giving_an_email(work):
    reader = make_account("reader")
    client = client_of(reader)
    assert "Your email address" not in client.get(f"/report/works/{work.pk}").content.decode()
    assert _send(client, f"/report/works/{work.pk}").status_code == 302
    filed = AbuseReport.objects.get()
    assert (filed.reporter, filed.reporter_email) == (reader, "")


def test_an_empty_or_too_long_description_or_no_category_is_refused(work):
    client = client_of(make_account("reader"))
    url = f"/report/works/{work.pk}"
    empty = _send(client, url, description="   ")
    assert empty.status_code == 400 and "Please tell the admins" in empty.content.decode()
    long = _send(client, url, description="x" * (DESCRIPTION_MAX + 1))
    assert long.status_code == 400 and f"under {DESCRIPTION_MAX:,}" in long.content.decode()
    unknown = _send(client, url, category="boredom")
    assert unknown.status_code == 400
    assert not AbuseReport.objects.exists()


def test_reporting_what_is_not_there_or_not_visible_is_a_404(writer):
    client = client_of(make_account("reader"))
    draft = make_work(writer, post=False)
    assert client.get("/report/works/999999").status_code == 404
    assert _send(client, "/report/works/999999").status_code == 404
    assert _send(client, f"/report/works/{draft.pk}").status_code == 404
    assert _send(client, "/report/comments/999999").status_code == 404
    assert _send(client, "/report/users/nobody-by-that-name").status_code == 404
    assert not AbuseReport.objects.exists()


def test_the_same_reporter_reporting_the_same_thing_twice_makes_one_report(work):
    reader = make_account("reader")
    client = client_of(reader)
    assert _send(client, f"/report/works/{work.pk}").status_code == 302
    again = _send(client, f"/report/works/{work.pk}", description="Still copied.")
    assert again.status_code == 400 and "already reported" in again.content.decode()
    guest = client_of()
    _send(guest, f"/report/works/{work.pk}", email="Same@Example.org")
    _send(guest, f"/report/works/{work.pk}", email="same@example.org")
    assert AbuseReport.objects.count() == 2  # one by the reader, one by the guest's address


def test_a_closed_report_does_not_stop_a_new_one(work):
    reader = make_account("reader")
    first = report(ReportKind.WORK, work, by=reader)
    AbuseReport.objects.filter(pk=first.pk).update(
        status=ReportStatus.DISMISSED, closed_at=first.created_at
    )
    report(ReportKind.WORK, work, by=reader)
    assert AbuseReport.objects.count() == 2


def test_anyone_reports_a_comment_from_the_comment_itself(work, writer):
    commenter = make_account("commenter")
    comment = comment_on(work, commenter, "A rude comment about a Tapir.")
    url = f"/report/comments/{comment.pk}"
    for client in (client_of(), client_of(make_account("reader"))):
        page = client.get(comment.get_absolute_url()).content.decode()
        assert f'href="{url}"' in page
    guest = client_of()
    assert _send(guest, url, category="harassment", email="g@example.org").status_code == 302
    filed = AbuseReport.objects.get()
    assert (filed.kind, filed.comment, filed.category) == ("comment", comment, "harassment")
    assert "Tapir" in filed.snapshot_text and "commenter" in filed.snapshot_title


def test_a_comment_deleted_by_its_writer_keeps_the_evidence(work):
    from ficshelf.feedback.services.comments import delete_comment

    commenter = make_account("commenter")
    comment = comment_on(work, commenter, "Words about a Tapir.")
    filed = report(ReportKind.COMMENT, comment, by=make_account("reader"))
    delete_comment(comment=comment, deleter=commenter)
    filed.refresh_from_db()
    assert "Tapir" in filed.snapshot_text
    queue = client_of(make_account("staff", is_staff=True)).get(f"/admin-queue/reports/{filed.pk}")
    assert "Tapir" in queue.content.decode()


def test_anyone_but_its_owner_reports_an_account_from_its_profile(writer):
    profile = writer.get_absolute_url()
    link = f'href="/report/users/{writer.username}"'
    assert link in client_of().get(profile).content.decode()
    assert link in client_of(make_account("reader")).get(profile).content.decode()
    assert link not in client_of(writer).get(profile).content.decode()
    response = _send(client_of(), f"/report/users/{writer.username}", email="g@example.org")
    assert response.status_code == 302
    assert AbuseReport.objects.get().reported_user == writer


def test_guests_are_rate_limited(work):
    guest = client_of()
    answers = [
        _send(guest, f"/report/works/{work.pk}", email=f"g{n}@example.org").status_code
        for n in range(6)
    ]
    assert answers[:5] == [302] * 5
    assert answers[5] == 429
    assert AbuseReport.objects.count() == 5


def test_the_report_form_has_a_csrf_token_and_a_get_writes_nothing(work):
    page = client_of().get(f"/report/works/{work.pk}").content.decode()
    assert "csrfmiddlewaretoken" in page
    assert not AbuseReport.objects.exists()
