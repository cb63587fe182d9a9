"""What treaty registers show: place of signature, order in council with its date, responsible
bodies, dated steps and sources; status labels that agree with the kind in French; sub-national
kinds; month- or year-only events never filed as past or upcoming by a guess."""

import datetime

import pytest

from django.utils.translation import override

from relations.core.dates import DatePrecision
from relations.listings.events import events_page
from relations.models import Agreement, Event, FigureUnit, Source
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "dates", "french", "english"),
    [
        ("canadian", {"ratified_on": datetime.date(2016, 12, 1)}, "Ratifié", "Ratified"),
        ("canadian", {"signed_on": datetime.date(2023, 5, 23)}, "Signé", "Signed"),
        ("institutional", {"signed_on": datetime.date(2017, 2, 1)}, "Signée", "Signed"),
        ("subnational", {"signed_on": datetime.date(2024, 8, 22)}, "Signée", "Signed"),
        (
            "international",
            {"signed_on": datetime.date(2000, 1, 1), "ended_on": datetime.date(2001, 1, 1)},
            "Terminée",
            "Ended",
        ),
    ],
)
def test_french_status_agrees_with_the_kind(kind, dates, french, english):
    agreement = Agreement(kind=kind, title_fr="Entente", **dates)
    with override("fr"):
        assert str(agreement.status_label) == french
    with override("en"):
        assert str(agreement.status_label) == english


def test_register_lists_parties_and_status_in_agreement_with_the_kind(client, tree):
    canada = factories.OrganizationFactory(name_fr="Gouvernement du Canada", name_en="Government of Canada")
    seoul = factories.OrganizationFactory(
        name_fr="Gouvernement métropolitain de Séoul",
        name_en="Seoul Metropolitan Government",
        kind="subnational_government",
    )
    factories.AgreementFactory(
        title_fr="Accord canadien ratifié",
        kind="canadian",
        signed_on=None,
        ratified_on=datetime.date(2016, 12, 1),
        parties=[canada],
    )
    factories.AgreementFactory(title_fr="Entente avec Séoul", kind="subnational", parties=[seoul])
    html = client.get("/fr/ententes/").content.decode()
    assert 'Accord canadien</span> <span class="status status--ratified">Ratifié<' in html
    assert (
        'Entente avec un gouvernement infranational</span> <span class="status status--signed">Signée<'
        in html
    )
    assert "Parties :" in html.replace("\u00a0", " ") and "Gouvernement métropolitain de Séoul" in html
    english = client.get("/en/agreements/").content.decode()
    assert (
        "Agreement with a sub-national government" in english and "Seoul Metropolitan Government" in english
    )


def test_agreement_page_shows_the_treaty_register_fields_steps_and_sources(client, tree):
    bureau = factories.OrganizationFactory(name_fr="Bureau de liaison", name_en="Liaison bureau")
    source = Source.objects.create(
        title_fr="Communiqué de la signature",
        title_en="Signature release",
        url="https://example.org/release",
        date=datetime.date(2015, 11, 24),
    )
    agreement = factories.AgreementFactory(
        title_fr="Entente de sécurité sociale",
        title_en="Social security agreement",
        kind="international",
        signed_on=datetime.date(2015, 11, 24),
        signed_at_fr="Québec",
        signed_at_en="Québec City",
        in_force_on=datetime.date(2017, 9, 1),
        order_in_council="247-2017",
        order_in_council_date=datetime.date(2017, 3, 22),
    )
    agreement.responsible_bodies.set([bureau])
    agreement.sources.set([source])
    agreement.save_revision().publish()
    french = client.get(agreement.get_url_for_language("fr")).content.decode().replace("\u00a0", " ")
    assert "Lieu de signature" in french and ">Québec<" in french
    assert "Nº 247-2017 du 22 mars 2017" in french
    assert "Organismes responsables" in french and "Bureau de liaison" in french
    steps = french[french.index("Étapes") :]
    assert steps.index("Signature") < steps.index("Entrée en vigueur")
    assert '<time datetime="2015-11-24">24 novembre 2015</time>' in steps
    assert '<time datetime="2017-09-01">1er septembre 2017</time>' in steps
    assert "<cite>Communiqué de la signature</cite>" in french and "https://example.org/release" in french
    english = client.get(agreement.get_url_for_language("en")).content.decode()
    assert "Place of signature" in english and "Québec City" in english
    assert "No. 247-2017 of March 22, 2017" in english
    assert (
        "<cite>Signature release</cite>" in english
        and '<time datetime="2015-11-24">November 24, 2015</time>' in english
    )


