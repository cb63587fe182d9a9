"""The office's card: the contact details of the Québec Government Office in Seoul, edited in
Settings → Office card. Every field may stay empty (the demo leaves empty what no public source
gives); the card shows only what is filled in, in the footer and on the contact page."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

telephone_validator = RegexValidator(
    r"^\+?[0-9 ().-]{6,30}$", _("A telephone number: digits, spaces, +, -, dots and brackets only.")
)


@register_setting(icon="site")
class OfficeCard(BaseGenericSetting):
    address = models.TextField(
        _("address"), blank=True, help_text=_("Street, city, postal code; one line each.")
    )
    telephone = models.CharField(_("telephone"), max_length=30, blank=True, validators=[telephone_validator])
    email = models.EmailField(_("e-mail address"), blank=True)
    hours = models.TextField(_("opening hours"), blank=True)
    map_url = models.URLField(_("map link"), blank=True, help_text=_("A link to the office on a map."))

    panels = [
        FieldRowPanel([FieldPanel("address_fr"), FieldPanel("address_en")], heading=_("Address")),
        FieldPanel("telephone"),
        FieldPanel("email"),
        FieldRowPanel([FieldPanel("hours_fr"), FieldPanel("hours_en")], heading=_("Opening hours")),
        FieldPanel("map_url"),
    ]

    class Meta:
        verbose_name = _("office card")

    def __str__(self):
        return str(_("Office card"))

    @property
    def is_empty(self):
        return not any(getattr(self, name) for name in ("address", "telephone", "email", "hours", "map_url"))
