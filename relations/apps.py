from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "relations"
    verbose_name = _("Québec–South Korea relations")

    def ready(self):
        from . import signals

        signals.connect()  # purge the page cache when public content changes

        # Redirects for the old French and English URLs of a page whose slug changed.
        from . import redirects

        redirects.connect()
