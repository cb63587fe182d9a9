"""Every public page type passes axe-core (WCAG 2.0/2.1 A and AA, WCAG 2.2 AA), in French, English
and Korean, at 1280 px and at 390 px, without breaking the Content-Security-Policy; the layout holds
at 320 px; the skip link works from the keyboard; the print stylesheet hides the navigation.

The demo content (``load_demo``) is loaded once, then one Chromium, one browser context per width
and one tab per context visit every page: each page type, language and width is a subtest, so a
failure names its page. Screenshots of every page go to ``artifacts/screenshots/`` (git-ignored):
``<page type>-<language>-<width>.png``, and ``print-…`` for the print stylesheet.
"""

import os
import re
from pathlib import Path

import pytest

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections
from django.utils.translation import override

from relations.models import Agreement, Event, UpdatePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = {"desktop": (1280, 800), "mobile": (390, 844)}
LANGUAGES = ("fr", "en", "ko")

LISTEN_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def demo_site():
    """The demo content, and the path of each page type in each language (read before Chromium
    starts: no ORM call is made while it runs)."""
    # Every content type in Django's cache, with the ids of the migrated database this test
    # started from: the folder's conftest reloads that database after the last browser test, and
    # Wagtail builds workflow tasks by looking their content type up (a miss would insert a row).
    ContentType.objects.get_for_models(*apps.get_models())
    call_command("load_demo", skip_index=True, verbosity=0)
    fta = Agreement.objects.get(slug_fr="accord-de-libre-echange-canada-coree")
    summit = Event.objects.filter(start_date__isnull=False).order_by("start_date").first()
    update = UpdatePage.objects.live().order_by("-date").first()
    paths = {}
    for language in LANGUAGES:
        # Korean pages keep the English slugs.
        area = "economie" if language == "fr" else "economy"
        paths[("home", language)] = f"/{language}/"
        paths[("area", language)] = f"/{language}/{area}/"
        paths[("standard", language)] = (
            "/fr/accessibilite/" if language == "fr" else f"/{language}/accessibility/"
        )
        agreements = "/fr/ententes/" if language == "fr" else f"/{language}/agreements/"
        paths[("agreements", language)] = agreements
        # Filters applied, one of them invalid (the page then says which one it ignored).
        paths[("agreements-filtered", language)] = f"{agreements}?area={area}&status=in_force&signed_after=x"
        paths[("agreement", language)] = fta.get_url_for_language(language)
        paths[("events", language)] = "/fr/evenements/" if language == "fr" else f"/{language}/events/"
        # Filters open, one of them invalid, a year that has no past event (two notices).
        paths[("events-filtered", language)] = paths[("events", language)] + "?kind=summit&city=x&year=1900"
        paths[("event", language)] = summit.get_url_for_language(language)
        paths[("updates", language)] = "/fr/actualites/" if language == "fr" else f"/{language}/updates/"
        with override(language):
            paths[("update", language)] = update.get_url()
        timeline = "/fr/chronologie/" if language == "fr" else f"/{language}/timeline/"
        paths[("timeline", language)] = timeline
        # Both filters applied, the year invalid (the page then says it ignored it).
        paths[("timeline-filtered", language)] = f"{timeline}?area={area}&year=x"
        words = {"fr": "Corée", "en": "Korea", "ko": "퀘벡"}
        paths[("search", language)] = f"/{language}/search/?q=" + words[language]
        paths[("404", language)] = f"/{language}/page-qui-n-existe-pas/"
        paths[("contact", language)] = "/fr/nous-joindre/" if language == "fr" else f"/{language}/contact/"
        paths[("contact-errors", language)] = paths[("contact", language)]
    return paths


