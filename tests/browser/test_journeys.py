"""What a person clicks, in a real Chromium: posting, reading as a guest, importing the seed."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_a100ff2d1837b2ec.txt"


def sign_up(page, username: str) -> None:
    page.goto("/signup")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    # The account is made inactive and its activation link emailed (no enumeration of emails).
    expect(page.get_by_role("heading", name="Check your email to finish")).to_be_visible()
    link = re.search(r"https?://[^/\s]+(/users/activate/\S+)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.get_by_role("button", name="Activate my account").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_in(page, username: str) -> None:
    page.goto("/users/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_new_author_posts_a_two_chapter_work_that_a_guest_reads(page, check_accessibility):
    sign_up(page, "nightshift")
    check_accessibility(page)

    page.get_by_role("link", name="Post new work").click()
    check_accessibility(page)
    page.get_by_label("Rating").select_option(label="Mature")
    page.get_by_label("Graphic Depictions Of Violence").check()
    page.get_by_label("F/F").check()
    page.get_by_label("Fandoms").fill("Law & Order: Special Victims Unit")
    page.get_by_label("Relationships").fill("Alex/Olivia, Elliot & Olivia")
    page.get_by_label("Characters").fill("Olivia Benson, Alex Cabot")
    page.get_by_label(re.compile(r"^Title")).fill("Night Shift")
    page.get_by_label("Summary").fill("Two detectives, one long night.")
    page.get_by_label("Expected number of chapters").fill("2")
    page.get_by_label("The text is written as").select_option(label="Plain text")
    page.get_by_label("Work text").fill("The precinct was quiet.\n\nToo quiet, Olivia thought.")
    page.get_by_role("button", name="Post", exact=True).click()

    expect(page.locator("h2.title.heading")).to_have_text("Night Shift")
    expect(page.locator("dd.chapters")).to_have_text("1/2")
    page.get_by_role("link", name="Add chapter").click()
    page.get_by_label("Chapter title").fill("Morning")
    page.get_by_label("The text is written as").select_option(label="Plain text")
    page.get_by_label("Chapter text").fill("Dawn broke over Manhattan.")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator("dd.chapters")).to_have_text("2/2")
    work_url = re.sub(r"/chapters/\d+$", "", page.url)

    page.get_by_role("button", name="Log out").click()

    # A guest meets the adult notice first, never the text.
    page.goto(work_url)
    expect(page.get_by_text("This work could have adult content")).to_be_visible()
    expect(page.get_by_text("The precinct was quiet.")).to_have_count(0)
    check_accessibility(page)
    page.get_by_role("link", name="Yes, Continue").click()

    expect(page.locator("#chapter-1 .userstuff")).to_contain_text("The precinct was quiet.")
    expect(page.locator("dd.relationship.tags")).to_contain_text("Alex/Olivia")
    expect(page.locator("dd.words")).to_have_text("12")
    check_accessibility(page)

    page.get_by_role("link", name="Next Chapter →").first.click()
    expect(page.locator("#chapter-2 .userstuff")).to_contain_text("Dawn broke over Manhattan.")
    page.get_by_role("link", name="← Previous Chapter").first.click()
    expect(page.locator("#chapter-1")).to_be_visible()
    page.get_by_role("link", name="Chapter Index").first.click()
    check_accessibility(page)
    page.get_by_role("link", name="2. Morning").click()
    expect(page.locator("#chapter-2 h3.title")).to_contain_text("Morning")
    page.get_by_role("link", name="Entire Work").first.click()
    expect(page.locator("#chapters > .chapter")).to_have_count(2)


def test_the_seed_imports_through_the_upload_form_with_its_scene_breaks(page, check_accessibility):
    make_user("importer")
    log_in(page, "importer")
    page.get_by_role("link", name="Import", exact=True).click()
    check_accessibility(page)
    page.get_by_label("File").set_input_files(str(SEED))
    page.get_by_label("Fandom").fill("Law & Order: Special Victims Unit")
    page.get_by_label("Rating").select_option(label="Mature")
    page.get_by_label("Graphic Depictions Of Violence").check()
    page.get_by_role("button", name="Import").click()

    expect(page.locator("h2.title.heading")).to_have_text("Traitor")
    expect(page.locator("dd.relationship.tags")).to_contain_text("Alex/Olivia")
    expect(page.locator("div.notes.module blockquote.userstuff")).to_contain_text("Hey guys!")
    expect(page.locator("#chapters .userstuff hr")).to_have_count(2)
    expect(page.locator("#chapters .userstuff p")).to_have_count(28)
    check_accessibility(page)


def test_the_work_page_fits_a_phone_screen(phone_page, check_accessibility):
    from tests.factories import make_work

    work = make_work(
        title="A title long enough to wrap on a small phone screen, surely",
        relationships=["Alex/Olivia", "Elliot Stabler & Olivia Benson"],
        freeforms=["Angst", "Hurt/Comfort", "Police Procedural", "Slow Burn"],
        text="<p>" + "A rather long paragraph of prose. " * 40 + "</p>",
    )
    restricted = make_work(title="Members only", restricted=True)
    for url in (f"/works/{work.pk}", "/works/", "/", f"/works/{restricted.pk}"):
        phone_page.goto(url)
        phone_page.locator("main").wait_for()
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{url} is {width}px wide on a 360px screen"
        check_accessibility(phone_page)
