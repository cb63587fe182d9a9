"""The "Relations" admin: menu, lists (columns, filters, search, ordering, export), edit forms with
both languages side by side, drafts, scheduling, locking, revisions and preview in each language."""

import csv
import datetime
import io
import re

import pytest
from bs4 import BeautifulSoup

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Revision

from relations.models import Agreement, Event, KeyFigure, Organization, Sector
from tests import factories
from tests.editorial import agreement_form_data, encode, event_form_data, page_form_data, snippet_url

pytestmark = pytest.mark.django_db

SNIPPETS = [Agreement, Event, Organization, KeyFigure, Sector]


def field_row_names(html):
    """The names of the translated inputs of each two-column row of the form."""
    soup = BeautifulSoup(html, "html.parser")
    rows = []
    for row in soup.select(".w-field-row"):
        names = [field["name"] for field in row.select("input[name], textarea[name], select[name]")]
        rows.append([name for name in names if re.fullmatch(r"[a-z_]+_(fr|en)", name)])
    return rows


# --------------------------------------------------------------------------------------
# Menu and lists
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("user_fixture", ["admin_user", "editor", "moderator"])
def test_relations_menu_lists_the_five_kinds_of_data(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Relations" in html
    for model in SNIPPETS:
        assert snippet_url(model, "list") in html
        assert client.get(snippet_url(model, "list")).status_code == 200


def test_admin_refuses_anonymous_visitors(client, tree):
    for model in SNIPPETS:
        response = client.get(snippet_url(model, "list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.fixture
def listed(tree):
    complete = factories.AgreementFactory(
        title_fr="Entente sur la mobilité des jeunes",
        title_en="Youth mobility agreement",
        reference_number="2017-001",
        in_force_on=datetime.date(2018, 1, 1),
        areas=[tree.economy],
    )
    untranslated = factories.AgreementFactory(
        title_fr="Entente en culture", title_en="", summary_en="", signed_on=datetime.date(2010, 5, 1)
    )
    draft = factories.AgreementFactory(title_fr="Entente en préparation", publish=False)
    return complete, untranslated, draft


def test_agreement_list_shows_status_dates_areas_and_translation(client, admin_user, listed):
    client.force_login(admin_user)
    html = client.get(snippet_url(Agreement, "list")).content.decode()
    for heading in ("Signée le", "En vigueur le", "Domaines", "Traduction", "Statut"):
        assert heading in html, heading
    assert "1er février 2017" in html  # the partial-date display of the signature
    assert "Économie et commerce" in html
    assert "Anglais manquant" in html and "Complète" in html
    assert "brouillon" in html and "publié" in html


def test_agreement_list_filters(client, admin_user, listed):
    complete, untranslated, draft = listed
    client.force_login(admin_user)
    url = snippet_url(Agreement, "list")

    html = client.get(url, {"translation": "missing"}).content.decode()
    assert untranslated.title_fr in html and complete.title_fr not in html

    html = client.get(url, {"translation": "complete"}).content.decode()
    assert complete.title_fr in html and untranslated.title_fr not in html

    html = client.get(url, {"live": "false"}).content.decode()
    assert draft.title_fr in html and complete.title_fr not in html

    html = client.get(url, {"areas": [complete.areas.get().pk]}).content.decode()
    assert complete.title_fr in html and untranslated.title_fr not in html

    html = client.get(url, {"signed_on_from": "2015-01-01"}).content.decode()
    assert complete.title_fr in html and untranslated.title_fr not in html


def test_agreement_list_search_in_both_languages_and_reference(client, admin_user, listed):
    complete, untranslated, _draft = listed
    client.force_login(admin_user)
    url = snippet_url(Agreement, "list")
    for query in ("mobilité", "Youth mobility", "2017-001"):
        html = client.get(url, {"q": query}).content.decode()
        assert complete.title_fr in html, query
        assert untranslated.title_fr not in html, query


def test_agreement_list_ordering(client, admin_user, listed):
    complete, untranslated, _draft = listed
    client.force_login(admin_user)
    url = snippet_url(Agreement, "list")
    html = client.get(url, {"ordering": "signed_on"}).content.decode()
    assert html.index(untranslated.title_fr) < html.index(complete.title_fr)
    html = client.get(url, {"ordering": "-signed_on"}).content.decode()
    assert html.index(complete.title_fr) < html.index(untranslated.title_fr)


def test_agreement_list_exports_csv_and_xlsx(client, admin_user, listed):
    complete, untranslated, _draft = listed
    client.force_login(admin_user)
    response = client.get(snippet_url(Agreement, "list"), {"export": "csv"})
    assert response.status_code == 200
    assert 'filename="agreements.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_reference = {row["Numéro de référence"]: row for row in rows}
    row = by_reference["2017-001"]
    assert row["Titre (français)"] == complete.title_fr
    assert row["Titre (anglais)"] == complete.title_en
    assert row["Domaines"] == "Économie et commerce"
    assert row["Traduction"] == "Complète"
    assert any(r["Traduction"].startswith("Anglais manquant") for r in rows)

    response = client.get(snippet_url(Agreement, "list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert 'filename="agreements.xlsx"' in response["Content-Disposition"]


@pytest.mark.parametrize("model", SNIPPETS)
def test_every_list_exports_and_filters_by_translation(client, admin_user, tree, model):
    factories.AgreementFactory(title_en="")
    factories.EventFactory(title_en="")
    factories.OrganizationFactory(name_en="")
    factories.KeyFigureFactory(label_en="")
    factories.SectorFactory(name_en="")
    client.force_login(admin_user)
    url = snippet_url(model, "list")
    assert client.get(url, {"export": "csv"}).status_code == 200
    assert client.get(url, {"translation": "missing"}).status_code == 200
    assert client.get(url, {"q": "1"}).status_code == 200


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", [Agreement, Event, KeyFigure])
def test_list_queries_do_not_grow_with_rows(client, admin_user, tree, model):
    factory = {
        Agreement: lambda: factories.AgreementFactory(areas=[tree.economy, tree.culture]),
        Event: lambda: factories.EventFactory(areas=[tree.economy]),
        KeyFigure: lambda: factories.KeyFigureFactory(area=tree.economy),
    }[model]
    client.force_login(admin_user)
    url = snippet_url(model, "list")
    for _ in range(2):
        factory()
    _list_queries(client, url)  # warm caches (content types, permissions)
    few = _list_queries(client, url)
    for _ in range(10):
        factory()
    _list_queries(client, url)  # the first request after a publication looks the site up again
    many = _list_queries(client, url)
    assert many == few


# --------------------------------------------------------------------------------------
# Edit forms: both languages side by side
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", SNIPPETS)
def test_snippet_forms_show_french_and_english_side_by_side(client, admin_user, tree, model):
    client.force_login(admin_user)
    html = client.get(snippet_url(model, "add")).content.decode()
    rows = field_row_names(html)
    first = {Agreement: "title", Event: "title", Organization: "name", KeyFigure: "label", Sector: "name"}[
        model
    ]
    assert [f"{first}_fr", f"{first}_en"] in rows


def test_agreement_form_has_every_translated_field_in_both_languages(client, admin_user, tree):
    client.force_login(admin_user)
    rows = field_row_names(client.get(snippet_url(Agreement, "add")).content.decode())
    for field in ("title", "slug", "summary", "text", "source_note"):
        assert [f"{field}_fr", f"{field}_en"] in rows, field


def test_event_form_has_every_translated_field_in_both_languages(client, admin_user, tree):
    client.force_login(admin_user)
    rows = field_row_names(client.get(snippet_url(Event, "add")).content.decode())
    for field in ("title", "slug", "summary", "text", "venue", "city", "recurrence_note"):
        assert [f"{field}_fr", f"{field}_en"] in rows, field


def test_page_forms_show_both_languages(client, admin_user, tree):
    client.force_login(admin_user)
    for page in (tree.home, tree.economy, tree.events):
        html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
        rows = field_row_names(html)
        assert ["title_fr", "title_en"] in rows
        assert ["intro_fr", "intro_en"] in rows
        assert 'name="slug_fr"' in html and 'name="slug_en"' in html
    html = client.get(reverse("wagtailadmin_pages:edit", args=[tree.economy.pk])).content.decode()
    assert 'id="body_fr"' in html and 'id="body_en"' in html  # StreamFields, one after the other


def test_page_settings_tab_has_a_review_date(client, admin_user, tree):
    client.force_login(admin_user)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[tree.economy.pk])).content.decode()
    assert 'name="review_by"' in html
    assert "Révision" in html


# --------------------------------------------------------------------------------------
# Drafts, publishing, scheduling, locking, revisions
# --------------------------------------------------------------------------------------


def test_a_draft_may_lack_its_french_title_but_publishing_refuses_it(client, admin_user, tree):
    client.force_login(admin_user)
    url = snippet_url(Event, "add")
    response = client.post(url, encode(event_form_data(title_fr="", title_en="")))
    assert response.status_code == 302
    draft = Event.objects.get()
    assert not draft.live and not draft.title_fr
    assert str(draft)  # the list and history need a label even without a title

    response = client.post(
        snippet_url(Event, "edit", draft.pk), encode(event_form_data(title_fr="", title_en=""), publish=True)
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.live


def test_snippet_edit_view_offers_scheduled_publishing(client, admin_user, tree):
    agreement = factories.AgreementFactory()
    client.force_login(admin_user)
    html = client.get(snippet_url(Agreement, "edit", agreement.pk)).content.decode()
    assert 'name="go_live_at"' in html and 'name="expire_at"' in html
    assert "schedule-publishing-dialog" in html


def test_scheduled_publishing_goes_live_with_publish_scheduled(client, admin_user, tree):
    client.force_login(admin_user)
    go_live = timezone.localtime() + datetime.timedelta(days=2)
    data = event_form_data(go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
    response = client.post(snippet_url(Event, "add"), encode(data, publish=True))
    assert response.status_code == 302
    event = Event.objects.get()
    assert not event.live
    assert event.approved_schedule
    revision = Revision.objects.get(approved_go_live_at__isnull=False)

    call_command("publish_scheduled")  # run every minute by cron: nothing is due yet
    event.refresh_from_db()
    assert not event.live

    # A minute after the chosen time, the cron job publishes it.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled")
    event.refresh_from_db()
    assert event.live


def test_expiry_unpublishes_with_publish_scheduled(tree):
    event = factories.EventFactory()
    event.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    event.save()
    call_command("publish_scheduled")
    event.refresh_from_db()
    assert not event.live and event.expired


def test_a_locked_agreement_cannot_be_changed_by_someone_else(client, moderator, editor, tree):
    agreement = factories.AgreementFactory(title_fr="Entente verrouillée")
    client.force_login(moderator)
    assert client.post(snippet_url(Agreement, "lock", agreement.pk)).status_code == 302
    agreement.refresh_from_db()
    assert agreement.locked and agreement.locked_by == moderator

    client.force_login(editor)
    response = client.post(
        snippet_url(Agreement, "edit", agreement.pk), encode(agreement_form_data(title_fr="Changé"))
    )
    assert response.status_code == 200
    agreement.refresh_from_db()
    assert agreement.title_fr == "Entente verrouillée"
    assert agreement.revisions.count() == 1
    # Editors cannot lock (the Moderators group can).
    assert client.post(snippet_url(Agreement, "unlock", agreement.pk)).status_code in (302, 403)
    agreement.refresh_from_db()
    assert agreement.locked


def test_revisions_can_be_compared_in_both_languages(client, admin_user, tree):
    client.force_login(admin_user)
    client.post(snippet_url(Agreement, "add"), encode(agreement_form_data(), publish=True))
    agreement = Agreement.objects.get()
    client.post(
        snippet_url(Agreement, "edit", agreement.pk),
        encode(agreement_form_data(title_fr="Titre changé", title_en="Changed title")),
    )
    first, second = agreement.revisions.order_by("pk")
    assert second.content["title_en"] == "Changed title"
    url = reverse(
        "wagtailsnippets_relations_agreement:revisions_compare", args=[agreement.pk, first.pk, second.pk]
    )
    html = client.get(url).content.decode()
    assert "Titre changé" in html and "Changed title" in html
    assert "titre [fr]" in html.lower() and "titre [en]" in html.lower()


def test_reverting_restores_both_languages(client, admin_user, tree):
    client.force_login(admin_user)
    client.post(snippet_url(Agreement, "add"), encode(agreement_form_data(), publish=True))
    agreement = Agreement.objects.get()
    first = agreement.latest_revision
    client.post(
        snippet_url(Agreement, "edit", agreement.pk),
        encode(agreement_form_data(title_fr="Autre", title_en="Other"), publish=True),
    )
    restored = first.as_object()
    assert restored.title_fr == "Entente de coopération en recherche"
    assert restored.title_en == "Research cooperation agreement"


# --------------------------------------------------------------------------------------
# Preview in each language
# --------------------------------------------------------------------------------------


def _preview(client, url, data, mode):
    response = client.post(url, data)
    assert response.status_code == 200 and response.json()["is_valid"], response.content[:500]
    return client.get(url, {"mode": mode})


@pytest.mark.parametrize("model", [Agreement, Event])
def test_snippet_preview_in_each_language(client, admin_user, tree, model):
    client.force_login(admin_user)
    form = agreement_form_data if model is Agreement else event_form_data
    data = encode(form(title_fr="Aperçu en français", title_en="Preview in English"))
    url = snippet_url(model, "preview_on_add")
    french = _preview(client, url, data, "fr")
    assert french.status_code == 200
    assert "Aperçu en français" in french.content.decode()
    english = _preview(client, url, data, "en")
    assert "Preview in English" in english.content.decode()
    assert "Aperçu en français" not in english.content.decode()


def test_page_preview_in_each_language_whatever_the_admin_language(client, admin_user, tree):
    client.force_login(admin_user)  # admin in French
    page = tree.economy
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    data = encode(page_form_data(page, title_fr="Économie (aperçu)", title_en="Economy (preview)"))
    english = _preview(client, url, data, "en").content.decode()
    assert "Economy (preview)" in english and 'lang="en"' in english
    french = _preview(client, url, data, "fr").content.decode()
    assert "Économie (aperçu)" in french and 'lang="fr"' in french


def test_index_page_preview_in_each_language(client, admin_user, tree):
    client.force_login(admin_user)
    page = tree.events
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    data = encode(page_form_data(page, title_fr="Agenda (aperçu)", title_en="Calendar (preview)"))
    assert "Calendar (preview)" in _preview(client, url, data, "en").content.decode()
    assert "Agenda (aperçu)" in _preview(client, url, data, "fr").content.decode()
    korean = encode(page_form_data(page, title_fr="Agenda", title_ko="행사 (미리 보기)"))
    assert "행사 (미리 보기)" in _preview(client, url, korean, "ko").content.decode()


def test_pages_offer_a_preview_mode_per_language(tree):
    assert [code for code, _label in tree.economy.preview_modes] == ["fr", "en", "ko"]
    assert tree.economy.default_preview_mode == "fr"
