"""Keeping comments in order: a creator's approval queue and frozen threads, readers' reports,
and the moderators who answer them with who, when and why kept on the report."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from ficshelf.feedback.models import Comment, CommentReport, CommentStatus, ReportStatus
from ficshelf.feedback.services.comments import (
    approve_comment,
    reject_comment,
    report_comment,
    resolve_report,
)
from ficshelf.works.models import Work
from tests.factories import make_account, make_work
from tests.feedback.commenting import chapter_comments_url, comment_on, first_chapter, form_data
from tests.works.pages import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def writer():
    return make_account("writer")


@pytest.fixture
def fan():
    return make_account("fan")


@pytest.fixture
def moderated(writer):
    return make_work(writer, moderated_comments=True, title="Moderated")


@pytest.fixture
def moderator():
    user = make_account("mod", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_commentreport"))
    return user


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _comments_count(work) -> int:
    return Work.objects.get(pk=work.pk).comments_count


# --- Moderated works -----------------------------------------------------------------------


def test_on_a_moderated_work_a_readers_comment_waits_and_its_creators_do_not(moderated, fan):
    waiting = comment_on(moderated, fan, "Please approve me.")
    own = comment_on(moderated, moderated.creatorships.get().pseud.user, "Author's note.")
    assert waiting.status == CommentStatus.AWAITING
    assert own.status == CommentStatus.PUBLISHED
    assert _comments_count(moderated) == 1


def test_a_waiting_comment_is_seen_by_its_commenter_and_the_creators_only(moderated, fan, writer):
    comment_on(moderated, fan, "Please approve me.")
    url = first_chapter(moderated).get_absolute_url()
    own = parse(_client(fan).get(url).content).one("li.comment.awaiting")
    assert "Awaiting approval" in own.text and "Approve" not in own.text
    creator = parse(_client(writer).get(url).content)
    assert creator.one("li.comment.awaiting button.primary").text == "Approve"
    assert "1 comment on this work awaits your approval" in creator.text
    assert b"Please approve me." not in _client(make_account("other")).get(url).content
    assert b"Please approve me." not in _client().get(url).content


def test_the_commenter_is_told_their_comment_waits(moderated, fan):
    client = _client(fan)
    response = client.post(chapter_comments_url(moderated), form_data(), follow=True)
    assert "it shows once a creator of the work approves it" in response.content.decode()


def test_a_creator_approves_a_waiting_comment_which_is_then_published_and_counted(
    moderated, fan, writer
):
    waiting = comment_on(moderated, fan, "Please approve me.")
    with pytest.raises(PermissionDenied):
        approve_comment(comment=waiting, approver=fan)
    response = _client(writer).post(f"/comments/{waiting.pk}/approve")
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == CommentStatus.PUBLISHED and _comments_count(moderated) == 1
    assert (
        b"Please approve me." in _client().get(first_chapter(moderated).get_absolute_url()).content
    )
    with pytest.raises(ValidationError, match="not waiting"):
        approve_comment(comment=waiting, approver=writer)


def test_a_creator_rejects_a_waiting_comment_which_is_deleted(moderated, fan, writer):
    waiting = comment_on(moderated, fan)
    with pytest.raises(PermissionDenied):
        reject_comment(comment=waiting, rejecter=fan)
    assert _client(fan).post(f"/comments/{waiting.pk}/reject").status_code == 403
    assert _client(writer).post(f"/comments/{waiting.pk}/reject").status_code == 302
    assert not Comment.objects.exists() and _comments_count(moderated) == 0


def test_a_waiting_comment_takes_no_replies(moderated, fan, writer):
    waiting = comment_on(moderated, fan)
    with pytest.raises(ValidationError, match="waiting for approval"):
        comment_on(moderated, writer, parent=waiting)


def test_the_approval_queue_lists_waiting_comments_on_the_creators_own_works(
    moderated, fan, writer
):
    comment_on(moderated, fan, "Mine to approve.")
    someone_elses = make_work(make_account("other"), moderated_comments=True, title="Theirs")
    comment_on(someone_elses, fan, "Not yours.")
    page = _client(writer).get("/comments/awaiting").content.decode()
    assert "Mine to approve." in page and "Not yours." not in page
    assert _client().get("/comments/awaiting").status_code == 302  # to the log-in page
    approve = parse(page).select("li.comment.awaiting form")[0]
    response = _client(writer).post(approve.attrs["action"], {"next": "/comments/awaiting"})
    assert response.url == "/comments/awaiting"
    assert "No comments are waiting" in _client(writer).get("/comments/awaiting").content.decode()


# --- Frozen threads -------------------------------------------------------------------------


def test_a_creator_freezes_a_thread_and_its_reply_links_go(writer, fan):
    work = make_work(writer)
    thread = comment_on(work, fan, "Argument starts.")
    url = first_chapter(work).get_absolute_url()
    assert "Reply" in parse(_client(fan).get(url).content).one(f"li#comment_{thread.pk}").text
    assert _client(fan).post(f"/comments/{thread.pk}/freeze").status_code == 403
    assert _client(writer).post(f"/comments/{thread.pk}/freeze").status_code == 302
    shown = parse(_client(fan).get(url).content).one(f"li#comment_{thread.pk}")
    assert "This thread is frozen" in shown.text and "Reply" not in shown.text
    response = _client(fan).post(
        chapter_comments_url(work), form_data(text="One more!", parent_id=thread.pk)
    )
    assert response.status_code == 400 and b"frozen" in response.content
    assert _client(fan).get(f"/comments/{thread.pk}/reply").status_code == 403
    _client(writer).post(f"/comments/{thread.pk}/unfreeze")
    assert comment_on(work, fan, parent=thread).pk


# --- Reports -------------------------------------------------------------------------------


def test_a_reader_reports_a_comment_into_the_moderators_queue(writer, fan, moderator):
    work = make_work(writer)
    rude = comment_on(work, make_account("troll"), "Something cruel.")
    client = _client(fan)
    assert "Report this comment" in client.get(f"/comments/{rude.pk}/report").content.decode()
    empty = client.post(f"/comments/{rude.pk}/report", {"reason": "  "})
    assert empty.status_code == 400 and not CommentReport.objects.exists()
    response = client.post(f"/comments/{rude.pk}/report", {"reason": "Harassment."})
    assert response.status_code == 302
    report = CommentReport.objects.get()
    assert (report.reporter, report.reason, report.status) == (fan, "Harassment.", "open")
    again = client.post(f"/comments/{rude.pk}/report", {"reason": "Still bad."})
    assert again.status_code == 400 and b"already reported" in again.content
    queue = _client(moderator).get("/comments/reports").content.decode()
    assert "Something cruel." in queue and "Harassment." in queue


def test_guests_cannot_report_and_nobody_reports_what_they_cannot_see(writer, fan, moderated):
    comment = comment_on(make_work(writer), fan)
    assert _client().get(f"/comments/{comment.pk}/report").status_code == 302
    waiting = comment_on(moderated, fan)
    stranger = _client(make_account("stranger"))
    assert stranger.post(f"/comments/{waiting.pk}/report", {"reason": "x"}).status_code == 404
    restricted = make_work(writer, restricted=True, title="Members")
    with pytest.raises(PermissionDenied):
        report_comment(comment=comment_on(restricted, fan), reporter=None, reason="x")
    assert not CommentReport.objects.exists()


def test_only_staff_with_the_moderator_permission_work_the_queue(fan):
    assert _client(fan).get("/comments/reports").status_code == 403
    assert _client(make_account("staff", is_staff=True)).get("/comments/reports").status_code == 403
    assert (
        _client(make_account("root", is_staff=True, is_superuser=True))
        .get("/comments/reports")
        .status_code
        == 200
    )


def _reported(writer, fan):
    work = make_work(writer)
    rude = comment_on(work, make_account("troll"), "Something cruel.")
    report = report_comment(comment=rude, reporter=fan, reason="Harassment.")
    return work, rude, report


def test_a_moderator_hides_a_reported_comment_with_the_reason_logged(writer, fan, moderator):
    work, rude, report = _reported(writer, fan)
    second = report_comment(comment=rude, reporter=make_account("other"), reason="Mean.")
    response = _client(moderator).post(
        f"/comments/reports/{report.pk}/resolve", {"action": "hidden", "note": "Rule 3."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.HIDDEN and report.resolved_by == moderator
    assert report.resolved_at is not None and report.resolution_note == "Rule 3."
    second.refresh_from_db()
    assert second.status == ReportStatus.HIDDEN  # the comment's other reports are answered too
    rude.refresh_from_db()
    assert rude.status == CommentStatus.HIDDEN and _comments_count(work) == 0
    url = first_chapter(work).get_absolute_url()
    assert b"Something cruel." not in _client(fan).get(url).content
    assert b"Something cruel." not in _client().get(url).content
    for sees in (writer, rude.user):
        shown = parse(_client(sees).get(url).content).one(f"li#comment_{rude.pk}")
        assert "Something cruel." in shown.text and "Hidden by a moderator" in shown.text
    log = _client(moderator).get("/comments/reports").content.decode()
    assert "Rule 3." in log and "No reports are waiting" in log


def test_a_moderator_deletes_a_reported_comment_and_the_report_log_stays(writer, fan, moderator):
    work, rude, report = _reported(writer, fan)
    resolve_report(report=report, moderator=moderator, action="deleted", note="Spam.")
    rude.refresh_from_db()
    assert rude.status == CommentStatus.DELETED and rude.text == ""
    assert CommentReport.objects.get().resolution_note == "Spam."
    assert _comments_count(work) == 0


def test_a_moderator_dismisses_a_report_and_the_comment_stays(writer, fan, moderator):
    work, rude, report = _reported(writer, fan)
    resolve_report(report=report, moderator=moderator, action="dismissed", note="Not abuse.")
    rude.refresh_from_db()
    assert rude.status == CommentStatus.PUBLISHED and _comments_count(work) == 1
    with pytest.raises(ValidationError, match="already resolved"):
        resolve_report(report=report, moderator=moderator, action="hidden", note="Changed mind.")


def test_a_report_is_answered_only_with_a_reason_and_only_by_a_moderator(writer, fan, moderator):
    _, rude, report = _reported(writer, fan)
    response = _client(moderator).post(
        f"/comments/reports/{report.pk}/resolve", {"action": "hidden", "note": ""}
    )
    assert response.status_code == 400 and b"Please say why" in response.content
    with pytest.raises(PermissionDenied):
        resolve_report(report=report, moderator=writer, action="hidden", note="Mine.")
    assert (
        _client(writer)
        .post(f"/comments/reports/{report.pk}/resolve", {"action": "hidden", "note": "x"})
        .status_code
        == 403
    )
    rude.refresh_from_db()
    assert rude.status == CommentStatus.PUBLISHED
    assert CommentReport.objects.get().status == ReportStatus.OPEN
