"""`load_demo` loads every fact of the seed in both languages, and is idempotent."""

import re
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from django.utils.html import strip_tags
from django.utils.translation import override

from wagtail.models import Page

from relations.models import (
    Agreement,
    AreaPage,
    Event,
    HomePage,
    KeyFigure,
    Organization,
    Sector,
    UpdatePage,
)

SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / "000_f0627236f2f37138.txt"
NBSP = "\u00a0"


def load():
    out = StringIO()
    call_command("load_demo", stdout=out, skip_index=True)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Page, Agreement, Event, Organization, KeyFigure, Sector, UpdatePage)
    }


def page_text(page, language):
    """What a visitor reads of a page in one language: title, intro and body, tags removed."""
    parts = [getattr(page, f"title_{language}") or "", getattr(page, f"intro_{language}") or ""]
    body = getattr(page, f"body_{language}", None)
    if body is not None:
        parts.append(strip_tags(body.render_as_block()))
    return re.sub(r"\s+", " ", " ".join(parts).replace(NBSP, " ").replace("&amp;", "&"))


class LoadDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = load()

    def test_the_four_areas_exist_with_translated_slugs(self):
        areas = AreaPage.objects.live().order_by("path")
        assert [a.slug_fr for a in areas] == [
            "economie",
            "recherche-innovation",
            "culture",
            "langue-francaise",
        ]
        with override("en"):
            assert areas[0].get_url() == "/en/economy/"
        with override("fr"):
            assert areas[0].get_url() == "/fr/economie/"
        assert HomePage.objects.count() == 1

    def test_every_sentence_of_the_seed_is_on_an_english_page(self):
        if not SEED.exists():  # the seed sits beside the repository in CI and on developers' machines
            self.skipTest("seed text not found beside the repository")
        english = " ".join(page_text(p.specific, "en") for p in Page.objects.filter(depth__gte=2))
        english = english.replace("’", "'")
        text = SEED.read_text().split("Last update:")[0].replace("’", "'")
        sentences = [s.strip() for s in re.split(r"(?<=[.])\s+|\n+", text) if len(s.strip()) > 20]
        missing = [s for s in sentences if re.sub(r"\s+", " ", s) not in english]
        assert not missing, missing

    def test_the_french_pages_say_the_same_facts_with_french_typography(self):
        economy = AreaPage.objects.get(slug_fr="economie")
        research = AreaPage.objects.get(slug_fr="recherche-innovation")
        french = economy.body_fr.render_as_block() + research.body_fr.render_as_block()
        for fact in ("2,1 milliards $", "1er janvier 2015", "4,2 %", "décembre 2016", "février 2017", "11e"):
            assert fact.replace(" ", NBSP) in french or fact in french, fact

    def test_agreements_carry_the_seed_dates_with_their_precision(self):
        fta = Agreement.objects.get(title_en__icontains="Free Trade")
        sti = Agreement.objects.get(title_en__icontains="Science, Technology and Innovation")
        criaq = Agreement.objects.get(title_en__icontains="CRIAQ")
        assert (fta.in_force_on.isoformat(), fta.in_force_precision, fta.signed_on) == (
            "2015-01-01",
            "day",
            None,
        )
        assert (sti.ratified_on.isoformat(), sti.ratified_precision) == ("2016-12-01", "month")
        assert (criaq.signed_on.isoformat(), criaq.signed_precision) == ("2017-02-01", "month")
        assert {p.acronym for p in criaq.parties.all()} == {"CRIAQ", "KITECH"}
        assert all(a.live and a.title_fr and a.title_en for a in (fta, sti, criaq))
        assert list(Agreement.objects.in_force()) == [fta]
        assert fta.in_force_display() == "1er janvier 2015"
        with override("en"):
            assert sti.ratified_display() == "December 2016"

    def test_events_keep_only_what_the_seed_says(self):
        summit = Event.objects.get(title_en__icontains="Summit")
        assert (summit.start_date.isoformat(), summit.date_precision) == ("2016-11-01", "month")
        assert summit.city_fr == "Antananarivo" and summit.country == "MG"
        summer = Event.objects.get(title_en__icontains="summer class")
        assert (summer.start_date.year, summer.date_precision) == (2007, "year")
        pams = Event.objects.get(title_en__icontains="Performing Arts Market")
        biff = Event.objects.get(title_en__icontains="Busan")
        assert pams.start_date is None and biff.start_date is None  # no date in the seed
        assert not pams.venue_fr and not biff.venue_fr
        assert all(e.live and e.title_fr and e.title_en for e in Event.objects.all())

    def test_organisations_and_key_figures(self):
        acronyms = set(Organization.objects.values_list("acronym", flat=True))
        assert {"CRIAQ", "KITECH", "OIF", "HUFS"} <= acronyms
        kaqs = Organization.objects.get(name_en="Korean Association of Québec Studies")
        assert kaqs.founded_year == 2006
        assert Organization.objects.filter(
            name_fr="Bureau du Québec à Séoul", kind="government_office"
        ).exists()
        figures = {
            (f.formatted_value("fr"), f.formatted_value("en"), f.reference_year)
            for f in KeyFigure.objects.all()
        }
        assert (f"2,1{NBSP}milliards{NBSP}$", f"$2.1{NBSP}billion", 2016) in figures
        assert ("11e", "11th", 2016) in figures
        assert ("11e", "11th", None) in figures  # 11th economy: the seed gives no year
        assert (f"4,2{NBSP}%", "4.2%", 2015) in figures
        assert all(f.source_name_fr and f.source_name_en for f in KeyFigure.objects.all())

    def test_sectors_named_by_the_seed(self):
        # The seven of the source page, and the three the Québec–Daejeon agreement names.
        assert Sector.objects.count() == 10
        assert all(s.name_fr and s.name_en for s in Sector.objects.all())

    def test_a_second_run_duplicates_nothing(self):
        before = counts()
        output = load()
        assert counts() == before
        assert "created 0" in output

    def test_a_second_run_keeps_what_an_editor_changed(self):
        economy = AreaPage.objects.get(slug_fr="economie")
        economy.intro_fr = "Texte revu par une éditrice."
        economy.save()
        pams = Event.objects.get(title_en__icontains="Performing Arts Market")
        pams.summary_en = "Edited summary."
        pams.save()
        load()
        economy.refresh_from_db()
        pams.refresh_from_db()
        assert economy.intro_fr == "Texte revu par une éditrice."
        assert pams.summary_en == "Edited summary."

    def test_a_deleted_item_comes_back(self):
        Sector.objects.get(slug="film").delete()
        load()
        assert Sector.objects.filter(slug="film").exists()

    def test_the_demo_serves_both_languages(self):
        for url in (
            "/fr/",
            "/en/",
            "/fr/economie/",
            "/en/economy/",
            "/fr/recherche-innovation/",
            "/en/research-innovation/",
            "/fr/culture/",
            "/en/culture/",
            "/fr/langue-francaise/",
            "/en/french-language/",
            "/fr/ententes/",
            "/en/agreements/",
            "/fr/evenements/",
            "/en/events/",
            "/fr/actualites/",
            "/en/updates/",
            "/fr/chronologie/",
            "/en/timeline/",
        ):
            response = self.client.get(url)
            assert response.status_code == 200, url
        for agreement in Agreement.objects.all():
            for language in ("fr", "en"):
                assert self.client.get(agreement.get_url_for_language(language)).status_code == 200
        for event in Event.objects.all():
            for language in ("fr", "en"):
                assert self.client.get(event.get_url_for_language(language)).status_code == 200

    def test_the_timeline_shows_the_seed_dates_with_their_precision(self):
        fr = self.client.get("/fr/chronologie/").text
        en = self.client.get("/en/timeline/").text
        assert '<time datetime="2017-02">février 2017</time>' in fr  # CRIAQ–KITECH, signed
        assert '<time datetime="2015-01-01">January 1, 2015</time>' in en  # the FTA, in force
        assert '<time datetime="2007">2007</time>' in fr  # the summer class, since 2007
        assert "1er février 2017" not in fr
        # The source page's 3 updates, 2 dated events, 1 signature, 1 ratification (the STI
        # agreement, December 2016) and 1 entry into force; beyond it (shared/research/facts.md),
        # 7 updates, 9 dated events and 4 signatures.
        assert '<p class="count">28 éléments</p>' in fr
        ratified = '<time datetime="2016-12">décembre 2016</time></span> <span class="tag timeline__kind">'
        assert ratified + "Ratification" in fr
        assert '<a href="/fr/chronologie/">Chronologie des relations</a>' in self.client.get("/fr/").text
