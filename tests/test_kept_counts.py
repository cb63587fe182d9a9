"""What the lists keep between requests (``relations.listings.kept.kept_lookup``): the counts of
their filters, years and totals. Kept until the next publication, the next day or the next
expiry, whichever comes first; never a stale count or item.
"""

import datetime

import pytest

from django.http import QueryDict
from django.utils import timezone

from relations.core import caching as cache_module
from relations.listings.events import events_page
from relations.listings.register import filter_agreements
from relations.models import live_areas
from tests import factories

pytestmark = pytest.mark.django_db


def agreement_count(query=""):
    return filter_agreements(QueryDict(query), "fr", live_areas()).count


def kind_counts(query=""):
    return {
        value: count
        for value, _label, count, _selected in filter_agreements(QueryDict(query), "fr", live_areas()).facets[
            "kind"
        ]
    }


def test_counts_are_kept_until_a_publication(tree):
    factories.AgreementFactory(kind="institutional")
    draft = factories.AgreementFactory(kind="institutional", publish=False)
    assert agreement_count() == 1
    assert kind_counts()["institutional"] == 1
    # Made live behind Wagtail's back (no publication): the kept counts do not see it...
    type(draft).objects.filter(pk=draft.pk).update(live=True)
    assert agreement_count() == 1
    # ...until something is published: every process counts again.
    factories.AgreementFactory(kind="canadian").save_revision().publish()
    assert agreement_count() == 3
    assert kind_counts()["institutional"] == 2
    assert kind_counts()["canadian"] == 1


def test_counts_are_counted_again_when_an_item_expires(tree, monkeypatch):
    now = timezone.now()
    factories.AgreementFactory(kind="institutional")
    expiring = factories.AgreementFactory(kind="institutional")
    type(expiring).objects.filter(pk=expiring.pk).update(expire_at=now + datetime.timedelta(hours=1))
    cache_module.forget_shared_lookups()
    assert agreement_count() == 2
    assert kind_counts()["institutional"] == 2
    # An hour later, before publish_scheduled has unpublished it: no purge, yet the counts follow.
    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(hours=2))
    assert agreement_count() == 1
    assert kind_counts()["institutional"] == 1


def test_the_events_sections_are_counted_for_each_day(tree):
    day = datetime.date(2030, 5, 10)
    factories.EventFactory(start_date=day, end_date=None)
    before = events_page(QueryDict(""), "fr", live_areas(), today=day - datetime.timedelta(days=1))
    assert before["upcoming_count"] == 1
    assert before["past_count"] == 0
    after = events_page(QueryDict(""), "fr", live_areas(), today=day + datetime.timedelta(days=1))
    assert after["upcoming_count"] == 0
    assert after["past_count"] == 1


def test_junk_filters_cannot_grow_what_a_worker_keeps(tree, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(cache_module, "SHARED_LOOKUP_MAX_ENTRIES", 20)
    factories.AgreementFactory()
    for number in range(60):
        filter_agreements(QueryDict(f"q=junk{number}"), "fr", live_areas()).facets  # noqa: B018 -- read to keep
    # The most recent filters are still kept: their facets count nothing again...
    with django_assert_num_queries(0):
        filter_agreements(QueryDict("q=junk59"), "fr", live_areas()).facets  # noqa: B018
    # ...while the first ones were forgotten (four facets counted again), not kept for ever.
    with django_assert_num_queries(4):
        filter_agreements(QueryDict("q=junk0"), "fr", live_areas()).facets  # noqa: B018


def test_a_published_change_shows_in_the_lists(client, tree):
    agreement = factories.AgreementFactory(title_fr="Titre d’avant", areas=[tree.economy])
    for url in ("/fr/ententes/", "/fr/economie/"):
        assert "Titre d’avant" in client.get(url).text
    agreement.title_fr = "Titre d’après"
    agreement.save_revision().publish()
    for url in ("/fr/ententes/", "/fr/economie/"):
        page = client.get(url).text
        assert "Titre d’après" in page
        assert "Titre d’avant" not in page


def test_a_saved_key_figure_shows_on_the_home_page(client, tree):
    figure = factories.KeyFigureFactory(value="2.1", show_on_home=True)
    assert "2,1" in client.get("/fr/").text
    figure.value = "3.4"
    figure.save()  # key figures have no drafts: saving is publishing
    page = client.get("/fr/").text
    assert "3,4" in page
    assert "2,1" not in page


def test_an_item_leaves_the_home_page_when_it_expires(client, tree, monkeypatch):
    now = timezone.now()
    soon = datetime.date.today() + datetime.timedelta(days=30)
    event = factories.EventFactory(title_fr="Marché qui expire", start_date=soon, end_date=None)
    type(event).objects.filter(pk=event.pk).update(expire_at=now + datetime.timedelta(hours=1))
    cache_module.forget_shared_lookups()
    assert "Marché qui expire" in client.get("/fr/").text
    # An hour later, before publish_scheduled has unpublished it: no purge, yet it is gone.
    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(hours=2))
    assert "Marché qui expire" not in client.get("/fr/").text


def test_a_list_and_its_pages_keep_their_sql_apart(client, tree):
    soon = datetime.date.today() + datetime.timedelta(days=10)
    for number in range(3):
        factories.EventFactory(title_fr=f"Événement à venir {number}", start_date=soon, end_date=None)
    # The overview's first upcoming events, then the same section alone, then its second page.
    assert "Événement à venir 2" in client.get("/fr/evenements/").text
    for url in ("/fr/evenements/?show=upcoming", "/fr/evenements/?show=upcoming&page=2"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Événement à venir 0" in response.text
