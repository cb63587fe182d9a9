"""Every output follows its specification, checked with tools nobody here wrote.

- HTML: the W3C Nu HTML checker (npm ``vnu-jar``, pinned in ``tests/validators/``, run by Java)
  over every public page type in both languages, in one Java run (it takes seconds to start).
  Locally the test is skipped when Java or the jar is missing; in CI (``CI=true``) it fails.
- Atom (RFC 4287): the elements it requires, read from the XML itself (feedparser is lenient: it
  accepts a feed without ``atom:author``, which the W3C validator rejects).
- iCalendar (RFC 5545, RFC 7986): read by two parsers, ``icalendar`` and ``vobject``.
- Conditional requests: an ETag, and a 304 to ``If-None-Match``, on feeds, calendars and the API.

Set up the checker with ``npm ci --prefix tests/validators --ignore-scripts`` and Debian's
``default-jre-headless``, as ``.ci/run`` does.
"""

import datetime
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import vobject
from icalendar import Calendar

from django.conf import settings
from django.core.management import call_command
from django.utils.http import http_date

from relations.core.dates import DatePrecision
from relations.models import Agreement, Event, UpdatePage
from tests import factories

pytestmark = pytest.mark.django_db

VNU_JAR = (
    Path(settings.BASE_DIR)
    / "tests"
    / "validators"
    / "node_modules"
    / "vnu-jar"
    / "build"
    / "dist"
    / "vnu.jar"
)


