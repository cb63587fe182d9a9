"""The page types of the Wagtail tree, above the lists they show.

- ``base``: ``BasePage`` (introduction, last update, review date, preview in each language, routing
  by translated slug) and what every page asks of the tree;
- ``content``: home, the four areas, standard pages, updates, the timeline;
- ``registers``: the agreements register and the events calendar, with their items' detail pages;
- ``contact``: the contact form.

Django finds them through ``relations.models``, which imports this package last.
"""

from .base import BasePage, any_view_restriction, public_pages, serve_in_language
from .contact import ContactFormField, ContactPage
from .content import (
    AreaPage,
    HomePage,
    StandardPage,
    TimelinePage,
    UpdateIndexPage,
    UpdatePage,
    live_areas,
    live_areas_prefetch,
)
from .registers import AgreementIndexPage, DetailRoutesMixin, EventIndexPage
