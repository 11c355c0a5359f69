"""In a real Chromium: a guest reports a work from its page; an admin opens the report from the
queue and hides the work; the guest no longer finds it, its creator sees why."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from ficshelf.moderation.models import AbuseReport, ActionKind, ModerationAction
from ficshelf.works.models import Work
from tests.browser.test_journeys import log_in
from tests.factories import make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def other_page(chromium, live_server):
    """A second browser (its own cookies) beside `page`, for a guest or another account."""
    contexts = []

    def open_one():
        contexts.append(chromium.new_context(base_url=live_server.url))
        return contexts[-1].new_page()

    yield open_one
    for context in contexts:
        context.close()


def test_a_guest_reports_a_work_and_an_admin_hides_it(page, other_page, check_accessibility):
    writer = make_user("spammer")
    work = make_work(writer, title="Cheap Watches Here")
    admin = make_user("keeper")
    admin.is_staff = True
    admin.save()
    admin.user_permissions.add(Permission.objects.get(codename="change_commentreport"))

    guest = other_page()
    guest.goto(f"/works/{work.pk}")
    guest.get_by_role("link", name="Report this work").click()
    guest.get_by_label("Spam or commercial content").check()
    guest.get_by_label("Tell the admins about it").fill("It only sells watches.")
    guest.get_by_label("Your email address").fill("reader@example.org")
    guest.get_by_role("button", name="Send the report").click()
    expect(guest.get_by_text("your report is with the admins")).to_be_visible()

    log_in(page, "keeper")
    page.get_by_role("link", name="Admin queue").click()
    check_accessibility(page)
    filed = AbuseReport.objects.get()
    page.get_by_role("link", name=f"Report {filed.pk}: work “Cheap Watches Here”").click()
    expect(page.get_by_text("It only sells watches.")).to_be_visible()
    check_accessibility(page)
    hide = page.locator("form.moderation-action").first
    hide.get_by_label("Reason (for the log)").fill("Spam: selling watches.")
    hide.get_by_role("button", name="Hide the work").click()
    expect(page.get_by_text("is hidden: only its creators and admins can open it")).to_be_visible()
    expect(page.get_by_text("This work is hidden now.")).to_be_visible()

    assert Work.objects.get(pk=work.pk).hidden_by_admin
    action = ModerationAction.objects.get()
    assert (action.kind, action.admin_name, action.reason) == (
        ActionKind.HIDE_WORK,
        "keeper",
        "Spam: selling watches.",
    )
    assert guest.goto(f"/works/{work.pk}").status == 404
    guest.goto("/works/")
    expect(guest.get_by_text("Cheap Watches Here")).to_have_count(0)

    creator = other_page()
    log_in(creator, "spammer")
    creator.goto(f"/works/{work.pk}")
    expect(creator.get_by_text("This work has been hidden by an admin")).to_be_visible()
    expect(creator.get_by_text("Spam: selling watches.")).to_be_visible()
