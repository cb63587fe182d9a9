"""Admin date fields accept the date picker's format only and say which: nothing else is saved."""

import pytest

from relations.models import Agreement, Event
from tests.editorial import agreement_form_data, encode, event_form_data, make_user, snippet_url

pytestmark = pytest.mark.django_db

FORMAT_HELP = {
    "fr": "Format : AAAA-MM-JJ, par exemple 2020-12-31.",
    "en": "Format: YYYY-MM-DD, for example 2020-12-31.",
}


@pytest.fixture(params=["fr", "en"])
def staff(request, client, tree):
    client.force_login(make_user(f"editor-{request.param}", "Editors", language=request.param))
    return request.param


@pytest.mark.parametrize("typed", ["31/12/2020", "12/31/2020", "2020-13-45", "31 décembre 2020"])
def test_a_date_not_in_the_pickers_format_is_a_field_error(client, staff, typed):
    response = client.post(snippet_url(Agreement, "add"), encode(agreement_form_data(signed_on=typed)))
    assert response.status_code == 200
    assert "signed_on" in response.context["form"].errors
    assert FORMAT_HELP[staff] in response.content.decode()
    assert not Agreement.objects.exists()


def test_the_pickers_format_is_saved_as_typed(client, staff):
    response = client.post(snippet_url(Agreement, "add"), encode(agreement_form_data(signed_on="2020-12-31")))
    assert response.status_code == 302
    assert Agreement.objects.get().signed_on.isoformat() == "2020-12-31"


def test_an_event_start_date_typed_day_first_is_refused(client, staff):
    response = client.post(snippet_url(Event, "add"), encode(event_form_data(start_date="12/10/2030")))
    assert "start_date" in response.context["form"].errors
    assert FORMAT_HELP[staff] in response.content.decode()
    assert not Event.objects.exists()


def test_the_pickers_keep_what_the_editor_typed(client, staff):
    """The picker's own check on leaving the field (``validateOnBlur``) put today's date in
    place of a value it could not read: the form's pickers are configured without it (the
    browser test in tests/browser/test_admin_dates.py types into one)."""
    html = client.get(snippet_url(Agreement, "add")).content.decode()
    assert 'initDateChooser("id_signed_on", {' in html
    chooser = html.split('initDateChooser("id_signed_on", ', 1)[1].split(");", 1)[0]
    assert '"validateOnBlur": false' in chooser
