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

        # Admin date fields: keep what the editor typed, accept only the picker's format.
        from .core import admin_dates

        admin_dates.register()

        # portal_fold() on SQLite connections: accent-insensitive admin search and French order.
        from .core import collation

        collation.register()
        # E-mail alerts: a publication enqueues the mails (relations/alerts/signals.py).
        from .alerts import signals as alert_signals

        alert_signals.connect()

        # wagtail-modeltranslation (its ready() runs first: it comes first in INSTALLED_APPS) sets
        # its own ``route`` on every page class, which reads every child page to find one by slug.
        # Give the portal's pages back BasePage.route, which asks the database (see its docstring).
        from .models import BasePage

        pending = list(BasePage.__subclasses__())
        while pending:
            model = pending.pop()
            pending.extend(model.__subclasses__())
            if "route" in vars(model):
                del model.route
