"""Comments in a real Chromium: a reader comments on a chapter, the author replies in place
(htmx), and a guest without JavaScript comments through the plain form."""

import re

import pytest
from playwright.sync_api import expect

from ficshelf.feedback.forms import MIN_FILL_SECONDS
from ficshelf.feedback.models import Comment
from tests.browser.test_journeys import log_in
from tests.factories import make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A person takes a moment to write: the form refuses anything sent back sooner.
FILL_MS = (MIN_FILL_SECONDS + 0.5) * 1000


def test_a_reader_comments_on_a_chapter_and_the_author_replies_in_place(page, check_accessibility):
    author = make_user("nightwriter")
    work = make_work(author, chapters=2, title="Night Shift")
    first = work.chapters.get(position=1)
    make_user("nightreader")

    log_in(page, "nightreader")
    page.goto(f"/works/{work.pk}/chapters/{first.pk}")
    comments = page.locator("#comments_placeholder")
    page.wait_for_timeout(FILL_MS)
    comments.get_by_label("Comment:", exact=True).fill("The ending gave me chills.")
    comments.get_by_label("Mark as critique").check()
    comments.get_by_role("button", name="Comment", exact=True).click()
    expect(comments.locator("li.comment blockquote.userstuff")).to_have_text(
        "The ending gave me chills."
    )
    expect(comments.locator("li.comment .label.critique")).to_have_text("Critique")
    expect(comments.get_by_role("status")).to_contain_text("Your comment was posted.")
    # Posted in place: the page did not change, and the form is empty and ready again.
    expect(page).to_have_url(re.compile(rf"/works/{work.pk}/chapters/{first.pk}$"))
    expect(comments.get_by_label("Comment:", exact=True)).to_have_value("")
    check_accessibility(page)
    page.get_by_role("button", name="Log out").click()

    log_in(page, "nightwriter")
    page.goto(f"/works/{work.pk}/chapters/{first.pk}")
    thread = Comment.objects.get()
    comment = page.locator(f"#comment_{thread.pk}")
    comment.get_by_role("link", name="Reply").click()
    reply_form = comment.locator("form.comment-form")
    expect(reply_form).to_be_visible()
    page.wait_for_timeout(FILL_MS)
    reply_form.get_by_label("Comment:", exact=True).fill("Thank you, that was the plan!")
    reply_form.get_by_role("button", name="Post reply").click()
    reply = page.locator(f"#replies_{thread.pk} > li.comment")
    expect(reply.locator("blockquote.userstuff")).to_have_text("Thank you, that was the plan!")
    expect(reply.locator("h4.byline")).to_contain_text("nightwriter")
    expect(comment.locator("form.comment-form")).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"/works/{work.pk}/chapters/{first.pk}$"))
    check_accessibility(page)

    # Both are there for the next reader, threaded.
    page.reload()
    expect(page.locator(f"#comment_{thread.pk} #replies_{thread.pk} li.comment")).to_contain_text(
        "Thank you, that was the plan!"
    )


def test_a_guest_without_javascript_comments_with_the_plain_form(chromium, live_server):
    author = make_user("plainwriter")
    work = make_work(author, title="Plain Page")
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"/works/{work.pk}")
        comments = page.locator("#comments_placeholder")
        # The honeypot is off screen: a person never sees it.
        expect(comments.get_by_label("Leave this field empty")).not_to_be_in_viewport()
        comments.get_by_label("Name:", exact=True).fill("Passing Reader")
        comments.get_by_label("Email:", exact=True).fill("passing@example.org")
        comments.get_by_label("Comment:", exact=True).fill("Found this by chance. Lovely!")
        page.wait_for_timeout(FILL_MS)
        comments.get_by_role("button", name="Comment", exact=True).click()
        # Answered by a redirect to the comment's own page.
        expect(page).to_have_url(re.compile(r"/comments/\d+#comment_\d+$"))
        expect(page.get_by_text("Your comment was posted.")).to_be_visible()
        shown = page.locator("li.comment").first
        expect(shown.locator("h4.byline")).to_contain_text("Passing Reader (Guest)")
        expect(shown).not_to_contain_text("passing@example.org")
        # And guests reading the work see it.
        page.goto(f"/works/{work.pk}")
        expect(page.locator("#comments_placeholder li.comment")).to_contain_text(
            "Found this by chance. Lovely!"
        )
    finally:
        context.close()
