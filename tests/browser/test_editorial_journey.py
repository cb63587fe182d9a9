"""The editorial workflow in a real browser (Playwright, Debian's Chromium), admin in French.

(a) The editor logs in, creates an event in French and English, previews it in English and
    submits it for moderation; they have no "Publish" button, and a crafted POST with
    ``action-publish`` leaves the event unpublished. The moderator logs in and approves it; the
    event is on the public calendar and in the iCalendar feed, in both languages.
(b) The editor changes a published agreement and submits it; the moderator requests changes with
    a comment; the public page still shows the published version.
(c) A tour of the other screens of the editors' guide (lists, scheduling, review date).

Screenshots go to ``$PORTAL_SCREENSHOTS`` (default: a folder in the temporary directory), never
into the repository; copy the ones docs/editors.md shows into docs/img/ by hand when the admin
changes. Skipped when /usr/bin/chromium is missing, except under CI=true, where that is a failure.
"""

import datetime
import os
import re
import tempfile
import time
from pathlib import Path

import pytest

from django.contrib.auth.models import Group
from django.db import connections

from relations.models import Agreement, Event
from tests import factories
from tests.editorial import make_user

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(os.environ.get("PORTAL_SCREENSHOTS") or Path(tempfile.gettempdir()) / "portal-screenshots")
PASSWORD = "browser-test-password"  # noqa: S105 -- a throwaway account of the test database

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

if not os.path.exists(CHROMIUM):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright


@pytest.fixture(autouse=True)
def _no_autosave(settings):
    """Wagtail 8 autosaves drafts every half second while a form changes. With SQLite, the live
    server's threads share the test's in-memory connection: fewer background requests keep the
    journeys deterministic. The feature itself is Wagtail's and stays on for editors."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


@pytest.fixture
def browser(transactional_db, live_server):
    """Chromium for one test, stopped before the database is flushed.

    Playwright's sync API keeps an event loop running in this thread, and while it runs Django's
    per-context ``connections`` hands out other connection objects: the flush at the end of the
    test and the restore of the migrations' data (groups, workflow, root page) at the start of the
    next one must happen with Playwright stopped, so it lives for one test only (depending on the
    database fixtures makes it start after them and stop before them).
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the test's ORM calls beside Playwright
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-quic"],
            )
            yield browser
            browser.close()
            # Close the connections the test's ORM calls opened in Playwright's context, or
            # PostgreSQL refuses to drop the test database at the end of the session.
            connections.close_all()


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="fr-CA", viewport={"width": 1280, "height": 860})
    context.set_default_timeout(20_000)
    yield context
    # The admin refreshes previews in the background: leave every page and let the live server
    # finish, so that no request reaches the database while the test's data is removed.
    for page in context.pages:
        page.goto("about:blank")
    context.close()
    time.sleep(0.5)


@pytest.fixture
def staff(tree):
    """The demo's two accounts, with a password for the login form."""
    accounts = {}
    for username, group in (("editor", "Editors"), ("moderator", "Moderators")):
        user = make_user(username, group, language="fr")
        user.set_password(PASSWORD)
        user.save()
        accounts[username] = user
    assert Group.objects.get(name="Editors").user_set.filter(username="editor").exists()
    return accounts


def shot(page, name, full_page=False):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)  # let dialogs, menus and side panels finish their transitions
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def login(page, base_url, username, screenshot=None):
    page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    if screenshot:
        shot(page, screenshot)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))


def logout(page, base_url):
    page.context.clear_cookies()
    page.goto(f"{base_url}/admin/login/")


def set_value(page, selector, value):
    """Type into a date field without opening its calendar pop-up (which would cover the page)."""
    page.eval_on_selector(
        selector,
        "(el, value) => { el.value = value; el.dispatchEvent(new Event('change', {bubbles: true})); }",
        value,
    )


def scroll_to(page, selector):
    page.eval_on_selector(selector, "el => el.scrollIntoView({block: 'center'})")


def click_and_wait(page, selector):
    """Click a button that submits a form, and wait for the page that answers."""
    with page.expect_navigation():
        page.click(selector)


def open_actions_menu(page):
    """The arrow beside the footer's main button, which holds the other actions."""
    page.click("footer .w-dropdown__toggle")
    page.wait_for_selector("footer .w-dropdown__content:not([hidden])")


def editorial_fixtures(tree):
    """Something for the dashboard panels to show."""
    factories.OrganizationFactory(name_fr="Institut coréen de la culture", name_en="")
    factories.KeyFigureFactory(
        label_fr="Échanges commerciaux", review_by=datetime.date.today() - datetime.timedelta(days=30)
    )
    tree.culture.review_by = datetime.date.today() - datetime.timedelta(days=10)
    tree.culture.save()


