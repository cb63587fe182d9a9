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
    return [
        factories.KeyFigureFactory(
            label_fr="Rang parmi les partenaires commerciaux",
            label_en="Rank among trading partners",
            value="11",
            unit=FigureUnit.RANK,
            area=tree.economy,
            sort_order=1,
            source_url="https://www.quebec.ca/",
        ),
        factories.KeyFigureFactory(
            label_fr="Rang parmi les économies du monde",
            label_en="",
            value="22",
            unit=FigureUnit.RANK,
            area=tree.economy,
            sort_order=2,
        ),
        factories.KeyFigureFactory(
            label_fr="Commerce de biens",
            label_en="Trade in goods",
            value="2.1",
            area=tree.economy,
            sort_order=3,
        ),
    ]


def render(figures, language="fr"):
    with override(language):
        return Template("{% load chart_tags %}{% figure_charts figures %}").render(
            Context({"figures": figures})
        )


def svgs(html):
    return [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", html, re.S)]  # noqa: S314 - our own page


def test_only_figures_in_the_same_unit_are_compared(figures):
    charts = charts_for(figures, "fr")
    assert [chart["unit"] for chart in charts] == [FigureUnit.RANK]  # one figure in dollars: no chart
    assert [row["label"] for row in charts[0]["rows"]] == [
        "Rang parmi les partenaires commerciaux",
        "Rang parmi les économies du monde",
    ]


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
    assert "Rang parmi les partenaires commerciaux\u00a0: 11e" in description
    assert "Rang parmi les économies du monde\u00a0: 22e" in description
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
    assert re.search(r'<th scope="row">Rank among trading partners</th><td>11th</td><td>2016</td>', html)
    # The French label, shown where no English exists, is marked as French.
    assert '<th scope="row" lang="fr">Rang parmi les économies du monde</th>' in html
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
