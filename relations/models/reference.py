"""Reference data the agreements and events point to: sectors, sources, organisations and key
figures.

Organisations are the parties and organisers; key figures carry their value, unit, reference
year and source, and say when they may be outdated.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from relations.core.dates import DatePrecision, normalise
from relations.core.korean import korean_amount, korean_percent, korean_rank
from relations.core.language import current_language
from relations.core.panels import bilingual


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


class Source(index.Indexed, models.Model):
    """A public page a fact comes from, shown to visitors next to the fact: title, address, date.

    Agreements, events, organisations and updates cite theirs (``sources``); key figures keep
    their one source in their own fields.
    """

    title = models.CharField(
        _("title"), max_length=400, help_text=_("The source's title and publisher, as a visitor reads it.")
    )
    url = models.URLField(
        _("address"), max_length=500, blank=True, help_text=_("Leave empty when it has none.")
    )
    date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_("When the source was published. Leave empty when it does not say."),
    )
    date_precision = models.CharField(
        _("precision of the date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )

    panels = [
        bilingual("title", heading=_("Title")),
        FieldPanel("url"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("date_precision")]),
    ]
    search_fields = [index.SearchField("title_fr"), index.SearchField("title_en"), index.SearchField("url")]

    class Meta:
        ordering = ["title_fr", "pk"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title or self.title_fr or self.url or f"#{self.pk}"

    def clean(self):
        super().clean()
        self.date = normalise(self.date, self.date_precision)


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    SUBNATIONAL_GOVERNMENT = (
        "subnational_government",
        _("Sub-national government (province, state, metropolitan city)"),
    )
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
    sources = models.ManyToManyField(
        Source,
        verbose_name=_("sources"),
        blank=True,
        related_name="organisations",
        help_text=_("Where the facts on this organisation come from."),
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    panels = [
        bilingual("name", heading=_("Name")),
        FieldPanel("acronym"),
        FieldPanel("kind"),
        FieldPanel("country"),
        bilingual("city", heading=_("City")),
        FieldPanel("website"),
        FieldPanel("founded_year"),
        bilingual("description", heading=_("Description")),
        FieldPanel("sources"),
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
    CAD_MILLION = "cad_million", _("Millions of Canadian dollars")
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
        """French typography in French: `2,1 milliards $`, `4,2 %`, `11e`; `$2.1 billion`, `4.2%`, `11th`;
        Korean units in Korean: `21억 달러`, `4.2%`, `11위`."""
        language = language or current_language()
        value = self.value.normalize() if isinstance(self.value, Decimal) else Decimal(self.value)
        if language == "ko":
            return self.korean_value(value)
        decimals = max(0, -value.as_tuple().exponent)
        with override(language):
            number = formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
        nbsp = "\u00a0"
        if self.unit == FigureUnit.CAD_BILLION:
            if language == "fr":
                word = "milliard" if value < 2 else "milliards"
                return f"{number}{nbsp}{word}{nbsp}$"
            return f"${number}{nbsp}billion"
        if self.unit == FigureUnit.CAD_MILLION:
            if language == "fr":
                word = "million" if value < 2 else "millions"
                return f"{number}{nbsp}{word}{nbsp}$"
            return f"${number}{nbsp}million"
        if self.unit == FigureUnit.PERCENT:
            return f"{number}{nbsp}%" if language == "fr" else f"{number}%"
        if self.unit == FigureUnit.RANK:
            whole = int(value)
            if language == "fr":
                return "1er" if whole == 1 else f"{whole}e"
            suffix = "th" if 10 <= whole % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(whole % 10, "th")
            return f"{whole}{suffix}"
        return number

    def korean_value(self, value):
        """Korean counts in myriads: 2.1 billion dollars is `21억 달러`; `4.2%`, `11위`."""
        if self.unit == FigureUnit.CAD_BILLION:
            return korean_amount(value)
        if self.unit == FigureUnit.PERCENT:
            return korean_percent(value)
        if self.unit == FigureUnit.RANK:
            return korean_rank(value)
        return f"{value:,}"

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
