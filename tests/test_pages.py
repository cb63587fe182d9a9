"""Every page type renders in both languages, with its content, its switcher and its last update."""

import datetime
import re

import pytest

from relations.models import EventTimeZone
from tests import factories

pytestmark = pytest.mark.django_db


def alternates(html):
    """hreflang → href of the page's <link rel="alternate"> tags."""
    links = {}
    for tag in re.findall(r"<link[^>]+>", html):
        if 'rel="alternate"' in tag and "hreflang" in tag:
            hreflang = re.search(r'hreflang="([^"]+)"', tag).group(1)
            links[hreflang] = re.search(r'href="([^"]+)"', tag).group(1)
    return links


def switcher_target(html, language):
    """The href of the language switcher's link to ``language``."""
    match = re.search(rf'<a[^>]+hreflang="{language}"[^>]*>', html)
    assert match, f"no switcher link to {language}"
    return re.search(r'href="([^"]+)"', match.group(0)).group(1)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def content(tree):
    agreement = factories.AgreementFactory(
        title_fr="Accord de libre-échange Canada-Corée",
        title_en="Canada–Korea Free Trade Agreement",
        signed_on=None,
        in_force_on=datetime.date(2015, 1, 1),
        kind="canadian",
        areas=[tree.economy],
    )
    event = factories.EventFactory(
        title_fr="Marché des arts de la scène de Séoul",
        title_en="Performing Arts Market in Seoul",
        start_date=datetime.date.today() + datetime.timedelta(days=20),
        start_time=datetime.time(19, 30),
        all_day=False,
        timezone=EventTimeZone.SEOUL,
        areas=[tree.culture],
    )
    update = factories.UpdatePageFactory(
        parent=tree.updates,
        title_fr="Le CRIAQ et le KITECH signent une entente",
        title_en="CRIAQ and KITECH sign an agreement",
        slug_fr="criaq-kitech",
        slug_en="criaq-kitech-en",
        areas=[tree.economy],
    )
    return {"agreement": agreement, "event": event, "update": update, "tree": tree}


PAGES = [
    ("/fr/", "/en/", "Accueil", "Home"),
    ("/fr/economie/", "/en/economy/", "Économie et commerce", "Economy and trade"),
    ("/fr/ententes/", "/en/agreements/", "Ententes", "Agreements"),
    ("/fr/evenements/", "/en/events/", "Événements", "Events"),
    ("/fr/actualites/", "/en/updates/", "Actualités", "Updates"),
    (
        "/fr/actualites/criaq-kitech/",
        "/en/updates/criaq-kitech-en/",
        "Le CRIAQ et le KITECH",
        "CRIAQ and KITECH",
    ),
    (
        "/fr/ententes/accord-de-libre-echange-canada-coree/",
        "/en/agreements/canada-korea-free-trade-agreement/",
        "Accord de libre-échange Canada-Corée",
        "Canada–Korea Free Trade Agreement",
    ),
    (
        "/fr/evenements/marche-des-arts-de-la-scene-de-seoul/",
        "/en/events/performing-arts-market-in-seoul/",
        "Marché des arts de la scène de Séoul",
        "Performing Arts Market in Seoul",
    ),
]


@pytest.mark.parametrize(("french", "english", "french_text", "english_text"), PAGES)
def test_each_page_renders_in_both_languages_with_its_content(
    client, content, french, english, french_text, english_text
):
    fr = client.get(french)
    en = client.get(english)
    assert fr.status_code == 200, french
    assert en.status_code == 200, english
    assert french_text in fr.text
    assert english_text in en.text
    assert '<html lang="fr"' in fr.text
    assert '<html lang="en"' in en.text


@pytest.mark.parametrize(("french", "english", "french_text", "english_text"), PAGES)
def test_the_switcher_leads_to_the_same_page_in_the_other_language(
    client, content, french, english, french_text, english_text
):
    assert path_of(switcher_target(client.get(french).text, "en")) == english
    assert path_of(switcher_target(client.get(english).text, "fr")) == french


