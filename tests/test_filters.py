"""The agreements register's filters: each parameter, bad values ignored, facets, pagination."""

import datetime

import pytest

from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from relations.core.caching import forget_shared_lookups
from relations.core.dates import DatePrecision
from relations.exports import with_lists
from relations.listings.pagination import paginate
from relations.listings.register import filter_agreements
from relations.models import Agreement, AgreementIndexPage, live_areas
from tests import bulk, factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(tree):
    r = type("Register", (), {})()
    r.tree = tree
    r.korea = factories.OrganizationFactory(name_fr="Gouvernement de la Corée", name_en="Government of Korea")
    r.quebec = factories.OrganizationFactory(name_fr="Gouvernement du Québec", name_en="Government of Québec")
    r.hidden_party = factories.OrganizationFactory(name_fr="Partie d’un brouillon")
    r.fta = factories.AgreementFactory(
        title_fr="Accord de libre-échange Canada-Corée",
        title_en="Canada–Korea Free Trade Agreement",
        kind="canadian",
        signed_on=None,
        in_force_on=datetime.date(2015, 1, 1),
        reference_number="CAN-2015",
        areas=[tree.economy],
        parties=[r.korea],
    )
    r.criaq = factories.AgreementFactory(
        title_fr="Protocole CRIAQ–KITECH",
        title_en="CRIAQ–KITECH memorandum",
        summary_fr="Aérospatiale.",
        summary_en="Aerospace research.",
        kind="institutional",
        signed_on=datetime.date(2017, 2, 1),
        reference_number="2017-001",
        areas=[tree.economy],
        parties=[r.korea, r.quebec],
    )
    r.culture = factories.AgreementFactory(
        title_fr="Entente culturelle",
        title_en="Cultural agreement",
        kind="international",
        signed_on=None,
        ratified_on=datetime.date(2016, 12, 1),
        ratified_precision=DatePrecision.MONTH,
        areas=[tree.culture],
        parties=[r.quebec],
    )
    r.ended = factories.AgreementFactory(
        title_fr="Zèbre : ancienne entente",
        title_en="Old agreement",
        kind="international",
        signed_on=datetime.date(2000, 1, 1),
        in_force_on=datetime.date(2000, 6, 1),
        ended_on=datetime.date(2010, 1, 1),
    )
    r.draft = factories.AgreementFactory(
        title_fr="Brouillon",
        kind="international",
        publish=False,
        areas=[tree.economy],
        parties=[r.korea, r.hidden_party],
    )
    r.expired = factories.AgreementFactory(title_fr="Expirée", kind="international", areas=[tree.economy])
    Agreement.objects.filter(pk=r.expired.pk).update(expire_at=timezone.now() - datetime.timedelta(days=1))
    return r


def run(query="", language="fr"):
    result = filter_agreements(QueryDict(query), language, live_areas())
    return result, list(result.qs)


def test_without_filters_every_published_agreement_newest_signature_first(register):
    result, agreements = run()
    r = register
    assert agreements == [r.criaq, r.ended, r.culture, r.fta]
    assert result.ignored == []
    assert result.sort == "-signed"
    assert not result.is_filtered
    assert {a.current_status for a in agreements} == {"signed", "ended", "ratified", "in_force"}


