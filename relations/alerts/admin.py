"""The alerts in the Wagtail admin: subscribers and their subscriptions, for the "Subscription
managers" group only (the menu and every view require the model's permissions, which no other
group has: addresses are personal information). Registered from ``relations/wagtail_hooks.py``."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.viewsets.model import ModelViewSet

from .models import Subscriber


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = _("Alert subscribers")
    add_to_admin_menu = True
    menu_order = 900
    list_display = ["email", "language", "created_at", "confirmed_at", "suspended_at", "permanent_failures"]
    list_filter = ["language"]
    search_fields = ["email"]
    inspect_view_enabled = True
    form_fields = ["suspended_at", "permanent_failures"]
    copy_view_enabled = False


subscriber_viewset = SubscriberViewSet("alert_subscribers")