@pytest.fixture
def chromium(live_server):
    """One Chromium for the test, started after ``demo_site`` (ask for it second) and stopped
    before the database is flushed: Playwright's sync API keeps an event loop in this thread, and
    the flush must not run beside it. ``DJANGO_ALLOW_ASYNC_UNSAFE`` lets Django work meanwhile."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-quic"],
            )
            yield browser
            browser.close()
            connections.close_all()


def axe_violations(page, axe):
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
    ]


def visit(page, url, page_type):
    response = page.goto(url, wait_until="load")
    expected = 404 if page_type == "404" else 200
    assert response.status == expected, f"{url} answered {response.status}"
    if page_type == "contact-errors":
        page.click(".contact-form button[type=submit]")
        page.wait_for_load_state("load")
        assert page.locator(".error-summary").count() == 1


def test_public_pages_in_chromium(demo_site, chromium, live_server, subtests):
    """One browser for the whole module: axe at both widths, then 320 px, keyboard, print, forms."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    csp_problems = []
    for width_name, (width, height) in WIDTHS.items():
        context = chromium.new_context(viewport={"width": width, "height": height})
        context.add_init_script(LISTEN_CSP)
        page = context.new_page()
        page.on(
            "console",
            lambda message, page=page: (
                csp_problems.append(f"{page.url}: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        for (page_type, language), path in demo_site.items():
            with subtests.test(msg=f"axe {page_type} {language} {width_name}"):
                visit(page, live_server.url + path, page_type)
                page.screenshot(path=SCREENSHOTS / f"{page_type}-{language}-{width_name}.png", full_page=True)
                csp_problems.extend(f"{path}: {v}" for v in page.evaluate("window.__csp || []"))
                violations = axe_violations(page, axe)
                assert not violations, "\n".join(violations)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"{path} is {overflow}px wider than the window at {width}px"
        context.close()
    with subtests.test(msg="no Content-Security-Policy violation (JSON-LD included)"):
        assert not csp_problems, "\n".join(csp_problems)

    context = chromium.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for (page_type, language), path in demo_site.items():
        if page_type == "contact-errors":
            continue
        with subtests.test(msg=f"320px {page_type} {language}"):
            visit(page, live_server.url + path, page_type)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} is {overflow}px wider than the window at 320px"
            if language == "fr" and page_type in ("home", "area", "agreements", "search", "contact"):
                page.screenshot(path=SCREENSHOTS / f"{page_type}-{language}-320.png", full_page=True)

    with subtests.test(msg="skip link"):
        page.goto(live_server.url + "/fr/")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className + '|' + document.activeElement.textContent")
        assert focused.startswith("skip-link|"), focused
        box = page.locator(".skip-link").bounding_box()
        assert box and box["y"] >= 0, "the skip link is not visible when focused"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"

    # A 1280 px screen with a classic scrollbar lays pages out in 1265 px; the menu's eight entries
    # stay on one line there, whichever is the current page (it is marked, not widened).
    page.set_viewport_size({"width": 1265, "height": 800})
    for language in LANGUAGES:
        with subtests.test(msg=f"main menu on one line {language}"):
            page.goto(f"{live_server.url}/{language}/")
            hrefs = page.eval_on_selector_all(
                ".main-nav a", "links => links.map(a => a.getAttribute('href'))"
            )
            assert len(hrefs) == 8, hrefs
            for href in hrefs:
                page.goto(live_server.url + href)
                lines = page.eval_on_selector_all(
                    ".main-nav li", "items => new Set(items.map(i => i.offsetTop)).size"
                )
                assert lines == 1, f"{href}: the main menu takes {lines} lines at 1265 px"

    with subtests.test(msg="print stylesheet"):
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(live_server.url + "/fr/economie/")
        page.emulate_media(media="print")
        displays = page.evaluate(
            "['.main-nav', '.search-form', '.lang-switcher', '.breadcrumbs']"
            ".map(s => document.querySelector(s)).filter(Boolean)"
            ".map(e => getComputedStyle(e).display)"
        )
        assert displays and set(displays) == {"none"}, displays
        page.screenshot(path=SCREENSHOTS / "print-area-fr.png", full_page=True)
        page.emulate_media(media="screen")

    for language, message in (("fr", "Ce champ est obligatoire"), ("en", "This field is required")):
        with subtests.test(msg=f"contact form errors {language}"):
            page.goto(live_server.url + demo_site[("contact", language)])
            page.fill("textarea", "Bonjour")
            page.click(".contact-form button[type=submit]")
            page.wait_for_load_state("load")
            assert message in page.locator(".error-summary").inner_text()
            # Each error is linked from the summary to its field, which says it is invalid.
            target = page.locator(".error-summary a").first.get_attribute("href")
            assert page.locator(target).get_attribute("aria-invalid") == "true"
            assert re.search(r"^(Erreur|Error)", page.title())
    context.close()
