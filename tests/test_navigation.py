"""The menu, the footer and the language switcher, as a visitor reads them on every page."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from wagtail.models import PageViewRestriction

from tests import factories

pytestmark = pytest.mark.django_db


def footer(html):
    return html.split('class="site-footer"')[1]


def main_nav(html):
    return html.split('class="main-nav"')[1].split("</nav>")[0]


@pytest.mark.parametrize("restriction_type", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD])
def test_pages_behind_a_login_or_a_password_are_not_listed_in_the_menu_or_footer(
    client, tree, restriction_type
):
    public = factories.StandardPageFactory(
        parent=tree.home, title_fr="Accessibilité", title_en="Accessibility", slug_fr="accessibilite"
    )
    staff = factories.StandardPageFactory(
        parent=tree.home, title_fr="Réservé au personnel", title_en="Staff only", slug_fr="personnel"
    )
    PageViewRestriction.objects.create(page=staff, restriction_type=restriction_type, password="s3cret")
    hidden_area = factories.AreaPageFactory(
        parent=tree.home, title_fr="Espace privé", title_en="Private area", slug_fr="prive"
    )
    PageViewRestriction.objects.create(page=hidden_area, restriction_type=restriction_type, password="s3cret")

    html = client.get("/fr/").text
    assert public.title_fr in footer(html)
    assert "Réservé au personnel" not in html
    assert "Culture" in main_nav(html)
    assert "Espace privé" not in main_nav(html) and "Espace privé" not in footer(html)


def switcher_url(html, language):
    """The language switcher's link to ``language``."""
    switcher = re.search(r'<ul class="lang-switcher".*?</ul>', html, re.S).group(0)
    links = {code: url for url, code in re.findall(r'<a href="([^"]+)" lang="([a-z]{2})"', switcher)}
    return links[language].replace("&amp;", "&")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/fr/ententes/?status=in_force", "/en/agreements/?status=in_force"),
        (
            "/fr/ententes/?area=economie&kind=non_binding&sort=title",
            "/en/agreements/?area=economy&kind=non_binding&sort=title",
        ),
        ("/en/agreements/?area=economy", "/fr/ententes/?area=economie"),
        (
            "/fr/ententes/?q=entente+jeunesse&signed_after=2015",
            "/en/agreements/?q=entente+jeunesse&signed_after=2015",
        ),
        # Junk and unknown parameters are not carried over; valid ones still are.
        ("/fr/ententes/?status=bogus&utm_source=x&kind=non_binding", "/en/agreements/?kind=non_binding"),
        (
            "/fr/evenements/?area=culture&country=KR&year=2019",
            "/en/events/?area=culture&country=KR&year=2019",
        ),
        ("/fr/evenements/?show=upcoming&page=2", "/en/events/?show=upcoming&page=2"),
        ("/fr/?status=in_force", "/en/"),  # the home page uses no filter
    ],
)
def test_the_language_switcher_keeps_the_filters_the_page_uses(client, tree, url, expected):
    factories.AgreementFactory(areas=[tree.economy])
    factories.EventFactory(areas=[tree.culture], country="KR")
    response = client.get(url)
    assert response.status_code == 200
    got = urlsplit(switcher_url(response.text, expected.split("/")[1]))
    want = urlsplit(expected)
    assert got.path == want.path
    assert parse_qs(got.query) == parse_qs(want.query)


def test_the_hreflang_links_name_the_page_itself(client, tree):
    html = client.get("/fr/ententes/?status=in_force").text
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/agreements/">' in html
