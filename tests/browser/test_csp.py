"""In Chromium, no page breaks its Content-Security-Policy: public pages (strict, with nonces) in
both languages, and the Wagtail admin (its own, looser policy) with its editors and previews.

A violation shows as a console error and as a ``securitypolicyviolation`` event; both are collected.
Skipped when /usr/bin/chromium is missing, except under CI=true, where that is a failure.
"""

import os

import pytest

from django.contrib.auth import get_user_model
from django.db import connections

from tests import factories

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "csp-browser-test-password"  # noqa: S105 -- a throwaway account of the test database

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

if not os.path.exists(CHROMIUM):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.fixture
def browser(transactional_db, live_server):
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


def visit_all(page, base, paths):
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    for path in paths:
        response = page.goto(base + path, wait_until="networkidle")
        assert response.status < 400, f"{path} answered {response.status}"
        problems += [f"{path}: {violation}" for violation in page.evaluate("window.__csp || []")]
    return problems


def test_public_pages_and_the_admin_respect_their_policies(browser, live_server, tree):
    agreement = factories.AgreementFactory(title_fr="Entente CSP", areas=[tree.economy])
    event = factories.EventFactory(title_fr="Événement CSP", areas=[tree.culture])
    get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD)

    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    public = ["/fr/", "/en/", "/fr/economie/", "/en/economy/", "/fr/ententes/", "/fr/evenements/"]
    public += ["/fr/actualites/", agreement.get_url_for_language("fr"), event.get_url_for_language("en")]
    problems = visit_all(page, live_server.url, public)

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    admin = [
        "/admin/",
        f"/admin/pages/{tree.economy.pk}/edit/",
        f"/admin/pages/{tree.home.pk}/",
        "/admin/snippets/relations/agreement/",
        f"/admin/snippets/relations/agreement/edit/{agreement.pk}/",
        f"/admin/snippets/relations/event/edit/{event.pk}/",
        "/admin/snippets/relations/event/add/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/users/",
    ]
    problems += visit_all(page, live_server.url, admin)
    # The preview panel: the page rendered in an iframe through the admin's preview view.
    page.goto(f"{live_server.url}/admin/pages/{tree.economy.pk}/edit/", wait_until="networkidle")
    preview = page.locator("[data-side-panel-toggle='preview']")
    if preview.count():
        preview.first.click()
        page.wait_for_timeout(1500)
        problems += [f"preview: {v}" for v in page.evaluate("window.__csp || []")]
    context.close()
    assert not problems, "\n".join(problems)
