"""Events: summits, festivals, missions… with their dates in their own time zone.

Snippets with drafts, revisions, preview in each language and moderation. A date known only to
the month or the year keeps that precision; ``last_day`` (the end date, or the end of the start's
period) files an event as upcoming or past, except one known only to a month or a year that is
running: filed with the undated events, never upcoming or past by a guess.
"""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PublishingPanel
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, LockableMixin, PreviewableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

from relations.core.dates import DatePrecision, format_partial_date, normalise, period_end
from relations.core.panels import bilingual

from .agreements import Agreement
from .base import PublishedQuerySet, TranslatedSlugMixin
from .reference import Country, EventTimeZone, Organization, Source


class EventKind(models.TextChoices):
    SUMMIT = "summit", _("Summit")
    FESTIVAL = "festival", _("Festival")
    MARKET = "market", _("Market or fair")
    MISSION = "mission", _("Mission")
    COURSE = "course", _("Course or summer school")
    CONFERENCE = "conference", _("Conference")
    OTHER = "other", _("Other")


def in_current_period(on):
    """Events known only to the month or the year whose month or year holds ``on``: whether they
    are over or still to come is not known, so they are filed with the undated ones, never as
    upcoming or past by a guess."""
    return Q(start_date__lte=on, last_day__gte=on) & ~Q(date_precision=DatePrecision.DAY)


class EventQuerySet(PublishedQuerySet):
    def dated(self):
        return self.filter(start_date__isnull=False)

    def undated(self, on=None):
        """No date, or only a month or a year that holds ``on`` (today by default)."""
        on = on or datetime.date.today()
        return self.filter(Q(start_date__isnull=True) | in_current_period(on))

    def upcoming(self, on=None):
        """Events not over yet (today included), soonest first; not those known only to a month
        or a year that holds ``on`` (``in_current_period``)."""
        on = on or datetime.date.today()
        return (
            self.filter(last_day__gte=on)
            .exclude(in_current_period(on))
            .order_by("start_date", "start_time", "pk")
        )

    def past(self, on=None):
        """Events over (their last day before ``on``), most recent first."""
        on = on or datetime.date.today()
        return self.filter(last_day__lt=on).order_by("-start_date", "-start_time", "-pk")


