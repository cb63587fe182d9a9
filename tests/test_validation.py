"""Admin forms refuse bad input with field errors in the editor's language: nothing is saved, no 500."""

import pytest

from django.urls import reverse

from wagtail.models import Revision

from relations.models import Agreement, Event
from tests import factories
from tests.editorial import (
    agreement_form_data,
    encode,
    event_form_data,
    make_user,
    page_form_data,
    snippet_url,
)

pytestmark = pytest.mark.django_db

MESSAGES = {
    "fr": {
        "in_force": "Une entente ne peut pas entrer en vigueur avant d’être signée.",
        "end": "Un événement ne peut pas se terminer avant de commencer.",
        "duplicate": "existe déjà",
        "required": "Ce champ est obligatoire.",
        "url": "Saisissez une URL valide.",
        "date": "Saisissez une date valide.",
    },
    "en": {
        "in_force": "An agreement cannot come into force before it is signed.",
        "end": "An event cannot end before it starts.",
        "duplicate": "already exists",
        "required": "This field is required.",
        "url": "Enter a valid URL.",
        "date": "Enter a valid date.",
    },
}


@pytest.fixture(params=["fr", "en"])
def staff(request, client, tree):
    """A moderator whose admin speaks French, then English."""
    user = make_user(f"moderator-{request.param}", "Moderators", language=request.param)
    client.force_login(user)
    return request.param


def _errors_shown(response, message):
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html, message
    assert "error-message" in html


def _nothing_saved(model, count=0, revisions=0):
    assert model.objects.count() == count
    assert Revision.objects.count() == revisions


@pytest.mark.parametrize("publish", [False, True])
def test_entry_into_force_before_signature(client, staff, publish):
    data = agreement_form_data(signed_on="2020-05-01", in_force_on="2019-01-01")
    response = client.post(snippet_url(Agreement, "add"), encode(data, publish=publish))
    _errors_shown(response, MESSAGES[staff]["in_force"])
    _nothing_saved(Agreement)


@pytest.mark.parametrize("publish", [False, True])
def test_event_ending_before_it_starts(client, staff, publish):
    data = event_form_data(start_date="2030-10-12", end_date="2030-10-10")
    response = client.post(snippet_url(Event, "add"), encode(data, publish=publish))
    _errors_shown(response, MESSAGES[staff]["end"])
    _nothing_saved(Event)


def test_event_ending_before_it_starts_on_the_same_day(client, staff):
    data = event_form_data(
        start_date="2030-10-12", end_date="", start_time="19:00", end_time="18:00", all_day=None
    )
    response = client.post(snippet_url(Event, "add"), encode(data, publish=True))
    _errors_shown(response, MESSAGES[staff]["end"])
    _nothing_saved(Event)


def test_duplicate_reference_number(client, staff):
    factories.AgreementFactory(reference_number="2017-042")
    revisions = Revision.objects.count()
    data = agreement_form_data(reference_number="2017-042", title_fr="Autre entente", title_en="Other")
    response = client.post(snippet_url(Agreement, "add"), encode(data, publish=True))
    _errors_shown(response, MESSAGES[staff]["duplicate"])
    _nothing_saved(Agreement, count=1, revisions=revisions)


def test_missing_french_title_when_publishing(client, staff):
    data = agreement_form_data(title_fr="", slug_fr="entente")
    response = client.post(snippet_url(Agreement, "add"), encode(data, publish=True))
    _errors_shown(response, MESSAGES[staff]["required"])
    _nothing_saved(Agreement)


def test_invalid_official_link(client, staff):
    data = agreement_form_data(official_link="pas une adresse")
    response = client.post(snippet_url(Agreement, "add"), encode(data))
    _errors_shown(response, MESSAGES[staff]["url"])
    _nothing_saved(Agreement)


def test_invalid_event_link(client, staff):
    response = client.post(snippet_url(Event, "add"), encode(event_form_data(link="javascript:alert(1)")))
    _errors_shown(response, MESSAGES[staff]["url"])
    _nothing_saved(Event)


def test_invalid_dates(client, staff):
    response = client.post(snippet_url(Event, "add"), encode(event_form_data(start_date="2030-13-45")))
    _errors_shown(response, MESSAGES[staff]["date"])
    _nothing_saved(Event)


def test_an_edit_with_errors_changes_nothing(client, staff):
    agreement = factories.AgreementFactory(title_fr="Entente intacte", signed_on="2017-02-01")
    revisions = Revision.objects.count()
    data = agreement_form_data(title_fr="Entente modifiée", in_force_on="2010-01-01")
    response = client.post(snippet_url(Agreement, "edit", agreement.pk), encode(data, publish=True))
    _errors_shown(response, MESSAGES[staff]["in_force"])
    agreement.refresh_from_db()
    assert agreement.title_fr == "Entente intacte"
    assert Revision.objects.count() == revisions


def test_page_publish_without_french_title(client, staff, tree):
    page = tree.economy
    revisions = Revision.objects.count()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        encode(page_form_data(page, title_fr=""), publish=True),
    )
    _errors_shown(response, MESSAGES[staff]["required"])
    page.refresh_from_db()
    assert page.title_fr == "Économie et commerce"
    assert Revision.objects.count() == revisions


JUNK = {
    "kind": "not-a-kind",
    "signed_precision": "century",
    "signed_on": "yesterday",
    "reference_number": "x" * 500,
    "title_fr": "t" * 5000,
    "areas": ["999999", "abc"],
    "parties": ["-1"],
}


@pytest.mark.parametrize("field", sorted(JUNK))
def test_junk_values_give_field_errors_not_500(client, staff, field):
    value = JUNK[field]
    overrides = {} if isinstance(value, list) else {field: value}
    pairs = agreement_form_data(**overrides)
    if isinstance(value, list):
        pairs += [(field, item) for item in value]
    response = client.post(snippet_url(Agreement, "add"), encode(pairs, publish=True))
    assert response.status_code == 200
    assert "error-message" in response.content.decode()
    _nothing_saved(Agreement)


def test_missing_fields_give_errors_not_500(client, staff):
    response = client.post(snippet_url(Agreement, "add"), {"action-publish": "action"})
    assert response.status_code == 200
    _nothing_saved(Agreement)
    # An empty event form is a valid draft (every field is optional or has a default until
    # publication); it is saved as such, never published.
    response = client.post(snippet_url(Event, "add"), {})
    assert response.status_code == 302
    assert not Event.objects.get().live


def test_editing_an_unknown_object_is_a_404(client, staff):
    # Django's LocaleMiddleware first redirects the 404 to /fr/admin/…, which is a 404 too.
    assert client.get(snippet_url(Agreement, "edit", 999999), follow=True).status_code == 404
    assert client.post(snippet_url(Event, "edit", 999999), {}, follow=True).status_code == 404
