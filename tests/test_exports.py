"""CSV and JSON exports of the agreements register: filters kept, safe cells, ISO dates, labels in
the visitor's language, a variant for spreadsheets set to French."""

import csv
import datetime
import io
import json

import pytest

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from wagtail.documents import get_document_model

from relations.core.caching import forget_shared_lookups
from relations.core.dates import DatePrecision
from relations.exports import DATASETS, neutralise
from relations.models import Agreement, AgreementDocument
from tests import bulk, factories

pytestmark = pytest.mark.django_db

CSV = {"fr": "/fr/ententes/export.csv", "en": "/en/agreements/export.csv"}
JSON = {"fr": "/fr/ententes/export.json", "en": "/en/agreements/export.json"}
EXCEL = {"fr": "/fr/ententes/export-excel.csv", "en": "/en/agreements/export-excel.csv"}


@pytest.fixture
def register(tree):
    r = type("Register", (), {})()
    r.tree = tree
    r.korea = factories.OrganizationFactory(name_fr="Gouvernement de la Corée", name_en="Government of Korea")
    r.criaq = factories.AgreementFactory(
        title_fr="Protocole CRIAQ–KITECH",
        title_en="CRIAQ–KITECH memorandum",
        kind="institutional",
        signed_on=datetime.date(2017, 2, 1),
        signed_precision=DatePrecision.MONTH,
        reference_number='=HYPERLINK("http://evil")',
        areas=[r.tree.economy],
        parties=[r.korea],
    )
    r.sti = factories.AgreementFactory(
        title_fr="+Entente STI",
        title_en="-STI agreement",
        kind="international",
        signed_on=None,
        ratified_on=datetime.date(2016, 12, 17),
        ratified_precision=DatePrecision.MONTH,
        in_force_on=datetime.date(2007, 1, 1),
        in_force_precision=DatePrecision.YEAR,
        reference_number="@SUM(1)",
        areas=[r.tree.culture],
    )
    r.tab = factories.AgreementFactory(
        title_fr="\tTabulation",
        title_en="\rRetour",
        kind="international",
        signed_on=datetime.date(2000, 1, 1),
    )
    r.draft = factories.AgreementFactory(title_fr="Entente brouillon", kind="institutional", publish=False)
    r.expired = factories.AgreementFactory(title_fr="Entente expirée", kind="institutional")
    Agreement.objects.filter(pk=r.expired.pk).update(live=False, expired=True)
    r.past = factories.AgreementFactory(title_fr="Entente échue", kind="institutional")
    Agreement.objects.filter(pk=r.past.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    return r


COLUMNS = [column.key for column in DATASETS["agreements"].columns]


def headers(language, dataset="agreements"):
    with override(language):
        return [str(column.header) for column in DATASETS[dataset].columns]


def read_csv(response, language="fr", delimiter=",", dataset="agreements"):
    """The rows as dicts by column key, after checking the header is the labels in ``language``."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8")[1:]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    assert header == headers(language, dataset)
    keys = [column.key for column in DATASETS[dataset].columns]
    return [dict(zip(keys, row, strict=True)) for row in reader]


def read_json(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content.decode("utf-8"))


def test_csv_has_a_bom_quoted_cells_and_the_columns(client, register):
    response = client.get(CSV["fr"])
    text = response.content.decode("utf-8")
    assert text.splitlines()[0] == "\ufeff" + ",".join(f'"{label}"' for label in headers("fr"))
    assert '"Numéro de référence","Titre (français)"' in text.splitlines()[0]
    assert response["Content-Disposition"] == 'attachment; filename="ententes.csv"'
    rows = read_csv(response)
    assert len(rows) == 3
    records = text.split("\r\n")
    assert records[-1] == ""
    assert all(record.startswith('"') and record.endswith('"') for record in records[1:-1])


def test_csv_neutralises_formula_cells(client, register):
    rows = {row["url_fr"].rstrip("/").rsplit("/", 1)[1]: row for row in read_csv(client.get(CSV["fr"]))}
    criaq = rows[register.criaq.slug_fr]
    assert criaq["reference_number"] == '\'=HYPERLINK("http://evil")'
    sti = rows[register.sti.slug_fr]
    assert sti["title_fr"] == "'+Entente STI"
    assert sti["title_en"] == "'-STI agreement"
    assert sti["reference_number"] == "'@SUM(1)"
    tab = rows[register.tab.slug_fr]
    assert tab["title_fr"] == "'\tTabulation"
    assert tab["title_en"] == "'\rRetour"
    assert [neutralise(v) for v in ("=1", "+1", "-1", "@a", "\t", "\r", "a=1", "", None)] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\t",
        "'\r",
        "a=1",
        "",
        "",
    ]


def test_csv_dates_are_iso_to_their_precision(client, register):
    rows = {row["title_en"]: row for row in read_csv(client.get(CSV["en"]), "en")}
    criaq = rows["CRIAQ–KITECH memorandum"]
    assert criaq["signed_on"] == "2017-02"
    sti = rows["'-STI agreement"]
    assert (sti["signed_on"], sti["ratified_on"], sti["in_force_on"], sti["ended_on"]) == (
        "",
        "2016-12",
        "2007",
        "",
    )
    assert rows["'\rRetour"]["signed_on"] == "2000-01-01"


def test_csv_names_in_the_language_and_urls_in_both(client, register):
    fr = {row["title_fr"]: row for row in read_csv(client.get(CSV["fr"]))}
    en = {row["title_fr"]: row for row in read_csv(client.get(CSV["en"]), "en")}
    criaq_fr, criaq_en = fr["Protocole CRIAQ–KITECH"], en["Protocole CRIAQ–KITECH"]
    assert criaq_fr["parties"] == "Gouvernement de la Corée"
    assert criaq_en["parties"] == "Government of Korea"
    assert criaq_fr["areas"] == "Économie et commerce"
    assert criaq_en["areas"] == "Economy and trade"
    assert (
        criaq_fr["url_fr"] == criaq_en["url_fr"] == f"http://testserver/fr/ententes/{register.criaq.slug_fr}/"
    )
    assert criaq_fr["url_en"] == f"http://testserver/en/agreements/{register.criaq.slug_en}/"
    # Labels in the visitor's language, never codes; the status agrees with the kind in French.
    assert (criaq_fr["kind"], criaq_fr["status"]) == ("Entente institutionnelle", "Signée")
    assert (criaq_en["kind"], criaq_en["status"]) == ("Institutional agreement", "Signed")


@pytest.mark.parametrize("url", [CSV["fr"], JSON["en"]])
def test_exports_never_contain_drafts_or_expired_agreements(client, register, url):
    body = client.get(url).content.decode("utf-8")
    for name in ("Entente brouillon", "Entente expirée", "Entente échue"):
        assert name not in body


def test_exports_keep_the_filters(client, register):
    rows = read_csv(client.get(CSV["fr"] + "?kind=international&sort=title"))
    assert [row["title_fr"] for row in rows] == ["'\tTabulation", "'+Entente STI"]
    data = read_json(client.get(JSON["en"] + f"?area=economy&party={register.korea.pk}"))
    assert [item["title_en"] for item in data["results"]] == ["CRIAQ–KITECH memorandum"]
    data = read_json(client.get(JSON["fr"] + "?status=in_force"))
    assert data["count"] == 1 and data["results"][0]["ratified_on"] == "2016-12"


def test_invalid_filters_are_ignored_in_exports(client, register):
    data = read_json(client.get(JSON["fr"] + "?kind=international&status=nope&signed_after=hier"))
    assert data["count"] == 2


def test_json_has_the_count_the_fields_and_raw_accents(client, register):
    response = client.get(JSON["fr"])
    assert response["Content-Disposition"] == 'attachment; filename="ententes.json"'
    assert "Économie".encode() in response.content  # ensure_ascii=False
    data = read_json(response)
    assert data["count"] == len(data["results"]) == 3
    criaq = next(item for item in data["results"] if item["title_en"] == "CRIAQ–KITECH memorandum")
    assert [key for key in criaq if not key.endswith("_label")] == COLUMNS
    assert (criaq["kind"], criaq["kind_label"]) == ("institutional", "Entente institutionnelle")
    assert (criaq["status"], criaq["status_label"]) == ("signed", "Signée")
    assert criaq["signed_on"] == "2017-02"
    assert criaq["ratified_on"] is None
    assert criaq["parties"] == ["Gouvernement de la Corée"]
    assert criaq["areas"] == ["Économie et commerce"]
    # JSON is not a spreadsheet: values are given as they are.
    assert criaq["reference_number"] == '=HYPERLINK("http://evil")'
    english = client.get(JSON["en"])
    assert english["Content-Disposition"] == 'attachment; filename="agreements.json"'
    assert read_json(english)["results"][0]["areas"] in (["Economy and trade"], ["Culture"], [])


@pytest.mark.parametrize(
    "url",
    [
        "/en/ententes/export.csv",  # French index slug under /en/
        "/fr/agreements/export.json",
        "/fr/economie/export.csv",
        "/fr/ententes/export.xml",
        "/fr/ententes/export.csv/",
        "/fr/ententes/sub/export.csv",
        "/fr/ententes/export-excel.json",
    ],
)
def test_exports_elsewhere_answer_404(client, register, url):
    assert client.get(url).status_code == 404


def test_exports_refuse_writes(client, tree):
    assert client.post(CSV["fr"]).status_code == 405
    assert client.delete(JSON["en"]).status_code == 405


JUNK_QUERIES = [
    "?page=abc",
    "?page=-1",
    "?area=%00",
    "?area=" + "é" * 300,
    "?party=1e999",
    "?party=99999999999999999999999",
    "?signed_after=2017-02-30&signed_before=-1",
    "?signed_after=99999",
    "?status[]=x&kind=%FF",
    "?q=" + "x" * 10_000,
    "?q=%00",
    "?sort=-title;DROP TABLE",
    "?ref=" + "%25" * 100,
    "?kind=international&kind=zzz",
]


@pytest.mark.parametrize("url", [CSV["fr"], CSV["en"], JSON["fr"], JSON["en"], EXCEL["fr"]])
def test_junk_parameters_on_exports_give_sane_results(client, register, url):
    for query in JUNK_QUERIES:
        response = client.get(url + query)
        assert response.status_code == 200, query


def test_exports_run_a_fixed_number_of_queries(client, tree, django_assert_max_num_queries):
    party = factories.OrganizationFactory()

    def count(url):
        cache.clear()
        forget_shared_lookups()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries), response

    urls = [CSV["fr"], JSON["en"], EXCEL["fr"], CSV["en"] + "?kind=institutional&area=economy&q=e&sort=title"]
    bulk.bulk_agreements(10, areas=[tree.economy], parties=[party], prefix="a")
    small = {}
    for url in urls:
        with django_assert_max_num_queries(16):  # 12; documents and their files, bodies, sources
            small[url] = count(url)[0]
    bulk.bulk_agreements(990, areas=[tree.economy], prefix="b")
    for url in urls:
        queries, response = count(url)
        assert queries == small[url], url
    assert read_json(client.get(JSON["fr"]))["count"] == 1000
    assert len(read_csv(client.get(CSV["fr"]))) == 1000
    assert len(read_csv(client.get(EXCEL["fr"]), delimiter=";")) == 1000


def test_excel_variant_has_semicolons_a_bom_and_the_same_rows(client, register):
    """For a spreadsheet set to French (Canada), whose list separator is ";": the same rows and
    labels as the CSV, with semicolons, and the same filters."""
    response = client.get(EXCEL["fr"] + "?kind=international&sort=title")
    assert response["Content-Disposition"] == 'attachment; filename="ententes-excel.csv"'
    assert response.content.decode("utf-8").splitlines()[0].startswith('\ufeff"Numéro de référence";"Titre')
    excel = read_csv(response, delimiter=";")
    plain = read_csv(client.get(CSV["fr"] + "?kind=international&sort=title"))
    assert excel == plain and [row["title_fr"] for row in excel] == ["'\tTabulation", "'+Entente STI"]


def test_csv_has_the_order_in_council_the_official_link_and_the_documents(client, register):
    document = get_document_model().objects.create(
        title="Texte", file=ContentFile(b"%PDF-1.4 demo", name="texte.pdf")
    )
    Agreement.objects.filter(pk=register.criaq.pk).update(
        order_in_council="247-2017", official_link="https://example.org/texte"
    )
    AgreementDocument.objects.create(agreement=register.criaq, document=document, language="fr")
    rows = {row["title_fr"]: row for row in read_csv(client.get(CSV["fr"]))}
    criaq = rows["Protocole CRIAQ–KITECH"]
    assert criaq["order_in_council"] == "247-2017"
    assert criaq["official_link"] == "https://example.org/texte"
    assert criaq["documents"] == f"http://testserver{document.url}"
