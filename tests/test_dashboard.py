"""The dashboard panels "Missing English" and "Past review", and freshness shown to visitors."""

import datetime

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relations.models import Agreement, Event, KeyFigure
from relations.translation_status import missing_english, missing_english_q
from tests import factories
from tests.editorial import snippet_url

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
LAST_YEAR = TODAY - datetime.timedelta(days=365)


def _panel(client, panel_id):
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    panel = soup.find(id=f"{panel_id}-section") or soup.find(id=panel_id)
    assert panel is not None, f"no panel {panel_id}"
    return panel


def _links(panel):
    return {a.get_text(strip=True): a["href"] for a in panel.find_all("a")}


# --------------------------------------------------------------------------------------
# What lacks English
# --------------------------------------------------------------------------------------


def test_missing_english_for_one_object(tree):
    agreement = factories.AgreementFactory(title_en="", summary_en="")
    labels = [str(label) for label in missing_english(agreement)]
    assert labels == ["titre", "résumé"] or labels == ["title", "summary"]
    complete = factories.AgreementFactory()
    assert missing_english(complete) == []


def test_an_empty_french_text_is_not_missing_english(tree):
    agreement = factories.AgreementFactory(summary_fr="", summary_en="")
    assert missing_english(agreement) == []


def test_missing_english_in_streamfields(tree):
    page = tree.economy
    page.body_fr = [("paragraph", "<p>Texte</p>")]
    page.body_en = []
    page.save()
    assert len(missing_english(page)) == 1
    from relations.models import AreaPage

    assert list(AreaPage.objects.filter(missing_english_q(AreaPage))) == [page]
    page.body_en = [("paragraph", "<p>Text</p>")]
    page.save()
    assert not AreaPage.objects.filter(missing_english_q(AreaPage)).exists()


def test_missing_english_panel_lists_pages_and_snippets_linked_to_their_edit_views(client, admin_user, tree):
    agreement = factories.AgreementFactory(title_fr="Entente sans anglais", title_en="")
    event = factories.EventFactory(title_fr="Événement sans anglais", title_en="", publish=False)
    figure = factories.KeyFigureFactory(label_fr="Chiffre sans anglais", label_en="")
    tree.culture.intro_en = ""
    tree.culture.save()
    factories.AgreementFactory(title_fr="Entente traduite")

    client.force_login(admin_user)
    panel = _panel(client, "missing-english")
    links = _links(panel)
    assert links["Entente sans anglais"] == snippet_url(Agreement, "edit", agreement.pk)
    assert links["Événement sans anglais"] == snippet_url(Event, "edit", event.pk)
    assert links["Chiffre sans anglais"] == snippet_url(KeyFigure, "edit", figure.pk)
    assert links["Culture"] == reverse("wagtailadmin_pages:edit", args=[tree.culture.pk])
    assert "Entente traduite" not in links
    text = panel.get_text(" ", strip=True)
    assert "Anglais manquant" in text
    assert "introduction" in text


def test_missing_english_panel_says_when_everything_is_translated(client, admin_user, tree):
    client.force_login(admin_user)
    assert "Tous les textes ont leur version anglaise" in _panel(client, "missing-english").get_text()


def test_past_review_panel_lists_figures_and_pages(client, admin_user, tree, settings):
    settings.PORTAL_FIGURE_MAX_AGE_YEARS = 3
    late = factories.KeyFigureFactory(label_fr="Chiffre à réviser", review_by=LAST_YEAR)
    old = factories.KeyFigureFactory(label_fr="Chiffre ancien", reference_year=TODAY.year - 10)
    factories.KeyFigureFactory(label_fr="Chiffre récent", reference_year=TODAY.year)
    factories.KeyFigureFactory(
        label_fr="Chiffre ancien mais révisé",
        reference_year=TODAY.year - 10,
        review_by=TODAY.replace(year=TODAY.year + 1),
    )
    tree.economy.review_by = LAST_YEAR
    tree.economy.save()
    tree.culture.review_by = TODAY + datetime.timedelta(days=30)
    tree.culture.save()

    client.force_login(admin_user)
    panel = _panel(client, "past-review")
    links = _links(panel)
    assert links["Chiffre à réviser"] == snippet_url(KeyFigure, "edit", late.pk)
    assert links["Chiffre ancien"] == snippet_url(KeyFigure, "edit", old.pk)
    assert links["Économie et commerce"] == reverse("wagtailadmin_pages:edit", args=[tree.economy.pk])
    assert "Chiffre récent" not in links
    assert "Chiffre ancien mais révisé" not in links
    assert "Culture" not in links
    assert tree.economy.is_past_review and not tree.culture.is_past_review


def test_past_review_filter_matches_is_outdated(tree, settings):
    from relations.dashboard import figures_past_review_q

    settings.PORTAL_FIGURE_MAX_AGE_YEARS = 3
    figures = [
        factories.KeyFigureFactory(review_by=LAST_YEAR),
        factories.KeyFigureFactory(review_by=TODAY + datetime.timedelta(days=1), reference_year=2000),
        factories.KeyFigureFactory(reference_year=TODAY.year - 4),
        factories.KeyFigureFactory(reference_year=TODAY.year - 3),
        factories.KeyFigureFactory(reference_year=None, source_date=datetime.date(2001, 1, 1)),
        factories.KeyFigureFactory(reference_year=None, source_date=None),
    ]
    flagged = set(KeyFigure.objects.filter(figures_past_review_q()).values_list("pk", flat=True))
    assert flagged == {figure.pk for figure in figures if figure.is_outdated}


def test_editors_see_both_panels(client, editor, tree):
    factories.AgreementFactory(title_fr="Entente sans anglais", title_en="")
    client.force_login(editor)
    assert "Entente sans anglais" in _links(_panel(client, "missing-english"))
    _panel(client, "past-review")


def _dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_rows(client, admin_user, tree):
    def add_rows(count):
        for _ in range(count):
            factories.AgreementFactory(title_en="")
            factories.EventFactory(title_en="")
            factories.KeyFigureFactory(label_en="", review_by=LAST_YEAR)
            factories.StandardPageFactory(parent=tree.home, intro_en="", review_by=LAST_YEAR)

    client.force_login(admin_user)
    add_rows(2)
    _dashboard_queries(client)
    few = _dashboard_queries(client)
    add_rows(15)  # purges what is kept until the next publication (relations/core/caching.py)
    _dashboard_queries(client)
    many = _dashboard_queries(client)
    assert many == few


# --------------------------------------------------------------------------------------
# What visitors see
# --------------------------------------------------------------------------------------


def test_visitors_see_that_a_figure_past_review_may_be_outdated(client, tree):
    factories.KeyFigureFactory(label_fr="Commerce de marchandises", review_by=LAST_YEAR, show_on_home=True)
    french = client.get("/fr/").content.decode()
    english = client.get("/en/").content.decode()
    assert "possiblement périmée" in french
    assert "May be outdated" in english or "may be outdated" in english
