"""Redirects for both languages when a page's, an agreement's or an event's French or English
slug changes.

Wagtail's redirects app creates a redirect from a page's old URL when its slug changes, but with
wagtail-modeltranslation it only sees the slug of the editor's admin language. Here, every save of
a portal page compares the stored ``url_path_fr``/``url_path_en`` with the new ones and, for each
language whose path changed, creates a permanent redirect from the old public URL
(``/fr/<path>/``, ``/en/<path>/``, without the site root's slug) to the page, and to each of its
descendants, whose URLs changed with it.

The redirect points at the page (not at a path), so it keeps working through later slug changes and
answers in the language of the requested URL. A redirect that would now shadow the page's own new
URL (the slug was changed back) is removed.
"""

from django.apps import apps
from django.db.models.signals import post_save, pre_save
from django.urls import reverse
from django.utils.translation import override

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from .core.language import fallbacks, translated_value
from .models import LANGUAGE_CODES, Agreement, BasePage, Event

URL_FIELDS = [f"url_path_{language}" for language in LANGUAGE_CODES]
SLUG_FIELDS = [f"slug_{language}" for language in LANGUAGE_CODES]


def _touches_urls(update_fields):
    if update_fields is None:
        return True
    return bool(set(update_fields) & {"slug", "url_path", *URL_FIELDS, *SLUG_FIELDS})


def remember_old_paths(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save: keep the stored URL paths of the page and, if they change, of its descendants."""
    instance._old_url_paths = None
    if raw or instance.pk is None or not _touches_urls(update_fields):
        return
    old = Page.objects.filter(pk=instance.pk).values("live", *URL_FIELDS).first()
    if old is None or not old["live"]:
        return
    if all(old[field] == getattr(instance, field) for field in URL_FIELDS):
        return
    descendants = list(
        Page.objects.filter(path__startswith=instance.path, depth__gt=instance.depth, live=True).values_list(
            "pk", *URL_FIELDS
        )
    )
    instance._old_url_paths = (old, descendants)


def _public_path(url_path, root_url_path, language):
    """`/accueil/economie/` under the root `/accueil/` → `/fr/economie/`."""
    if not url_path or not root_url_path or not url_path.startswith(root_url_path):
        return None
    with override(language):
        return reverse("wagtail_serve", args=(url_path[len(root_url_path) :],))


def create_language_redirects(sender, instance, created=False, raw=False, **kwargs):
    """post_save: one redirect per language whose URL path changed, for the page and descendants."""
    remembered = getattr(instance, "_old_url_paths", None)
    instance._old_url_paths = None
    if raw or created or not remembered:
        return
    old, descendants = remembered
    for site in Site.objects.select_related("root_page"):
        root = site.root_page
        if not instance.path.startswith(root.path) or instance.pk == root.pk:
            continue  # outside this site, or its root (whose URL is the language prefix itself)
        for language, field in zip(LANGUAGE_CODES, URL_FIELDS, strict=True):
            old_path, new_path = old[field], getattr(instance, field)
            root_path = getattr(root, field) or root.url_path
            if not old_path or old_path == new_path:
                continue
            targets = [(instance.pk, old_path, new_path)]
            for pk, *paths in descendants:
                descendant_old = paths[URL_FIELDS.index(field)]
                if descendant_old and descendant_old.startswith(old_path):
                    targets.append((pk, descendant_old, new_path + descendant_old[len(old_path) :]))
            for pk, before, after in targets:
                old_public = _public_path(before, root_path, language)
                new_public = _public_path(after, root_path, language)
                if not old_public or old_public == new_public:
                    continue
                Redirect.objects.update_or_create(
                    old_path=Redirect.normalise_path(old_public),
                    site=site,
                    defaults={
                        "redirect_page_id": pk,
                        "redirect_page_route_path": "",
                        "redirect_link": "",
                        "is_permanent": True,
                        "automatically_created": True,
                    },
                )
                if new_public:
                    Redirect.objects.filter(
                        old_path=Redirect.normalise_path(new_public), site=site, redirect_page_id=pk
                    ).delete()


# --------------------------------------------------------------------------------------
# Agreements and events: their detail pages are routes of their index page (``<slug>/``)
# --------------------------------------------------------------------------------------


def remember_old_slugs(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save: the published slugs of an agreement or an event about to change them (a draft's
    save touches only its revision fields: nothing is remembered then)."""
    instance._old_slugs = None
    if (
        raw
        or instance.pk is None
        or (update_fields is not None and not set(update_fields) & {"slug", *SLUG_FIELDS})
    ):
        return
    old = sender.objects.filter(pk=instance.pk).values("live", *SLUG_FIELDS).first()
    if old and old["live"] and any(old[field] != getattr(instance, field) for field in SLUG_FIELDS):
        instance._old_slugs = old


def create_detail_redirects(sender, instance, created=False, raw=False, **kwargs):
    """post_save: a permanent redirect from each language's old detail URL to the new one.

    The redirect points at the index page and the new slug's route, as Wagtail's redirects do for
    a routable page: it answers in the language of the requested URL and follows the index page if
    it moves. Redirects to the old slug are pointed at the new one (one hop, never a chain), and a
    redirect from the new URL (the slug was changed back) is removed.
    """
    old = getattr(instance, "_old_slugs", None)
    instance._old_slugs = None
    if raw or created or not old or not instance.live:
        return
    index_page = instance.index_page()
    if index_page is None:
        return
    for language in LANGUAGE_CODES:
        # A language without its own slug uses its fallback's (``get_url_for_language``): Korean
        # the English one, then the French one.
        before = next((old[f"slug_{code}"] for code in fallbacks(language) if old[f"slug_{code}"]), None)
        after = translated_value(instance, "slug", language)
        if not before or not after or before == after:
            continue
        with override(language):
            site_id, _root, base = index_page.get_url_parts() or (None, None, None)
        if base is None:
            continue
        site = Site.objects.filter(pk=site_id).first()
        old_route, new_route = f"/{before}/", f"/{after}/"
        links = Redirect.objects.filter(site=site, redirect_page=index_page)
        links.filter(redirect_page_route_path=old_route).update(redirect_page_route_path=new_route)
        Redirect.objects.update_or_create(
            old_path=Redirect.normalise_path(f"{base}{before}/"),
            site=site,
            defaults={
                "redirect_page": index_page,
                "redirect_page_route_path": new_route,
                "redirect_link": "",
                "is_permanent": True,
                "automatically_created": True,
            },
        )
        links.filter(old_path=Redirect.normalise_path(f"{base}{after}/")).delete()


def connect():
    for model in apps.get_app_config("relations").get_models():
        if issubclass(model, BasePage):
            uid = f"relations_redirects_{model._meta.label_lower}"
            pre_save.connect(remember_old_paths, sender=model, dispatch_uid=f"{uid}_pre")
            post_save.connect(create_language_redirects, sender=model, dispatch_uid=f"{uid}_post")
    for model in (Agreement, Event):
        uid = f"relations_redirects_{model._meta.label_lower}"
        pre_save.connect(remember_old_slugs, sender=model, dispatch_uid=f"{uid}_pre")
        post_save.connect(create_detail_redirects, sender=model, dispatch_uid=f"{uid}_post")
