"""What search engines read: /sitemap.xml, /robots.txt, and on every page a canonical URL, hreflang
alternates, a meta description, Open Graph tags, JSON-LD (BreadcrumbList, Event,
GovernmentOrganization, WebSite) and visible breadcrumbs."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest

from wagtail.models import Page

from relations.models import Agreement
from tests import bulk, factories

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture
def content(tree):
    office = factories.OrganizationFactory(
        name_fr="Bureau du Québec à Séoul",
        name_en="Québec Government Office in Seoul",
        kind="government_office",
        city_fr="Séoul",
        city_en="Seoul",
    )
    agreement = factories.AgreementFactory(
        title_fr="Accord de libre-échange Canada-Corée",
        title_en="Canada–Korea Free Trade Agreement",
        summary_fr="Entré en vigueur le 1er janvier 2015.",
        summary_en="In force since January 1, 2015.",
        areas=[tree.economy],
    )
    draft = factories.AgreementFactory(title_fr="Entente en préparation", publish=False)
    event = factories.EventFactory(
        title_fr="Marché des arts de la scène de Séoul",
        title_en="Performing Arts Market in Seoul",
        start_date=datetime.date(2030, 10, 12),
        end_date=datetime.date(2030, 10, 15),
        venue_fr="Centre des arts",
        venue_en="Arts Centre",
        summary_fr="Un marché.",
        summary_en="A market.",
    )
    event.organisers.set([office])
    event.save_revision().publish()
    update = factories.UpdatePageFactory(
        parent=tree.updates,
        title_fr="Une actualité",
        title_en="An update",
        slug_fr="une-actualite",
        slug_en="an-update",
    )
    about = factories.StandardPageFactory(
        parent=tree.home, title_fr="À propos", title_en="About", slug_fr="a-propos", slug_en="about"
    )
    contact = factories.ContactPageFactory(parent=tree.home)
    return {
        "tree": tree,
        "agreement": agreement,
        "draft": draft,
        "event": event,
        "update": update,
        "about": about,
        "office": office,
        "contact": contact,
    }


def page_urls(content):
    return {
        "home": ("/fr/", "/en/"),
        "area": ("/fr/economie/", "/en/economy/"),
        "standard": ("/fr/a-propos/", "/en/about/"),
        "agreements": ("/fr/ententes/", "/en/agreements/"),
        "agreement": (
            content["agreement"].get_url_for_language("fr"),
            content["agreement"].get_url_for_language("en"),
        ),
        "events": ("/fr/evenements/", "/en/events/"),
        "event": (content["event"].get_url_for_language("fr"), content["event"].get_url_for_language("en")),
        "updates": ("/fr/actualites/", "/en/updates/"),
        "update": ("/fr/actualites/une-actualite/", "/en/updates/an-update/"),
        "contact": ("/fr/nous-joindre/", "/en/contact/"),
        "search": ("/fr/search/?q=Corée", "/en/search/?q=Korea"),
    }


def json_ld(html):
    return [
        json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    ]


def of_type(html, kind):
    return [block for block in json_ld(html) if block.get("@type") == kind]


def meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return match.group(1) if match else None


def link(html, rel, hreflang=None):
    for tag in re.findall(r"<link[^>]+>", html):
        if f'rel="{rel}"' in tag and (hreflang is None or f'hreflang="{hreflang}"' in tag):
            return re.search(r'href="([^"]+)"', tag).group(1)
    return None


# ---- sitemap.xml and robots.txt ---------------------------------------------------------


def sitemap_files(client):
    """The sitemap files that /sitemap.xml (an index) lists, as paths."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap
    return [loc.text.removeprefix("http://testserver") for loc in root.findall("s:sitemap/s:loc", NS)]


def sitemap_entries(client):
    entries = {}
    for path in sitemap_files(client):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("application/xml")
        entries.update(entries_of(response))
    return entries


def entries_of(response):
    root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap
    entries = {}
    for url in root.findall("s:url", NS):
        alternates = {
            alternate.get("hreflang"): alternate.get("href") for alternate in url.findall("x:link", NS)
        }
        lastmod = url.find("s:lastmod", NS)
        entries[url.find("s:loc", NS).text] = {
            "alternates": alternates,
            "lastmod": lastmod.text if lastmod is not None else None,
        }
    return entries


def test_the_sitemap_lists_every_live_page_agreement_and_event_in_both_languages(client, content):
    entries = sitemap_entries(client)
    for french, english in page_urls(content).values():
        if "search" in french:
            continue
        assert f"http://testserver{french}" in entries, french
        assert f"http://testserver{english}" in entries, english
    assert not any("en-preparation" in loc for loc in entries)


