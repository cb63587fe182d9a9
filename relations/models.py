"""The portal's pages and data.

Pages (Wagtail page tree): HomePage, AreaPage, StandardPage, AgreementIndexPage,
EventIndexPage, UpdateIndexPage, UpdatePage, TimelinePage. Data edited as snippets: Agreement and Event
(drafts, revisions, preview, moderation), Organization, KeyFigure, Sector.

Every text a visitor reads is translated by django-modeltranslation (``translation.py``):
``title`` becomes ``title_fr`` (required) and ``title_en``.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PublishingPanel,
    TitleFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    Page,
    PageViewRestriction,
    PreviewableMixin,
    RevisionMixin,
    Site,
    WorkflowMixin,
)
from wagtail.search import index

from .blocks import BodyBlock
from .cache import shared_lookup
from .dates import DatePrecision, format_iso_partial, format_partial_date, normalise, period_end
from .panels import bilingual

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def current_language():
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


def translated_value(obj, field, language):
    """The field in ``language``, falling back to French when the translation is empty."""
    return getattr(obj, f"{field}_{language}", None) or getattr(obj, f"{field}_fr", None) or ""


# --------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------


class Country(models.TextChoices):
    SOUTH_KOREA = "KR", _("South Korea")
    CANADA = "CA", _("Canada")
    MADAGASCAR = "MG", _("Madagascar")
    FRANCE = "FR", _("France")
    BELGIUM = "BE", _("Belgium")
    SWITZERLAND = "CH", _("Switzerland")
    UNITED_STATES = "US", _("United States")
    JAPAN = "JP", _("Japan")
    CHINA = "CN", _("China")
    INTERNATIONAL = "XX", _("International")


class EventTimeZone(models.TextChoices):
    SEOUL = "Asia/Seoul", _("Seoul (KST)")
    MONTREAL = "America/Toronto", _("Montréal / Québec (ET)")
    ANTANANARIVO = "Indian/Antananarivo", _("Antananarivo (EAT)")
    PARIS = "Europe/Paris", _("Paris (CET)")
    UTC = "UTC", _("UTC")


class Sector(index.Indexed, models.Model):
    """An economic or cultural sector named in the relations (agri-food, aerospace, film…)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    panels = [bilingual("name", heading=_("Name")), FieldPanel("slug")]
    search_fields = [index.SearchField("name_fr"), index.SearchField("name_en")]

    class Meta:
        ordering = ["slug"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name or self.slug


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    GOVERNMENT_OFFICE = "government_office", _("Government office")
    UNIVERSITY = "university", _("University")
    RESEARCH = "research", _("Research institute")
    ASSOCIATION = "association", _("Association")
    COMPANY = "company", _("Company")
    FESTIVAL = "festival", _("Festival or market")
    INTERNATIONAL = "international", _("International organisation")


class Organization(index.Indexed, models.Model):
    """A government, university, institute, association or festival taking part in the relations."""

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founded in"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(2100)],
    )
    description = models.TextField(_("description"), blank=True)

    panels = [
        bilingual("name", heading=_("Name")),
        FieldPanel("acronym"),
        FieldPanel("kind"),
        FieldPanel("country"),
        bilingual("city", heading=_("City")),
        FieldPanel("website"),
        FieldPanel("founded_year"),
        bilingual("description", heading=_("Description")),
    ]
    search_fields = [
        index.SearchField("name_fr"),
        index.SearchField("name_en"),
        index.SearchField("acronym"),
        index.SearchField("description_fr"),
        index.SearchField("description_en"),
        index.FilterField("kind"),
        index.FilterField("country"),
    ]

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name or self.acronym or f"#{self.pk}"

    @property
    def display_name(self):
        if self.acronym and self.acronym != self.name:
            return f"{self.name} ({self.acronym})"
        return self.name


class FigureUnit(models.TextChoices):
    CAD_BILLION = "cad_billion", _("Billions of Canadian dollars")
    PERCENT = "percent", _("Percent")
    RANK = "rank", _("Rank")
    NUMBER = "number", _("Number")