@pytest.mark.parametrize(("french", "english", "french_text", "english_text"), PAGES)
def test_each_page_links_its_alternates(client, content, french, english, french_text, english_text):
    links = alternates(client.get(french).text)
    assert path_of(links["fr"]) == french
    assert path_of(links["en"]) == english
    assert path_of(links["x-default"]) == french


@pytest.mark.parametrize(("french", "english", "french_text", "english_text"), PAGES)
def test_each_page_says_when_it_was_last_updated(client, content, french, english, french_text, english_text):
    assert "Dernière mise à jour" in client.get(french).text
    assert "Last updated" in client.get(english).text


@pytest.mark.parametrize(
    "url",
    [
        "/fr/nexiste-pas/",
        "/en/does-not-exist/",
        "/fr/ententes/nexiste-pas/",
        "/en/agreements/does-not-exist/",
        "/fr/evenements/nexiste-pas/",
        "/en/events/does-not-exist/",
        "/fr/economy/",
        "/de/",
    ],
)
def test_unknown_slugs_are_404_in_both_languages(client, content, url):
    assert client.get(url, follow=True).status_code == 404


def test_a_slug_of_the_other_language_redirects_to_the_right_one(client, content):
    response = client.get("/en/agreements/accord-de-libre-echange-canada-coree/")
    assert response.status_code == 301
    assert response["Location"] == "/en/agreements/canada-korea-free-trade-agreement/"


def test_a_draft_agreement_has_no_public_page(client, tree):
    draft = factories.AgreementFactory(title_fr="Entente secrète", publish=False)
    assert client.get(f"/fr/ententes/{draft.slug_fr}/").status_code == 404
    assert "Entente secrète" not in client.get("/fr/ententes/").text


def test_home_shows_areas_figures_next_events_and_latest_updates(client, content):
    factories.KeyFigureFactory(label_fr="Échanges de biens", label_en="Trade in goods", value="2.1")
    fr = client.get("/fr/").text
    en = client.get("/en/").text
    assert "Économie et commerce" in fr and "Economy and trade" in en
    assert "2,1\u00a0milliards\u00a0$" in fr or "2,1&nbsp;milliards&nbsp;$" in fr
    assert "$2.1\u00a0billion" in en or "$2.1&nbsp;billion" in en
    assert "Marché des arts de la scène de Séoul" in fr
    assert "Le CRIAQ et le KITECH signent une entente" in fr
    assert "Accord de libre-échange Canada-Corée" in fr


def test_area_page_lists_its_own_agreements_events_and_updates(client, content):
    economy = client.get("/fr/economie/").text
    culture = client.get("/fr/culture/").text
    assert "Accord de libre-échange Canada-Corée" in economy
    assert "Accord de libre-échange Canada-Corée" not in culture
    assert "Marché des arts de la scène de Séoul" in culture
    assert "Marché des arts de la scène de Séoul" not in economy
    assert "Le CRIAQ et le KITECH signent une entente" in economy


def test_an_event_in_seoul_shows_seoul_time_and_names_the_zone(client, content):
    fr = client.get("/fr/evenements/marche-des-arts-de-la-scene-de-seoul/").text
    en = client.get("/en/events/performing-arts-market-in-seoul/").text
    assert "19:30" in fr or "19 h 30" in fr
    assert "KST" in fr and "KST" in en


def test_agreement_dates_show_their_precision(client, tree):
    factories.AgreementFactory(
        title_fr="Entente STI",
        title_en="STI Agreement",
        signed_on=None,
        ratified_on=datetime.date(2016, 12, 1),
        ratified_precision="month",
    )
    assert "décembre 2016" in client.get("/fr/ententes/entente-sti/").text
    assert "December 2016" in client.get("/en/agreements/sti-agreement/").text


def test_english_falls_back_to_french_where_no_translation_exists(client, tree):
    factories.AgreementFactory(title_fr="Entente seulement en français", title_en="")
    response = client.get("/en/agreements/")
    assert "Entente seulement en français" in response.text
