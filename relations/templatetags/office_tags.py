"""The office's card (Settings → Office card) for templates, kept until the next publication or
save of a setting (``shared_lookup``): the footer of every page shows it without a query."""

from django import template

from relations.core.caching import shared_lookup
from relations.models import ContactPage, OfficeCard

register = template.Library()


@register.simple_tag
def office_card():
    """The card, or None before anyone saved it (reading never creates it: ``OfficeCard.load``
    would, and a write purges the caches in the middle of a visitor's request)."""
    return shared_lookup(("office-card",), lambda: OfficeCard.objects.order_by("pk").first())


@register.simple_tag
def contact_page_url():
    """The URL of the (first live) contact page in the current language, where the card is."""
    page = shared_lookup(("contact-page",), lambda: ContactPage.objects.live().order_by("path").first())
    return page.get_url() if page else None