class KeyFigure(index.Indexed, models.Model):
    """A figure with its source and reference year (trade in goods, rank, R&D share of GDP…)."""

    label = models.CharField(_("label"), max_length=255)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=20, choices=FigureUnit.choices)
    reference_year = models.PositiveSmallIntegerField(
        _("reference year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("The year the figure describes. Leave empty when the source does not say."),
    )
    source_name = models.CharField(_("source"), max_length=255)
    source_url = models.URLField(_("source link"), blank=True)
    source_date = models.DateField(
        _("source date"), null=True, blank=True, help_text=_("When the source was published or last updated.")
    )
    area = models.ForeignKey(
        "relations.AreaPage",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_figures",
    )
    show_on_home = models.BooleanField(_("show on the home page"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    review_by = models.DateField(
        _("review by"),
        null=True,
        blank=True,
        help_text=_("After this date the figure is flagged to editors and shown as possibly outdated."),
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    panels = [
        bilingual("label", heading=_("Label")),
        MultiFieldPanel(
            [FieldPanel("value"), FieldPanel("unit"), FieldPanel("reference_year")], heading=_("Value")
        ),
        MultiFieldPanel(
            [bilingual("source_name"), FieldPanel("source_url"), FieldPanel("source_date")],
            heading=_("Source"),
        ),
        FieldPanel("area"),
        FieldPanel("show_on_home"),
        FieldPanel("sort_order"),
        FieldPanel("review_by"),
    ]
    search_fields = [index.SearchField("label_fr"), index.SearchField("label_en")]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")

    def __str__(self):
        return self.label or f"#{self.pk}"

    def formatted_value(self, language=None):
        """French typography in French: `2,1 milliards $`, `4,2 %`, `11e`; `$2.1 billion`, `4.2%`, `11th`."""
        language = language or current_language()
        value = self.value.normalize() if isinstance(self.value, Decimal) else Decimal(self.value)
        decimals = max(0, -value.as_tuple().exponent)
        with override(language):
            number = formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
        nbsp = "\u00a0"
        if self.unit == FigureUnit.CAD_BILLION:
            if language == "fr":
                word = "milliard" if value < 2 else "milliards"
                return f"{number}{nbsp}{word}{nbsp}$"
            return f"${number}{nbsp}billion"
        if self.unit == FigureUnit.PERCENT:
            return f"{number}{nbsp}%" if language == "fr" else f"{number}%"
        if self.unit == FigureUnit.RANK:
            whole = int(value)
            if language == "fr":
                return "1er" if whole == 1 else f"{whole}e"
            suffix = "th" if 10 <= whole % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(whole % 10, "th")
            return f"{whole}{suffix}"
        return number

    @property
    def is_outdated(self):
        """Past its review date, or older than PORTAL_FIGURE_MAX_AGE_YEARS."""
        today = datetime.date.today()
        if self.review_by:
            return self.review_by < today
        year = self.reference_year or (self.source_date.year if self.source_date else None)
        if year is None:
            return False
        return today.year - year > settings.PORTAL_FIGURE_MAX_AGE_YEARS


# --------------------------------------------------------------------------------------
# Agreements and events: snippets with drafts, revisions, preview and moderation
# --------------------------------------------------------------------------------------


class TranslatedSlugMixin(models.Model):
    """Fills empty slugs from the titles and keeps each language's slug unique."""

    class Meta:
        abstract = True

    def fill_slugs(self):
        for language in LANGUAGE_CODES:
            title = getattr(self, f"title_{language}", "") or self.title_fr or ""
            if not getattr(self, f"slug_{language}", None) and title:
                setattr(self, f"slug_{language}", slugify(title)[:200] or None)

    def validate_unique_slugs(self):
        errors = {}
        for language in LANGUAGE_CODES:
            slug = getattr(self, f"slug_{language}", None)
            if slug:
                clash = type(self).objects.filter(**{f"slug_{language}": slug}).exclude(pk=self.pk)
                if clash.exists():
                    errors[f"slug_{language}"] = _("Another item already uses this slug.")
        if errors:
            raise ValidationError(errors)

    def get_url_for_language(self, language, request=None, index_page=None):
        """``index_page`` may be given by callers listing many items (one query, not one each)."""
        index_page = index_page or self.index_page()
        if index_page is None:
            return None
        with override(language):
            base = index_page.get_url(request=request)
        slug = getattr(self, f"slug_{language}", None) or self.slug_fr
        if not base or not slug:
            return None
        return f"{base}{slug}/"

    def get_url(self, request=None):
        return self.get_url_for_language(current_language(), request)

    def get_absolute_url(self):
        return self.get_url()

    def language_urls(self, request=None):
        return {language: self.get_url_for_language(language, request) for language in LANGUAGE_CODES}

    # Preview in each language: Wagtail would render in LANGUAGE_CODE or the language cookie.
    preview_modes = [("fr", _("French")), ("en", _("English"))]

    def serve_preview(self, request, mode_name):
        language = mode_name if mode_name in LANGUAGE_CODES else settings.LANGUAGE_CODE
        with override(language):
            request.LANGUAGE_CODE = language
            return render(
                request,
                self.get_preview_template(request, mode_name),
                self.get_preview_context(request, mode_name),
            )

    def get_preview_context(self, request, mode_name):
        return {
            "object": self,
            "page": self.index_page(),
            "translations": self.language_urls(request),
            "is_preview": True,
        }


class AgreementKind(models.TextChoices):
    INTERNATIONAL = "international", _("International agreement (Québec)")
    NON_BINDING = "non_binding", _("Non-binding agreement or memorandum")
    MULTILATERAL = "multilateral", _("Multilateral convention")
    CANADIAN = "canadian", _("Canadian accord")
    INSTITUTIONAL = "institutional", _("Institutional agreement")


class AgreementStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    RATIFIED = "ratified", _("Ratified")
    SIGNED = "signed", _("Signed")
    ENDED = "ended", _("Ended")
    UNKNOWN = "unknown", _("Status not specified")


class AgreementQuerySet(models.QuerySet):
    def published(self):
        """Live (published and not expired) agreements only: what visitors may see."""
        return self.filter(live=True).exclude(expire_at__lte=timezone.now())

    def in_force(self, on=None):
        """In force on ``on`` (today by default): entered into force, not ended.

        The date compared through ``COALESCE``, which no index serves: most agreements are in
        force, and read through the index of ``in_force_on`` (``agreement_in_force_on``, for the
        timeline) then sorted, the home page's list took 5.7 ms at 10,000 rows instead of 2.2.
        """
        on = on or datetime.date.today()
        entered = Coalesce("in_force_on", Value(None, output_field=models.DateField()))
        return (
            self.alias(entered_into_force_on=entered)
            .filter(entered_into_force_on__lte=on)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        )

    def with_status(self, on=None):
        """Annotates ``current_status`` from the dates, so that status never contradicts them."""
        on = on or datetime.date.today()
        return self.annotate(
            current_status=Case(
                When(ended_on__lte=on, then=Value(AgreementStatus.ENDED.value)),
                When(in_force_on__lte=on, then=Value(AgreementStatus.IN_FORCE.value)),
                When(ratified_on__isnull=False, then=Value(AgreementStatus.RATIFIED.value)),
                When(signed_on__isnull=False, then=Value(AgreementStatus.SIGNED.value)),
                default=Value(AgreementStatus.UNKNOWN.value),
                output_field=models.CharField(),
            )
        )

    def with_status_value(self, status):
        return self.with_status().filter(current_status=status)

    def for_area(self, area):
        return self.filter(areas=area)

    def newest_signed_first(self):
        return self.order_by(
            models.F("signed_on").desc(nulls_last=True),
            models.F("ratified_on").desc(nulls_last=True),
            models.F("in_force_on").desc(nulls_last=True),
            "title_fr",
        )


class Agreement(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TranslatedSlugMixin,  # before PreviewableMixin: its preview modes (fr, en) and serve_preview win
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """An agreement between Québec (or Canada, or institutions) and South Korean partners."""

    reference_number = models.CharField(
        _("reference number"),
        max_length=60,
        blank=True,
        null=True,
        unique=True,
        help_text=_("The official register number, when the agreement has one."),
    )
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=200, blank=True, allow_unicode=False)
    kind = models.CharField(_("kind"), max_length=30, choices=AgreementKind.choices)
    parties = ParentalManyToManyField(
        Organization, verbose_name=_("parties"), blank=True, related_name="agreements"
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True, db_index=True)
    signed_precision = models.CharField(
        _("precision of the signature date"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    ratified_on = models.DateField(_("ratified on"), null=True, blank=True)
    ratified_precision = models.CharField(
        _("precision of the ratification date"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    in_force_on = models.DateField(_("in force on"), null=True, blank=True)
    in_force_precision = models.CharField(
        _("precision of the entry-into-force date"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    areas = ParentalManyToManyField(
        "relations.AreaPage", verbose_name=_("areas"), blank=True, related_name="agreements"
    )
    sectors = ParentalManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="agreements"
    )
    summary = models.TextField(_("summary"), blank=True)
    text = RichTextField(_("text"), blank=True, features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])
    official_link = models.URLField(_("official link"), blank=True)
    order_in_council = models.CharField(_("order-in-council number"), max_length=60, blank=True)
    source_note = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("Where the facts on this agreement come from.")
    )
    objects = AgreementQuerySet.as_manager()

    panels = [
        bilingual("title", heading=_("Title")),
        bilingual("slug", heading=_("Slug")),
        FieldPanel("reference_number"),
        FieldPanel("kind"),
        FieldPanel("parties"),
        MultiFieldPanel(
            [
                # Each date beside its precision (day, month or year known).
                FieldRowPanel([FieldPanel("signed_on"), FieldPanel("signed_precision")]),
                FieldRowPanel([FieldPanel("ratified_on"), FieldPanel("ratified_precision")]),
                FieldRowPanel([FieldPanel("in_force_on"), FieldPanel("in_force_precision")]),
                FieldPanel("ended_on"),
            ],
            heading=_("Dates"),
        ),
        FieldPanel("areas"),
        FieldPanel("sectors"),
        bilingual("summary", heading=_("Summary")),
        bilingual("text", heading=_("Text")),
        FieldPanel("official_link"),
        FieldPanel("order_in_council"),
        bilingual("source_note", heading=_("Source")),
        InlinePanel("documents", label=_("Documents")),
        PublishingPanel(),
    ]

    search_fields = [
        index.SearchField("title_fr", boost=3),
        index.SearchField("title_en", boost=3),
        index.SearchField("summary_fr"),
        index.SearchField("summary_en"),
        index.SearchField("text_fr"),
        index.SearchField("text_en"),
        index.SearchField("reference_number"),
        index.FilterField("kind"),
        index.FilterField("live"),
    ]

    class Meta:
        ordering = ["-signed_on", "title_fr"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        # The timeline's ratifications and entries into force, newest first (``timeline._parts``):
        # walked from the newest, only where there is a date.
        indexes = [
            models.Index(
                fields=["ratified_on"], condition=Q(ratified_on__isnull=False), name="agreement_ratified_on"
            ),
            models.Index(
                fields=["in_force_on"], condition=Q(in_force_on__isnull=False), name="agreement_in_force_on"
            ),
            # The next expiry (``filters.soonest_expiry``).
            models.Index(
                fields=["expire_at"], condition=Q(expire_at__isnull=False), name="agreement_expire_at"
            ),
        ]

    def __str__(self):
        return self.title or self.title_fr or self.title_en or str(_("Untitled agreement"))

    def clean(self):
        super().clean()
        self.signed_on = normalise(self.signed_on, self.signed_precision)
        self.ratified_on = normalise(self.ratified_on, self.ratified_precision)
        self.in_force_on = normalise(self.in_force_on, self.in_force_precision)
        errors = {}
        if self.signed_on and self.in_force_on and self.in_force_on < self.signed_on:
            errors["in_force_on"] = _("An agreement cannot come into force before it is signed.")
        if self.signed_on and self.ratified_on and self.ratified_on < self.signed_on:
            errors["ratified_on"] = _("An agreement cannot be ratified before it is signed.")
        earliest = self.in_force_on or self.signed_on
        if earliest and self.ended_on and self.ended_on < earliest:
            errors["ended_on"] = _("An agreement cannot end before it is signed or comes into force.")
        if errors:
            raise ValidationError(errors)
        self.fill_slugs()
        self.validate_unique_slugs()

    def save(self, *args, **kwargs):
        if self.reference_number == "":
            self.reference_number = None
        self.fill_slugs()
        super().save(*args, **kwargs)

    @property
    def status(self):
        today = datetime.date.today()
        if self.ended_on and self.ended_on <= today:
            return AgreementStatus.ENDED
        if self.in_force_on and self.in_force_on <= today:
            return AgreementStatus.IN_FORCE
        if self.ratified_on:
            return AgreementStatus.RATIFIED
        if self.signed_on:
            return AgreementStatus.SIGNED
        return AgreementStatus.UNKNOWN

    @property
    def status_label(self):
        return AgreementStatus(self.status).label

    def signed_display(self):
        return format_partial_date(self.signed_on, self.signed_precision)

    def ratified_display(self):
        return format_partial_date(self.ratified_on, self.ratified_precision)

    def in_force_display(self):
        return format_partial_date(self.in_force_on, self.in_force_precision)

    def ended_display(self):
        return format_partial_date(self.ended_on)

    def signed_iso(self):
        return format_iso_partial(self.signed_on, self.signed_precision)

    def in_force_iso(self):
        return format_iso_partial(self.in_force_on, self.in_force_precision)

    def key_date(self):
        """The date that best places the agreement in time, with its precision."""
        for value, precision in (
            (self.signed_on, self.signed_precision),
            (self.ratified_on, self.ratified_precision),
            (self.in_force_on, self.in_force_precision),
        ):
            if value:
                return value, precision
        return None, None

    def index_page(self):
        return AgreementIndexPage.objects.live().first()

    def get_preview_template(self, request, mode_name):
        return "relations/agreement_detail.html"


class DocumentLanguage(models.TextChoices):
    FR = "fr", _("French")
    EN = "en", _("English")
    KO = "ko", _("Korean")


class AgreementDocument(Orderable):
    """The text of an agreement in one language (a PDF in Wagtail's document library)."""

    agreement = ParentalKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("language"), max_length=2, choices=DocumentLanguage.choices)

    panels = [FieldPanel("document"), FieldPanel("language")]

    class Meta(Orderable.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class EventKind(models.TextChoices):
    SUMMIT = "summit", _("Summit")
    FESTIVAL = "festival", _("Festival")
    MARKET = "market", _("Market or fair")
    MISSION = "mission", _("Mission")
    COURSE = "course", _("Course or summer school")
    CONFERENCE = "conference", _("Conference")
    OTHER = "other", _("Other")


def earliest_running_start(on):
    """The earliest ``start_date`` of the events whose last day is ``on`` or later (any event,
    published or not), or None; kept until the next purge of the page cache (any publication or
    save of an event purges it), per day (``on`` is in the key)."""

    def find():
        # MIN of an expression: SQLite would otherwise walk the index of start_date from the oldest
        # event (its MIN optimisation) and read every past event; this way it reads the index of
        # (last_day, start_date) from ``on`` only.
        start = Coalesce("start_date", Value(None, output_field=models.DateField()))
        return Event.objects.filter(last_day__gte=on).aggregate(earliest=models.Min(start))["earliest"]

    return shared_lookup(("earliest-running-start", on), find)


class EventQuerySet(models.QuerySet):
    def published(self):
        """Live and not expired (even before ``publish_scheduled`` has run), as for agreements."""
        return self.filter(live=True).exclude(expire_at__lte=timezone.now())

    def dated(self):
        return self.filter(start_date__isnull=False)

    def undated(self):
        return self.filter(start_date__isnull=True)

    def upcoming(self, on=None):
        """Events not over yet (today included), soonest first.

        Also ``start_date >=`` the earliest start of the events not over on ``on`` (of all events,
        published or not: ``earliest_running_start``), which gives the same rows and lets the
        database walk the index of ``start_date`` from there and stop at a list's end, instead of
        reading every upcoming event by the index of ``last_day`` and sorting them (2.2 ms for
        1,700 upcoming events among 10,000 on SQLite; 0.1 ms so).
        """
        on = on or datetime.date.today()
        upcoming = self.filter(last_day__gte=on)
        earliest = earliest_running_start(on)
        if earliest is not None:
            upcoming = upcoming.filter(start_date__gte=earliest)
        return upcoming.order_by("start_date", "start_time", "pk")

    def past(self, on=None):
        """Events over (their last day before ``on``), most recent first. ``start_date < on``
        follows from it (an event ends on or after its start: ``clean``) and lets the database walk
        the index of ``start_date`` from ``on`` backwards and stop at a list's end, instead of
        reading every past event through the index of ``last_day`` and sorting them."""
        on = on or datetime.date.today()
        return self.filter(start_date__lt=on, last_day__lt=on).order_by("-start_date", "-start_time", "-pk")

    def for_area(self, area):
        return self.filter(areas=area)


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

    def index_page(self):
        return EventIndexPage.objects.live().first()

    def get_preview_template(self, request, mode_name):
        return "relations/event_detail.html"

    def ics_url(self):
        url = self.get_url()
        return f"{url}ics/" if url else None


# --------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------


def any_view_restriction():
    """Whether any page has a view restriction (password, login, groups); kept until the next
    purge of the page cache, which saving or deleting a restriction triggers (``signals.py``)."""
    return shared_lookup(("any-view-restriction",), PageViewRestriction.objects.exists)


def public_pages(queryset):
    """``queryset.public()``, whose query of the restrictions is skipped while there are none."""
    return queryset.public() if any_view_restriction() else queryset


def live_areas():
    """The live area pages in tree order, kept until the next publication (``shared_lookup``):
    the home page, the filters of the lists and the timeline all name them."""
    return shared_lookup(("live-areas",), lambda: list(AreaPage.objects.live().order_by("path")))


def live_areas_prefetch(name="areas"):
    """Prefetches the live areas of each row (an agreement's, an event's, an update's) in tree
    order, by title and URL: not their StreamField bodies (three columns each)."""
    return models.Prefetch(name, queryset=AreaPage.objects.live().defer_streamfields().order_by("path"))


def _area_shares():
    """``{(model label, area pk): rows}`` for the agreements, events and updates of each area, and
    ``{(model label, None): rows}`` for all of them: kept until the next publication, one query
    (``in_area`` chooses its SQL by them)."""

    def count():
        from django.db import connection

        # Raw SQL: the ORM cannot union grouped counts of the three link tables without going
        # through modeltranslation's managers. Names come from the models, values are parameters.
        quote = connection.ops.quote_name
        parts, params = [], []
        for model in (Agreement, Event, UpdatePage):
            field = model._meta.get_field("areas")
            links = quote(field.remote_field.through._meta.db_table)
            column = quote(field.m2m_reverse_name())
            parts.append(f"SELECT %s, {column}, COUNT(*) FROM {links} GROUP BY {column}")  # noqa: S608
            parts.append(f"SELECT %s, NULL, COUNT(*) FROM {quote(model._meta.db_table)}")  # noqa: S608
            params += [model._meta.label_lower] * 2
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            return {(label, area): rows for label, area, rows in cursor.fetchall()}

    return shared_lookup(("area-shares",), count)


def in_area(queryset, area, shown):
    """``queryset`` (agreements, events or update pages) limited to those of ``area``, for a list
    that shows its first ``shown`` rows in the queryset's order.

    Two SQL forms give the same rows. A join reads every row of the area, then sorts them: 1.6 ms
    for an area of 2,500 agreements among 10,000 on SQLite, and fast for a small area. A correlated
    ``EXISTS`` lets the database walk the index of the list's order and stop after ``shown`` rows
    of the area: 0.04 ms for that area, but up to 6 ms for an area with few rows, as it walks them
    all. The walk is chosen when it should read fewer rows than the join: when ``shown`` × all
    rows ÷ the area's rows (rows walked) is less than the area's rows (rows joined).
    """
    field = queryset.model._meta.get_field("areas")
    shares = _area_shares()
    label = queryset.model._meta.label_lower
    in_it, overall = shares.get((label, area.pk), 0), shares.get((label, None), 0)
    if in_it * in_it <= shown * overall:
        return queryset.filter(areas=area)
    through = field.remote_field.through
    return queryset.filter(
        models.Exists(
            through.objects.filter(
                **{field.m2m_field_name(): models.OuterRef("pk"), field.m2m_reverse_field_name(): area}
            )
        )
    )


def serve_in_language(request, mode_name, serve):
    """Wagtail's page preview, rendered in the language named by the preview mode (`fr`, `en`).

    Any other mode keeps Wagtail's behaviour (the editor's admin language). The response is
    rendered inside the override: a TemplateResponse would otherwise render after it ends.
    """
    if mode_name not in LANGUAGE_CODES:
        return serve()
    with override(mode_name):
        request.LANGUAGE_CODE = mode_name
        response = serve()
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response


class BasePage(Page):
    """What every page of the portal shares: an introduction, a last-update date, a review date."""

    intro = models.TextField(_("introduction"), blank=True)
    review_by = models.DateField(
        _("review by"),
        null=True,
        blank=True,
        help_text=_("After this date the page is listed to editors as past review."),
    )

    content_panels = [
        bilingual("title", heading=_("Title"), panel_class=TitleFieldPanel),
        bilingual("intro", heading=_("Introduction")),
    ]
    settings_panels = Page.settings_panels + [MultiFieldPanel([FieldPanel("review_by")], heading=_("Review"))]

    search_fields = Page.search_fields + [index.SearchField("intro_fr"), index.SearchField("intro_en")]

    # Preview in each language: Wagtail would render in the editor's admin language.
    preview_modes = [("fr", _("French")), ("en", _("English"))]

    class Meta:
        abstract = True

    def serve_preview(self, request, mode_name):
        return serve_in_language(
            request, mode_name, lambda: super(BasePage, self).serve_preview(request, mode_name)
        )

    @property
    def is_past_review(self):
        return bool(self.review_by and self.review_by < datetime.date.today())

    def route(self, request, path_components):
        """Finds the child page by its slug in the current language with one query.

        wagtail-modeltranslation's ``route`` compares the slug of every child page in Python: with
        10,000 updates under the updates list, each update page cost 0.5 s before rendering.
        Same rule here (the slug in the visitor's language, the French one when it has none), in
        the database, once per publication (``shared_lookup``); then the child is read. Routable
        pages (the agreement and event lists) keep theirs: their details are routes, not pages.
        """
        if not path_components or isinstance(self, RoutablePageMixin):
            return super().route(request, path_components)
        from .filters import kept_rows

        slug, language = path_components[0], current_language()

        # Which child a slug names changes only when a page is published, moved or deleted, all of
        # which purge the shared lookups: kept, as the site is. The child itself is read each time
        # (with its SQL kept: ``kept_rows``).
        def find():
            match = Q(**{f"slug_{language}": slug})
            if language != LANGUAGE_CODES[0]:
                untranslated = Q(**{f"slug_{language}": ""}) | Q(**{f"slug_{language}__isnull": True})
                match |= Q(**{f"slug_{LANGUAGE_CODES[0]}": slug}) & untranslated
            return (
                self.get_children().filter(match).order_by("path").values_list("pk", "content_type").first()
            )

        found = shared_lookup(("child-by-slug", self.pk, language, slug), find)
        model = ContentType.objects.get_for_id(found[1]).model_class() if found else None
        if model is None:
            raise Http404
        child = kept_rows(("page", found[0]), lambda: model.objects.filter(pk=found[0])[:1])
        if not child:
            raise Http404
        return child[0].route(request, path_components[1:])

    def get_view_restrictions(self):
        """Wagtail's check, skipped (two queries per page view) while no page has a restriction.

        Whether any restriction exists is kept until the next purge of the page cache, and saving or
        deleting a restriction purges it (``relations/signals.py``).
        """
        if not any_view_restriction():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def last_updated(self):
        return self.last_published_at or self.latest_revision_created_at or self.first_published_at

    def language_urls(self, request=None):
        urls = {}
        for language in LANGUAGE_CODES:
            with override(language):
                urls[language] = self.get_url(request=request)
        return urls

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.setdefault("translations", self.language_urls(request))
        context.setdefault("last_updated", self.last_updated())
        return context


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
        from .filters import kept_items, kept_rows

        context = super().get_context(request, *args, **kwargs)
        context["areas"] = [area for area in live_areas() if area.path.startswith(self.path)]
        # The key figures' charts read the figures themselves.
        context["key_figures"] = kept_rows(
            ("home", self.pk, "key_figures"),
            KeyFigure.objects.filter(show_on_home=True).order_by("sort_order", "pk"),
        )
        # Lists shown only through the item tag: their rows' primary keys (``kept_items``); the
        # querysets are built only when their SQL is not kept.
        lists = {
            "next_events": lambda: Event.objects.published().upcoming()[:4],
            "undated_events": lambda: Event.objects.published().undated().order_by("title_fr")[:4],
            # The list shows no body.
            "latest_updates": lambda: (
                UpdatePage.objects.live().defer_streamfields().order_by("-date", "-pk")[:3]
            ),
            "agreements_in_force": lambda: Agreement.objects.published().in_force().newest_signed_first()[:5],
        }
        for name, queryset in lists.items():
            context[name] = kept_items(("home", self.pk, name), queryset)
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
        from .filters import kept_items, kept_related

        context = super().get_context(request, *args, **kwargs)
        context["key_figures"] = kept_related(
            ("area", self.pk, "figures"), self.key_figures.order_by("sort_order", "pk")
        )
        context["area_sectors"] = kept_related(("area", self.pk, "sectors"), self.sectors.order_by("slug"))
        # Each list shows its first items and links to the full, filtered list: an area can hold
        # thousands of agreements or events. One row more than shown tells whether there are more.
        shown = self.LIST_SIZE + 1

        def events():
            return Event.objects.published()

        # Built only when their SQL is not kept (``kept_rows``).
        lists = {
            "agreements": lambda: in_area(Agreement.objects.published(), self, shown).newest_signed_first(),
            "upcoming_events": lambda: in_area(events(), self, shown).upcoming(),
            "undated_events": lambda: in_area(events().undated(), self, shown).order_by("title_fr"),
            "past_events": lambda: in_area(events(), self, shown).past(),
        }
        for name, queryset in lists.items():
            rows = kept_items(("area", self.pk, name), lambda queryset=queryset: queryset()[:shown])
            context[name] = rows[: self.LIST_SIZE]
            context[f"more_{name}"] = len(rows) > self.LIST_SIZE
        context["updates"] = kept_items(
            ("area", self.pk, "updates"),
            lambda: (
                in_area(UpdatePage.objects.live(), self, 5).defer_streamfields().order_by("-date", "-pk")[:5]
            ),
        )
        return context


class StandardPage(BasePage):
    """About the office, accessibility, privacy, contact."""

    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body_fr"), index.SearchField("body_en")]
    parent_page_types = ["relations.HomePage", "relations.StandardPage", "relations.AreaPage"]

    class Meta:
        verbose_name = _("standard page")


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
        language = current_language()
        manager = self.detail_model.objects.published()
        obj = manager.filter(**{f"slug_{language}": slug}).first()
        if obj is not None:
            return obj, False
        for other in LANGUAGE_CODES:
            if other != language:
                obj = manager.filter(**{f"slug_{other}": slug}).first()
                if obj is not None:
                    return obj, True
        raise Http404

    def serve_detail(self, request, slug, extra=None):
        obj, wrong_language = self.find_object(slug)
        if wrong_language:
            return HttpResponsePermanentRedirect(obj.get_url(request))
        context = self.get_context(request)
        context.update(
            {
                "object": obj,
                # This page is the object's index page: no query to find it for each language.
                "translations": {
                    language: obj.get_url_for_language(language, request, index_page=self)
                    for language in LANGUAGE_CODES
                },
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
        """The register, filtered (``relations.filters``) and paginated, 20 a page."""
        from .filters import filter_agreements, filters_key, paginate

        filters = filter_agreements(request.GET, current_language())
        agreements, page_adjusted = paginate(
            filters.qs,
            request.GET.get("page"),
            per_page=20,
            count=filters.count,
            kept_key=("agreements", filters_key(filters.active, leave_out=())),
        )
        base = self.get_url(request) or ""
        query = f"?{filters.querystring}" if filters.querystring else ""
        # The exports are served at <index>/export.csv and <index>/export.json by
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
            },
        )

    @path("<slug:slug>/")
    def agreement_detail(self, request, slug):
        def extra(obj):
            from .filters import kept_related

            related = {
                "parties": obj.parties.all(),
                "documents": obj.documents.select_related("document"),
                "related_events": obj.events.published().order_by("start_date"),
                "areas": obj.areas.live().defer_streamfields(),
                "sectors": obj.sectors.all(),
            }
            return {name: kept_related(("agreement", obj.pk, name), rows) for name, rows in related.items()}

        return self.serve_detail(request, slug, extra)


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
        year at a time; filtered by area, kind, country and city (``relations.filters.events_page``)."""
        from .filters import events_page

        return self.render(request, context_overrides=events_page(request.GET, current_language()))

    @path("<slug:slug>/ics/", name="event_ics")
    def event_ics(self, request, slug):
        """The event alone as iCalendar, for "Add to my calendar" (404 when its day is unknown)."""
        from .feeds import single_event_calendar_response

        obj, wrong_language = self.find_object(slug)
        if wrong_language:
            return HttpResponsePermanentRedirect(obj.ics_url())
        return single_event_calendar_response(obj, request, index_page=self)

    @path("<slug:slug>/")
    def event_detail(self, request, slug):
        def extra(obj):
            from .filters import kept_related

            related = {
                "organisers": obj.organisers.all(),
                "areas": obj.areas.live().defer_streamfields(),
                "related_agreements": obj.agreements.published(),
            }
            return {name: kept_related(("event", obj.pk, name), rows) for name, rows in related.items()}

        return self.serve_detail(request, slug, extra)


class UpdateIndexPage(BasePage):
    """The list of updates (news of the relations)."""

    max_count = 1
    parent_page_types = ["relations.HomePage"]
    subpage_types = ["relations.UpdatePage"]
    PER_PAGE = 20

    class Meta:
        verbose_name = _("update index page")

    def get_context(self, request, *args, **kwargs):
        from .filters import kept_lookup, paginate

        context = super().get_context(request, *args, **kwargs)
        # The list shows titles, dates and introductions: the bodies are not read.
        updates = UpdatePage.objects.live().child_of(self).defer_streamfields().order_by("-date", "-pk")
        count = kept_lookup(("update-count", self.pk), updates.count)
        context["updates"], context["page_adjusted"] = paginate(
            updates,
            request.GET.get("page"),
            per_page=self.PER_PAGE,
            count=count,
            kept_key=("updates", self.pk),
        )
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

    content_panels = BasePage.content_panels + [
        MultiFieldPanel([FieldPanel("date"), FieldPanel("date_precision")], heading=_("Date")),
        FieldPanel("body"),
        FieldPanel("areas"),
        FieldPanel("related_agreements"),
        FieldPanel("related_events"),
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
        from .filters import kept_related

        context = super().get_context(request, *args, **kwargs)
        related = {
            "areas": self.areas.live().defer_streamfields(),
            "agreements": self.related_agreements.published(),
            "events": self.related_events.published(),
        }
        for name, rows in related.items():
            context[name] = kept_related(("update", self.pk, name), rows)
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
        from .timeline import build_timeline

        context = super().get_context(request, *args, **kwargs)
        context.update(build_timeline(request.GET, current_language()))
        return context


@receiver([post_save, post_delete], sender=Site)
def forget_localized_site_root_paths(sender, **kwargs):
    """wagtail-modeltranslation caches each language's site root paths for an hour and forgets them
    only when a root page is saved: a Site pointed at another page would keep stale URLs."""
    cache.delete_many([f"wagtail_site_root_paths_{language}" for language in LANGUAGE_CODES])


# The contact form page (a Wagtail form builder page) lives in its own module.
from .contact import ContactFormField, ContactPage  # noqa: E402, F401
