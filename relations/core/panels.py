"""Admin panels that put a translated field's French and English side by side.

``bilingual("title", heading=_("Title"))`` is a ``FieldRowPanel`` around ``FieldPanel("title")``:
at start-up wagtail-modeltranslation expands the inner panel into ``title_fr`` and ``title_en``
(keeping French required and English optional), so the row shows both languages in two columns,
French first. Used for short and rich-text fields of pages and snippets; StreamFields stay stacked
(French, then English), as a body is too wide for half a row.
"""

from wagtail.admin.panels import FieldPanel, FieldRowPanel


def bilingual(field_name, heading="", panel_class=FieldPanel, **kwargs):
    """A row with the field in every language, French first."""
    return FieldRowPanel([panel_class(field_name, **kwargs)], heading=heading)