def test_editor_creates_an_event_and_the_moderator_approves_it(live_server, context, tree, staff):
    editorial_fixtures(tree)
    base = live_server.url
    start = datetime.date.today() + datetime.timedelta(days=60)
    end = start + datetime.timedelta(days=3)
    page = context.new_page()

    # The editor logs in: the dashboard shows what lacks English and what is past review.
    login(page, base, "editor", screenshot="login")
    assert page.locator("#missing-english-section, #missing-english").count() >= 1
    assert "Institut coréen de la culture" in page.content()
    assert "Échanges commerciaux" in page.content()
    shot(page, "dashboard", full_page=True)

    # The Relations menu.
    page.get_by_role("button", name="Relations").click()
    page.wait_for_selector("a[href='/admin/snippets/relations/event/']")
    shot(page, "relations-menu")

    # A new event, French and English side by side.
    page.goto(f"{base}/admin/snippets/relations/event/add/")
    assert page.locator("button[name=action-publish]").count() == 0
    page.fill("#id_title_fr", "Semaine du cinéma québécois à Séoul")
    page.fill("#id_title_en", "Québec Film Week in Seoul")
    page.select_option("#id_kind", "festival")
    set_value(page, "#id_start_date", start.isoformat())
    set_value(page, "#id_end_date", end.isoformat())
    page.fill("#id_city_fr", "Séoul")
    page.fill("#id_city_en", "Seoul")
    page.select_option("#id_country", "KR")
    page.fill("#id_summary_fr", "Dix films québécois présentés en version sous-titrée en coréen.")
    page.fill("#id_summary_en", "Ten films from Québec, subtitled in Korean.")
    scroll_to(page, "#id_title_fr")
    shot(page, "event-form")

    # Saved as a draft first.
    click_and_wait(page, "footer button.action-save >> nth=0")
    assert re.search(r"/admin/snippets/relations/event/edit/\d+/", page.url)
    event = Event.objects.get()
    assert not event.live
    edit_url = page.url

    # Preview in English, from the preview panel.
    page.click("button[data-side-panel-toggle=preview]")
    frame = page.frame_locator("#w-preview-iframe")
    frame.locator("h1:has-text('Semaine du cinéma québécois à Séoul')").wait_for()
    page.select_option("#id_preview_mode", "en")
    frame.locator("h1:has-text('Québec Film Week in Seoul')").wait_for()
    shot(page, "event-preview-en")
    page.click("button[data-side-panel-toggle=preview]")

    # No publish button; a crafted POST with action-publish only saves a draft.
    assert page.locator("button[name=action-publish]").count() == 0
    page.fill("#id_title_en", "Québec Film Week in Seoul 2027")
    with page.expect_navigation():
        page.evaluate(
            """() => {
                const form = document.querySelector("#id_title_en").form;
                const input = document.createElement("input");
                input.type = "hidden";
                input.name = "action-publish";
                input.value = "action-publish";
                form.appendChild(input);
                form.requestSubmit();
            }"""
        )
    event.refresh_from_db()
    assert event.latest_revision.content["title_en"] == "Québec Film Week in Seoul 2027"  # saved…
    assert not event.live and event.last_published_at is None  # …as a draft only
    page.fill("#id_title_en", "Québec Film Week in Seoul")
    click_and_wait(page, "footer button.action-save >> nth=0")

    # Submitted for moderation.
    page.goto(edit_url)
    open_actions_menu(page)
    shot(page, "submit-for-moderation")
    click_and_wait(page, "button[name=action-submit]")
    event.refresh_from_db()
    assert event.current_workflow_task_state is not None
    assert not event.live

    # The moderator sees it on the dashboard and approves it.
    logout(page, base)
    login(page, base, "moderator")
    assert "Semaine du cinéma québécois à Séoul" in page.content()
    page.get_by_text("En attente de votre vérification").first.scroll_into_view_if_needed()
    shot(page, "moderator-dashboard")
    page.goto(edit_url)
    open_actions_menu(page)
    shot(page, "moderator-actions")
    approve = "footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    click_and_wait(page, approve)
    event.refresh_from_db()
    assert event.live

    # Visitors see it in both languages, on the calendar and in the iCalendar feed.
    page.goto(f"{base}/fr/evenements/")
    assert "Semaine du cinéma québécois à Séoul" in page.content()
    shot(page, "public-events-fr")
    page.goto(f"{base}/en/events/")
    assert "Québec Film Week in Seoul" in page.content()
    french_feed = page.request.get(f"{base}/fr/flux/evenements.ics")
    english_feed = page.request.get(f"{base}/en/feeds/events.ics")
    assert french_feed.ok and "text/calendar" in french_feed.headers["content-type"]
    assert "Semaine du cinéma québécois à Séoul" in french_feed.text()
    assert "Québec Film Week in Seoul" in english_feed.text()


