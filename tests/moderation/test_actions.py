"""The admins' queue and what they do: hide and unhide a work, delete a comment, suspend and
ban an account, dismiss a report; each logged with who, when and why."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ficshelf.feedback.models import Comment, CommentStatus
from ficshelf.moderation import services
from ficshelf.moderation.models import (
    AbuseReport,
    ActionKind,
    ModerationAction,
    ReportKind,
    ReportStatus,
)
from ficshelf.works.models import Work
from tests.factories import make_account, make_work
from tests.feedback.commenting import comment_on
from tests.moderation.helpers import client_of, make_admin, report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def admin():
    return make_admin()


@pytest.fixture
def writer():
    return make_account("writer")


@pytest.fixture
def work(writer):
    return make_work(
        writer, title="Spam Tapir Work", fandoms=["Moderation Fandom"], freeforms=["Tapirs"]
    )


# --- The queue ---------------------------------------------------------------------------------


def test_the_queue_its_reports_and_the_log_are_for_admins_only(work, admin):
    filed = report(ReportKind.WORK, work)
    urls = [
        "/admin-queue/",
        f"/admin-queue/reports/{filed.pk}",
        "/admin-queue/log",
        f"/admin-queue/works/{work.pk}/hide",
    ]
    for someone in (None, make_account("reader"), work.creatorships.get().pseud.user):
        for url in urls:
            assert client_of(someone).get(url).status_code == 404, url
    staff = client_of(admin)
    for url in urls:
        assert staff.get(url).status_code == 200, url
    # A reader's POST to an action changes nothing.
    client_of(make_account("other")).post(f"/admin-queue/works/{work.pk}/hide", {"reason": "x"})
    assert not Work.objects.get(pk=work.pk).hidden_by_admin


def test_the_queue_filters_by_status_and_kind(work, writer, admin):
    work_report = report(ReportKind.WORK, work, description="About the Tapir work.")
    user_report = report(ReportKind.USER, writer, description="About the writer's account.")
    services.dismiss_report(report=user_report, admin=admin, reason="Not a rule broken.")
    staff = client_of(admin)
    open_page = staff.get("/admin-queue/").content.decode()
    assert f"Report {work_report.pk}:" in open_page and f"Report {user_report.pk}:" not in open_page
    dismissed = staff.get("/admin-queue/?status=dismissed").content.decode()
    assert f"Report {user_report.pk}:" in dismissed and f"Report {work_report.pk}:" not in dismissed
    every = staff.get("/admin-queue/?status=all&kind=user").content.decode()
    assert f"Report {user_report.pk}:" in every and f"Report {work_report.pk}:" not in every
    assert staff.get("/admin-queue/?status=nonsense").status_code == 400


def test_a_report_page_shows_the_reported_content_and_its_actions(work, admin):
    filed = report(ReportKind.WORK, work, description="Selling things.")
    page = client_of(admin).get(f"/admin-queue/reports/{filed.pk}").content.decode()
    assert "Selling things." in page and "The first chapter" in page
    assert f'action="/admin-queue/works/{work.pk}/hide"' in page
    assert f'action="/admin-queue/reports/{filed.pk}/dismiss"' in page
    assert "csrfmiddlewaretoken" in page


# --- Hiding a work -------------------------------------------------------------------------------


def _guest_pages(work):
    return {
        "work page": work.get_absolute_url(),
        "works index": "/works/",
        "tag page": "/tags/Tapirs/works",
        "search": "/works/search?q=Tapir",
        "fandom's feed": "/tags/Moderation%20Fandom/feed.atom",
    }


def test_hiding_a_work_takes_it_from_a_guest_at_once_though_their_pages_were_cached(work, admin):
    guest = client_of()
    pages = _guest_pages(work)
    for name, url in pages.items():
        for _ in range(2):  # the second read is the guest's cached copy
            response = guest.get(url)
            assert response.status_code == 200 and work.title in response.content.decode(), name
    filed = report(ReportKind.WORK, work)
    response = client_of(admin).post(
        f"/admin-queue/works/{work.pk}/hide", {"reason": "Spam, rule 4.", "report": filed.pk}
    )
    assert (
        response.status_code == 302 and response["Location"] == f"/admin-queue/reports/{filed.pk}"
    )
    assert guest.get(pages["work page"]).status_code == 404
    for name, url in pages.items():
        if name != "work page":
            response = guest.get(url)
            assert work.title not in response.content.decode(), name
    action = ModerationAction.objects.get()
    assert (action.kind, action.admin, action.work, action.reason, action.report) == (
        ActionKind.HIDE_WORK,
        admin,
        Work.objects.get(pk=work.pk),
        "Spam, rule 4.",
        filed,
    )
    filed.refresh_from_db()
    assert (filed.status, filed.closed_by) == (ReportStatus.RESOLVED, admin)
    log = client_of(admin).get("/admin-queue/log").content.decode()
    assert "admin" in log and "Hid a work" in log and "Spam, rule 4." in log


def test_a_download_a_guest_fetched_before_is_gone_once_the_work_is_hidden(work, admin):
    from django.urls import reverse

    from ficshelf.downloads.views import download_name

    guest = client_of()
    urls = [
        reverse(
            "downloads:download",
            kwargs={"work_id": work.pk, "slug": download_name(work), "extension": extension},
        )
        for extension in ("epub", "html")
    ]
    for url in urls:
        assert [guest.get(url).status_code for _ in range(2)] == [200, 200], url
    services.hide_work(work=work, admin=admin, reason="Plagiarism.")
    assert [guest.get(url).status_code for url in urls] == [404, 404]


def test_a_hidden_works_creator_still_sees_and_edits_it_with_the_reason(work, writer, admin):
    services.hide_work(work=work, admin=admin, reason="Wrong rating: rule 7.")
    own = client_of(writer)
    page = own.get(work.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "This work has been hidden by an admin" in text and "Wrong rating: rule 7." in text
    chapter = work.chapters.get()
    assert own.get(f"/works/{work.pk}/chapters/{chapter.pk}/edit").status_code == 200
    # Admins open it to review it; other readers do not.
    assert client_of(admin).get(work.get_absolute_url()).status_code == 200
    assert client_of(make_account("reader")).get(work.get_absolute_url()).status_code == 404


def test_unhiding_brings_the_work_back(work, admin):
    guest = client_of()
    services.hide_work(work=work, admin=admin, reason="Spam.")
    assert guest.get(work.get_absolute_url()).status_code == 404
    response = client_of(admin).post(f"/admin-queue/works/{work.pk}/unhide", {"reason": "Appeal."})
    assert response.status_code == 302
    assert guest.get(work.get_absolute_url()).status_code == 200
    assert work.title in guest.get("/works/search?q=Tapir").content.decode()
    kinds = list(ModerationAction.objects.values_list("kind", flat=True))
    assert kinds == [ActionKind.UNHIDE_WORK, ActionKind.HIDE_WORK]


def test_an_action_needs_a_reason_and_a_post(work, admin):
    staff = client_of(admin)
    missing = staff.post(f"/admin-queue/works/{work.pk}/hide", {"reason": "  "})
    assert missing.status_code == 400 and "Please give the reason" in missing.content.decode()
    staff.get(f"/admin-queue/works/{work.pk}/hide?reason=x")
    assert not Work.objects.get(pk=work.pk).hidden_by_admin
    assert not ModerationAction.objects.exists()
    with pytest.raises(ValidationError):
        services.hide_work(work=work, admin=admin, reason="")


def test_non_staff_calling_a_service_is_refused(work, writer):
    reader = make_account("reader")
    comment = comment_on(work, reader)
    filed = report(ReportKind.WORK, work)
    calls = [
        lambda: services.hide_work(work=work, admin=reader, reason="x"),
        lambda: services.unhide_work(work=work, admin=reader, reason="x"),
        lambda: services.delete_comment(comment=comment, admin=writer, reason="x"),
        lambda: services.suspend_account(
            user=writer, admin=reader, until=timezone.now() + timedelta(days=1), reason="x"
        ),
        lambda: services.unsuspend(user=writer, admin=reader, reason="x"),
        lambda: services.ban_account(user=writer, admin=reader, reason="x"),
        lambda: services.dismiss_report(report=filed, admin=None, reason="x"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert not ModerationAction.objects.exists()


# --- Comments ------------------------------------------------------------------------------------


def test_an_admin_deletes_a_reported_comment(work, admin):
    commenter = make_account("commenter")
    comment = comment_on(work, commenter, "Buy cheap Tapirs here.")
    filed = report(ReportKind.COMMENT, comment, by=make_account("reader"))
    response = client_of(admin).post(
        f"/admin-queue/comments/{comment.pk}/delete", {"reason": "Spam.", "report": filed.pk}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.DELETED and comment.text == ""
    assert Work.objects.get(pk=work.pk).comments_count == 0
    assert "Buy cheap" not in client_of().get(work.get_absolute_url()).content.decode()
    action = ModerationAction.objects.get()
    assert (action.kind, action.comment, action.reason) == (
        ActionKind.DELETE_COMMENT,
        comment,
        "Spam.",
    )
    filed.refresh_from_db()
    assert filed.status == ReportStatus.RESOLVED and "Buy cheap" in filed.snapshot_text
    again = client_of(admin).post(f"/admin-queue/comments/{comment.pk}/delete", {"reason": "x"})
    assert again.status_code == 400 and "already deleted" in again.content.decode()
    assert Comment.objects.filter(pk=comment.pk).exists()


# --- Accounts -------------------------------------------------------------------------------------


def test_an_admin_suspends_an_account_for_some_days_and_lifts_it(writer, admin):
    staff = client_of(admin)
    response = staff.post(
        f"/admin-queue/users/{writer.username}/suspend", {"reason": "Harassment.", "days": "3"}
    )
    assert response.status_code == 302
    writer.refresh_from_db()
    assert writer.is_suspended
    assert (
        timedelta(days=2, hours=23) < writer.suspended_until - timezone.now() <= timedelta(days=3)
    )
    action = ModerationAction.objects.get()
    assert (action.kind, action.account, action.until) == (
        ActionKind.SUSPEND,
        writer,
        writer.suspended_until,
    )
    assert "Suspended until" in staff.get(writer.get_absolute_url()).content.decode()
    bad = staff.post(f"/admin-queue/users/{writer.username}/suspend", {"reason": "x", "days": "0"})
    assert bad.status_code == 400
    staff.post(f"/admin-queue/users/{writer.username}/unsuspend", {"reason": "Appeal granted."})
    writer.refresh_from_db()
    assert not writer.is_suspended
    assert ModerationAction.objects.first().kind == ActionKind.UNSUSPEND


def test_a_ban_logs_the_account_out_everywhere_and_refuses_its_login(writer, admin):
    from tests.factories import PASSWORD

    writer.set_password(PASSWORD)
    writer.save()
    browser = client_of()
    assert browser.login(username="writer", password=PASSWORD)
    session_key = browser.cookies["sessionid"].value
    assert Session.objects.filter(session_key=session_key).exists()
    filed = report(ReportKind.USER, writer)
    response = client_of(admin).post(
        f"/admin-queue/users/{writer.username}/ban", {"reason": "Spam account.", "report": filed.pk}
    )
    assert response.status_code == 302
    writer.refresh_from_db()
    assert not writer.is_active
    # Its session is gone: the browser that was logged in is a guest's now.
    assert not Session.objects.filter(session_key=session_key).exists()
    page = browser.get("/works/new")
    assert page.status_code == 302 and page["Location"].startswith(reverse("accounts:login"))
    assert not client_of().login(username="writer", password=PASSWORD)
    filed.refresh_from_db()
    assert filed.status == ReportStatus.RESOLVED
    assert ModerationAction.objects.get().kind == ActionKind.BAN


def test_admins_cannot_suspend_or_ban_themselves_or_other_admins(admin):
    other_admin = make_admin("other-admin")
    until = timezone.now() + timedelta(days=1)
    for target in (admin, other_admin):
        with pytest.raises(ValidationError):
            services.suspend_account(user=target, admin=admin, until=until, reason="x")
        with pytest.raises(ValidationError):
            services.ban_account(user=target, admin=admin, reason="x")
    assert not ModerationAction.objects.exists()


# --- Dismissing, and the log ----------------------------------------------------------------------


def test_dismissing_a_report_is_logged_and_takes_it_from_the_open_queue(work, admin):
    filed = report(ReportKind.WORK, work)
    staff = client_of(admin)
    assert staff.get(f"/admin-queue/reports/{filed.pk}/dismiss").status_code == 405
    empty = staff.post(f"/admin-queue/reports/{filed.pk}/dismiss", {"reason": ""})
    assert empty.status_code == 400
    staff.post(f"/admin-queue/reports/{filed.pk}/dismiss", {"reason": "Within the rules."})
    filed.refresh_from_db()
    assert (filed.status, filed.closed_by) == (ReportStatus.DISMISSED, admin)
    action = ModerationAction.objects.get()
    assert (action.kind, action.report, action.reason) == (
        ActionKind.DISMISS,
        filed,
        "Within the rules.",
    )
    assert not Work.objects.get(pk=work.pk).hidden_by_admin


def test_the_log_is_append_only(work, admin):
    action = services.hide_work(work=work, admin=admin, reason="Spam.")
    with pytest.raises(TypeError):
        action.save()
    with pytest.raises(TypeError):
        action.delete()
    with pytest.raises(TypeError):
        ModerationAction.objects.update(reason="Changed.")
    with pytest.raises(TypeError):
        ModerationAction.objects.all().delete()
    assert ModerationAction.objects.get().reason == "Spam."


def test_a_deleted_work_leaves_its_report_and_log_readable(work, writer, admin):
    from ficshelf.works.services import delete_work

    filed = report(ReportKind.WORK, work)
    services.hide_work(work=work, admin=admin, reason="Spam.")
    delete_work(work=Work.objects.get(pk=work.pk), editor=writer)
    filed.refresh_from_db()
    assert filed.work is None and filed.snapshot_title == "Spam Tapir Work"
    assert ModerationAction.objects.get().target_label == "Spam Tapir Work"
    page = client_of(admin).get(f"/admin-queue/reports/{filed.pk}").content.decode()
    assert "Spam Tapir Work" in page and "since deleted" in page
    assert AbuseReport.objects.count() == 1