class Event(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TranslatedSlugMixin,  # before PreviewableMixin: its preview modes (fr, en) and serve_preview win
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """An event of the relations: summit, festival, market, course…

    Dates and times are entered in the event's own time zone (a Seoul event in Seoul time) and
    shown in it, with the zone named. A date known only to the month or year keeps that precision.
    """

    index_page_model = "relations.EventIndexPage"

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.OTHER)
    start_date = models.DateField(
        _("start date"), null=True, blank=True, db_index=True, help_text=_("Leave empty when not known.")
    )
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    date_precision = models.CharField(
        _("precision of the dates"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    all_day = models.BooleanField(_("all day"), default=True)
    timezone = models.CharField(
        _("time zone"), max_length=40, choices=EventTimeZone.choices, default=EventTimeZone.SEOUL
    )
    recurrence_note = models.CharField(
        _("recurrence"), max_length=255, blank=True, help_text=_("For example: “Offered since 2007”.")
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, blank=True)
    areas = ParentalManyToManyField(
        "relations.AreaPage", verbose_name=_("areas"), blank=True, related_name="events"
    )
    organisers = ParentalManyToManyField(
        Organization, verbose_name=_("organisers"), blank=True, related_name="events"
    )
    agreements = ParentalManyToManyField(
        Agreement, verbose_name=_("related agreements"), blank=True, related_name="events"
    )
    summary = models.TextField(_("summary"), blank=True)
    text = RichTextField(_("text"), blank=True, features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])
    link = models.URLField(_("link"), blank=True)
    sources = ParentalManyToManyField(
        Source,
        verbose_name=_("sources"),
        blank=True,
        related_name="events",
        help_text=_("The public pages the facts come from, shown to visitors with their address and date."),
    )
    last_day = models.DateField(editable=False, null=True)  # indexed with start_date (Meta)

    objects = EventQuerySet.as_manager()

    panels = [
        bilingual("title", heading=_("Title")),
        bilingual("slug", heading=_("Slug")),
        FieldPanel("kind"),
        MultiFieldPanel(
            [
                FieldPanel("start_date"),
                FieldPanel("start_time"),
                FieldPanel("end_date"),
                FieldPanel("end_time"),
                FieldPanel("date_precision"),
                FieldPanel("all_day"),
                FieldPanel("timezone"),
                bilingual("recurrence_note"),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel([bilingual("venue"), bilingual("city"), FieldPanel("country")], heading=_("Where")),
        FieldPanel("areas"),
        FieldPanel("organisers"),
        FieldPanel("agreements"),
        bilingual("summary", heading=_("Summary")),
        bilingual("text", heading=_("Text")),
        FieldPanel("link"),
        FieldPanel("sources"),
        PublishingPanel(),
    ]

    search_fields = [
        index.SearchField("title_fr", boost=3),
        index.SearchField("title_en", boost=3),
        index.SearchField("summary_fr"),
        index.SearchField("summary_en"),
        index.SearchField("text_fr"),
        index.SearchField("text_en"),
        index.SearchField("city_fr"),
        index.SearchField("city_en"),
        index.FilterField("kind"),
        index.FilterField("live"),
    ]

    class Meta:
        ordering = ["start_date", "start_time"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            # The earliest start of the events not over (``earliest_running_start``), read from
            # the index alone.
            models.Index(fields=["last_day", "start_date"], name="event_last_day_start_date"),
            # The next expiry (``filters.soonest_expiry``): the few rows an editor set one on.
            models.Index(fields=["expire_at"], condition=Q(expire_at__isnull=False), name="event_expire_at"),
        ]

    def __str__(self):
        return self.title or self.title_fr or self.title_en or str(_("Untitled event"))

    def clean(self):
        super().clean()
        self.start_date = normalise(self.start_date, self.date_precision)
        errors = {}
        if self.end_date and not self.start_date:
            errors["end_date"] = _("An event with an end date needs a start date.")
        elif self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("An event cannot end before it starts.")
        elif (
            self.start_date
            and self.start_time
            and self.end_time
            and (self.end_date or self.start_date) == self.start_date
            and self.end_time < self.start_time
        ):
            errors["end_time"] = _("An event cannot end before it starts.")
        if (self.start_time or self.end_time) and self.date_precision != DatePrecision.DAY:
            errors["date_precision"] = _("Times can only be given for a date known to the day.")
        if errors:
            raise ValidationError(errors)
        self.fill_slugs()
        self.validate_unique_slugs()

    def save(self, *args, **kwargs):
        if self.start_time or self.end_time:
            self.all_day = False
        self.last_day = self.end_date or period_end(self.start_date, self.date_precision)
        self.fill_slugs()
        super().save(*args, **kwargs)
        if kwargs.get("update_fields") is not None and "last_day" not in kwargs["update_fields"]:
            type(self).objects.filter(pk=self.pk).update(last_day=self.last_day)

    @property
    def zone(self):
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def starts_at(self):
        """The start as an aware datetime in the event's zone (midnight for an all-day event)."""
        if not self.start_date:
            return None
        return datetime.datetime.combine(
            self.start_date, self.start_time or datetime.time(0), tzinfo=self.zone
        )

    @property
    def ends_at(self):
        if not self.start_date:
            return None
        day = self.end_date or self.start_date
        if self.end_time:
            return datetime.datetime.combine(day, self.end_time, tzinfo=self.zone)
        return None

    @property
    def zone_abbreviation(self):
        moment = self.starts_at or timezone.now().astimezone(self.zone)
        return moment.tzname()

    @property
    def zone_label(self):
        return EventTimeZone(self.timezone).label if self.timezone in EventTimeZone.values else self.timezone

    @property
    def is_multi_day(self):
        return bool(self.start_date and self.end_date and self.end_date != self.start_date)

    def date_display(self):
        """`Novembre 2016`, `12 – 15 octobre 2026`, `12 octobre 2026, 19 h 30 (heure de Séoul, KST)`."""
        if not self.start_date:
            return ""
        start = format_partial_date(self.start_date, self.date_precision)
        if self.date_precision != DatePrecision.DAY:
            return start
        text = start
        if self.is_multi_day:
            text = f"{start} – {format_partial_date(self.end_date)}"
        return text

    def time_display(self):
        if self.all_day or not self.start_time:
            return ""
        fmt = "TIME_FORMAT"
        start = formats.time_format(self.start_time, fmt)
        if self.end_time:
            return f"{start} – {formats.time_format(self.end_time, fmt)}"
        return start

    @property
    def year(self):
        return self.start_date.year if self.start_date else None

    def get_preview_template(self, request, mode_name):
        return "relations/event_detail.html"

    def ics_url(self):
        url = self.get_url()
        return f"{url}ics/" if url else None
