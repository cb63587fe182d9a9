"""The office's card (Settings → Office card) for templates, kept until the next publication or
save of a setting (``shared_lookup``): the footer of every page shows it without a query."""

from django import template

from relations.core.caching import shared_lookup
from relations.models import ContactPage, OfficeCard

register = template.Library()


@register.simple_tag
def office_card():
    return shared_lookup(("office-card",), OfficeCard.load)


@register.simple_tag
def contact_page_url():
    """The URL of the (first live) contact page in the current language, where the card is."""
    page = shared_lookup(("contact-page",), lambda: ContactPage.objects.live().order_by("path").first())
    return page.get_url() if page else None
