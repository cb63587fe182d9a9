"""The main menu on small screens, in Chromium: a "Menu" button that opens a vertical list, by
mouse and keyboard, that says whether it is open, passes axe, and works without JavaScript; on
wide screens the plain list on one line, no button.

Skipped when /usr/bin/chromium is missing, except under CI=true, where that is a failure.
"""

import pytest
from playwright.sync_api import expect

from tests.browser import test_accessibility
from tests.browser.test_accessibility import axe_violations

chromium = test_accessibility.chromium  # the accessibility tests' Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def rows(page):
    """How many lines the menu's entries take (entries laid out side by side share one)."""
    return page.eval_on_selector_all(".main-nav li", "items => new Set(items.map(i => i.offsetTop)).size")


@pytest.mark.parametrize(("language", "label"), [("fr", "Menu"), ("en", "Menu")])
def test_on_a_phone_the_menu_is_a_button_that_opens_a_vertical_list(
    tree, chromium, live_server, language, label
):
    from axe_playwright_python.sync_playwright import Axe

    page = chromium.new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server.url}/{language}/")
    toggle = page.locator("summary.main-nav__toggle")
    first_link = page.locator(".main-nav a").first
    assert toggle.is_visible() and toggle.inner_text().strip() == label
    expect(toggle).to_have_attribute("aria-expanded", "false")  # set by menu.js on the toggle event
    assert not first_link.is_visible()  # closed: the page starts right under the header
    assert axe_violations(page, Axe()) == []

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")  # set by menu.js on the toggle event
    entries = page.locator(".main-nav li").count()
    assert entries >= 5 and rows(page) == entries  # one entry per line
    assert axe_violations(page, Axe()) == []

    # Keyboard: Escape closes it and leaves the focus on the button; Enter opens it again.
    first_link.focus()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")  # set by menu.js on the toggle event
    assert page.evaluate("document.activeElement.classList.contains('main-nav__toggle')")
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")  # set by menu.js on the toggle event
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.main-nav__list') !== null")


def test_without_javascript_the_phone_menu_shows_every_link(tree, chromium, live_server):
    page = chromium.new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/fr/")
    links = page.locator(".main-nav a")
    assert links.count() >= 5
    assert all(links.nth(i).is_visible() for i in range(links.count()))
    assert rows(page) == links.count()
    page.locator("summary.main-nav__toggle").click()  # and it can still be closed
    assert not links.first.is_visible()


@pytest.mark.parametrize("java_script", [True, False])
def test_on_a_wide_screen_the_menu_is_one_line_without_a_button(tree, chromium, live_server, java_script):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=java_script)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/")
    assert not page.locator("summary.main-nav__toggle").is_visible()
    assert page.locator(".main-nav a").first.is_visible()
    assert rows(page) == 1
