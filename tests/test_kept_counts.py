"""What the lists keep between requests (``relations.filters.kept_lookup`` and the ``item`` tag):
the counts of their filters, years and totals, and the HTML of their items. Kept until the next
publication, the next day or the next expiry, whichever comes first; never a stale count or item.
"""

import datetime

import pytest

from django.http import QueryDict
from django.template import Context, Template
from django.utils import timezone
from django.utils.translation import override

from relations import cache as cache_module
from relations.filters import events_page, filter_agreements, kept_rows
from relations.models import Agreement
from tests import factories

pytestmark = pytest.mark.django_db


def agreement_count(query=""):
    return filter_agreements(QueryDict(query), "fr").count


def kind_counts(query=""):
    return {
        value: count
        for value, _label, count, _selected in filter_agreements(QueryDict(query), "fr").facets["kind"]
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
    before = events_page(QueryDict(""), "fr", today=day - datetime.timedelta(days=1))
    assert before["upcoming_count"] == 1
    assert before["past_count"] == 0
    after = events_page(QueryDict(""), "fr", today=day + datetime.timedelta(days=1))
    assert after["upcoming_count"] == 0
    assert after["past_count"] == 1


def test_junk_filters_cannot_grow_what_a_worker_keeps(tree, monkeypatch):
    monkeypatch.setattr(cache_module, "SHARED_LOOKUP_MAX_ENTRIES", 20)
    factories.AgreementFactory()
    for number in range(60):
        filter_agreements(QueryDict(f"q=junk{number}"), "fr").facets  # noqa: B018 -- read to keep
    assert len(cache_module._shared["values"]) <= 20
    # The most recent ones are still there: a repeated query counts nothing again.
    assert (
        "counts",
        datetime.date.today(),
        "agreement-facets",
        "fr",
        (("q", "junk59"),),
    ) in cache_module._shared["values"]


def test_a_kept_item_is_the_include_it_replaces(tree, rf):
    agreement = factories.AgreementFactory(
        title_fr="Entente <b>culturelle</b>", summary_fr="Résumé & plus.", areas=[tree.culture]
    )
    event = factories.EventFactory(title_fr="Marché des arts", city_fr="Séoul", country="KR")
    update = factories.UpdatePageFactory(parent=tree.updates, title_fr="Nouvelle")
    figure = factories.KeyFigureFactory(label_fr="Commerce <i>total</i>", source_url="https://example.org/")
    request = rf.get("/fr/")
    with override("fr"):
        for kind, obj, options in [
            ("agreement", agreement, "level=3 show_summary=True"),
            ("event", event, "level=4 undated_section=True"),
            ("update", update, "level=2"),
            ("figure", figure, ""),
        ]:
            context = {"request": request, "obj": obj}
            kept = Template("{% load portal_tags %}{% item '" + kind + "' obj " + options + " %}")
            template_name = "key_figure" if kind == "figure" else f"{kind}_item"
            include = Template(
                "{% include 'includes/" + template_name + ".html' with " + kind + "=obj " + options + " %}"
            )
            expected = include.render(Context(context))
            assert kept.render(Context(context)) == expected  # rendered
            assert kept.render(Context(context)) == expected  # kept
            assert "&lt;b&gt;" in expected or kind != "agreement"


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


def test_a_preview_keeps_nothing(tree, rf):
    published = factories.AgreementFactory(title_fr="Titre publié")
    template = Template("{% load portal_tags %}{% item 'agreement' obj level=3 %}")
    draft = published.get_latest_revision_as_object()
    draft.title_fr = "Titre du brouillon"
    preview = rf.get("/admin/snippets/relations/agreement/preview/")
    preview.is_preview = True  # as Wagtail marks its previews
    with override("fr"):
        assert "Titre du brouillon" in template.render(Context({"request": preview, "obj": draft}))
        visitor = template.render(Context({"request": rf.get("/fr/"), "obj": type(published).objects.get()}))
    assert "Titre publié" in visitor
    assert "Titre du brouillon" not in visitor


def test_kept_sql_gives_what_the_queryset_gives(tree):
    factories.AgreementFactory(in_force_on=datetime.date(2015, 1, 1), signed_on=None)
    factories.AgreementFactory(in_force_on=datetime.date(2016, 1, 1), signed_on=datetime.date(2015, 6, 1))
    queryset = Agreement.objects.published().with_status().newest_signed_first()[:5]
    for _ in range(2):  # built, then kept
        kept = kept_rows(("test",), queryset)
        assert [(a.pk, a.current_status, a.title) for a in kept] == [
            (a.pk, a.current_status, a.title) for a in queryset
        ]


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