FILTER_CASES = [
    ("area={economy_pk}", "fr", ["criaq", "fta"]),
    ("area=economie", "fr", ["criaq", "fta"]),
    ("area=economy", "en", ["criaq", "fta"]),
    ("area=culture", "en", ["culture"]),
    ("kind=international", "fr", ["ended", "culture"]),
    ("status=in_force", "fr", ["fta"]),
    ("status=ratified", "fr", ["culture"]),
    ("status=ended", "fr", ["ended"]),
    ("status=signed", "fr", ["criaq"]),
    ("party={korea_pk}", "fr", ["criaq", "fta"]),
    ("party={quebec_pk}&area=culture", "fr", ["culture"]),
    ("signed_after=2016", "fr", ["criaq"]),
    ("signed_after=2017-02-01", "fr", ["criaq"]),
    ("signed_after=2017-02-02", "fr", []),
    ("signed_before=2016-12", "fr", ["ended"]),
    ("signed_before=2017-02", "fr", ["criaq", "ended"]),
    ("signed_after=2000&signed_before=2000", "fr", ["ended"]),
    ("ref=2017", "fr", ["criaq"]),
    ("ref=can-2015", "fr", ["fta"]),
    ("q=aerospace", "en", ["criaq"]),
    ("q=libre-échange", "fr", ["fta"]),
    ("q=free trade", "fr", ["fta"]),
    ("q=2017-001", "fr", ["criaq"]),
    ("q=brouillon", "fr", []),
    ("kind=international&status=ratified", "fr", ["culture"]),
]


def test_each_filter(register):
    # One test for all the cases: the register takes a while to build.
    for query, language, expected in FILTER_CASES:
        query = query.format(
            economy_pk=register.tree.economy.pk, korea_pk=register.korea.pk, quebec_pk=register.quebec.pk
        )
        result, agreements = run(query, language)
        assert agreements == [getattr(register, name) for name in expected], query
        assert result.ignored == [], query
        assert result.is_filtered


def test_sort_by_title_in_each_language(register):
    r = register
    assert run("sort=title", "fr")[1] == [r.fta, r.culture, r.criaq, r.ended]
    assert run("sort=title", "en")[1] == [r.fta, r.criaq, r.culture, r.ended]
    assert run("sort=signed")[1][:2] == [r.ended, r.criaq]


INVALID_CASES = [
    ("status=zzz", ["status"]),
    ("kind=treaty", ["kind"]),
    ("area=nowhere", ["area"]),
    ("area=economy", ["area"]),  # the English slug while reading in French
    ("area=999999", ["area"]),
    ("party=abc", ["party"]),
    ("party=999999", ["party"]),
    ("party={hidden_pk}", ["party"]),  # party only to a draft
    ("signed_after=yesterday", ["signed_after"]),
    ("signed_after=2017-13", ["signed_after"]),
    ("signed_before=2017-02-30", ["signed_before"]),
    ("signed_before=0000", ["signed_before"]),
    ("signed_before=99999-01-01", ["signed_before"]),
    ("q=" + "x" * 10_000, ["q"]),
    ("q=a%00b", ["q"]),
    ("ref=%00", ["ref"]),
    ("sort=random", ["sort"]),
    ("status=zzz&kind=zzz&party=x", ["kind", "status", "party"]),
]


def test_invalid_values_are_ignored_and_named(register):
    for query, ignored in INVALID_CASES:
        result, agreements = run(query.format(hidden_pk=register.hidden_party.pk))
        assert result.ignored == ignored, query
        assert len(agreements) == 4, query
        assert result.active == {}
        assert result.querystring == ""


def test_valid_filters_still_apply_beside_ignored_ones(register):
    result, agreements = run("kind=canadian&status=zzz&page=abc&unknown=1")
    assert agreements == [register.fta]
    assert result.ignored == ["status"]
    assert result.active == {"kind": "canadian"}
    assert result.querystring == "kind=canadian"


def facet(result, name):
    return {value: (count, selected) for value, _label, count, selected in result.facets[name]}


def test_facets_count_each_choice_with_the_other_filters(register):
    result, _ = run("kind=institutional")
    assert facet(result, "kind") == {
        "international": (2, False),
        "non_binding": (0, False),
        "multilateral": (0, False),
        "canadian": (1, False),
        "institutional": (1, True),
        "subnational": (0, False),
    }
    assert facet(result, "status") == {
        "in_force": (0, False),
        "ratified": (0, False),
        "signed": (1, False),
        "ended": (0, False),
        "unknown": (0, False),
    }
    assert facet(result, "area") == {"economie": (1, False), "culture": (0, False)}
    r = register
    assert facet(result, "party") == {str(r.korea.pk): (1, False), str(r.quebec.pk): (1, False)}


