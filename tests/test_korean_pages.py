"""Pages in Korean: Korean text where it exists, marked fallbacks where it does not, and search
engines shown only the Korean pages that are written in Korean."""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from django.utils.translation import override

from relations.models import FigureUnit
from tests import factories

pytestmark = pytest.mark.django_db

NOTICE_ENGLISH = "이 페이지의 일부 내용은 아직 한국어로 제공되지 않아 영어로 표시합니다."
NOTICE_FRENCH = "이 페이지의 일부 내용은 아직 한국어로 제공되지 않아 프랑스어로 표시합니다."


def url_in(obj, language):
    with override(language):
        return obj.get_url()


def head_alternates(html):
    head = html.split("</head>")[0]
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', head))


def noindex(html):
    return '<meta name="robots" content="noindex">' in html.split("</head>")[0]


@pytest.fixture
def korean_area(tree):
    tree.home.title_ko = "퀘벡 – 한국"
    tree.home.save_revision().publish()
    area = factories.AreaPageFactory(
        parent=tree.home,
        title_fr="Recherche et innovation",
        title_en="Research and innovation",
        title_ko="연구 및 혁신",
        slug_fr="recherche-innovation",
        slug_en="research-innovation",
        intro_ko="연구, 혁신, 지식 발전을 소개합니다.",
    )
    return area