def test_each_sitemap_entry_has_its_alternates_and_lastmod(client, content):
    entries = sitemap_entries(client)
    fr = content["agreement"].get_url_for_language("fr")
    en = content["agreement"].get_url_for_language("en")
    for loc in (f"http://testserver{fr}", f"http://testserver{en}"):
        entry = entries[loc]
        assert entry["alternates"] == {
            "fr": f"http://testserver{fr}",
            "en": f"http://testserver{en}",
            "x-default": f"http://testserver{fr}",
        }
        assert re.match(r"\d{4}-\d{2}-\d{2}", entry["lastmod"])
    economy = entries["http://testserver/en/economy/"]
    assert economy["alternates"]["fr"] == "http://testserver/fr/economie/"
    assert economy["alternates"]["x-default"] == "http://testserver/fr/economie/"


def test_the_sitemap_leaves_out_unpublished_pages(client, content):
    page = factories.AreaPageFactory(
        parent=content["tree"].home, slug_fr="brouillon", slug_en="draft", live=False
    )
    assert page.pk
    entries = sitemap_entries(client)
    assert "http://testserver/fr/brouillon/" not in entries


def test_the_sitemap_is_an_index_of_sections(client, content):
    assert sitemap_files(client) == ["/sitemap-pages.xml", "/sitemap-agreements.xml", "/sitemap-events.xml"]
    assert client.get("/sitemap-nothing.xml").status_code == 404
    for junk in ("?p=abc", "?p=0", "?p=999999"):
        assert client.get("/sitemap-agreements.xml" + junk).status_code == 404


def test_a_long_register_is_split_into_sitemap_pages(client, content, monkeypatch):
    from relations import sitemaps

    bulk.bulk_agreements(7, prefix="s")
    monkeypatch.setattr(sitemaps.AgreementSitemap, "limit", 6)  # URLs: three agreements a file
    files = sitemap_files(client)
    pages = [path for path in files if path.startswith("/sitemap-agreements.xml")]
    total = Agreement.objects.published().count()
    assert len(pages) == -(-2 * total // 6) > 1
    seen = {}
    for path in pages:
        page_entries = entries_of(client.get(path))
        assert len(page_entries) <= 6
        seen.update(page_entries)
    assert len(seen) == 2 * total


def test_the_sitemap_and_robots_are_outside_the_language_prefixes(client, content):
    assert client.get("/fr/sitemap.xml").status_code == 404
    assert client.get("/en/robots.txt").status_code == 404


def test_robots_txt_points_to_the_sitemap(client, content):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /fr/search/" in lines and "Disallow: /en/search/" in lines


# ---- Every page -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "home",
        "area",
        "standard",
        "agreements",
        "agreement",
        "events",
        "event",
        "updates",
        "update",
        "contact",
    ],
)
def test_every_page_has_canonical_alternates_description_and_open_graph(client, content, kind):
    french, english = page_urls(content)[kind]
    for language, url in (("fr", french), ("en", english)):
        html = client.get(url).text
        assert link(html, "canonical") == f"http://testserver{url}"
        assert link(html, "alternate", "fr") == f"http://testserver{french}"
        assert link(html, "alternate", "en") == f"http://testserver{english}"
        assert link(html, "alternate", "x-default") == f"http://testserver{french}"
        assert meta(html, "name", "description"), f"{url} has no description"
        assert meta(html, "property", "og:description")
        assert meta(html, "property", "og:title")
        assert meta(html, "property", "og:url") == f"http://testserver{url}"
        assert meta(html, "property", "og:locale") == f"{language}_CA"
        assert meta(html, "property", "og:site_name")


@pytest.mark.parametrize(
    "kind",
    [
        "area",
        "standard",
        "agreements",
        "agreement",
        "events",
        "event",
        "updates",
        "update",
        "contact",
        "search",
    ],
)
def test_every_page_below_the_home_page_has_breadcrumbs_and_a_breadcrumb_list(client, content, kind):
    for url in page_urls(content)[kind]:
        html = client.get(url).text
        assert 'class="breadcrumbs"' in html and 'aria-current="page"' in html
        (crumbs,) = of_type(html, "BreadcrumbList")
        items = crumbs["itemListElement"]
        assert [item["position"] for item in items] == list(range(1, len(items) + 1))
        assert items[0]["item"] == f"http://testserver/{url[1:3]}/"
        assert all(item["item"].startswith("http://testserver/") for item in items)
        assert len(items) >= 2


