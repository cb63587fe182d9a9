"""A date typed into the admin's date picker is never replaced: a mistyped one is a field error.

An editor (admin in French) types "2020-13-45", then "31/12/2020", into a new agreement's
signature date, leaves the field and saves the draft: the field still shows what was typed, the
form answers with the expected format under the field, and no agreement exists.
"""

import re

import pytest

from relations.models import Agreement
from tests.browser.test_editorial_journey import PASSWORD, browser, context, login  # noqa: F401
from tests.editorial import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def editor_account(tree):
    user = make_user("editor", "Editors", language="fr")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.mark.parametrize("typed", ["2020-13-45", "31/12/2020"])
def test_a_mistyped_signature_date_is_a_field_error(live_server, context, editor_account, typed, tmp_path):  # noqa: F811
    page = context.new_page()
    login(page, live_server.url, "editor")
    page.goto(f"{live_server.url}/admin/snippets/relations/agreement/add/")
    page.fill("#id_title_fr", "Entente à la date mal saisie")
    page.select_option("#id_kind", "institutional")
    date = page.locator("#id_signed_on")
    date.click()
    date.press_sequentially(typed)
    page.keyboard.press("Escape")
    page.fill("#id_title_en", "Agreement with a mistyped date")  # the date field loses focus
    page.wait_for_timeout(300)
    assert date.input_value() == typed

    with page.expect_navigation():
        page.click("footer button.action-save >> nth=0")
    assert re.search(r"/admin/snippets/relations/agreement/add/$", page.url)
    error = page.locator("[data-contentpath=signed_on] .error-message")
    assert "Format : AAAA-MM-JJ, par exemple 2020-12-31." in error.inner_text()
    assert date.input_value() == typed
    page.screenshot(path=str(tmp_path / "signature-date-error.png"))
    assert not Agreement.objects.exists()
