"""``/sitemap.xml``: every live page, agreement and event, in French and in English.

``/sitemap.xml`` is an index of three sections, ``/sitemap-pages.xml``,
``/sitemap-agreements.xml`` and ``/sitemap-events.xml``, each in files of ``SITEMAP_LIMIT`` URLs
(``?p=2``…): a register of thousands of agreements never makes one huge file. Django's sitemap
framework in its i18n mode: one ``<url>`` per object and language, each with
``<xhtml:link rel="alternate" hreflang="fr|en|x-default">`` to its translations (``x-default``
is the French page, as in the pages' ``<head>``), and ``<lastmod>`` (the last publication).
Only the pages of the site that answers the request are listed, with paths relative to it.
A Korean page is listed (and offered as an alternate) only once its title and main text are in
Korean (``translation_status.ready_in``): until then it shows English or French, a duplicate.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from wagtail.models import Page, Site

from .models import LANGUAGE_CODES, Agreement, AgreementIndexPage, Event, EventIndexPage
from .translation_status import ready_in

SITEMAP_LIMIT = 2000  # URLs per sitemap file (each object twice: French and English)


class PortalSitemap(Sitemap):
    limit = SITEMAP_LIMIT
    i18n = True
    alternates = True
    x_default = False  # Django's strips the language prefix (/economie/ is no page): added below
    languages = LANGUAGE_CODES

    def __init__(self, request):
        self.request = request

    def lastmod(self, item):
        return item.last_published_at

    def get_languages_for_item(self, item):
        return [language for language in super().get_languages_for_item(item) if ready_in(item, language)]

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for info in urls:
            default = next((a for a in info["alternates"] if a["lang_code"] == LANGUAGE_CODES[0]), None)
            if default:
                info["alternates"].append({"location": default["location"], "lang_code": "x-default"})
        return urls


class PageSitemap(PortalSitemap):
    def items(self):
        site = Site.find_for_request(self.request)
        if site is None:
            return []
        pages = (
            Page.objects.live()
            .public()
            .descendant_of(site.root_page, inclusive=True)
            .order_by("path")
            .specific()  # their Korean texts tell whether they are listed in Korean
        )
        return [page for page in pages if page.get_url_parts(self.request) is not None]

    def location(self, item):
        return item.get_url_parts(self.request)[2]


class DetailSitemap(PortalSitemap):
    model = None
    index_model = None

    def items(self):
        self.index_page = self.index_model.objects.live().public().first()
        if self.index_page is None:
            return []
        return list(self.model.objects.published().order_by("pk"))

    def location(self, item):
        return item.get_url_for_language(get_language(), self.request)


class AgreementSitemap(DetailSitemap):
    model = Agreement
    index_model = AgreementIndexPage


class EventSitemap(DetailSitemap):
    model = Event
    index_model = EventIndexPage


SECTIONS = {"pages": PageSitemap, "agreements": AgreementSitemap, "events": EventSitemap}


def sections(request):
    return {name: sitemap_class(request) for name, sitemap_class in SECTIONS.items()}


@require_safe
def sitemap_index(request):
    return sitemap_views.index(request, sections(request), sitemap_url_name="sitemap-section")


@require_safe
def sitemap_section(request, section):
    if section not in SECTIONS:
        raise Http404
    return sitemap_views.sitemap(request, sections(request), section=section)