def test_an_event_has_its_event_json_ld(client, content):
    html = client.get(content["event"].get_url_for_language("en")).text
    (event,) = of_type(html, "Event")
    assert event["name"] == "Performing Arts Market in Seoul"
    assert event["startDate"] == "2030-10-12"
    assert event["endDate"] == "2030-10-15"
    assert event["location"]["name"] == "Arts Centre"
    assert event["location"]["address"]["addressCountry"] == "KR"
    assert event["organizer"][0]["name"] == "Québec Government Office in Seoul"
    assert event["url"] == "http://testserver" + content["event"].get_url_for_language("en")
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    french = of_type(client.get(content["event"].get_url_for_language("fr")).text, "Event")[0]
    assert french["name"] == "Marché des arts de la scène de Séoul" and french["inLanguage"] == "fr"


@pytest.mark.parametrize(
    "when",
    [
        {"start_date": datetime.date(2030, 10, 1), "date_precision": "month"},
        {"start_date": datetime.date(2030, 1, 1), "date_precision": "year"},
        {"start_date": None},
    ],
)
def test_an_event_whose_day_is_unknown_has_no_event_json_ld(client, tree, when):
    """schema.org wants a full startDate: "October 2030" is not one (the PAMS and BIFF pages)."""
    event = factories.EventFactory(title_fr="Festival au mois près", **when)
    response = client.get(event.get_url_for_language("fr"))
    assert response.status_code == 200
    assert "Festival au mois près" in response.text
    assert of_type(response.text, "Event") == []
    assert of_type(response.text, "BreadcrumbList")  # the other structured data stays


def test_an_event_with_a_time_gives_it_in_its_own_zone(client, tree):
    event = factories.EventFactory(
        title_fr="Concert",
        start_date=datetime.date(2030, 5, 1),
        start_time=datetime.time(19, 30),
        all_day=False,
    )
    (data,) = of_type(client.get(event.get_url_for_language("fr")).text, "Event")
    assert data["startDate"] == "2030-05-01T19:30+09:00"


def test_the_home_and_contact_pages_describe_the_office_and_the_site(client, content):
    home = client.get("/fr/").text
    (office,) = of_type(home, "GovernmentOrganization")
    assert office["name"] == "Bureau du Québec à Séoul"
    assert office["address"] == {"@type": "PostalAddress", "addressCountry": "KR", "addressLocality": "Séoul"}
    assert office["contactPoint"]["url"] == "http://testserver/fr/nous-joindre/"
    (site,) = of_type(home, "WebSite")
    assert (
        site["potentialAction"]["target"]["urlTemplate"]
        == "http://testserver/fr/search/?q={search_term_string}"
    )
    contact = client.get("/en/contact/").text
    assert of_type(contact, "GovernmentOrganization")[0]["name"] == "Québec Government Office in Seoul"


def test_json_ld_cannot_be_broken_out_of(client, tree):
    event = factories.EventFactory(title_fr="</script><script>alert(1)</script> & co")
    html = client.get(event.get_url_for_language("fr")).text
    assert "<script>alert(1)" not in html
    (data,) = of_type(html, "Event")
    assert data["name"] == "</script><script>alert(1)</script> & co"


def test_json_ld_needs_no_nonce(client, content):
    """A data block: the CSP's script-src does not apply (checked in Chromium by the browser tests)."""
    html = client.get("/fr/").text
    assert '<script type="application/ld+json">' in html


def test_a_page_without_intro_still_has_a_description(client, tree):
    Page.objects.filter(pk=tree.culture.pk).update()
    tree.culture.intro_fr = ""
    tree.culture.intro_en = ""
    tree.culture.save_revision().publish()
    assert meta(client.get("/fr/culture/").text, "name", "description")
    assert meta(client.get("/en/culture/").text, "name", "description")


def test_every_page_links_the_accessibility_statement_in_its_footer(client, content):
    factories.StandardPageFactory(
        parent=content["tree"].home,
        title_fr="Accessibilité",
        title_en="Accessibility",
        slug_fr="accessibilite",
        slug_en="accessibility",
    )
    for url in ("/fr/", "/en/economy/", "/fr/search/?q=x", "/en/contact/", "/fr/nexiste-pas/"):
        footer = client.get(url).text.split('class="site-footer"')[1]
        language = url[1:3]
        expected = "/fr/accessibilite/" if language == "fr" else "/en/accessibility/"
        assert f'href="{expected}"' in footer, url
