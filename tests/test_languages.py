"""The language switcher: every language named in itself, the current one marked and not a link."""

import re

import pytest

pytestmark = pytest.mark.django_db


def switcher(html):
    match = re.search(r'<ul class="lang-switcher"[^>]*>(.*?)</ul>', html, re.S)
    assert match, "no language switcher"
    return match.group(1)


def test_the_switcher_lists_each_language_in_its_own_name_and_marks_the_current_one(client, tree):
    html = switcher(client.get("/en/economy/").content.decode())
    assert '<span aria-current="true">English</span>' in html
    assert re.search(r'<a href="/fr/economie/" lang="fr" hreflang="fr">Français</a>', html)
    assert 'href="/en/' not in html  # the page shown is not a link to itself


def test_open_graph_names_the_page_s_locale(client, tree):
    html = client.get("/fr/economie/").content.decode()
    assert '<meta property="og:locale" content="fr_CA">' in html
    assert '<meta property="og:locale:alternate" content="en_CA">' in html


def test_a_browser_that_prefers_korean_is_sent_to_the_korean_pages(client, home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9,en;q=0.5")
    assert response["Location"] == "/ko/"


def test_the_korean_switcher_names_each_language_in_itself(client, tree):
    html = switcher(client.get("/ko/").content.decode())
    assert '<span aria-current="true">한국어</span>' in html
    assert 'lang="fr" hreflang="fr">Français</a>' in html
    assert 'lang="en" hreflang="en">English</a>' in html
