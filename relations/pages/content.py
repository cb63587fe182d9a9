"""The portal's content pages: home, the four areas, standard pages, updates and the timeline.

Their ``get_context`` gathers what the page lists with plain querysets; the timeline asks
``relations.listings.timeline`` for its entries, giving it what it lists.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from relations.blocks import BodyBlock
from relations.core.caching import declare_query, shared_lookup
from relations.core.dates import DatePrecision, format_partial_date, normalise
from relations.core.language import current_language
from relations.listings.kept import kept_lookup
from relations.listings.pagination import paginate
from relations.listings.timeline import TIMELINE_PARAMETERS, Sources, build_timeline
from relations.models.agreements import Agreement
from relations.models.events import Event
from relations.models.reference import KeyFigure, Sector, Source

from .base import BasePage, public_pages


class HomePage(BasePage):
    """The portal's home: the four areas, key figures, next events, latest updates, agreements in force."""

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "relations.AreaPage",
        "relations.StandardPage",
        "relations.AgreementIndexPage",
        "relations.EventIndexPage",
        "relations.UpdateIndexPage",
        "relations.TimelinePage",
        "relations.ContactPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = Event.objects.published()
        context.update(
            {
                "areas": [area for area in live_areas() if area.path.startswith(self.path)],
                "key_figures": KeyFigure.objects.filter(show_on_home=True).order_by("sort_order", "pk"),
                "next_events": events.upcoming()[:4],
                "undated_events": events.undated().order_by("title_fr")[:4],
                # The list shows no body.
                "latest_updates": UpdatePage.objects.live().defer_streamfields().order_by("-date", "-pk")[:3],
                "agreements_in_force": Agreement.objects.published().in_force().newest_signed_first()[:5],
            }
        )
        return context


