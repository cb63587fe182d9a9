"""factory_boy factories for every model; tests build what they need with them."""

import datetime

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from django.utils import timezone

from relations import models


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = models.Sector

    name_fr = factory.Sequence(lambda n: f"Secteur {n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = models.Organization

    name_fr = factory.Sequence(lambda n: f"Organisme {n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    kind = models.OrganizationKind.UNIVERSITY
    country = models.Country.SOUTH_KOREA


class PublishedPageFactory(wagtail_factories.PageFactory):
    """A page as the admin's Publish leaves it: with its publication dates."""

    class Meta:
        abstract = True

    first_published_at = factory.LazyFunction(timezone.now)
    last_published_at = factory.LazyFunction(timezone.now)


class HomePageFactory(PublishedPageFactory):
    class Meta:
        model = models.HomePage

    title_fr = "Accueil"
    title_en = "Home"
    slug_fr = "accueil"
    slug_en = "home"
    title = factory.SelfAttribute("title_fr")
    slug = factory.SelfAttribute("slug_fr")


class AreaPageFactory(PublishedPageFactory):
    class Meta:
        model = models.AreaPage

    title_fr = factory.Sequence(lambda n: f"Domaine {n}")
    title_en = factory.Sequence(lambda n: f"Area {n}")
    slug_fr = factory.Sequence(lambda n: f"domaine-{n}")
    slug_en = factory.Sequence(lambda n: f"area-{n}")
    title = factory.SelfAttribute("title_fr")
    slug = factory.SelfAttribute("slug_fr")
    intro_fr = "Introduction en français."
    intro_en = "Introduction in English."


class StandardPageFactory(AreaPageFactory):
    class Meta:
        model = models.StandardPage


class AgreementIndexPageFactory(PublishedPageFactory):
    class Meta:
        model = models.AgreementIndexPage

    title_fr = "Ententes"
    title_en = "Agreements"
    slug_fr = "ententes"
    slug_en = "agreements"
    title = factory.SelfAttribute("title_fr")
    slug = factory.SelfAttribute("slug_fr")


class EventIndexPageFactory(AgreementIndexPageFactory):
    class Meta:
        model = models.EventIndexPage

    title_fr = "Événements"
    title_en = "Events"
    slug_fr = "evenements"
    slug_en = "events"


class UpdateIndexPageFactory(AgreementIndexPageFactory):
    class Meta:
        model = models.UpdateIndexPage

    title_fr = "Actualités"
    title_en = "Updates"
    slug_fr = "actualites"
    slug_en = "updates"


class UpdatePageFactory(AreaPageFactory):
    class Meta:
        model = models.UpdatePage

    title_fr = factory.Sequence(lambda n: f"Actualité {n}")
    title_en = factory.Sequence(lambda n: f"Update {n}")
    slug_fr = factory.Sequence(lambda n: f"actualite-{n}")
    slug_en = factory.Sequence(lambda n: f"update-{n}")
    date = datetime.date(2017, 2, 1)


class TimelinePageFactory(AgreementIndexPageFactory):
    class Meta:
        model = models.TimelinePage

    title_fr = "Chronologie"
    title_en = "Timeline"
    slug_fr = "chronologie"
    slug_en = "timeline"


class PublishedMixin:
    """Agreements and events go live through a revision, as the admin's Publish does."""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        publish = kwargs.pop("publish", True)
        obj = model_class(*args, **kwargs)
        obj.live = False
        obj.full_clean()
        obj.save()
        if publish:
            obj.save_revision().publish()
            obj.refresh_from_db()
        return obj


class AgreementFactory(PublishedMixin, DjangoModelFactory):
    class Meta:
        model = models.Agreement
        skip_postgeneration_save = True

    title_fr = factory.Sequence(lambda n: f"Entente numéro {n}")
    title_en = factory.Sequence(lambda n: f"Agreement number {n}")
    kind = models.AgreementKind.INSTITUTIONAL
    signed_on = datetime.date(2017, 2, 1)
    summary_fr = "Résumé."
    summary_en = "Summary."

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)
            self.save()
            self.save_revision().publish() if self.live else None

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create and extracted:
            self.parties.set(extracted)
            self.save()


class EventFactory(PublishedMixin, DjangoModelFactory):
    class Meta:
        model = models.Event
        skip_postgeneration_save = True

    title_fr = factory.Sequence(lambda n: f"Événement numéro {n}")
    title_en = factory.Sequence(lambda n: f"Event number {n}")
    kind = models.EventKind.FESTIVAL
    start_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))
    city_fr = "Séoul"
    city_en = "Seoul"
    country = models.Country.SOUTH_KOREA
    timezone = models.EventTimeZone.SEOUL

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)
            self.save()


class KeyFigureFactory(DjangoModelFactory):
    class Meta:
        model = models.KeyFigure

    label_fr = factory.Sequence(lambda n: f"Chiffre {n}")
    label_en = factory.Sequence(lambda n: f"Figure {n}")
    value = "2.1"
    unit = models.FigureUnit.CAD_BILLION
    reference_year = 2016
    source_name_fr = "Gouvernement du Québec"
    source_name_en = "Government of Québec"


class ContactPageFactory(PublishedPageFactory):
    """The contact form page, with a name, an e-mail and a message field (French and English)."""

    class Meta:
        model = models.ContactPage
        skip_postgeneration_save = True

    title_fr = "Nous joindre"
    title_en = "Contact us"
    slug_fr = "nous-joindre"
    slug_en = "contact"
    title = factory.SelfAttribute("title_fr")
    slug = factory.SelfAttribute("slug_fr")
    intro_fr = "Écrivez au Bureau du Québec à Séoul."
    intro_en = "Write to the Québec Government Office in Seoul."

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if not create:
            return
        specs = extracted or [
            ("Nom", "Name", "singleline", True),
            ("Courriel", "Email", "email", True),
            ("Message", "Message", "multiline", True),
        ]
        for order, (label_fr, label_en, field_type, required) in enumerate(specs):
            models.ContactFormField.objects.create(
                page=self,
                sort_order=order,
                label_fr=label_fr,
                label_en=label_en,
                field_type=field_type,
                required=required,
            )