def test_facets_leave_drafts_and_expired_agreements_out(register):
    result, _ = run("area=economie", "fr")
    assert facet(result, "area") == {"economie": (2, True), "culture": (1, False)}
    assert facet(result, "kind")["international"] == (0, False)
    assert facet(result, "party") == {str(register.korea.pk): (2, False), str(register.quebec.pk): (1, False)}


def test_facet_labels_are_in_the_language(register):
    result, _ = run("", "en")
    assert [label for _value, label, _count, _selected in result.facets["area"]] == [
        "Economy and trade",
        "Culture",
    ]
    assert ("in_force", "In force", 1, False) in result.facets["status"]
    assert [label for _v, label, _c, _s in result.facets["party"]] == [
        "Government of Korea",
        "Government of Québec",
    ]
    assert [value for value, _label, _selected in result.sort_choices] == ["-signed", "signed", "title"]
    result, _ = run("", "fr")
    assert result.facets["area"][0][:2] == ("economie", "Économie et commerce")


def test_a_fixed_number_of_queries_at_10_and_at_1000_agreements(tree):
    party = factories.OrganizationFactory()

    def count(query):
        forget_shared_lookups()  # from cold: the most queries a request can run
        with CaptureQueriesContext(connection) as captured:
            result = filter_agreements(QueryDict(query), "fr", live_areas())
            page, _ = paginate(with_lists(result.qs), "2")  # as the exports read them
            rows = [
                (a.title, [p.name for p in a.parties.all()], [x.title for x in a.areas.all()]) for a in page
            ]
            assert result.facets
        return len(captured.captured_queries), len(rows)

    bulk.bulk_agreements(10, areas=[tree.economy], parties=[party], prefix="a")
    small = {
        query: count(query) for query in ("", "kind=institutional&area=economie&status=signed&q=e", "party=x")
    }
    bulk.bulk_agreements(990, areas=[tree.economy], prefix="b")
    for query, (queries, _rows) in small.items():
        assert count(query)[0] == queries, query
    # From cold, with what the exports prefetch (parties, areas, documents with their files,
    # responsible bodies, sources): a page of the register itself reads fewer (test_query_budget).
    assert small[""][0] <= 16


def test_pagination_copes_with_any_page_number(tree):
    bulk.bulk_agreements(45, prefix="p")
    qs = Agreement.objects.published().order_by("pk")
    for raw, number, adjusted in [
        (None, 1, False),
        ("", 1, False),
        ("2", 2, False),
        ("3", 3, False),
        ("abc", 1, True),
        ("0", 1, True),
        ("-4", 1, True),
        ("999999", 3, True),
        ("9" * 5000, 1, True),
        ("2.5", 1, True),
    ]:
        page, was_adjusted = paginate(qs, raw)
        assert (page.number, was_adjusted) == (number, adjusted), raw
    assert len(paginate(qs, "3")[0].object_list) == 5


def test_an_empty_register_has_one_empty_page(tree):
    page, adjusted = paginate(Agreement.objects.none(), "5")
    assert (page.number, adjusted, list(page)) == (1, True, [])


def test_the_index_route_gives_the_template_the_filters_and_a_page(register, monkeypatch):
    captured = {}

    def fake_render(self, request, *args, template=None, context_overrides=None):
        captured.update(context_overrides)
        return None

    monkeypatch.setattr(AgreementIndexPage, "render", fake_render)
    page = register.tree.agreements
    request = RequestFactory().get("/fr/ententes/", {"kind": "international", "status": "zzz", "page": "99"})
    with override("fr"):
        page.index_route(request)
    assert captured["result_count"] == 2
    assert list(captured["agreements"]) == [register.ended, register.culture]
    assert captured["agreements"].number == 1
    assert captured["page_adjusted"] is True
    assert captured["filters"].ignored == ["status"]
    assert captured["export_csv_url"] == "/fr/ententes/export.csv?kind=international"
    assert captured["export_json_url"] == "/fr/ententes/export.json?kind=international"
