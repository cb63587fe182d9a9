"""Key figures as bar charts: SVG drawn on the server, no JavaScript (``{% load chart_tags %}``).

``{% figure_charts figures %}`` groups the figures by unit (billions of dollars, percent, rank,
number) and draws one horizontal bar chart for each group of at least two figures that can be
compared (``comparable``): one measure over several years (a series), or several measures in the
same unit for the same year (like with like). Two ranks in different rankings are never charted:
"11th among trading partners" beside "11th among economies" means nothing. Each chart is a
``<figure>`` with:

- an SVG (``role="img"``) named by its ``<title>`` and described by its ``<desc>`` (every label
  and value, in words), the bars drawn to scale from zero with their values written beside them;
- a caption, the sources of its figures (linked), and the same data as a table (in a
  ``<details>`` element, open when printed).

The SVG has no ``viewBox``: bar widths are percentages of the width available and the text keeps
its size, so labels wrapped on the server (``LABEL_CHARS`` a line) stay readable at 320 px.
"""

import textwrap
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from relations.models import FigureUnit, current_language, translated_value
from relations.templatetags.portal_tags import lang_attr

register = template.Library()

LABEL_CHARS = 32  # characters a line of label
LINE_HEIGHT = 20
FONT_SIZE = 15
BAR_HEIGHT = 22
ROW_GAP = 16
BAR_MAX_PERCENT = 62  # the longest bar; the rest of the width is for its value
TOP = 4

UNIT_TITLES = {
    FigureUnit.CAD_BILLION: lambda: _("Figures in billions of Canadian dollars"),
    FigureUnit.PERCENT: lambda: _("Figures in percent"),
    FigureUnit.RANK: lambda: _("Ranks (1 = first)"),
    FigureUnit.NUMBER: lambda: _("Figures compared"),
}


def comparable(figures):
    """Whether bars side by side would mean something: a series (one label, one figure a year),
    or, except for ranks, figures of one reference year."""
    labels = {figure.label_fr for figure in figures}
    years = [figure.reference_year for figure in figures]
    if len(labels) == 1:
        return None not in years and len(set(years)) == len(years)
    return figures[0].unit != FigureUnit.RANK and None not in years and len(set(years)) == 1


def _rows(figures, language):
    values = [abs(Decimal(figure.value)) for figure in figures]
    largest = max(values) if values else Decimal(0)
    rows = []
    y = TOP
    series = len({figure.label_fr for figure in figures}) == 1
    for figure, value in zip(figures, values, strict=True):
        label = translated_value(figure, "label", language)
        if series:  # the same measure each year: the year tells the bars apart
            label = f"{label} ({figure.reference_year})"
        lines = textwrap.wrap(label, LABEL_CHARS) or [""]
        label_ys = [y + FONT_SIZE + LINE_HEIGHT * index for index in range(len(lines))]
        bar_y = y + LINE_HEIGHT * len(lines) + 6
        percent = float(value / largest * BAR_MAX_PERCENT) if largest else 0.0
        rows.append(
            {
                "figure": figure,
                "label": label,
                "lang": lang_attr(figure, "label"),
                "lines": [(line, str(int(y))) for line, y in zip(lines, label_ys, strict=True)],
                "value": figure.formatted_value(language),
                "bar_y": bar_y,
                "bar_width": f"{max(percent, 0.5):.2f}%",
                "value_x": f"{max(percent, 0.5):.2f}%",
                # Strings: a float would be localised in the template (178,5 is two values in SVG).
                "value_y": str(int(bar_y + BAR_HEIGHT / 2 + FONT_SIZE / 2 - 2)),
                "bar_y_attr": str(int(bar_y)),
                "source": translated_value(figure, "source_name", language),
                "source_lang": lang_attr(figure, "source_name"),
                "source_url": figure.source_url,
                "year": figure.reference_year,
            }
        )
        y = bar_y + BAR_HEIGHT + ROW_GAP
    return rows, y - ROW_GAP + TOP


def charts_for(figures, language=None, min_figures=2):
    """``[{"unit", "title", "rows", "height", "description", "sources"}]``, one a unit with at
    least ``min_figures`` figures, in the order the figures come."""
    language = language or current_language()
    groups = {}
    for figure in figures:
        groups.setdefault(figure.unit, []).append(figure)
    charts = []
    for unit, members in groups.items():
        if len(members) < min_figures or not comparable(members):
            continue
        rows, height = _rows(members, language)
        title = UNIT_TITLES.get(unit, UNIT_TITLES[FigureUnit.NUMBER])()
        separator = pgettext("label separator", ":")
        parts = [f"{row['label']}{separator} {row['value']}" for row in rows]
        if unit == FigureUnit.RANK:  # a series of one rank
            parts.append(_("A shorter bar is a better rank."))
        sources = []
        for row in rows:
            source = (row["source"], row["source_url"], row["source_lang"])
            if row["source"] and source not in sources:
                sources.append(source)
        charts.append(
            {
                "unit": unit,
                "title": title,
                "rows": rows,
                "height": str(int(height)),
                # « a : 1 ; b : 2 » in French, "a: 1; b: 2" in English.
                "description": pgettext("list separator", "; ").join(parts),
                "sources": [{"name": name, "url": url, "lang": lang} for name, url, lang in sources],
                "rank": unit == FigureUnit.RANK,
            }
        )
    return charts


@register.inclusion_tag("includes/figure_charts.html")
def figure_charts(figures, id_prefix="chart", heading_level=3):
    figures = list(figures or [])
    return {
        "charts": charts_for(figures),
        "id_prefix": id_prefix,
        "heading_level": heading_level,
        "font_size": FONT_SIZE,
        "bar_height": BAR_HEIGHT,
    }