def require(available, reason):
    """Skips with ``reason`` when a tool is missing, except in CI, where a missing tool fails."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run this check)")
    pytest.skip(reason)


@pytest.fixture
def demo(db):
    """The demo content: every page type with real text, charts and key figures included."""
    call_command("load_demo", verbosity=0)


def public_pages(client):
    """``{name: path}`` for every public page type, in French and in English."""
    agreement = Agreement.objects.get(slug_fr="accord-de-libre-echange-canada-coree")
    event = Event.objects.filter(start_date__isnull=False).order_by("start_date").first()
    update = UpdatePage.objects.live().order_by("-date").first()
    paths = {}
    for language in ("fr", "en"):
        fr = language == "fr"
        paths |= {
            f"home-{language}": f"/{language}/",
            f"area-{language}": "/fr/economie/" if fr else "/en/economy/",
            f"standard-{language}": "/fr/a-propos/" if fr else "/en/about/",
            f"contact-{language}": "/fr/nous-joindre/" if fr else "/en/contact/",
            f"agreements-{language}": "/fr/ententes/" if fr else "/en/agreements/",
            f"agreements-filtered-{language}": ("/fr/ententes/" if fr else "/en/agreements/")
            + "?status=in_force&signed_after=x",
            f"agreement-{language}": agreement.get_url_for_language(language),
            f"events-{language}": "/fr/evenements/" if fr else "/en/events/",
            f"event-{language}": event.get_url_for_language(language),
            f"updates-{language}": "/fr/actualites/" if fr else "/en/updates/",
            f"update-{language}": f"/fr/actualites/{update.slug_fr}/"
            if fr
            else f"/en/updates/{update.slug_en}/",
            f"timeline-{language}": "/fr/chronologie/" if fr else "/en/timeline/",
            f"search-{language}": f"/{language}/search/?q=culture",
            f"not-found-{language}": f"/{language}/nothing-here/",
        }
    return paths


def test_every_public_page_type_passes_the_nu_html_checker(client, demo, tmp_path):
    java = shutil.which("java")
    require(java, "java is missing (apt-get install default-jre-headless)")
    require(VNU_JAR.is_file(), f"{VNU_JAR} is missing (npm ci --prefix tests/validators --ignore-scripts)")
    files = []
    for name, path in public_pages(client).items():
        response = client.get(path)
        expected = 404 if name.startswith("not-found") else 200
        assert response.status_code == expected, f"{name}: {path} answered {response.status_code}"
        if name.startswith("search"):
            assert '<li class="result"' in response.text, "the search shows results"
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    run = subprocess.run(  # noqa: S603 -- a fixed command on files this test wrote
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]
    assert errors == [], "\n".join(errors)
    assert len(files) == 28


# --------------------------------------------------------------------------------------
# Atom (RFC 4287)
# --------------------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
TODAY = datetime.date.today()
FEEDS = [
    "/fr/flux/actualites.atom",
    "/en/feeds/updates.atom",
    "/fr/flux/ententes.atom",
    "/en/feeds/agreements.atom",
    "/fr/flux/evenements.atom",
    "/en/feeds/events.atom",
    "/fr/flux/ententes/economie.atom",
    "/en/feeds/events/economy.atom",
]
CALENDARS = ["/fr/flux/evenements.ics", "/en/feeds/events.ics", "/fr/flux/evenements/culture.ics"]


@pytest.fixture
def outputs(tree):
    """An item of each kind, in the economy area; nothing in culture."""
    agreement = factories.AgreementFactory(
        title_fr="Entente de recherche",
        title_en="Research agreement",
        signed_on=datetime.date(2017, 2, 1),
        signed_precision=DatePrecision.MONTH,
        summary_fr="Première ligne.\nDeuxième ligne.",
        summary_en="First line.\nSecond line.",
        areas=[tree.economy],
    )
    all_day = factories.EventFactory(
        title_fr="Festival",
        start_date=TODAY + datetime.timedelta(days=10),
        end_date=TODAY + datetime.timedelta(days=12),
        areas=[tree.economy],
    )
    timed = factories.EventFactory(
        title_fr="Conférence",
        start_date=TODAY + datetime.timedelta(days=20),
        start_time=datetime.time(19, 30),
        end_time=datetime.time(21, 0),
        all_day=False,
        areas=[tree.economy],
    )
    update = factories.UpdatePageFactory(
        parent=tree.updates,
        title_fr="Une actualité",
        intro_fr="Un paragraphe.\n\nUn autre.",
        areas=[tree.economy],
    )
    return {"tree": tree, "agreement": agreement, "all_day": all_day, "timed": timed, "update": update}


def atom(content):
    return ET.fromstring(content)  # noqa: S314 - our own feeds


def atom_problems(xml):
    """What RFC 4287 requires of a feed and its entries that ``xml`` lacks (4.1.1, 4.1.2)."""
    feed = atom(xml)
    problems = []
    if feed.tag != f"{ATOM}feed":
        return [f"the root is {feed.tag}"]
    for name in ("id", "title", "updated"):
        if len(feed.findall(f"{ATOM}{name}")) != 1:
            problems.append(f"feed: one atom:{name}")
    if feed.find(f"{ATOM}link[@rel='self']") is None:
        problems.append("feed: a self link")
    entries = feed.findall(f"{ATOM}entry")
    feed_author = feed.find(f"{ATOM}author/{ATOM}name")
    for number, entry in enumerate(entries):
        for name in ("id", "title", "updated"):
            if len(entry.findall(f"{ATOM}{name}")) != 1:
                problems.append(f"entry {number}: one atom:{name}")
        if entry.find(f"{ATOM}content") is None and entry.find(f"{ATOM}link[@rel='alternate']") is None:
            problems.append(f"entry {number}: a content or an alternate link")
        if feed_author is None and entry.find(f"{ATOM}author/{ATOM}name") is None:
            problems.append(f"entry {number}: an author (none for the feed either)")
    if feed_author is None or not (feed_author.text or "").strip():
        problems.append("feed: atom:author with a name")
    return problems


def test_every_atom_feed_has_what_rfc_4287_requires(client, outputs):
    for url in [*FEEDS, "/fr/flux/actualites/culture.atom"]:  # the last one is empty
        response = client.get(url)
        assert response.status_code == 200, url
        assert atom_problems(response.content) == [], url
    author = atom(client.get("/en/feeds/updates.atom").content).find(f"{ATOM}author/{ATOM}name")
    assert author.text == "Québec Government Office in Seoul"


def summary(client, url):
    entry = atom(client.get(url).content).find(f"{ATOM}entry")
    element = entry.find(f"{ATOM}summary")
    assert element.get("type") == "html"
    return element.text


def test_summaries_keep_their_line_breaks(client, outputs):
    assert "Première ligne.<br>Deuxième ligne." in summary(client, "/fr/flux/ententes.atom")
    assert "<p>Un paragraphe.</p>" in summary(client, "/fr/flux/actualites.atom")
    assert "<p>Un autre.</p>" in summary(client, "/fr/flux/actualites.atom")


def test_dates_known_to_the_month_read_in_that_month(client, outputs):
    french = summary(client, "/fr/flux/ententes.atom")
    english = summary(client, "/en/feeds/agreements.atom")
    assert "signature en février 2017" in french and " le février" not in french
    assert "signed in February 2017" in english and "on February 2017" not in english
    Agreement.objects.filter(pk=outputs["agreement"].pk).update(
        signed_on=datetime.date(2017, 2, 3), signed_precision=DatePrecision.DAY
    )
    assert "signature le 3 février 2017" in summary(client, "/fr/flux/ententes.atom")
    assert "signed on February 3, 2017" in summary(client, "/en/feeds/agreements.atom")


# --------------------------------------------------------------------------------------
# iCalendar (RFC 5545, RFC 7986), read by two parsers
# --------------------------------------------------------------------------------------


def parsed(content):
    """The calendar as icalendar and as vobject read it; both must accept it."""
    text = content.decode("utf-8")
    return Calendar.from_ical(text), vobject.readOne(text)


def test_subscribed_calendars_say_how_often_to_refresh_and_no_method(client, outputs):
    for url in CALENDARS:
        response = client.get(url)
        assert response.status_code == 200, url
        cal, other = parsed(response.content)
        assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.content, url
        assert other.contents["refresh-interval"][0].params["VALUE"] == ["DURATION"]
        assert str(cal["X-PUBLISHED-TTL"]) == "PT1H"
        # METHOD:PUBLISH would need an ORGANIZER (RFC 5546): none, and no METHOD.
        assert "METHOD" not in cal and "method" not in other.contents, url


def test_all_day_events_are_transparent_and_timed_ones_not(client, outputs):
    cal, other = parsed(client.get("/fr/flux/evenements.ics").content)
    by_uid = {str(event["UID"]): event for event in cal.walk("VEVENT")}
    all_day = by_uid[f"event-{outputs['all_day'].pk}@quebec-coree.portal"]
    timed = by_uid[f"event-{outputs['timed'].pk}@quebec-coree.portal"]
    assert str(all_day["TRANSP"]) == "TRANSPARENT"
    assert str(timed.get("TRANSP", "OPAQUE")) == "OPAQUE"
    assert len(other.vevent_list) == 2
    assert {event.dtstart.value for event in other.vevent_list} >= {outputs["all_day"].start_date}


def test_a_single_events_download_has_no_subscription_properties(client, outputs):
    event = outputs["timed"]
    response = client.get(f"/fr/evenements/{event.slug_fr}/ics/")
    assert response.status_code == 200
    cal, other = parsed(response.content)
    for name in ("REFRESH-INTERVAL", "X-PUBLISHED-TTL", "NAME", "X-WR-CALNAME", "UID", "METHOD"):
        assert name not in cal, name
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Conférence"]
    assert other.vevent.summary.value == "Conférence"
    assert other.vtimezone.tzid.value == "Asia/Seoul"


def test_a_calendar_with_no_event_stays_valid(client, outputs):
    """RFC 5545 wants at least one component in a calendar: the portal's zone stands in."""
    response = client.get("/fr/flux/evenements/culture.ics")
    cal, other = parsed(response.content)
    assert cal.walk("VEVENT") == [] and not hasattr(other, "vevent")
    assert [str(zone["TZID"]) for zone in cal.walk("VTIMEZONE")] == [settings.TIME_ZONE]
    assert b"BEGIN:VTIMEZONE" in response.content


# --------------------------------------------------------------------------------------
# Conditional requests
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [*FEEDS[:2], *CALENDARS[:2], "/api/v2/agreements/", "/api/v2/events/?lang=en"]
)
def test_a_client_that_has_the_current_version_gets_304(client, outputs, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


@pytest.mark.parametrize("url", ["/fr/flux/ententes.atom", "/fr/flux/evenements.ics"])
def test_a_withdrawn_item_is_never_answered_by_304(client, outputs, url):
    """No ``Last-Modified``: the newest item's date stays when another one is withdrawn, and
    ``If-Modified-Since`` would then hide the withdrawal. The ETag changes with the body."""
    first = client.get(url)
    assert "Last-Modified" not in first
    withdrawn = outputs["agreement"] if url.endswith(".atom") else outputs["all_day"]
    withdrawn.unpublish()
    again = client.get(url, headers={"If-None-Match": first["ETag"], "If-Modified-Since": http_date()})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
