"""Every row of the research notes (``shared/research/facts.md``, beside the repository) is in the
demo, in French and in English, with its source shown to visitors next to it: the source's
title in the page's language, its address when the notes give one, its date when they give one."""

import datetime
import re
from io import StringIO
from pathlib import Path

import icalendar
import pytest

from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from django.utils.html import escape
from django.utils.translation import override

from relations.models import Agreement, Event, KeyFigure, Organization, UpdatePage

FACTS = Path(settings.BASE_DIR).parent / "shared" / "research" / "facts.md"

LEGIS_EN = "https://www.legisquebec.gouv.qc.ca/en/document/cr/R-9,%20r.%2013.1%20"
LEGIS_FR = "https://www.legisquebec.gouv.qc.ca/fr/document/rc/R-9,%20r.%2013.1%20"
SEOUL = (
    "https://www.newswire.ca/fr/news-releases/entente-d-amitie-et-de-cooperation-entre-le-gouvernement-du-"
    "quebec-et-le-gouvernement-metropolitain-de-seoul-890907441.html"
)
MRIF = "https://www.mrif.gouv.qc.ca/fr/relations-du-quebec/asie-pacifique/coree-du-sud/relations-politiques"
YONHAP = "https://fr.yna.co.kr/view/AFR20230208003600884"
OFFICE_KO = "http://www.international.gouv.qc.ca/ko/seoul/actualites"

# The start of each row's first cell → where the demo holds the fact: (kind, French slug or
# label), and the address of its source (None where the notes give none).
ROWS = {
    "Agreement on Social Security": [
        ("agreement", "entente-securite-sociale-quebec-republique-de-coree", LEGIS_EN)
    ],
    "Same agreement: implemented by": [
        ("agreement", "entente-securite-sociale-quebec-republique-de-coree", LEGIS_FR)
    ],
    "Same agreement: liaison bodies": [
        ("agreement", "entente-securite-sociale-quebec-republique-de-coree", LEGIS_EN)
    ],
    "Friendship and cooperation agreement": [("agreement", "entente-amitie-cooperation-quebec-seoul", SEOUL)],
    "Collaboration agreement in research": [
        ("agreement", "entente-recherche-innovation-quebec-daejeon", None)
    ],
    "Canada–Korea Youth Mobility": [
        ("agreement", "arrangement-canada-coree-mobilite-des-jeunes", "https://www.cicnews.com/?p=35206")
    ],
    "Korea Week in Montréal": [("event", "semaine-de-la-coree-montreal-2024", SEOUL)],
    "Visit of Québec's minister": [("event", "visite-ministerielle-coree-du-sud-2023", SEOUL)],
    "Mission of minister Martine Biron": [("event", "mission-martine-biron-coree-du-sud-2025", None)],
    "Mission of minister Christopher Skeete": [("event", "mission-christopher-skeete-coree-du-sud", None)],
    "31st Conférence de Montréal": [("event", "31e-conference-de-montreal", None)],
    "CINARS Biennale": [("event", "biennale-cinars-2024", None)],
    "151 Korean firefighters": [
        (
            "update",
            "pompiers-coreens-feux-de-foret-quebec",
            "https://world.kbs.co.kr/service/news_view.htm?lang=f&Seq_Code=82813",
        )
    ],
    "22nd World Energy Congress": [("event", "22e-congres-mondial-energie-daegu", MRIF)],
    "Mission of Québec's chief scientist": [("event", "mission-scientifique-en-chef-songdo", MRIF)],
    "2010 ministerial mission": [
        (
            "update",
            "mission-ministerielle-coree-du-sud-2010",
            "https://www.mrif.gouv.qc.ca/fr/salle-de-presse/actualites/7766",
        )
    ],
    "Third Québec–South Korea call": [
        (
            "event",
            "cloture-troisieme-appel-projets-quebec-coree",
            "https://www.quebec.ca/gouvernement/relations-internationales/appels-projets-international/quebec-coree-du-sud",
        )
    ],
    "Québec's office in Seoul opened in 1991": [
        ("update", "ouverture-representation-quebec-seoul", YONHAP),
        ("update", "antenne-quebec-seoul-devient-bureau", YONHAP),
        ("update", "representation-quebec-seoul-30-ans", YONHAP),
    ],
    "The office was called": [("update", "antenne-quebec-seoul-devient-bureau", None)],
    'Named "Délégation du Québec à Séoul"': [("update", "delegation-du-quebec-a-seoul", None)],
    "Korean name of the office": [("update", "delegation-du-quebec-a-seoul", OFFICE_KO)],
    "Consulate general of the Republic of Korea": [
        ("update", "ouverture-consulat-general-coree-montreal", MRIF),
        ("organization", "Consulat général de la République de Corée à Montréal", MRIF),
    ],
    "Green Cross": [
        ("key_figure", "Investissement de Green Cross au Québec, période 2010-2017 (plus de)", MRIF),
        ("organization", "Green Cross", MRIF),
    ],
    "The Republic of Korea admitted as an observer": [
        ("update", "coree-du-sud-observateur-oif", "http://francophonie.or.kr/?p=8042")
    ],
    "More than 50,000 people learn French": [
        ("key_figure", "Personnes qui apprennent le français en Corée du Sud (plus de)", OFFICE_KO),
        ("update", "coree-du-sud-observateur-oif", OFFICE_KO),
    ],
    "CINARS has kept close ties": [
        ("event", "biennale-cinars-2024", "http://www.international.gouv.qc.ca/fr/seoul/actualites/19447"),
        ("organization", "CINARS", "http://www.international.gouv.qc.ca/fr/seoul/actualites/19447"),
    ],
    "Korea–Canada Year of Cultural Exchanges": [("event", "annee-echanges-culturels-coree-canada", None)],
}


