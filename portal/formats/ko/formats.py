"""Korean as Korean government sites write it: « 2015년 1월 1일 », « 2016년 12월 », « 19:30 »."""

DATE_FORMAT = "Y년 n월 j일"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y년 n월 j일 H:i"
YEAR_MONTH_FORMAT = "Y년 n월"
MONTH_DAY_FORMAT = "n월 j일"
SHORT_DATE_FORMAT = "Y-m-d"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
