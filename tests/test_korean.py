"""Korean conventions: dates, amounts in 억 and 조, ranks, percentages (relations/korean.py)."""

import datetime

import pytest

from django.utils import formats
from django.utils.translation import override

from relations.core.korean import korean_amount, korean_date, korean_number, korean_percent, korean_rank


@pytest.mark.parametrize(
    ("precision", "expected"),
    [("day", "2015년 1월 1일"), ("month", "2015년 1월"), ("year", "2015년")],
)
def test_a_date_shows_only_what_is_known(precision, expected):
    assert korean_date(datetime.date(2015, 1, 1), precision) == expected


def test_no_date_gives_nothing():
    assert korean_date(None) == ""


@pytest.mark.parametrize(
    ("billions", "expected"),
    [
        ("2.1", "21억 달러"),
        ("0.275", "2억 7,500만 달러"),
        ("2.15", "21억 5,000만 달러"),
        ("1", "10억 달러"),
        ("1234.5", "1조 2,345억 달러"),
    ],
)
def test_billions_of_dollars_read_in_korean_units(billions, expected):
    assert korean_amount(billions) == expected


def test_small_and_negative_numbers():
    assert korean_number(0) == "0"
    assert korean_number(9999) == "9,999"
    assert korean_number(-12_000) == "-1만 2,000"


def test_ranks_and_percentages():
    assert korean_rank(11) == "11위"
    assert korean_percent("4.2") == "4.2%"
    assert korean_percent("4.20") == "4.2%"
    assert korean_percent("12") == "12%"


def test_the_korean_format_module_writes_dates_as_korean_sites_do():
    day = datetime.date(2016, 12, 5)
    with override("ko"):
        assert formats.date_format(day) == "2016년 12월 5일"
        assert formats.date_format(day, "YEAR_MONTH_FORMAT") == "2016년 12월"
        assert formats.time_format(datetime.time(19, 30)) == "19:30"
