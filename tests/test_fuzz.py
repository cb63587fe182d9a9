"""Generated junk at every public URL's parameters and slugs, in both languages, and at the API: never a 5xx.

Hypothesis draws query strings (known parameter names and random ones, with huge numbers, negative
numbers, 10 kB strings, control characters, odd Unicode, repeated keys) and path segments; each
target gets a bounded number of examples so the whole file stays under a minute. The test client
re-raises a view's exception, so a 500 fails the test with its traceback.
"""

import datetime
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.utils.translation import override

from tests import factories

pytestmark = pytest.mark.django_db

EXAMPLES = 30
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples in every run: CI failures reproduce
    database=None,  # no .hypothesis/ folder in the work tree
)

KNOWN_PARAMETERS = [
    "q", "page", "area", "kind", "status", "party", "sector", "year", "signed_after", "signed_before",
    "ref", "sort", "order", "format", "lang", "limit", "offset", "fields", "type", "search", "child_of",
    "descendant_of", "id", "slug", "html_path", "locale", "_", "country", "month",
]  # fmt: skip

junk_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(
        [
            "", "0", "-1", "1e9", "99999999999999999999999", "NaN", "null", "[]", "{}", "' OR 1=1 --",
            "%00", "\x00", '"', 'a"b', "../../etc/passwd", "<script>alert(1)</script>", "2016-13-45",
            "2016-02-30",
            "9999-99", "-signed", "title", "*", "id,title", "-id", "relations.AgreementIndexPage",
            "wagtailcore.Page", "x" * 10_000, "é" * 3000, "\u202e", "\ud7ff", "１２３",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)  # fmt: skip
parameter_names = st.one_of(st.sampled_from(KNOWN_PARAMETERS), st.text(min_size=1, max_size=20))
query_strings = st.lists(st.tuples(parameter_names, junk_text), max_size=6).map(urlencode)
slugs = st.one_of(
    st.text(min_size=1, max_size=80),
    st.from_regex(r"[-a-z0-9]{1,60}", fullmatch=True),
    st.sampled_from(["volume-1", "a" * 300, "..", ".", "%2e%2e", "index.html", "export.csv", "ics"]),
)


@pytest.fixture
def site(tree):
    factories.AgreementFactory(title_fr="Entente connue", areas=[tree.economy])
    factories.EventFactory(
        title_fr="Événement connu", start_date=datetime.date.today() + datetime.timedelta(days=3)
    )
    factories.UpdatePageFactory(parent=tree.updates, title_fr="Actualité connue", slug_fr="connue")
    return tree


def list_pages(tree):
    urls = []
    for language in ("fr", "en"):
        with override(language):
            urls += [
                tree.home.get_url(),
                tree.economy.get_url(),
                tree.agreements.get_url(),
                tree.events.get_url(),
                tree.updates.get_url(),
            ]
    return urls


def check(client, url):
    response = client.get(url)
    assert response.status_code < 500, f"{url[:300]} answered {response.status_code}"


@FUZZ
@given(query=query_strings)
def test_list_pages_survive_junk_parameters(client, site, query):
    for url in list_pages(site):
        check(client, f"{url}?{query}")


@FUZZ
@given(query=query_strings)
def test_search_survives_junk(client, site, query):
    for language in ("fr", "en"):
        check(client, f"/{language}/search/?{query}")
        check(client, f"/{language}/recherche/?{query}")


@FUZZ
@given(slug=slugs, query=query_strings)
def test_detail_routes_survive_unknown_slugs(client, site, slug, query):
    segment = quote(slug, safe="")
    for url in list_pages(site):
        check(client, f"{url}{segment}/?{query}")
        check(client, f"{url}{segment}")


@FUZZ
@given(slug=slugs, query=query_strings)
def test_feeds_and_exports_survive_junk(client, site, slug, query):
    segment = quote(slug, safe="")
    for prefix in ("/fr/flux", "/en/feeds"):
        for kind in ("ententes", "evenements", "agreements", "events", segment):
            check(client, f"{prefix}/{kind}.atom?{query}")
        check(client, f"{prefix}/evenements/{segment}.ics?{query}")
        check(client, f"{prefix}/events/{segment}.atom?{query}")
    for index in ("/fr/ententes/", "/en/agreements/"):
        check(client, f"{index}export.csv?{query}")
        check(client, f"{index}export.json?{query}")


@FUZZ
@given(query=query_strings, slug=slugs)
def test_api_survives_junk_parameters(client, site, query, slug):
    segment = quote(slug, safe="")
    for endpoint in ("pages", "agreements", "events"):
        check(client, f"/api/v2/{endpoint}/?{query}")
        check(client, f"/api/v2/{endpoint}/{segment}/?{query}")
    check(client, f"/api/v2/pages/find/?{query}")


@pytest.mark.parametrize("search", ["%00", "%22", "a%22b", "%22a%22%20%22b", "caf%C3%A9%00", "%01", "%1F"])
def test_api_search_refuses_what_the_search_backends_cannot_take(client, site, search):
    """NUL answered 500 on PostgreSQL, a lone double quote 500 on SQLite: both are 400 now."""
    response = client.get(f"/api/v2/pages/?search={search}")
    assert response.status_code == 400, search
    assert response.json()["message"]
    assert client.get("/api/v2/pages/?search=%22culture%22").status_code == 200  # a closed phrase


@FUZZ
@given(path=st.lists(slugs, min_size=1, max_size=4))
def test_any_path_under_each_language_is_not_a_server_error(client, site, path):
    for language in ("fr", "en", "de", ""):
        prefix = f"/{language}/" if language else "/"
        check(client, prefix + "/".join(quote(segment, safe="") for segment in path) + "/")
