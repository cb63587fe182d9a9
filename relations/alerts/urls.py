"""The alerts' URLs, inside ``i18n_patterns`` with translated words (``/fr/alertes/``,
``/en/alerts/``)."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from . import views

app_name = "alerts"


def word(text):
    return pgettext_lazy("URL", text)


urlpatterns = [
    path(word("alerts/"), views.signup, name="signup"),
    path(word("alerts/check-your-mailbox/"), views.sent, name="sent"),
    path(format_lazy("{}<str:token>/", word("alerts/confirm/")), views.confirm, name="confirm"),
    path(format_lazy("{}<str:key>/", word("alerts/manage/")), views.manage, name="manage"),
    path(format_lazy("{}<str:key>/", word("alerts/unsubscribe/")), views.unsubscribe, name="unsubscribe"),
    path(format_lazy("{}<str:key>/", word("alerts/delete/")), views.delete, name="delete"),
    path(word("alerts/deleted/"), views.deleted, name="deleted"),
]
