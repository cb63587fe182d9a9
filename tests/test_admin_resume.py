"""A draft kept from an earlier start (autosave, or "Save draft") never traps a fresh start: the
refusal names that draft and links to it, so the editor resumes it; the list shows it too."""

import pytest

from django.utils.html import strip_tags

from relations.models import Agreement, Event
from tests import factories
from tests.editorial import agreement_form_data, encode, event_form_data, snippet_url

pytestmark = pytest.mark.django_db


def start_again(client, model, data):
    response = client.post(snippet_url(model, "add"), encode(data))
    assert response.status_code == 200
    return response.content.decode()


def test_starting_again_with_the_same_reference_number_links_to_the_kept_draft(client, editor, tree):
    client.force_login(editor)
    data = agreement_form_data(title_fr="Entente sur l’aérospatiale", reference_number="2026-007")
    client.post(snippet_url(Agreement, "add"), encode(data))  # the first start, kept as a draft
    kept = Agreement.objects.get()
    assert not kept.live

    html = start_again(client, Agreement, data)
    text = " ".join(strip_tags(html).split())
    assert "« Entente sur l’aérospatiale » (brouillon) utilise déjà ce numéro de référence" in text
    assert f'href="{snippet_url(Agreement, "edit", kept.pk)}"' in html
    assert "Reprendre" in text
    assert Agreement.objects.count() == 1

    # Resuming it: the edit form opens with what was kept, and saving it works.
    resumed = client.get(snippet_url(Agreement, "edit", kept.pk))
    assert "2026-007" in resumed.content.decode()
    response = client.post(snippet_url(Agreement, "edit", kept.pk), encode(data, submit=True))
    assert response.status_code == 302


def test_a_slug_taken_by_a_published_event_names_it(client, editor, tree):
    factories.EventFactory(title_fr="Festival du film", slug_fr="festival-du-film")
    client.force_login(editor)
    html = start_again(
        client, Event, event_form_data(title_fr="Festival du film", slug_fr="festival-du-film")
    )
    assert "« Festival du film » (en ligne) utilise déjà" in " ".join(strip_tags(html).split())


def test_the_kept_draft_is_in_the_list(client, editor, tree):
    client.force_login(editor)
    client.post(snippet_url(Agreement, "add"), encode(agreement_form_data(title_fr="Entente gardée")))
    listing = client.get(snippet_url(Agreement, "list")).content.decode()
    assert "Entente gardée" in listing and "brouillon" in listing
