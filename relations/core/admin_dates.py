"""Admin date and time fields that keep what the editor typed, and accept one unambiguous format.

Two defects made a mistyped date reach the register as today's date:

* Wagtail's date pickers (the jQuery datetimepicker behind ``AdminDateInput``, ``AdminTimeInput``
  and ``AdminDateTimeInput``) check the field when it loses focus (``validateOnBlur``, on by
  default), and put the current date in place of any value they cannot read in their format:
  ``2020-13-45`` or ``31/12/2020`` became today's date before the form was sent. Here the
  pickers leave the text alone, and the server judges it.
* The server accepted, besides the picker's ``WAGTAIL_DATE_FORMAT`` (ISO, ``2020-12-31``), every
  input format of the admin's language: ``01/02/2020`` is 1 February in French and 2 January
  in English. Admin date fields accept the picker's format only, and say which one when a value
  does not match.

``register()`` (called from ``RelationsConfig.ready``) puts these fields and widgets in place of
Wagtail's for every date, time and date-time field of the admin's model forms (snippets, pages,
scheduling), through Wagtail's ``register_form_field_override``.
"""

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput, AdminTimeInput


class KeepTypedValue:
    """A picker widget that never rewrites the field's text when it loses focus."""

    def get_config(self):
        return {**super().get_config(), "validateOnBlur": False}


class DateInput(KeepTypedValue, AdminDateInput):
    pass


class TimeInput(KeepTypedValue, AdminTimeInput):
    pass


class DateTimeInput(KeepTypedValue, AdminDateTimeInput):
    pass


def date_format():
    return getattr(settings, "WAGTAIL_DATE_FORMAT", "%Y-%m-%d")


def datetime_format():
    return getattr(settings, "WAGTAIL_DATETIME_FORMAT", "%Y-%m-%d %H:%M")


class DateField(forms.DateField):
    """A date in the picker's format only (``2020-12-31``), whatever the admin's language."""

    default_error_messages = {
        "invalid": _("Enter a valid date. Format: YYYY-MM-DD, for example 2020-12-31."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [date_format()])
        super().__init__(**kwargs)


class DateTimeField(forms.DateTimeField):
    """A date and time in the picker's format (``2020-12-31 18:30``), ISO 8601 also accepted."""

    default_error_messages = {
        "invalid": _("Enter a valid date and time. Format: YYYY-MM-DD HH:MM, for example 2020-12-31 18:30."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [datetime_format(), "%Y-%m-%d %H:%M:%S"])
        super().__init__(**kwargs)


def register():
    register_form_field_override(models.DateField, override={"form_class": DateField, "widget": DateInput})
    register_form_field_override(models.TimeField, override={"widget": TimeInput})
    register_form_field_override(
        models.DateTimeField, override={"form_class": DateTimeField, "widget": DateTimeInput}
    )
