"""Lists that read only their rows' primary keys once their items' HTML is kept
(``relations.filters.kept_items``, ``ListedItem``), and the SQL the area pages and the event
lists use to stop at a list's end (``relations.models.in_area``, ``upcoming``, ``past``): the
same rows and the same HTML as reading every object, with fewer rows read.
"""

import datetime
import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from relations import cache as cache_module
from relations.filters import ListedItem, kept_items
from relations.models import Agreement, Event, UpdatePage, in_area
from tests import bulk, factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def body(response):
    """The page without what differs from one response to the next (the CSP nonce)."""
    assert response.status_code == 200
    return re.sub(r'nonce="[^"]*"', 'nonce=""', response.text)


def object_reads(queries, table):
    """The queries that read whole rows of ``table`` (not only their primary keys)."""
    return [
        query["sql"]
        for query in queries
        if f'FROM "{table}"' in query["sql"] and f'"{table}"."title_fr"' in query["sql"].split(" FROM ")[0]
    ]


def forget_items():
    """Forgets the kept HTML of the items only, as the least recently used would be."""
    values = cache_module._shared["values"]
    for key in [key for key in values if key[0] == "counts" and key[2] == "item"]:
        del values[key]


def test_a_list_shown_again_reads_only_primary_keys(client, tree):
    for number in range(3):
        factories.AgreementFactory(title_fr=f"Entente {number}", areas=[tree.economy])
        factories.EventFactory(
            title_fr=f"Foire {number}", start_date=TODAY + datetime.timedelta(days=number + 1), end_date=None
        )
    for url in ("/fr/", "/fr/economie/", "/fr/evenements/", "/fr/ententes/"):
        first = body(client.get(url))
        with CaptureQueriesContext(connection) as captured:
            again = body(client.get(url))
        assert again == first, url
        assert "Entente 2" in first or "Foire 2" in first, url
        assert object_reads(captured.captured_queries, "relations_agreement") == [], url
        assert object_reads(captured.captured_queries, "relations_event") == [], url


def test_items_forgotten_are_read_again_in_one_query_a_list(client, tree):
    for number in range(4):
        factories.EventFactory(
            title_fr=f"Foire {number}",
            start_date=TODAY + datetime.timedelta(days=number + 1),
            end_date=None,
            areas=[tree.economy],
        )
    first = body(client.get("/fr/economie/"))
    forget_items()
    with CaptureQueriesContext(connection) as captured:
        again = body(client.get("/fr/economie/"))
    assert again == first
    assert all(f"Foire {number}" in again for number in range(4))
    # The upcoming events, read again by their keys, once; the empty lists read nothing.
    assert len(object_reads(captured.captured_queries, "relations_event")) == 1


def test_an_item_unpublished_between_the_two_reads_is_left_out(tree):
    events = [
        factories.EventFactory(title_fr=f"Foire {n}", start_date=TODAY + datetime.timedelta(days=n + 1))
        for n in range(2)
    ]

    def upcoming():
        return Event.objects.published().upcoming()[:5]

    kept_items(("test",), upcoming)  # shown once: read as objects
    rows = kept_items(("test",), upcoming)
    assert all(isinstance(row, ListedItem) for row in rows)
    assert [row.pk for row in rows] == [event.pk for event in events]
    Event.objects.filter(pk=events[0].pk).update(live=False)
    assert rows[0].listed_object is None
    assert rows[1].title == "Foire 1"  # any attribute reads the object


def test_listed_items_keep_the_querysets_annotations(tree):
    agreement = factories.AgreementFactory(
        signed_on=datetime.date(2014, 9, 22), in_force_on=datetime.date(2015, 1, 1)
    )

    def register():
        return Agreement.objects.published().with_status().newest_signed_first()[:5]

    kept_items(("test",), register)
    (row,) = kept_items(("test",), register)
    assert isinstance(row, ListedItem)
    assert row.pk == agreement.pk
    assert row.current_status == "in_force"


def test_a_timeline_shown_again_reads_no_objects(client, tree):
    factories.TimelinePageFactory(parent=tree.home)
    factories.AgreementFactory(title_fr="Entente datée", signed_on=datetime.date(2016, 1, 1))
    factories.EventFactory(title_fr="Foire datée", start_date=datetime.date(2016, 2, 1))
    first = body(client.get("/fr/chronologie/"))
    with CaptureQueriesContext(connection) as captured:
        again = body(client.get("/fr/chronologie/"))
    assert again == first
    assert "Entente datée" in again and "Foire datée" in again
    assert object_reads(captured.captured_queries, "relations_agreement") == []
    assert object_reads(captured.captured_queries, "relations_event") == []


