"""The account pages in a real Chromium: accessible, and no wider than a 360 px phone."""

import pytest

from ficshelf.accounts.services import add_pseud
from ficshelf.works.services import ChapterContent, create_work
from tests.factories import PASSWORD, make_metadata, make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_NAME = "a_rather_long_user_name_of_forty_letters"

GUEST_PAGES = [
    "/signup",
    "/users/login",
    "/users/password/reset",
    "/users/password/reset/done",
    "/users/password/reset/complete",
    "/users/password/reset/MQ/not-a-token",
    "/signup/done",
]
OWNER_PAGES = [
    f"/users/{LONG_NAME}",
    f"/users/{LONG_NAME}/works",
    f"/users/{LONG_NAME}/pseuds",
    f"/users/{LONG_NAME}/pseuds/new",
    f"/users/{LONG_NAME}/pseuds/Another_rather_long_pseud_name_of_forty",
    "/users/password/change",
    "/users/password/change/done",
    f"/users/{LONG_NAME}/sessions",
    f"/users/{LONG_NAME}/two-factor",
    f"/users/{LONG_NAME}/delete",
]
# Pages with work blurbs, whose creators' names are of an ordinary length.
WORKS_PAGES = [
    "/users/nightshift",
    "/users/nightshift/works",
    "/users/nightshift/pseuds",
    "/users/nightshift/pseuds/Night Owl",
    "/users/nightshift/pseuds/Night Owl/works",
]


def _fits(page, url: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{url} is {width}px wide on a 360px screen"


def _visit(page, urls: list[str], check) -> None:
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        _fits(page, url)
        check(page)


def test_the_account_pages_fit_a_phone_and_pass_axe(phone_page, check_accessibility):
    page, check = phone_page, check_accessibility
    user = make_user(LONG_NAME)
    add_pseud(user=user, name="Another_rather_long_pseud_name_of_forty", description="Hi. " * 100)
    writer = make_user("nightshift")
    owl = add_pseud(user=writer, name="Night Owl", description="Stories after midnight.")
    make_work(writer, title="A posted work")
    create_work(
        creators=[owl],
        metadata=make_metadata(title="Under the pseud"),
        chapter=ChapterContent(text="<p>Text.</p>"),
        post=True,
    )
    _visit(page, GUEST_PAGES, check)
    _visit(page, WORKS_PAGES, check)

    # A form with an error on every field.
    page.goto("/signup")
    page.get_by_role("button", name="Sign up").click()
    assert page.get_by_role("alert").count() == 1
    _fits(page, "/signup with errors")
    check(page)

    page.goto("/users/login")
    page.get_by_label("User name or email").fill(LONG_NAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()
    _visit(page, OWNER_PAGES, check)