class AreaPage(BasePage):
    """A collaboration area: economy and trade, research and innovation, culture, French language."""

    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    sectors = ParentalManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="areas")

    content_panels = BasePage.content_panels + [FieldPanel("body"), FieldPanel("sectors")]
    search_fields = BasePage.search_fields + [index.SearchField("body_fr"), index.SearchField("body_en")]

    parent_page_types = ["relations.HomePage"]
    subpage_types = ["relations.StandardPage"]

    LIST_SIZE = 10  # agreements, and events of each kind, listed on the page itself

    class Meta:
        verbose_name = _("area page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Each figure once: those the body already shows (its key figure blocks) are not listed
        # again under "Key figures" (nor charted there).
        in_body = [item["value"].get("figure") for item in self.body.raw_data if item["type"] == "key_figure"]
        context["key_figures"] = self.key_figures.exclude(pk__in=[pk for pk in in_body if pk]).order_by(
            "sort_order", "pk"
        )
        context["area_sectors"] = self.sectors.order_by("slug")
        # Each list shows its first items and links to the full, filtered list: an area can hold
        # thousands of agreements or events. One row more than shown tells whether there are more.
        shown = self.LIST_SIZE + 1
        events = Event.objects.published().for_area(self)
        lists = {
            "agreements": Agreement.objects.published().for_area(self).newest_signed_first(),
            "upcoming_events": events.upcoming(),
            "undated_events": events.undated().order_by("title_fr"),
            "past_events": events.past(),
        }
        for name, queryset in lists.items():
            rows = list(queryset[:shown])
            context[name] = rows[: self.LIST_SIZE]
            context[f"more_{name}"] = len(rows) > self.LIST_SIZE
        context["updates"] = (
            UpdatePage.objects.live().filter(areas=self).defer_streamfields().order_by("-date", "-pk")[:5]
        )
        return context


class StandardPage(BasePage):
    """About the office, accessibility, privacy, contact."""

    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    show_office_card = models.BooleanField(
        _("link to the office's card"),
        default=False,
        help_text=_("Ends the page with a link to the office's contact details (accessibility, privacy)."),
    )

    content_panels = BasePage.content_panels + [FieldPanel("body"), FieldPanel("show_office_card")]
    search_fields = BasePage.search_fields + [index.SearchField("body_fr"), index.SearchField("body_en")]
    parent_page_types = ["relations.HomePage", "relations.StandardPage", "relations.AreaPage"]

    class Meta:
        verbose_name = _("standard page")


class UpdateIndexPage(BasePage):
    """The list of updates (news of the relations)."""

    max_count = 1
    parent_page_types = ["relations.HomePage"]
    subpage_types = ["relations.UpdatePage"]
    PER_PAGE = 20

    class Meta:
        verbose_name = _("update index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The list shows titles, dates and introductions: the bodies are not read.
        updates = UpdatePage.objects.live().child_of(self).defer_streamfields().order_by("-date", "-pk")
        count = kept_lookup(("update-count", self.pk), updates.count)
        context["updates"], context["page_adjusted"] = paginate(
            updates, request.GET.get("page"), per_page=self.PER_PAGE, count=count
        )
        declare_query(request, ["page"], context["page_adjusted"])
        return context


class UpdatePage(BasePage):
    """One update: what happened, when, in which areas."""

    date = models.DateField(_("date"), db_index=True)
    date_precision = models.CharField(
        _("precision of the date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    areas = ParentalManyToManyField(
        "relations.AreaPage", verbose_name=_("areas"), blank=True, related_name="updates"
    )
    related_agreements = ParentalManyToManyField(
        Agreement, verbose_name=_("related agreements"), blank=True, related_name="updates"
    )
    related_events = ParentalManyToManyField(
        Event, verbose_name=_("related events"), blank=True, related_name="updates"
    )
    sources = ParentalManyToManyField(
        Source,
        verbose_name=_("sources"),
        blank=True,
        related_name="updates",
        help_text=_("The public pages the facts come from, shown to visitors with their address and date."),
    )

    content_panels = BasePage.content_panels + [
        MultiFieldPanel([FieldPanel("date"), FieldPanel("date_precision")], heading=_("Date")),
        FieldPanel("body"),
        FieldPanel("areas"),
        FieldPanel("related_agreements"),
        FieldPanel("related_events"),
        FieldPanel("sources"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("body_fr"), index.SearchField("body_en")]
    parent_page_types = ["relations.UpdateIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")

    def clean(self):
        super().clean()
        self.date = normalise(self.date, self.date_precision)

    def date_display(self):
        return format_partial_date(self.date, self.date_precision)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["areas"] = self.areas.live().defer_streamfields()
        context["agreements"] = self.related_agreements.published()
        context["events"] = self.related_events.published()
        return context


class TimelinePage(BasePage):
    """The chronology of the relations: signatures and entries into force of agreements, events and
    updates on one list, newest first, filterable by area and year (``relations.timeline``)."""

    max_count = 1
    parent_page_types = ["relations.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("timeline page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sources = Sources(
            agreements=Agreement.objects.published(),
            events=Event.objects.published(),
            updates=public_pages(UpdatePage.objects.live()).exclude(expire_at__lte=timezone.now()),
        )
        context.update(build_timeline(request.GET, current_language(), live_areas(), sources))
        declare_query(request, TIMELINE_PARAMETERS, context["ignored"] or context["page_adjusted"])
        return context


def live_areas():
    """The live area pages in tree order, kept until the next publication (``shared_lookup``):
    the home page, the filters of the lists and the timeline all name them."""
    return shared_lookup(("live-areas",), lambda: list(AreaPage.objects.live().order_by("path")))


def live_areas_prefetch(name="areas"):
    """Prefetches the live areas of each row (an agreement's, an event's, an update's) in tree
    order, by title and URL: not their StreamField bodies (three columns each)."""
    return models.Prefetch(name, queryset=AreaPage.objects.live().defer_streamfields().order_by("path"))
