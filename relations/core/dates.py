"""Dates known to the day, the month or only the year, and how each language writes them.

The seed says "February 2017" or "since 2007": the portal stores the first day of that period
with a precision, and shows only what is known ("février 2017", never "1 février 2017").
"""

import calendar
import datetime

from django.db import models
from django.utils import formats
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

from .korean import korean_date


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def normalise(value, precision):
    """The first day of the period a partial date stands for."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


def period_end(value, precision):
    """The last day of the period a partial date stands for."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return value.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value


def format_partial_date(value, precision=DatePrecision.DAY, language=None):
    """`1er janvier 2015` / `January 1, 2015` / `2015년 1월 1일`, `décembre 2016`, `2007`."""
    if value is None:
        return ""
    language = language or get_language() or "fr"
    if language.startswith("ko"):
        return korean_date(value, precision)  # 2015년 1월 1일, 2016년 12월, 2007년
    with override(language):
        if precision == DatePrecision.YEAR:
            return str(value.year)
        if precision == DatePrecision.MONTH:
            return formats.date_format(value, "YEAR_MONTH_FORMAT")
        if language.startswith("fr"):
            day = "1er" if value.day == 1 else str(value.day)
            return f"{day} {formats.date_format(value, 'F Y')}"
        return formats.date_format(value, "F j, Y")


def format_iso_partial(value, precision=DatePrecision.DAY):
    """ISO 8601 reduced precision: 2015-01-01, 2016-12, 2007."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def today():
    return datetime.date.today()
