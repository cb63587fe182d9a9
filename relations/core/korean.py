"""How Korean writes dates, amounts, ranks and percentages: « 2015년 1월 1일 », « 21억 달러 », « 11위 ».

Korean counts large numbers in groups of four digits (만 = 10⁴, 억 = 10⁸, 조 = 10¹²), not in
thousands: 2.1 billion dollars is « 21억 달러 », 275 million « 2억 7,500만 ». These are plain
functions of their arguments (no model, no request, nothing else of the portal), so that the
dates, the key figures and the templates can call them wherever the language is Korean.
"""

from decimal import ROUND_HALF_UP, Decimal

# The Korean myriad units, largest first.
UNITS = ((10**12, "조"), (10**8, "억"), (10**4, "만"))
BILLION = 10**9
DOLLARS = "달러"


def korean_number(value):
    """A whole number in Korean units: 2100000000 → « 21억 », 2150000000 → « 21억 5,000만 »."""
    value = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    rest = abs(int(value))
    parts = []
    for size, word in UNITS:
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count:,}{word}")
    if rest or not parts:
        parts.append(f"{rest:,}")
    text = " ".join(parts)
    return f"-{text}" if value < 0 else text


def korean_amount(value, scale=BILLION, currency=DOLLARS):
    """An amount given in ``scale`` units (billions by default), currency named: 2.1 → « 21억 달러 »."""
    return f"{korean_number(Decimal(value) * scale)} {currency}"


def korean_rank(value):
    """A rank: 11 → « 11위 »."""
    return f"{int(value)}위"


def korean_percent(value, decimals=None):
    """A percentage, without a space before the sign: 4.2 → « 4.2% »."""
    value = Decimal(value)
    if decimals is None:
        decimals = max(0, -value.normalize().as_tuple().exponent)
    return f"{value:,.{decimals}f}%"


def korean_date(value, precision="day"):
    """A date known to the day, the month or the year: « 2015년 1월 1일 », « 2016년 12월 », « 2007년 »."""
    if value is None:
        return ""
    if precision == "year":
        return f"{value.year}년"
    if precision == "month":
        return f"{value.year}년 {value.month}월"
    return f"{value.year}년 {value.month}월 {value.day}일"
