"""A subscriber's whole journey in Chromium, in French and in English: sign-up, the confirmation
mail received by a real SMTP server on loopback, a daily digest, one-click unsubscribe (RFC 8058)
and deletion. axe-core checks each page on the way, at 1280 px and 390 px; screenshots go to
``artifacts/screenshots/alerts-…`` (git-ignored)."""

import datetime
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from relations.alerts import sending
from relations.alerts.models import Subscriber
from tests import factories
from tests.smtp import body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WORDS = {
    "fr": {"signup": "/fr/alertes/", "confirm": "Confirmer", "delete": "Supprimer tout ce qui me concerne"},
    "en": {"signup": "/en/alerts/", "confirm": "Confirm", "delete": "Delete everything about me"},
}


@pytest.fixture
def browser(live_server):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-quic"],
            )
            yield chromium
            chromium.close()
            connections.close_all()


def run_worker():
    call_command(
        "db_worker", "--backend", "alerts", "--batch", "--no-reload", "--no-startup-delay", verbosity=0
    )


def mail_link(message, pattern):
    found = re.search(rf"(https?://\S*{pattern}\S*/)", body(message, "plain"))
    assert found, body(message, "plain")
    return found.group(1)


class Checker:
    """axe and screenshots of the current page, at both widths."""

    def __init__(self, page, language):
        from axe_playwright_python.sync_playwright import Axe

        self.axe, self.page, self.language = Axe(), page, language
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def __call__(self, name):
        for width, height in ((1280, 800), (390, 844)):
            self.page.set_viewport_size({"width": width, "height": height})
            self.page.screenshot(
                path=SCREENSHOTS / f"alerts-{name}-{self.language}-{width}.png", full_page=True
            )
            results = self.axe.run(self.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            violations = [
                f"{v['id']}: {v['help']} — " + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
                for v in results.response["violations"]
            ]
            assert not violations, f"{name} at {width}px:\n" + "\n".join(violations)
            overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} is {overflow}px too wide at {width}px"
        self.page.set_viewport_size({"width": 1280, "height": 800})


@pytest.mark.parametrize("language", ["fr", "en"])
def test_sign_up_confirm_digest_unsubscribe_delete(
    language, tree, browser, live_server, smtp_server, settings
):
    settings.PORTAL_BASE_URL = live_server.url
    address = f"journey-{language}@example.org"
    area = tree.economy.title_fr if language == "fr" else tree.economy.title_en
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    check = Checker(page, language)

    page.goto(live_server.url + WORDS[language]["signup"])
    page.click("form.alerts-form button[type=submit]")  # empty: the errors, then the form again
    assert page.locator(".error-summary").count() == 1
    check("signup-errors")
    page.fill("input[name=email]", address)
    page.get_by_label(re.compile(re.escape(area))).check()
    page.get_by_label(re.compile("Résumé quotidien|Daily digest")).check()
    page.locator("input[name=consent]").check()
    check("signup")
    page.click("form.alerts-form button[type=submit]")
    assert page.locator("h1").inner_text() in ("Vérifiez votre boîte de réception", "Check your mailbox")
    check("sent")

    run_worker()
    (confirmation,) = smtp_server.recorder.to(address)
    page.goto(mail_link(confirmation, "/(?:alertes/confirmer|alerts/confirm)/"))
    check("confirm")
    page.get_by_role("button", name=WORDS[language]["confirm"], exact=True).click()
    assert Subscriber.objects.get(email=address).is_confirmed
    check("manage")

    for title in ("Entente A", "Entente B"):
        factories.AgreementFactory(
            title_fr=f"{title} {language}", title_en=f"{title} {language} (en)", areas=[tree.economy]
        )
    run_worker()
    assert len(smtp_server.recorder.to(address)) == 1  # the digest waits for its hour
    sending.send_due(now=timezone.now() + datetime.timedelta(days=1))
    digest = smtp_server.recorder.to(address)[-1]
    assert f"Entente A {language}" in body(digest, "plain") and f"Entente B {language}" in body(
        digest, "html"
    )

    # The mail program's unsubscribe button: a POST to the List-Unsubscribe address (RFC 8058).
    unsubscribe = digest["List-Unsubscribe"].strip().strip("<>")
    page.goto(unsubscribe)
    check("unsubscribe")
    answer = page.request.post(
        unsubscribe,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status == 200
    assert not Subscriber.objects.get(email=address).subscriptions.exists()

    page.goto(mail_link(digest, "/(?:alertes/gerer|alerts/manage)/"))
    page.get_by_role("link", name=WORDS[language]["delete"]).click()
    check("delete")
    page.locator("main form button[type=submit]").click()
    check("deleted")
    assert not Subscriber.objects.filter(email=address).exists()
    assert urlsplit(page.url).path.startswith(f"/{language}/")
    context.close()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_directory_office_card_and_feedback_pass_axe(language, tree, browser, live_server):
    """The other new pages of issue 13: the organisations directory and one organisation, a page
    with the office's card in its footer and the "Was this page useful?" form, the thanks page."""
    from relations.models import OfficeCard

    organisation = factories.OrganizationFactory()
    factories.AgreementFactory(title_fr="Entente annuaire", parties=[organisation])
    card = OfficeCard.load()
    card.telephone, card.hours_fr, card.hours_en = (
        "+82 2 000 0000",
        "Du lundi au vendredi",
        "Monday to Friday",
    )
    card.save()
    area = tree.economy.url_path_fr and ("/fr/economie/" if language == "fr" else "/en/economy/")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    check = Checker(page, language)
    page.goto(f"{live_server.url}/{language}/organisations/?kind=university")
    check("directory")
    page.goto(f"{live_server.url}/{language}/organisations/{organisation.pk}/")
    check("organisation")
    page.goto(live_server.url + area)
    assert page.locator(".office-card").count() == 1
    check("area-with-card-and-feedback")
    page.fill("#feedback-comment", "Clair.")
    page.click(".page-feedback button[value=yes]")
    check("feedback-thanks")
    context.close()
