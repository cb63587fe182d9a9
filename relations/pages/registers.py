"""The register of agreements and the calendar of events: index pages that also serve their
items' detail pages (``<index>/<slug>/``) and, for events, "Add to my calendar" (``<slug>/ics/``).

The lists themselves are built by ``relations.listings`` (register, events page).
"""

from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from relations.calendars import single_event_calendar_response
from relations.core.caching import declare_query
from relations.core.language import LANGUAGE_CODES, current_language, translated_value
from relations.listings.events import EVENT_PARAMETERS, EventFilterSet, events_page
from relations.listings.pagination import paginate
from relations.listings.register import AgreementFilterSet, filter_agreements
from relations.models.agreements import Agreement
from relations.models.events import Event
from relations.models.reference import Organization

from .base import BasePage, serve_in_language
from .content import live_areas


class DetailRoutesMixin(RoutablePageMixin):
    """An index page that also serves its snippets' detail pages at ``<slug>/``."""

    detail_model = None
    detail_template = None

    def serve_preview(self, request, mode_name):
        # RoutablePageMixin.serve_preview comes first in the MRO and does not call BasePage's.
        return serve_in_language(
            request, mode_name, lambda: super(DetailRoutesMixin, self).serve_preview(request, mode_name)
        )

    def find_object(self, slug):
        """``(obj, wrong_language)``: the published item whose URL in the current language has this
        slug, else the one with this slug in another language (its page then redirects).

        One query in every language. A URL's slug is the language's own or, where that is empty,
        its fallback's (a Korean URL keeps the English slug): comparing with the slug the item's
        URL has, not with the column, never redirects a URL to itself.
        """
        language = current_language()
        match = Q()
        for code in LANGUAGE_CODES:
            match |= Q(**{f"slug_{code}": slug})
        rows = self.detail_model.objects.published().filter(match).order_by("pk")
        found = list(rows[: len(LANGUAGE_CODES)])
        for obj in found:
            if translated_value(obj, "slug", language) == slug:
                return obj, False
        if found:
            return found[0], True
        raise Http404

    def serve_detail(self, request, slug, extra=None):
        obj, wrong_language = self.find_object(slug)
        if wrong_language:
            return HttpResponsePermanentRedirect(obj.get_url(request))
        context = self.get_context(request)
        context.update(
            {
                "object": obj,
                "translations": obj.language_urls(request),
                "last_updated": obj.last_published_at,
            }
        )
        if extra:
            context.update(extra(obj))
        return render(request, self.detail_template, context)


class AgreementIndexPage(DetailRoutesMixin, BasePage):
    """The register of agreements, and each agreement's page."""

    max_count = 1
    parent_page_types = ["relations.HomePage"]
    subpage_types = []
    detail_model = Agreement
    detail_template = "relations/agreement_detail.html"

    class Meta:
        verbose_name = _("agreement index page")

    @path("")
    def index_route(self, request):
        """The register, filtered (``relations.listings.register``) and paginated, 20 a page."""
        filters = filter_agreements(request.GET, current_language(), live_areas())
        # The register shows each agreement's parties: read for the whole page in one query.
        parties = Prefetch("parties", queryset=Organization.objects.order_by("name_fr", "pk"))
        agreements, page_adjusted = paginate(
            filters.qs.prefetch_related(parties), request.GET.get("page"), per_page=20, count=filters.count
        )
        declare_query(request, [*AgreementFilterSet.base_filters, "page"], filters.ignored or page_adjusted)
        base = self.get_url(request) or ""
        query = f"?{filters.querystring}" if filters.querystring else ""
        # The exports are served at <index>/export.csv, export-excel.csv and export.json by
        # relations.exports.urlpatterns (Wagtail's page URLs cannot contain a dot).
        return self.render(
            request,
            context_overrides={
                "filters": filters,
                "agreements": agreements,
                "result_count": agreements.paginator.count,
                "page_adjusted": page_adjusted,
                "export_csv_url": f"{base}export.csv{query}",
                "export_json_url": f"{base}export.json{query}",
                "export_excel_url": f"{base}export-excel.csv{query}",
            },
        )

    @path("<slug:slug>/")
    def agreement_detail(self, request, slug):
        def related(obj):
            return {
                "parties": obj.parties.all(),
                "documents": obj.documents.select_related("document"),
                "related_events": obj.events.published().order_by("start_date"),
                "areas": obj.areas.live().defer_streamfields(),
                "sectors": obj.sectors.all(),
            }

        return self.serve_detail(request, slug, related)


class EventIndexPage(DetailRoutesMixin, BasePage):
    """The calendar of events, and each event's page."""

    max_count = 1
    parent_page_types = ["relations.HomePage"]
    subpage_types = []
    detail_model = Event
    detail_template = "relations/event_detail.html"

    class Meta:
        verbose_name = _("event index page")

    @path("")
    def index_route(self, request):
        """Upcoming events first, then those with dates to be announced, then the past events one
        year at a time; filtered by area, kind, country and city (``relations.listings.events``)."""
        context = events_page(request.GET, current_language(), live_areas())
        junk = context["filters"].ignored or context["page_adjusted"] or context.get("year_adjusted")
        declare_query(request, [*EventFilterSet.base_filters, *EVENT_PARAMETERS], junk)
        return self.render(request, context_overrides=context)

    @path("<slug:slug>/ics/", name="event_ics")
    def event_ics(self, request, slug):
        """The event alone as iCalendar, for "Add to my calendar" (404 when its day is unknown)."""
        obj, wrong_language = self.find_object(slug)
        if wrong_language:
            return HttpResponsePermanentRedirect(obj.ics_url())
        return single_event_calendar_response(obj, request)

    @path("<slug:slug>/")
    def event_detail(self, request, slug):
        def related(obj):
            return {
                "organisers": obj.organisers.all(),
                "areas": obj.areas.live().defer_streamfields(),
                "related_agreements": obj.agreements.published(),
            }

        return self.serve_detail(request, slug, related)