def test_a_korean_page_reads_in_korean_and_is_offered_to_search_engines(client, korean_area):
    response = client.get(url_in(korean_area, "ko"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ko">' in html
    assert "<h1>연구 및 혁신</h1>" in html
    assert '<p class="lead">연구, 혁신, 지식 발전을 소개합니다.</p>' in html
    assert '<meta property="og:locale" content="ko_KR">' in html
    assert not noindex(html)
    assert "notice--language" not in html
    assert set(head_alternates(html)) == {"fr", "en", "ko", "x-default"}


def test_a_page_without_korean_shows_english_marked_with_a_korean_notice(client, tree):
    html = client.get(url_in(tree.economy, "ko")).content.decode()
    assert '<h1 lang="en">Economy and trade</h1>' in html
    assert '<p class="lead" lang="en">Introduction in English.</p>' in html
    assert f'<p class="notice notice--language">{NOTICE_ENGLISH}</p>' in html
    assert noindex(html)
    assert "ko" not in head_alternates(html)  # neither offered on itself…
    french = client.get(url_in(tree.economy, "fr")).content.decode()
    assert set(head_alternates(french)) == {"fr", "en", "x-default"}  # …nor from the French page
    assert "notice--language" not in french


def test_without_english_either_a_korean_page_shows_french(client, tree):
    page = factories.StandardPageFactory(
        parent=tree.home, title_en="", intro_en="", title_fr="Confidentialité", slug_fr="confidentialite"
    )
    html = client.get(url_in(page, "ko")).content.decode()
    assert '<h1 lang="fr">Confidentialité</h1>' in html
    assert f'<p class="notice notice--language">{NOTICE_FRENCH}</p>' in html


def test_the_page_joins_search_engines_once_its_korean_is_written(client, tree):
    assert noindex(client.get(url_in(tree.economy, "ko")).content.decode())
    tree.economy.title_ko = "경제 및 통상"
    tree.economy.intro_ko = "퀘벡과 한국 간 상품 교역을 소개합니다."
    tree.economy.save_revision().publish()
    html = client.get(url_in(tree.economy, "ko")).content.decode()
    assert not noindex(html)
    assert "ko" in head_alternates(html)


def sitemap_urls(client):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = set()
    for section in ("pages", "agreements", "events"):
        root = ET.fromstring(client.get(f"/sitemap-{section}.xml").content)  # noqa: S314 - our own
        urls |= {loc.text.removeprefix("http://testserver") for loc in root.findall("s:url/s:loc", ns)}
    return urls


def test_the_sitemap_lists_only_the_korean_pages_written_in_korean(client, tree, korean_area):
    ready = factories.AgreementFactory(title_ko="한-캐나다 자유무역협정", summary_ko="2015년 발효")
    untranslated = factories.AgreementFactory()
    urls = sitemap_urls(client)
    assert url_in(korean_area, "ko") in urls
    assert url_in(tree.economy, "fr") in urls and url_in(tree.economy, "ko") not in urls
    assert ready.get_url_for_language("ko") in urls
    assert untranslated.get_url_for_language("en") in urls
    assert untranslated.get_url_for_language("ko") not in urls


def test_an_agreement_without_korean_is_marked_and_kept_from_search_engines(client, tree):
    agreement = factories.AgreementFactory(
        title_en="Canada–Korea Free Trade Agreement",
        summary_en="Took effect in 2015.",
        summary_fr="En vigueur.",
    )
    html = client.get(agreement.get_url_for_language("ko")).content.decode()
    assert '<h1 lang="en">Canada–Korea Free Trade Agreement</h1>' in html
    assert noindex(html)
    agreement.title_ko = "한-캐나다 자유무역협정"
    agreement.summary_ko = "2015년에 발효되었습니다."
    agreement.save_revision().publish()
    html = client.get(agreement.get_url_for_language("ko")).content.decode()
    assert "<h1>한-캐나다 자유무역협정</h1>" in html
    assert not noindex(html)


def test_korean_pages_keep_the_english_slugs(client, tree, korean_area):
    assert url_in(korean_area, "ko") == "/ko/research-innovation/"
    agreement = factories.AgreementFactory(title_en="Free trade", slug_en="free-trade", title_ko="자유무역")
    assert agreement.get_url_for_language("ko").endswith("/free-trade/")
    assert client.get(agreement.get_url_for_language("ko")).status_code == 200


def test_dates_and_figures_follow_korean_conventions(client, tree):
    factories.KeyFigureFactory(
        label_ko="퀘벡과 한국 간 상품 교역액",
        value=Decimal("2.1"),
        unit=FigureUnit.CAD_BILLION,
        area=tree.economy,
    )
    factories.KeyFigureFactory(
        label_ko="교역 상대국 순위", value=Decimal("11"), unit=FigureUnit.RANK, area=tree.economy
    )
    factories.KeyFigureFactory(
        label_ko="GDP 대비 R&D", value=Decimal("4.2"), unit=FigureUnit.PERCENT, area=tree.economy
    )
    factories.AgreementFactory(
        areas=[tree.economy],
        signed_on=datetime.date(2015, 1, 1),
        signed_precision="day",
        in_force_on=datetime.date(2016, 12, 1),
        in_force_precision="month",
    )
    html = client.get(url_in(tree.economy, "ko")).content.decode()
    assert "21억 달러" in html
    assert "11위" in html
    assert "4.2%" in html
    assert ">2015년 1월 1일</time>" in html
    assert ">2016년 12월</time>" in html


def test_an_event_s_time_names_its_zone_in_korean(client, tree):
    event = factories.EventFactory(
        title_ko="서울아트마켓",
        summary_ko="요약",
        start_date=datetime.date.today() + datetime.timedelta(days=30),
        start_time=datetime.time(19, 30),
        all_day=False,
        timezone="Asia/Seoul",
    )
    html = client.get(event.get_url_for_language("ko")).content.decode()
    assert re.search(r">19:30</time>, 한국 표준시", html)


def test_a_changed_english_slug_redirects_the_korean_url_too(client, tree, korean_area):
    agreement = factories.AgreementFactory(title_en="Old", slug_en="old-title", title_ko="협정")
    old = agreement.get_url_for_language("ko")
    assert old.endswith("/old-title/")
    agreement.slug_en = "new-title"
    agreement.save_revision().publish()
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, agreement.get_url_for_language("ko"))
    assert client.get(response["Location"]).status_code == 200

    old_page = url_in(korean_area, "ko")
    korean_area.slug_en = "research"
    korean_area.save_revision().publish()
    response = client.get(old_page)
    assert response.status_code == 301
    assert response["Location"].endswith("/ko/research/")
