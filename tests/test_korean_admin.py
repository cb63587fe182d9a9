"""Korean for editors: its coverage in the lists and their filter, and the dashboard panel of
what is most worth translating. Korean is optional: nothing here is a warning."""

import pytest
from bs4 import BeautifulSoup

from django.urls import reverse

from relations.models import Agreement, KeyFigure, Sector
from relations.translation_status import ready_in, ready_q
from tests import factories
from tests.editorial import snippet_url

pytestmark = pytest.mark.django_db


def test_an_object_is_ready_in_korean_with_its_title_and_main_text():
    untranslated = factories.AgreementFactory(summary_fr="Résumé")
    title_only = factories.AgreementFactory(summary_fr="Résumé", title_ko="협정")
    ready = factories.AgreementFactory(summary_fr="Résumé", title_ko="협정", summary_ko="요약")
    no_summary = factories.AgreementFactory(summary_fr="", title_ko="협정")
    assert [ready_in(a, "ko") for a in (untranslated, title_only, ready, no_summary)] == [
        False,
        False,
        True,
        True,
    ]
    assert ready_in(untranslated, "fr") and ready_in(untranslated, "en")
    found = set(Agreement.objects.filter(ready_q(Agreement, "ko")).values_list("pk", flat=True))
    assert found == {ready.pk, no_summary.pk}


def test_a_figure_or_a_sector_is_ready_in_korean_with_its_label_or_name():
    ready = factories.KeyFigureFactory(label_ko="상품 교역액")
    untranslated = factories.KeyFigureFactory()
    assert ready_in(ready, "ko") and not ready_in(untranslated, "ko")
    assert list(KeyFigure.objects.filter(ready_q(KeyFigure, "ko"))) == [ready]
    sector = factories.SectorFactory(name_ko="항공우주")
    assert list(Sector.objects.filter(ready_q(Sector, "ko"))) == [sector]


def test_the_lists_show_korean_coverage_and_filter_on_it(client, admin_user, tree):
    ready = factories.AgreementFactory(title_ko="한-캐나다 자유무역협정", summary_ko="요약")
    untranslated = factories.AgreementFactory()
    client.force_login(admin_user)
    url = snippet_url(Agreement, "list")
    html = client.get(url, {"translation": "korean"}).content.decode()
    assert ready.title_fr in html and untranslated.title_fr not in html
    html = client.get(url, {"translation": "no_korean"}).content.decode()
    assert untranslated.title_fr in html and ready.title_fr not in html
    cells = BeautifulSoup(client.get(url).content, "html.parser").get_text(" ", strip=True)
    assert "Coréen prêt" in cells and "Pas encore de coréen" in cells


def test_the_dashboard_lists_what_is_most_worth_translating_first(client, admin_user, tree):
    tree.economy.title_ko = "경제 및 통상"
    tree.economy.intro_ko = "소개"
    tree.economy.save_revision().publish()
    deep = factories.UpdatePageFactory(parent=tree.updates, title_fr="Une actualité profonde")
    agreement = factories.AgreementFactory(title_fr="Entente sans coréen")
    client.force_login(admin_user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = BeautifulSoup(html, "html.parser").find(id="korean-section") or BeautifulSoup(
        html, "html.parser"
    ).find(id="korean")
    assert panel is not None
    titles = [a.get_text(strip=True) for a in panel.find_all("a")]
    assert tree.economy.title_fr not in titles  # translated
    assert titles.index(tree.culture.title_fr) < titles.index(deep.title_fr)  # areas before updates
    assert agreement.title_fr in titles
