"""The slug the admin makes from a page's title, in a real browser: dashes and apostrophes
separate words (``Québec–Séoul`` → ``quebec-seoul``), accents are folded, in French and English.

Skipped when /usr/bin/chromium is missing, except under CI=true, where that is a failure.
"""

import pytest

# The journeys' Chromium, context and login (their module skips without Chromium).
from tests.browser import test_editorial_journey as journey
from tests.editorial import make_user

expect = pytest.importorskip("playwright.sync_api").expect
browser, context, login, PASSWORD = journey.browser, journey.context, journey.login, journey.PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Québec–Séoul : l’intelligence artificielle", "quebec-seoul-l-intelligence-artificielle"),
        ("Mission Québec — Corée du Sud", "mission-quebec-coree-du-sud"),
        ("Aujourd'hui à Séoul", "aujourd-hui-a-seoul"),
    ],
)
def test_the_slug_made_from_a_title_keeps_its_words_apart(context, live_server, tree, title, slug):
    admin = make_user("chief", superuser=True)
    admin.set_password(PASSWORD)
    admin.save()
    page = context.new_page()
    login(page, live_server.url, "chief")
    page.goto(f"{live_server.url}/admin/pages/add/relations/standardpage/{tree.home.pk}/")
    page.fill("#id_title_fr", title)
    page.fill("#id_title_en", title)
    page.locator("#id_title_en").blur()
    expect(page.locator("#id_slug_fr")).to_have_value(slug)  # waits for Wagtail's debounced sync
    expect(page.locator("#id_slug_en")).to_have_value(slug)
    # A slug typed by hand (in the "Promotion" tab) is cleaned the same way when the field is left.
    page.locator('[role="tab"]', has_text="Promotion").click()
    page.fill("#id_slug_en", "Séoul–Québec")
    page.locator("#id_slug_en").blur()
    expect(page.locator("#id_slug_en")).to_have_value("seoul-quebec")
