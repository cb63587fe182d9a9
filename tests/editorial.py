"""Helpers for the editorial-workflow tests: staff accounts and the admin forms' POST data.

The form data is what the Wagtail admin's snippet and page forms send (Draftail rich text as
contentstate JSON, inline formsets and StreamFields with their management fields), built with
``wagtail.test.utils.form_data``.
"""

import pytest

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile


def make_user(username, group=None, superuser=False, language="fr"):
    """A staff account in ``group`` ("Editors", "Moderators") whose admin speaks ``language``."""
    User = get_user_model()
    if superuser:
        user = User.objects.create_superuser(username=username, email=f"{username}@example.com", password="x")
    else:
        user = User.objects.create_user(username=username, email=f"{username}@example.com", password="x")
    if group:
        user.groups.add(Group.objects.get(name=group))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.fixture
def editor(db):
    return make_user("editor", "Editors")


@pytest.fixture
def moderator(db):
    return make_user("moderator", "Moderators")


@pytest.fixture
def admin_user(db):
    return make_user("admin", superuser=True)


def snippet_url(model, view, *args):
    return reverse(f"wagtailsnippets_relations_{model._meta.model_name}:{view}", args=args)


def _rich(value):
    return rich_text(value) if value else "null"


def agreement_form_data(**overrides):
    """A complete, valid agreement form (French and English), ``overrides`` replacing fields."""
    data = {
        "title_fr": "Entente de coopération en recherche",
        "title_en": "Research cooperation agreement",
        "slug_fr": "",
        "slug_en": "",
        "reference_number": "",
        "kind": "institutional",
        "signed_on": "2017-02-01",
        "signed_precision": "day",
        "ratified_on": "",
        "ratified_precision": "day",
        "in_force_on": "",
        "in_force_precision": "day",
        "ended_on": "",
        "summary_fr": "Résumé.",
        "summary_en": "Summary.",
        "text_fr": "",
        "text_en": "",
        "official_link": "",
        "order_in_council": "",
        "source_note_fr": "",
        "source_note_en": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(overrides)
    for field in ("text_fr", "text_en"):
        data[field] = _rich(data[field])
    areas = data.pop("areas", [])
    data.update(nested_form_data({"documents": inline_formset([])}))
    return _with_lists(data, areas=areas)


def event_form_data(**overrides):
    """A complete, valid event form (French and English), ``overrides`` replacing fields."""
    data = {
        "title_fr": "Festival du film québécois à Séoul",
        "title_en": "Québec Film Festival in Seoul",
        "slug_fr": "",
        "slug_en": "",
        "kind": "festival",
        "start_date": "2030-10-12",
        "start_time": "",
        "end_date": "2030-10-15",
        "end_time": "",
        "date_precision": "day",
        "all_day": "on",
        "timezone": "Asia/Seoul",
        "recurrence_note_fr": "",
        "recurrence_note_en": "",
        "venue_fr": "",
        "venue_en": "",
        "city_fr": "Séoul",
        "city_en": "Seoul",
        "country": "KR",
        "summary_fr": "Des films du Québec.",
        "summary_en": "Films from Québec.",
        "text_fr": "",
        "text_en": "",
        "link": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(overrides)
    for field in ("text_fr", "text_en"):
        data[field] = _rich(data[field])
    areas = data.pop("areas", [])
    return _with_lists(data, areas=areas)


def _with_lists(data, **lists):
    """Form data as a list of pairs, so many-to-many fields can repeat their key."""
    pairs = [(key, value) for key, value in data.items() if value is not None]
    for key, values in lists.items():
        pairs += [(key, str(getattr(value, "pk", value))) for value in values]
    return pairs


def encode(pairs, **actions):
    """The pairs plus the pressed button (``publish=True`` → ``action-publish``), for the test client."""
    from django.utils.datastructures import MultiValueDict

    data = MultiValueDict()
    for key, value in pairs:
        data.appendlist(key, value)
    for action, pressed in actions.items():
        if pressed:
            data[f"action-{action.replace('_', '-')}"] = "action"
    return data


def page_form_data(page, **overrides):
    """The edit form of a portal page, filled from ``page``."""
    data = {
        "title_fr": page.title_fr or "",
        "title_en": page.title_en or "",
        "slug_fr": page.slug_fr or "",
        "slug_en": page.slug_en or "",
        "intro_fr": page.intro_fr or "",
        "intro_en": page.intro_en or "",
        "seo_title_fr": "",
        "seo_title_en": "",
        "search_description_fr": "",
        "search_description_en": "",
        "go_live_at": "",
        "expire_at": "",
        "review_by": page.review_by.isoformat() if page.review_by else "",
        "comment_notifications": "",
    }
    if hasattr(page, "body_fr"):
        data.update(nested_form_data({f"body_{code}": streamfield([]) for code, _name in settings.LANGUAGES}))
    if hasattr(page, "date"):
        data.update({"date": page.date.isoformat(), "date_precision": page.date_precision})
    data.update(nested_form_data({"comments": inline_formset([])}))
    data.update(overrides)
    return _with_lists(data)
