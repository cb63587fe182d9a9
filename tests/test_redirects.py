"""A page's old French and English URLs redirect after a slug change, whatever the admin language."""

import pytest

from django.urls import reverse
from django.utils.translation import override

from wagtail.contrib.redirects.models import Redirect

from tests import factories
from tests.editorial import encode, make_user, page_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(tree):
    return factories.StandardPageFactory(
        parent=tree.economy,
        title_fr="Missions commerciales",
        title_en="Trade missions",
        slug_fr="missions",
        slug_en="missions-en",
    )


def _publish(page, language="fr", **changes):
    """Publish changes the way the admin does, with ``language`` active (the admin's language)."""
    with override(language):
        for field, value in changes.items():
            setattr(page, field, value)
        page.save_revision().publish()
    page.refresh_from_db()


def _redirects():
    return {redirect.old_path: redirect.redirect_page_id for redirect in Redirect.objects.all()}


@pytest.mark.parametrize("admin_language", ["fr", "en"])
def test_changing_the_english_slug_redirects_the_old_english_url(client, tree, child, admin_language):
    _publish(tree.economy, admin_language, slug_en="economy-and-trade")
    redirects = _redirects()
    assert redirects["/en/economy"] == tree.economy.pk
    assert redirects["/en/economy/missions-en"] == child.pk
    assert "/fr/economie" not in redirects

    response = client.get("/en/economy/")
    assert response.status_code == 301
    assert response["Location"].endswith("/en/economy-and-trade/")
    response = client.get("/en/economy/missions-en/")
    assert response["Location"].endswith("/en/economy-and-trade/missions-en/")
    assert client.get("/en/economy-and-trade/missions-en/").status_code == 200


@pytest.mark.parametrize("admin_language", ["fr", "en"])
def test_changing_the_french_slug_redirects_the_old_french_url(client, tree, child, admin_language):
    _publish(tree.economy, admin_language, slug_fr="economie-et-commerce")
    redirects = _redirects()
    assert redirects["/fr/economie"] == tree.economy.pk
    assert redirects["/fr/economie/missions"] == child.pk
    assert "/en/economy" not in redirects
    assert client.get("/fr/economie/missions/")["Location"].endswith("/fr/economie-et-commerce/missions/")


def test_changing_both_slugs_redirects_both_languages(client, tree):
    _publish(tree.culture, "en", slug_fr="culture-et-arts", slug_en="culture-and-arts")
    assert client.get("/fr/culture/")["Location"].endswith("/fr/culture-et-arts/")
    assert client.get("/en/culture/")["Location"].endswith("/en/culture-and-arts/")


def test_slug_change_through_the_admin_in_english(client, tree):
    user = make_user("moderator-en", "Moderators", language="en")
    client.force_login(user)
    page = tree.economy
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        encode(page_form_data(page, slug_fr="commerce"), publish=True),
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.url_path_fr.endswith("/commerce/")
    assert _redirects()["/fr/economie"] == page.pk
    client.logout()
    assert client.get("/fr/economie/")["Location"].endswith("/fr/commerce/")


def test_changing_a_slug_back_removes_the_redirect_that_would_shadow_it(client, tree):
    _publish(tree.economy, slug_en="economy-and-trade")
    _publish(tree.economy, slug_en="economy")
    redirects = _redirects()
    assert "/en/economy" not in redirects
    assert redirects["/en/economy-and-trade"] == tree.economy.pk
    assert client.get("/en/economy/").status_code == 200


def test_the_home_page_slug_changes_no_public_url(tree):
    _publish(tree.home, slug_fr="accueil-2", slug_en="home-2")
    assert _redirects() == {}


def test_a_page_never_published_gets_no_redirect(tree):
    draft = factories.StandardPageFactory(parent=tree.home, live=False, slug_fr="brouillon", slug_en="draft")
    draft.slug_en = "draft-2"
    draft.save()
    assert _redirects() == {}


def test_other_saves_create_no_redirect(tree):
    _publish(tree.economy, intro_fr="Nouvelle introduction")
    assert _redirects() == {}


# Agreements and events: their detail pages are routes of their index page.


def _snippet(model):
    factory = factories.AgreementFactory if model == "agreement" else factories.EventFactory
    return factory(title_fr="Titre", title_en="Title", slug_fr="ancien", slug_en="old")


def _detail(model, language, slug):
    index = {
        "agreement": {"fr": "ententes", "en": "agreements"},
        "event": {"fr": "evenements", "en": "events"},
    }
    return f"/{language}/{index[model][language]}/{slug}/"


@pytest.mark.parametrize("model", ["agreement", "event"])
@pytest.mark.parametrize("admin_language", ["fr", "en"])
def test_a_published_slug_change_redirects_the_old_detail_url(client, tree, model, admin_language):
    item = _snippet(model)
    assert client.get(_detail(model, "fr", "ancien")).status_code == 200
    _publish(item, admin_language, slug_fr="nouveau")
    response = client.get(_detail(model, "fr", "ancien"))
    assert response.status_code == 301
    assert response["Location"] == _detail(model, "fr", "nouveau")
    assert client.get(response["Location"]).status_code == 200
    # The English slug did not change: its URL still answers, with no redirect of its own.
    assert client.get(_detail(model, "en", "old")).status_code == 200
    assert not Redirect.objects.filter(old_path=_detail(model, "en", "old").rstrip("/")).exists()


@pytest.mark.parametrize("model", ["agreement", "event"])
def test_slug_changes_redirect_in_one_hop_and_never_shadow_the_current_url(client, tree, model):
    item = _snippet(model)
    _publish(item, slug_en="second")
    _publish(item, slug_en="third")
    for old in ("old", "second"):
        response = client.get(_detail(model, "en", old))
        assert (response.status_code, response["Location"]) == (301, _detail(model, "en", "third")), old
    _publish(item, slug_en="old")  # back to the first slug
    assert client.get(_detail(model, "en", "old")).status_code == 200
    for old in ("second", "third"):
        response = client.get(_detail(model, "en", old))
        assert (response.status_code, response["Location"]) == (301, _detail(model, "en", "old")), old


@pytest.mark.parametrize("model", ["agreement", "event"])
def test_a_draft_or_an_unpublished_item_gets_no_redirect(client, tree, model):
    item = _snippet(model)
    item.slug_fr = "brouillon"
    item.save_revision()  # a draft: the published slug stays
    assert not Redirect.objects.exists()
    assert client.get(_detail(model, "fr", "ancien")).status_code == 200
    never = factories.AgreementFactory(slug_fr="jamais", publish=False)
    never.slug_fr = "toujours-pas"
    never.save()
    assert not Redirect.objects.exists()
