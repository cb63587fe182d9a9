"""The alerts' URLs, inside ``i18n_patterns`` with translated words (``/fr/alertes/``,
``/en/alerts/``)."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from . import views

app_name = "alerts"


urlpatterns = [
    path(pgettext_lazy("URL", "alerts/"), views.signup, name="signup"),
    path(pgettext_lazy("URL", "alerts/check-your-mailbox/"), views.sent, name="sent"),
    path(
        format_lazy("{}<str:token>/", pgettext_lazy("URL", "alerts/confirm/")), views.confirm, name="confirm"
    ),
    path(format_lazy("{}<str:key>/", pgettext_lazy("URL", "alerts/manage/")), views.manage, name="manage"),
    path(
        format_lazy("{}<str:key>/", pgettext_lazy("URL", "alerts/unsubscribe/")),
        views.unsubscribe,
        name="unsubscribe",
    ),
    path(format_lazy("{}<str:key>/", pgettext_lazy("URL", "alerts/delete/")), views.delete, name="delete"),
    path(pgettext_lazy("URL", "alerts/deleted/"), views.deleted, name="deleted"),
]