@pytest.mark.parametrize("share", ["large", "small"])
def test_an_area_gives_the_same_rows_by_either_sql(tree, share):
    """A large area is walked in the list's order (EXISTS), a small one joined; the same rows."""
    many = tree.economy if share == "large" else tree.culture
    # 60 agreements and 40 events (of which some past) in the economy, two agreements in culture.
    for model, rows in [
        (Agreement, bulk.bulk_agreements(60, areas=[tree.economy], prefix="e")),
        (Event, bulk.bulk_events(40, areas=[tree.economy], prefix="e")),
    ]:
        field = model._meta.get_field("areas")
        model.areas.through.objects.bulk_create(
            model.areas.through(**{field.m2m_field_name(): row, field.m2m_reverse_field_name(): tree.economy})
            for row in rows[3:]
        )
    bulk.bulk_agreements(2, areas=[tree.culture], prefix="c")
    cache_module.forget_shared_lookups()
    checks = [
        (Agreement.objects.published(), lambda qs: qs.newest_signed_first()),
        (Event.objects.published(), lambda qs: qs.past(TODAY + datetime.timedelta(days=100))),
        (Event.objects.published(), lambda qs: qs.upcoming(TODAY + datetime.timedelta(days=100))),
        (Event.objects.published().undated(), lambda qs: qs.order_by("title_fr")),
        (UpdatePage.objects.live(), lambda qs: qs.order_by("-date", "-pk")),
    ]
    for base, order in checks:
        walked = order(in_area(base, many, 11))[:11]
        joined = order(base.filter(areas=many))[:11]
        assert list(walked.values_list("pk", flat=True)) == list(joined.values_list("pk", flat=True))
    sql = str(in_area(Agreement.objects.published(), many, 11).query)
    assert ("EXISTS" in sql) is (share == "large")


def test_upcoming_and_past_are_the_plain_definitions(tree):
    running = factories.EventFactory(
        title_fr="Exposition longue",
        start_date=TODAY - datetime.timedelta(days=400),
        end_date=TODAY + datetime.timedelta(days=30),
    )
    ended = factories.EventFactory(
        title_fr="Finie",
        start_date=TODAY - datetime.timedelta(days=10),
        end_date=TODAY - datetime.timedelta(days=9),
    )
    soon = factories.EventFactory(title_fr="Bientôt", start_date=TODAY + datetime.timedelta(days=2))
    factories.EventFactory(title_fr="Sans date", start_date=None, end_date=None)
    upcoming = list(Event.objects.published().upcoming())
    assert upcoming == list(
        Event.objects.published().filter(last_day__gte=TODAY).order_by("start_date", "start_time", "pk")
    )
    assert upcoming == [running, soon]
    assert list(Event.objects.published().past()) == [ended]
    # What lets the database walk the index of start_date and stop at a list's end:
    assert '"start_date" >=' in str(Event.objects.upcoming().query)
    assert '"start_date" <' in str(Event.objects.past().query)


def test_an_earlier_running_event_published_later_is_upcoming(client, tree):
    factories.EventFactory(title_fr="Bientôt", start_date=TODAY + datetime.timedelta(days=2))
    assert "Bientôt" in client.get("/fr/").text  # the earliest start kept: in two days
    running = factories.EventFactory(
        title_fr="Exposition en cours",
        start_date=TODAY - datetime.timedelta(days=60),
        end_date=TODAY + datetime.timedelta(days=60),
        publish=False,
    )
    running.save_revision().publish()
    assert "Exposition en cours" in client.get("/fr/").text
    assert [event.title_fr for event in Event.objects.published().upcoming()] == [
        "Exposition en cours",
        "Bientôt",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/fr/flux/ententes.atom",
        "/fr/flux/evenements.atom",
        "/fr/flux/evenements.ics",
        "/api/v2/agreements/",
        "/api/v2/events/?lang=en",
        "/api/v2/agreements/?fields=title,areas&order=title_fr",
    ],
)
def test_feeds_and_the_api_shown_again_read_no_objects(client, tree, url):
    for number in range(3):
        factories.AgreementFactory(title_fr=f"Entente {number}", areas=[tree.economy])
        factories.EventFactory(
            title_fr=f"Foire {number}", start_date=TODAY + datetime.timedelta(days=number + 1), end_date=None
        )
    first = client.get(url)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url)
    assert again.status_code == first.status_code == 200
    assert again.content == first.content
    assert b"Entente 2" in first.content or b"Foire 2" in first.content or b"Fair" in first.content
    assert object_reads(captured.captured_queries, "relations_agreement") == []
    assert object_reads(captured.captured_queries, "relations_event") == []


def test_the_api_keeps_each_shape_of_an_item_apart(client, tree):
    factories.AgreementFactory(title_fr="Entente", title_en="Agreement", summary_fr="Résumé.")
    shapes = ["", "?lang=en", "?fields=_,title", "?fields=-summary", "?lang=en&fields=_,title"]
    first = {shape: client.get(f"/api/v2/agreements/{shape}").json()["items"][0] for shape in shapes}
    again = {shape: client.get(f"/api/v2/agreements/{shape}").json()["items"][0] for shape in shapes}
    assert again == first
    assert first[""]["title"] == "Entente" and first["?lang=en"]["title"] == "Agreement"
    assert "summary" not in first["?fields=_,title"] and "summary" not in first["?fields=-summary"]
    assert "summary" in first[""]
    assert first["?lang=en&fields=_,title"]["title"] == "Agreement"
