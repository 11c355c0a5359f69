"""Reading settings in a real Chromium on a phone: chosen on the settings page, applied to the
chapter from its first paint, with JavaScript and without."""

import pytest

from tests.factories import PASSWORD, make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DARK_BACKGROUND = "rgb(23, 23, 26)"  # --background of the dark theme, #17171a
DARK_TEXT = "rgb(236, 235, 232)"  # --text, #ecebe8
LARGE = "22px"  # 1.375rem
MEDIUM = "18px"  # 1.125rem, the default


@pytest.fixture
def work(db):
    return make_work(
        title="The Harbour Lamps",
        chapters=2,
        text='<p align="center"><big>Part One</big></p><p>The lamps came on one by one.</p>',
    )


@pytest.fixture
def chapter_url(work):
    return work.chapters.get(position=1).get_absolute_url()


@pytest.fixture
def phone_without_js(chromium, live_server):
    """A 360 px phone screen with JavaScript turned off."""
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _style(page, selector: str, prop: str) -> str:
    # Playwright evaluates in its own isolated world, even with the page's scripts off.
    return page.locator(selector).first.evaluate(
        f"element => getComputedStyle(element).getPropertyValue('{prop}')"
    )


def _choose_dark_and_large(page, chapter_url: str) -> None:
    page.goto(chapter_url)
    assert _style(page, "#chapters .userstuff", "font-size") == MEDIUM
    page.locator(".reading-settings-link").get_by_role("link", name="Reading settings").click()
    page.get_by_role("group", name="Colours").get_by_label("Dark").check()
    page.get_by_role("group", name="Text size").get_by_label("Large", exact=True).check()
    page.get_by_label("Hide creators' styling").check()
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_url(f"**{chapter_url}")


def _assert_dark_and_large(page) -> None:
    assert _style(page, "body", "background-color") == DARK_BACKGROUND
    assert _style(page, "body", "color") == DARK_TEXT
    assert _style(page, "#chapters .userstuff", "font-size") == LARGE
    # The creator's centred, bigger line is in the reader's style.
    assert _style(page, "#chapters .userstuff p[align]", "text-align") == "start"
    assert _style(page, "#chapters .userstuff big", "font-size") == LARGE
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the chapter is {width}px wide on a 360px screen"


def test_a_guest_without_javascript_reads_in_dark_and_large_text(
    phone_without_js, work, chapter_url
):
    page = phone_without_js
    _choose_dark_and_large(page, chapter_url)
    assert "saved in this browser" in page.get_by_role("status").inner_text()
    _assert_dark_and_large(page)
    # Every page after it too.
    page.goto(work.get_absolute_url())
    _assert_dark_and_large(page)
    page.goto("/reading-settings")
    assert page.get_by_role("group", name="Colours").get_by_label("Dark").is_checked()


def test_a_reader_with_javascript_reads_in_dark_and_large_text_on_every_device(
    phone_page, chapter_url, check_accessibility
):
    page = phone_page
    make_user("night_reader")
    page.goto("/users/login")
    page.get_by_label("User name or email").fill("night_reader")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()

    page.goto("/reading-settings")
    check_accessibility(page)
    # The previews follow the choices before anything is saved.
    preview = "#reading-theme .reading-preview"
    assert _style(page, preview, "background-color") != DARK_BACKGROUND
    page.get_by_role("group", name="Colours").get_by_label("Dark").check()
    assert _style(page, preview, "background-color") == DARK_BACKGROUND
    page.get_by_role("group", name="Text size").get_by_label("Large", exact=True).check()
    assert _style(page, "#reading-text_size .reading-preview .userstuff", "font-size") == LARGE

    page.goto(chapter_url)
    _choose_dark_and_large(page, chapter_url)
    _assert_dark_and_large(page)
    check_accessibility(page)

    # Another device: the same account, the same settings, from the first paint.
    other = page.context.browser.new_context(
        base_url=page.url.split("/works")[0], viewport={"width": 360, "height": 740}
    )
    try:
        other.add_cookies(page.context.cookies())
        second = other.new_page()
        second.goto(chapter_url)
        _assert_dark_and_large(second)
    finally:
        other.close()


@pytest.mark.parametrize("theme", ["sepia", "dark"])
def test_the_themes_pass_axe_on_the_settings_page_and_a_chapter(
    phone_page, live_server, chapter_url, check_accessibility, theme
):
    page = phone_page
    page.context.add_cookies(
        [{"name": "ficshelf_reading", "value": f"theme-{theme}", "url": live_server.url}]
    )
    for url in ("/reading-settings", chapter_url, "/works/"):
        page.goto(url)
        assert page.locator("html").get_attribute("class") == f"theme-{theme}"
        check_accessibility(page)