def test_moderator_rejects_an_agreement_change_with_a_comment(live_server, context, tree, staff):
    base = live_server.url
    agreement = factories.AgreementFactory(
        title_fr="Entente de coopération culturelle",
        title_en="Cultural cooperation agreement",
        signed_on=datetime.date(2016, 11, 1),
        signed_precision="month",
        text_fr="",
        text_en="",
        areas=[tree.culture],
    )
    public_url = agreement.get_url_for_language("fr")
    page = context.new_page()

    login(page, base, "editor")
    page.goto(f"{base}/admin/snippets/relations/agreement/edit/{agreement.pk}/")
    page.fill("#id_title_fr", "Entente de coopération culturelle (version révisée)")
    shot(page, "agreement-form")
    scroll_to(page, "#id_signed_precision")
    shot(page, "agreement-dates")
    open_actions_menu(page)
    click_and_wait(page, "button[name=action-submit]")
    agreement.refresh_from_db()
    assert agreement.current_workflow_task_state is not None

    logout(page, base)
    login(page, base, "moderator")
    page.goto(f"{base}/admin/snippets/relations/agreement/edit/{agreement.pk}/")
    open_actions_menu(page)
    page.click("footer button[data-workflow-action-name=reject]")
    page.wait_for_selector("textarea[name=comment]")
    page.fill("textarea[name=comment]", "Le titre officiel ne change pas : gardez le titre d’origine.")
    shot(page, "request-changes")
    with page.expect_navigation():
        page.locator("form:has(textarea[name=comment]) button[type=submit]").click()

    agreement.refresh_from_db()
    assert agreement.current_workflow_task_state is None or agreement.current_workflow_task_state.status == (
        "rejected"
    )
    assert agreement.title_fr == "Entente de coopération culturelle"

    # The editor sees the comment.
    logout(page, base)
    login(page, base, "editor")
    page.goto(f"{base}/admin/snippets/relations/agreement/edit/{agreement.pk}/")
    page.click("button[data-side-panel-toggle=status]")
    page.wait_for_selector("[data-side-panel=status]:not([hidden])")
    shot(page, "changes-requested")

    # History and comparison of the versions.
    page.goto(f"{base}/admin/snippets/relations/agreement/history/{agreement.pk}/")
    html = page.content()
    assert "editor" in html and "moderator" in html
    shot(page, "history")
    page.goto(
        f"{base}/admin/snippets/relations/agreement/history/{agreement.pk}/revisions/compare/live...latest/"
    )
    assert "version révisée" in page.content()
    shot(page, "compare")

    # Visitors still see the published version.
    page.goto(f"{base}{public_url}")
    html = page.content()
    assert "Entente de coopération culturelle" in html
    assert "version révisée" not in html


def test_tour_of_lists_scheduling_and_review_dates(live_server, context, tree, staff):
    """The other screens the editors' guide shows (as the moderator)."""
    base = live_server.url
    agreement = factories.AgreementFactory(
        title_fr="Entente sur la mobilité des jeunes",
        title_en="Youth mobility agreement",
        reference_number="2017-014",
        signed_on=datetime.date(2017, 3, 1),
        in_force_on=datetime.date(2018, 1, 1),
        areas=[tree.economy],
    )
    factories.AgreementFactory(title_fr="Entente en recherche", title_en="", areas=[tree.culture])
    page = context.new_page()
    login(page, base, "moderator")

    page.goto(f"{base}/admin/snippets/relations/agreement/")
    assert "Anglais manquant" in page.content()
    shot(page, "agreement-list")

    page.goto(f"{base}/admin/snippets/relations/agreement/edit/{agreement.pk}/")
    page.click("button[data-side-panel-toggle=status]")
    page.click("button[data-a11y-dialog-show=schedule-publishing-dialog]")
    page.wait_for_selector("#schedule-publishing-dialog input[name=go_live_at]")
    shot(page, "schedule")

    page.goto(f"{base}/admin/pages/{tree.economy.pk}/edit/")
    page.click("a[href='#tab-settings'], [role=tab]:has-text('Paramètres')")
    page.wait_for_selector("#id_review_by")
    shot(page, "page-review-date")
    assert Agreement.objects.count() == 2
