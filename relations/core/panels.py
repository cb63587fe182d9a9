"""Admin panels that put a translated field's French, English and Korean side by side.

``bilingual("title", heading=_("Title"))`` is a ``FieldRowPanel`` around ``FieldPanel("title")``:
at start-up wagtail-modeltranslation expands the inner panel into ``title_fr``, ``title_en`` and
``title_ko`` (keeping French required, the others optional), so the row shows the languages in
three columns, French first: at 1280 px each is about 260 px wide, enough for titles, names and
summaries. StreamFields stay stacked (French, English, then Korean), as a body is too wide for a
third of a row.
"""

from wagtail.admin.panels import FieldPanel, FieldRowPanel


def bilingual(field_name, heading="", panel_class=FieldPanel, **kwargs):
    """A row with the field in every language, French first."""
    return FieldRowPanel([panel_class(field_name, **kwargs)], heading=heading)