def test_updates_and_events_show_their_sources(client, tree):
    source = Source.objects.create(
        title_fr="Page du ministère", title_en="Ministry page", url="https://example.org/m"
    )
    event = factories.EventFactory(
        title_fr="Congrès", start_date=datetime.date(2013, 10, 1), date_precision=DatePrecision.MONTH
    )
    event.sources.set([source])
    event.save_revision().publish()
    html = client.get(event.get_url_for_language("en")).content.decode()
    assert '<cite>Ministry page</cite>, <a class="source__url" href="https://example.org/m">' in html
    update = factories.UpdatePageFactory(
        parent=tree.updates,
        title_fr="Ouverture",
        title_en="Opening",
        date=datetime.date(1991, 1, 1),
        date_precision=DatePrecision.YEAR,
    )
    update.sources.set([source])
    update.save_revision().publish()
    with override("fr"):
        html = client.get(update.get_url()).content.decode()
    assert "<cite>Page du ministère</cite>" in html


def test_a_month_only_event_is_neither_upcoming_nor_past_while_its_month_runs(tree):
    this_month = factories.EventFactory(
        title_fr="Mission de juin", start_date=datetime.date(2026, 6, 1), date_precision=DatePrecision.MONTH
    )
    later = factories.EventFactory(
        title_fr="Mission de juillet",
        start_date=datetime.date(2026, 7, 1),
        date_precision=DatePrecision.MONTH,
    )
    earlier = factories.EventFactory(
        title_fr="Mission de mai", start_date=datetime.date(2026, 5, 1), date_precision=DatePrecision.MONTH
    )
    today = datetime.date(2026, 6, 15)
    published = Event.objects.published()
    assert list(published.upcoming(today)) == [later]
    assert list(published.past(today)) == [earlier]
    assert list(published.undated(today)) == [this_month]
    context = events_page({}, "fr", [], today=today)
    assert (context["upcoming_count"], context["undated_count"], context["past_count"]) == (1, 1, 1)
    assert [event.pk for event in context["undated_events"]] == [this_month.pk]
    # Once its month is over, it is past: that is no guess.
    assert this_month in list(published.past(datetime.date(2026, 7, 1)))


def test_millions_of_canadian_dollars_read_as_visitors_expect():
    figure = factories.KeyFigureFactory.build(value="275", unit=FigureUnit.CAD_MILLION)
    assert figure.formatted_value("fr") == "275\u00a0millions\u00a0$"
    assert figure.formatted_value("en") == "$275\u00a0million"


def test_editors_have_a_sources_list_and_the_new_fields_in_the_agreement_form(admin_client, tree):
    Source.objects.create(title_fr="Une source", title_en="A source")
    assert "Une source" in admin_client.get("/admin/snippets/relations/source/").content.decode()
    agreement = factories.AgreementFactory()
    form = admin_client.get(f"/admin/snippets/relations/agreement/edit/{agreement.pk}/").content.decode()
    for name in ("signed_at_fr", "order_in_council_date", "responsible_bodies", "sources"):
        assert f'name="{name}"' in form, name


def test_the_api_status_label_agrees_with_the_kind_in_french(client, tree):
    accord = factories.AgreementFactory(
        kind="canadian", signed_on=None, ratified_on=datetime.date(2016, 12, 1), title_fr="Accord STI"
    )
    entente = factories.AgreementFactory(kind="institutional", title_fr="Entente CRIAQ")
    assert client.get(f"/api/v2/agreements/{accord.pk}/?lang=fr").json()["status_label"] == "Ratifié"
    assert client.get(f"/api/v2/agreements/{entente.pk}/?lang=fr").json()["status_label"] == "Signée"
    assert client.get(f"/api/v2/agreements/{accord.pk}/?lang=en").json()["status_label"] == "Ratified"
