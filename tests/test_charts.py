"""Key figures as charts: SVG drawn on the server, accessible, each with its data table and source."""

import re
import xml.etree.ElementTree as ET

import pytest

from django.template import Context, Template
from django.utils.translation import override

from relations.models import FigureUnit, KeyFigure
from relations.templatetags.chart_tags import BAR_MAX_PERCENT, charts_for
from tests import factories

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def figures(tree):
    """A series (one measure, two years), and two ranks in different rankings (not comparable)."""
    return [
        factories.KeyFigureFactory(
            label_fr="Commerce de biens",
            label_en="Trade in goods",
            value="1.1",
            reference_year=2015,
            area=tree.economy,
            sort_order=1,
            source_url="https://www.quebec.ca/",
        ),
        factories.KeyFigureFactory(
            label_fr="Commerce de biens",
            label_en="",
            value="2.2",
            reference_year=2016,
            area=tree.economy,
            sort_order=2,
        ),
        factories.KeyFigureFactory(
            label_fr="Rang parmi les partenaires commerciaux",
            label_en="Rank among trading partners",
            value="11",
            unit=FigureUnit.RANK,
            area=tree.economy,
            sort_order=3,
        ),
        factories.KeyFigureFactory(
            label_fr="Rang parmi les économies du monde",
            value="11",
            unit=FigureUnit.RANK,
            area=tree.economy,
            sort_order=4,
        ),
    ]


def render(figures, language="fr"):
    with override(language):
        return Template("{% load chart_tags %}{% figure_charts figures %}").render(
            Context({"figures": figures})
        )


def svgs(html):
    return [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", html, re.S)]  # noqa: S314 - our own page


def test_a_series_is_charted_and_ranks_in_different_rankings_are_not(figures):
    charts = charts_for(figures, "fr")
    assert [chart["unit"] for chart in charts] == [FigureUnit.CAD_BILLION]
    assert [row["label"] for row in charts[0]["rows"]] == [
        "Commerce de biens (2015)",
        "Commerce de biens (2016)",
    ]


@pytest.mark.parametrize(
    ("years", "charted"),
    [
        ((2016, 2016), True),  # two measures in one unit for one year: like with like
        ((2015, 2016), False),  # two measures of different years
        ((2016, None), False),  # a year not given
    ],
)
def test_different_measures_are_compared_only_for_the_same_year(tree, years, charted):
    pair = [factories.KeyFigureFactory(unit=FigureUnit.PERCENT, reference_year=year) for year in years]
    assert bool(charts_for(pair, "fr")) is charted


def test_one_rank_over_the_years_is_a_series(tree):
    ranks = [
        factories.KeyFigureFactory(label_fr="Rang", value=value, unit=FigureUnit.RANK, reference_year=year)
        for value, year in (("12", 2015), ("11", 2016))
    ]
    (chart,) = charts_for(ranks, "fr")
    assert chart["description"].endswith("Plus la barre est courte, meilleur est le rang.")


def test_bars_are_drawn_to_scale_from_zero(figures):
    rows = charts_for(figures, "fr")[0]["rows"]
    assert rows[1]["bar_width"] == f"{BAR_MAX_PERCENT:.2f}%"
    assert rows[0]["bar_width"] == f"{BAR_MAX_PERCENT / 2:.2f}%"


def test_a_zero_figure_does_not_break_the_chart(tree):
    zero = [factories.KeyFigureFactory(value="0", unit=FigureUnit.NUMBER) for _ in range(2)]
    assert charts_for(zero, "fr")[0]["rows"][0]["bar_width"] == "0.50%"


def test_the_svg_is_an_image_named_and_described(figures):
    html = render(figures)
    (svg,) = svgs(html)
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id
    description = svg.find(f"{SVG}desc").text
    assert svg.find(f"{SVG}desc").get("id") == desc_id
    first, second = (figure.formatted_value("fr") for figure in figures[:2])
    # French typography: a no-break space before the colon and before the semicolon.
    assert (
        description
        == f"Commerce de biens (2015)\u00a0: {first}\u00a0; Commerce de biens (2016)\u00a0: {second}"
    )
    assert len(svg.findall(f".//{SVG}rect")) == 2


def test_the_svg_numbers_are_not_localised(figures):
    """French formats 178.5 as 178,5: in SVG that is two numbers."""
    html = render(figures, "fr")
    for name, value in re.findall(
        r'\s(y|height|font-size|dx)="([^"]*)"', html.split("<svg", 1)[1].split("</svg>")[0]
    ):
        assert re.fullmatch(r"\d+", value), (name, value)
    for value in re.findall(r'\s(?:width|x)="([^"]*)"', html.split("<svg", 1)[1].split("</svg>")[0]):
        assert re.fullmatch(r"(\d+(\.\d+)?%|100%|0)", value), value


def test_each_chart_has_a_data_table_and_its_sources(figures):
    html = render(figures, "en")
    assert "<details" in html and "<table>" in html
    assert '<th scope="col">Value</th>' in html
    assert re.search(r'<th scope="row">Trade in goods \(2015\)</th><td>[^<]+</td><td>2015</td>', html)
    # The French label, shown where no English exists, is marked as French.
    assert '<th scope="row" lang="fr">Commerce de biens (2016)</th>' in html
    assert '<a href="https://www.quebec.ca/">Government of Québec</a>' in html
    assert "<figcaption" in html and "Source:" in html


def test_no_javascript(figures):
    html = render(figures)
    assert "<script" not in html and "onclick" not in html


def test_the_home_and_area_pages_show_the_charts(client, figures):
    for url in ("/fr/", "/fr/economie/", "/en/", "/en/economy/"):
        html = client.get(url).text
        assert html.count('role="img"') == 1, url
    # Ids stay unique on the page.
    html = client.get("/fr/").text
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_no_chart_without_comparable_figures(client, tree):
    KeyFigure.objects.all().delete()
    factories.KeyFigureFactory(area=tree.economy)
    assert 'role="img"' not in client.get("/fr/economie/").text


def test_an_area_shows_each_figure_once(client, tree):
    """The demo's economy page showed each figure in its body, under "Key figures" and in a chart."""
    in_body, listed = (
        factories.KeyFigureFactory(label_fr=label, area=tree.economy, sort_order=order)
        for order, label in ((1, "Commerce de biens"), (2, "Investissements"))
    )
    tree.economy.body_fr = [("key_figure", {"figure": in_body})]
    tree.economy.save_revision().publish()
    html = client.get("/fr/economie/").text
    assert html.count("Commerce de biens") == 1  # in the body only
    key_figures = html.split('id="figures-heading"')[1]
    assert "Investissements" in key_figures and "Commerce de biens" not in key_figures
