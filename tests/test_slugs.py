"""Slugs made from titles on the server (agreements' and events' empty slugs, the demo): words
either side of a dash or an apostrophe stay apart, accents are folded."""

import pytest

from relations.core.slugs import slugify
from tests import factories


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Québec–Séoul", "quebec-seoul"),
        ("Québec – Séoul", "quebec-seoul"),
        ("Mission Québec—Corée", "mission-quebec-coree"),
        ("L’intelligence artificielle", "l-intelligence-artificielle"),
        ("Aujourd'hui à Séoul", "aujourd-hui-a-seoul"),
        ("Entente Québec-Corée (2016)", "entente-quebec-coree-2016"),
        ("Culture/Arts", "culture-arts"),
        ("Korea’s ‘K-culture’", "korea-s-k-culture"),
        ("", ""),
    ],
)
def test_dashes_and_apostrophes_separate_words_and_accents_are_folded(title, slug):
    assert slugify(title) == slug


@pytest.mark.django_db
def test_an_agreement_saved_without_slugs_gets_them_from_its_titles(client, tree):
    agreement = factories.AgreementFactory(
        title_fr="Entente Québec–Séoul sur l’intelligence artificielle",
        title_en="Québec–Seoul agreement on artificial intelligence",
    )
    assert agreement.slug_fr == "entente-quebec-seoul-sur-l-intelligence-artificielle"
    assert agreement.slug_en == "quebec-seoul-agreement-on-artificial-intelligence"
    response = client.get("/fr/ententes/entente-quebec-seoul-sur-l-intelligence-artificielle/")
    assert response.status_code == 200
