"""Open data: the page of datasets in each language, its schema.org JSON-LD, the DCAT catalogue,
and the dataset files (events, organisations, key figures; agreements as the register shows them)."""

import csv
import datetime
import io
import json
import re

import pytest

from django.utils.html import escape
from django.utils.translation import override

from relations.core.language import LANGUAGE_CODES
from relations.exports import DATASETS
from relations.models import Event
from tests import factories

pytestmark = pytest.mark.django_db

PAGES = {"fr": "/fr/donnees/", "en": "/en/data/"}
CATALOG = "/data/catalog.jsonld"


@pytest.fixture
def data(tree):
    d = type("Data", (), {})()
    d.tree = tree
    d.korea = factories.OrganizationFactory(name_fr="Gouvernement de la Corée", name_en="Government of Korea")
    d.agreement = factories.AgreementFactory(
        title_fr="Entente sur la culture",
        title_en="Culture agreement",
        kind="international",
        parties=[d.korea],
    )
    d.canadian = factories.AgreementFactory(
        title_fr="Accord du Canada", title_en="Canada accord", kind="canadian"
    )
    d.event = factories.EventFactory(
        title_fr="Semaine de la Corée",
        title_en="Korea Week",
        start_date=datetime.date(2024, 8, 22),
        end_date=datetime.date(2024, 8, 25),
        areas=[tree.culture],
    )
    d.draft = factories.EventFactory(title_fr="Événement brouillon", publish=False)
    d.figure = factories.KeyFigureFactory(
        label_fr="Commerce de biens", label_en="Trade in goods", value="2.1"
    )
    return d


