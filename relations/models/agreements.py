"""Agreements: the register's rows, with their parties, dated steps, status and documents.

Snippets with drafts, revisions, preview in each language and moderation. The status is derived
from the dates (``AgreementQuerySet.with_status`` in SQL, ``Agreement.status`` in Python), so
that it never contradicts them.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PublishingPanel
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from relations.core.dates import DatePrecision, format_iso_partial, format_partial_date, normalise
from relations.core.panels import bilingual

from .base import PublishedQuerySet, TranslatedSlugMixin
from .reference import Organization, Sector, Source


class AgreementKind(models.TextChoices):
    INTERNATIONAL = "international", _("International agreement (Québec)")
    NON_BINDING = "non_binding", _("Non-binding agreement or memorandum")
    MULTILATERAL = "multilateral", _("Multilateral convention")
    CANADIAN = "canadian", _("Canadian accord")
    INSTITUTIONAL = "institutional", _("Institutional agreement")
    SUBNATIONAL = "subnational", _("Agreement with a sub-national government")


class AgreementStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    RATIFIED = "ratified", _("Ratified")
    SIGNED = "signed", _("Signed")
    ENDED = "ended", _("Ended")
    UNKNOWN = "unknown", _("Status not specified")


# French makes a status agree with the kind it qualifies: « Accord canadien · Signé », « Entente
# institutionnelle · Signée ». The kinds whose French label is a masculine noun; the others are feminine.
MASCULINE_KINDS = frozenset({AgreementKind.CANADIAN})
STATUS_LABELS = {
    "feminine": {
        AgreementStatus.IN_FORCE: pgettext_lazy("agreement status, feminine", "In force"),
        AgreementStatus.RATIFIED: pgettext_lazy("agreement status, feminine", "Ratified"),
        AgreementStatus.SIGNED: pgettext_lazy("agreement status, feminine", "Signed"),
        AgreementStatus.ENDED: pgettext_lazy("agreement status, feminine", "Ended"),
    },
    "masculine": {
        AgreementStatus.IN_FORCE: pgettext_lazy("agreement status, masculine", "In force"),
        AgreementStatus.RATIFIED: pgettext_lazy("agreement status, masculine", "Ratified"),
        AgreementStatus.SIGNED: pgettext_lazy("agreement status, masculine", "Signed"),
        AgreementStatus.ENDED: pgettext_lazy("agreement status, masculine", "Ended"),
    },
}


def status_label(status, kind):
    """The status's label, agreeing in French with the agreement's kind."""
    gender = "masculine" if kind in MASCULINE_KINDS else "feminine"
    return STATUS_LABELS[gender].get(status, AgreementStatus(status).label)


class AgreementQuerySet(PublishedQuerySet):
    def in_force(self, on=None):
        """In force on ``on`` (today by default): entered into force, not ended."""
        on = on or datetime.date.today()
        return self.filter(in_force_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))

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

    index_page_model = "relations.AgreementIndexPage"

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
    responsible_bodies = ParentalManyToManyField(
        Organization,
        verbose_name=_("responsible bodies"),
        blank=True,
        related_name="agreements_responsible_for",
        help_text=_(
            "The bodies that carry the agreement out, such as the liaison bodies of a social security "
            "agreement."
        ),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True, db_index=True)
    signed_precision = models.CharField(
        _("precision of the signature date"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    signed_at = models.CharField(_("place of signature"), max_length=120, blank=True)
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
    order_in_council_date = models.DateField(_("order-in-council date"), null=True, blank=True)
    source_note = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("Where the facts on this agreement come from.")
    )
    sources = ParentalManyToManyField(
        Source,
        verbose_name=_("sources"),
        blank=True,
        related_name="agreements",
        help_text=_("The public pages the facts come from, shown to visitors with their address and date."),
    )
    objects = AgreementQuerySet.as_manager()

    panels = [
        bilingual("title", heading=_("Title")),
        bilingual("slug", heading=_("Slug")),
        FieldPanel("reference_number"),
        FieldPanel("kind"),
        FieldPanel("parties"),
        FieldPanel("responsible_bodies"),
        MultiFieldPanel(
            [
                # Each date beside its precision (day, month or year known).
                FieldRowPanel([FieldPanel("signed_on"), FieldPanel("signed_precision")]),
                bilingual("signed_at", heading=_("Place of signature")),
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
        FieldRowPanel([FieldPanel("order_in_council"), FieldPanel("order_in_council_date")]),
        FieldPanel("sources"),
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
        return status_label(self.status, self.kind)

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