def fact_rows():
    """The first cell of every row of the notes' tables (headers and rules left out)."""
    rows = []
    for line in FACTS.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] not in ("fact", "") and not set(cells[0]) <= set("-"):
            rows.append(cells[0])
    return rows


def find(kind, key):
    if kind == "agreement":
        return Agreement.objects.get(slug_fr=key)
    if kind == "event":
        return Event.objects.get(slug_fr=key)
    if kind == "update":
        return UpdatePage.objects.get(slug_fr=key)
    if kind == "organization":
        return Organization.objects.get(name_fr=key)
    return KeyFigure.objects.get(label_fr=key)


def page_url(kind, obj, language):
    with override(language):
        if kind in ("agreement", "event"):
            return obj.get_url_for_language(language)
        if kind == "update":
            return obj.get_url()
        if kind == "key_figure":
            return obj.area.get_url()
    return None


def visible(html):
    return html.replace("\u00a0", " ")


class DemoFactsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO(), skip_index=True)

    def setUp(self):
        if not FACTS.exists():  # the notes sit beside the repository in CI and on developers' machines
            pytest.skip(f"{FACTS.name} not found beside the repository")

    def test_every_row_of_the_notes_is_mapped_to_the_demo(self):
        rows = fact_rows()
        assert len(rows) == 27
        unmapped = [row for row in rows if not any(row.startswith(start) for start in ROWS)]
        assert unmapped == []
        unused = [start for start in ROWS if not any(row.startswith(start) for row in rows)]
        assert unused == []

    def test_every_fact_is_in_both_languages_with_its_source_shown_next_to_it(self):
        for start, places in ROWS.items():
            for kind, key, address in places:
                with self.subTest(fact=start, kind=kind, key=key):
                    obj = find(kind, key)
                    self.assert_translated(kind, obj)
                    self.assert_source(kind, obj, address)

    def assert_translated(self, kind, obj):
        field = {"organization": "name", "key_figure": "label"}.get(kind, "title")
        assert getattr(obj, f"{field}_fr") and getattr(obj, f"{field}_en")
        text = {"agreement": "summary", "event": "summary", "update": "intro", "organization": "description"}
        if kind in text:
            assert getattr(obj, f"{text[kind]}_fr") and getattr(obj, f"{text[kind]}_en")

    def assert_source(self, kind, obj, address):
        if kind == "key_figure":
            assert obj.source_name_fr and obj.source_name_en and obj.source_url == address
            titles = {"fr": [obj.source_name_fr], "en": [obj.source_name_en]}
        else:
            sources = list(obj.sources.all())
            assert sources, "no source"
            assert all(source.title_fr and source.title_en for source in sources)
            if address:
                assert address in [source.url for source in sources]
            titles = {
                language: [getattr(s, f"title_{language}") for s in sources] for language in ("fr", "en")
            }
        for language in ("fr", "en"):
            url = page_url(kind, obj, language)
            if url is None:
                continue
            html = visible(self.client.get(url).content.decode())
            for title in titles[language]:
                assert escape(title.replace("\u00a0", " ")) in html, (language, title)
            if address:
                assert escape(address) in html, (language, address)

    def test_the_sources_dates_are_shown_where_the_notes_give_them(self):
        agreement = Agreement.objects.get(slug_fr="entente-recherche-innovation-quebec-daejeon")
        (source,) = agreement.sources.all()
        assert source.date == datetime.date(2025, 6, 11)
        html = visible(self.client.get(agreement.get_url_for_language("fr")).content.decode())
        assert '<time datetime="2025-06-11">11 juin 2025</time>' in html
        html = self.client.get(agreement.get_url_for_language("en")).content.decode()
        assert '<time datetime="2025-06-11">June 11, 2025</time>' in html

    def test_uncertain_details_are_left_out_or_said_uncertain(self):
        social = Agreement.objects.get(slug_fr="entente-securite-sociale-quebec-republique-de-coree")
        # The margin dates are most likely the order's and the entry into force: not entered as dates.
        assert social.order_in_council == "247-2017"
        assert social.order_in_council_date is None and social.in_force_on is None
        assert "sans certitude" in social.summary_fr and "not certain" in social.summary_en
        assert [body.name_fr for body in social.responsible_bodies.order_by("name_fr")] == [
            "Bureau des ententes de sécurité sociale de la Régie des rentes du Québec",
            "National Pension Service",
        ]
        daejeon = Agreement.objects.get(slug_fr="entente-recherche-innovation-quebec-daejeon")
        assert (daejeon.signed_on, daejeon.signed_precision) == (datetime.date(2025, 6, 1), "month")
        skeete = Event.objects.get(slug_fr="mission-christopher-skeete-coree-du-sud")
        assert skeete.start_date is None  # announced on 2026-02-11, its own dates not given

    def test_calendars_hold_every_event_known_to_the_day_and_each_add_to_calendar_answers(self):
        by_day = Event.objects.published().filter(date_precision="day", start_date__isnull=False)
        assert by_day.count() == 4  # Korea Week, the CINARS Biennale, the Biron mission, the call
        for url in ("/fr/flux/evenements.ics", "/en/feeds/events.ics"):
            response = self.client.get(url)
            assert response.status_code == 200
            calendar = icalendar.Calendar.from_ical(response.content)
            summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
            language = url[1:3]
            assert summaries == {getattr(event, f"title_{language}") for event in by_day}, url
        culture = icalendar.Calendar.from_ical(self.client.get("/en/feeds/events/culture.ics").content)
        assert "CINARS Biennale in Montréal, with Korean artists" in {
            str(event["SUMMARY"]) for event in culture.walk("VEVENT")
        }
        for event in by_day:
            for language in ("fr", "en"):
                html = self.client.get(event.get_url_for_language(language)).content.decode()
                link = re.search(r'href="([^"]+/ics/)" type="text/calendar"', html)
                assert link, (event.slug_fr, language)
                response = self.client.get(link.group(1))
                assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
        # Known only to the month: no day to put in a calendar, so no link.
        congress = Event.objects.get(slug_fr="22e-congres-mondial-energie-daegu")
        assert "/ics/" not in self.client.get(congress.get_url_for_language("fr")).content.decode()

    def test_a_second_run_creates_nothing_and_keeps_an_editors_choice_of_sources(self):
        agreement = Agreement.objects.get(slug_fr="entente-amitie-cooperation-quebec-seoul")
        agreement.sources.clear()
        agreement.save()
        out = StringIO()
        call_command("load_demo", stdout=out, skip_index=True)
        assert "created 0," in out.getvalue()
        assert not Agreement.objects.get(pk=agreement.pk).sources.exists()