def json_ld_blocks(html):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def rows(response, delimiter=","):
    assert response.status_code == 200, response
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(
        csv.reader(io.StringIO(response.content.decode("utf-8")[1:], newline=""), delimiter=delimiter)
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_open_data_page_lists_each_dataset_with_formats_dictionary_licence_and_update(client, data, language):
    response = client.get(PAGES[language])
    assert response.status_code == 200
    html = response.content.decode()
    assert "creativecommons.org/licenses/by/4.0/" in html
    assert CATALOG in html
    with override(language):
        for dataset in DATASETS.values():
            assert f'id="{dataset.slug(language)}"' in html
            for column in dataset.columns:  # the data dictionary, in the page's language
                assert escape(str(column.description)) in html, column.key
            for suffix in (".csv", "-excel.csv", ".json"):
                assert f"{PAGES[language]}{dataset.slug(language)}{suffix}" in html
    heading = {"fr": "Dictionnaire de données", "en": "Data dictionary"}[language]
    assert html.count(heading) == 4
    assert {"fr": "Dernière mise à jour", "en": "Last update"}[language] in html


def test_language_switcher_leads_to_the_other_open_data_page(client, data):
    html = client.get(PAGES["fr"]).content.decode()
    assert 'hreflang="en" href="http://testserver/en/data/"' in html


def test_open_data_page_has_schema_org_data_catalog_and_datasets(client, data):
    blocks = json_ld_blocks(client.get(PAGES["en"]).content.decode())
    catalog = next(block for block in blocks if block.get("@type") == "DataCatalog")
    assert catalog["@context"] == "https://schema.org"
    assert catalog["name"] and catalog["description"] and catalog["url"] == "http://testserver/en/data/"
    assert len(catalog["dataset"]) == 4
    for dataset in catalog["dataset"]:
        assert dataset["@type"] == "Dataset"
        assert dataset["name"] and dataset["description"]
        assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert {item["encodingFormat"] for item in dataset["distribution"]} == {
            "text/csv",
            "application/json",
        }
        assert all(item["@type"] == "DataDownload" and item["contentUrl"] for item in dataset["distribution"])
    agreements = next(item for item in catalog["dataset"] if item["name"] == "Agreements")
    assert datetime.datetime.fromisoformat(agreements["dateModified"])  # the last publication


def test_dcat_catalogue_is_json_ld_with_the_required_properties(client, data):
    response = client.get(CATALOG)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    catalog = json.loads(response.content)
    assert catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert catalog["@context"]["dct"] == "http://purl.org/dc/terms/"
    assert catalog["@type"] == "dcat:Catalog"
    assert {item["@language"] for item in catalog["dct:title"]} == set(LANGUAGE_CODES)
    assert {item["@language"] for item in catalog["dct:description"]} == set(LANGUAGE_CODES)
    assert catalog["dct:publisher"]["@type"] == "foaf:Organization"
    assert catalog["dct:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    assert {item["dct:identifier"] for item in catalog["dcat:dataset"]} == set(DATASETS)
    for dataset in catalog["dcat:dataset"]:
        assert dataset["@type"] == "dcat:Dataset"
        assert {item["@language"] for item in dataset["dct:title"]} == set(LANGUAGE_CODES)
        assert all(item["@value"] for item in dataset["dct:description"])
        assert len(dataset["dcat:distribution"]) == 3 * len(LANGUAGE_CODES)  # three formats a language
        for distribution in dataset["dcat:distribution"]:
            assert distribution["@type"] == "dcat:Distribution"
            assert distribution["dcat:accessURL"]["@id"] in (
                "http://testserver/fr/donnees/",
                "http://testserver/en/data/",
                "http://testserver/ko/data/",
            )
            assert distribution["dcat:mediaType"]["@id"].startswith(
                "https://www.iana.org/assignments/media-types/"
            )
            download = distribution["dcat:downloadURL"]["@id"].removeprefix("http://testserver")
            assert client.get(download).status_code == 200, download


def test_events_file_holds_the_published_events_with_labels_in_the_language(client, data):
    french = rows(client.get("/fr/donnees/evenements.csv"))
    assert french[0][:3] == ["Titre (français)", "Titre (anglais)", "Type"]
    titles = [row[0] for row in french[1:]]
    assert "Semaine de la Corée" in titles and "Événement brouillon" not in titles
    week = next(row for row in french[1:] if row[0] == "Semaine de la Corée")
    assert week[2] == "Festival" and "2024-08-22" in week and "Corée du Sud" in week
    english = rows(client.get("/en/data/events.csv"))
    week = next(row for row in english[1:] if row[1] == "Korea Week")
    assert "South Korea" in week and "Culture" in week


def test_organisations_and_key_figures_have_files_too(client, data):
    organisations = rows(client.get("/en/data/organisations.csv"))
    assert [row[1] for row in organisations[1:] if row[1] == "Government of Korea"] == ["Government of Korea"]
    figures = rows(client.get("/fr/donnees/chiffres-cles-excel.csv"), delimiter=";")
    figure = next(row for row in figures[1:] if row[0] == "Commerce de biens")
    assert figure[2] == "2,1"  # a decimal comma, for a spreadsheet set to French
    assert "2,1\u00a0milliards\u00a0$" in figure
    plain = rows(client.get("/fr/donnees/chiffres-cles.csv"))
    assert next(row for row in plain[1:] if row[0] == "Commerce de biens")[2] == "2.1"
    data_json = json.loads(client.get("/en/data/key-figures.json").content)
    assert data_json["results"][0]["unit"] == "cad_billion"
    assert data_json["results"][0]["unit_label"] == "Billions of Canadian dollars"


@pytest.mark.parametrize(
    "url",
    [
        "/fr/donnees/events.csv",
        "/en/data/evenements.csv",
        "/fr/donnees/nope.csv",
        "/fr/donnees/ententes-excel.json",
    ],
)
def test_other_file_names_answer_404(client, data, url):
    assert client.get(url).status_code == 404


def test_agreements_export_gives_the_rows_the_register_shows_for_the_same_filters(client, data):
    for query in ("", "?kind=international", "?kind=canadian", f"?party={data.korea.pk}"):
        html = client.get("/fr/ententes/" + query).content.decode()
        shown = {title for title in ("Entente sur la culture", "Accord du Canada") if title in html}
        exported = {row[1] for row in rows(client.get("/fr/ententes/export.csv" + query))[1:]}
        assert exported == shown, query


def test_open_data_refuses_writes(client, data):
    assert client.post(PAGES["fr"]).status_code == 405
    assert client.post(CATALOG).status_code == 405


def test_drafts_never_reach_the_files(client, data):
    Event.objects.filter(pk=data.event.pk).update(live=False)
    assert "Semaine de la Corée" not in client.get("/fr/donnees/evenements.json").content.decode()
