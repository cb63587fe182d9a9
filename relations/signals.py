"""Purge the anonymous page cache (and the CDN, when one is configured) when public content changes.

What counts as a change: a page or a snippet with drafts published or unpublished (Wagtail's
``page_published``/``page_unpublished`` and ``published``/``unpublished``), a page created, moved
or deleted, and any save or deletion of the models edited without drafts that pages show
(organisations, key figures, sectors, agreement documents, images, documents, sites, redirects,
view restrictions, settings). Draft saves (including the admin's autosave) purge nothing: visitors
cannot see them.
See ``relations/core/caching.py`` for why the whole cache is cleared.
"""

from django.db.models.signals import post_delete, post_save

from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import BaseViewRestriction, DraftStateMixin, Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from .core.caching import purge_cdn, purge_page_cache

# Rows the portal keeps for itself and never shows as they are: the search index, the contact
# form's count, the alerts' subscribers, subscriptions, items and deliveries, page feedback. A
# save of one must purge nothing (a mail sent, a feedback answer or a draft's index entry would
# otherwise empty the page cache each time).
PRIVATE_MODELS = {
    "searchentry",
    "contactattempt",
    "subscriber",
    "subscription",
    "alertitem",
    "delivery",
    "pagefeedback",
}


def shown_to_visitors(model):
    """Whether rows of ``model`` appear on public pages, feeds, exports or the API."""
    if issubclass(model, (Page, Site, Redirect, BaseViewRestriction, BaseSiteSetting, BaseGenericSetting)):
        return True
    if model in (get_document_model(), get_image_model()):
        return True
    return model._meta.app_label == "relations" and model._meta.model_name not in PRIVATE_MODELS


def content_changed(sender=None, instance=None, **kwargs):
    purge_page_cache()
    purge_cdn(instance)


def saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or not shown_to_visitors(sender):
        return
    if isinstance(instance, Page):
        # A new page changes menus and lists once it is live; later saves are drafts or are
        # followed by page_published.
        if created:
            content_changed(sender, instance)
        return
    if isinstance(instance, DraftStateMixin):
        return  # drafts are invisible; ``published``/``unpublished`` follow a publication
    content_changed(sender, instance)


def deleted(sender, instance, **kwargs):
    if shown_to_visitors(sender):
        content_changed(sender, instance)


def connect():
    page_published.connect(content_changed, dispatch_uid="portal-purge-page-published")
    page_unpublished.connect(content_changed, dispatch_uid="portal-purge-page-unpublished")
    published.connect(content_changed, dispatch_uid="portal-purge-published")
    unpublished.connect(content_changed, dispatch_uid="portal-purge-unpublished")
    post_page_move.connect(content_changed, dispatch_uid="portal-purge-page-move")
    post_save.connect(saved, dispatch_uid="portal-purge-saved")
    post_delete.connect(deleted, dispatch_uid="portal-purge-deleted")
