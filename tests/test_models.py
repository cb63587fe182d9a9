"""Models: validation, named querysets, partial dates, time zones and French typography."""

import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.utils.translation import override

from relations.core.dates import DatePrecision, format_partial_date
from relations.models import (
    Agreement,
    AgreementStatus,
    Event,
    EventTimeZone,
    FigureUnit,
    KeyFigure,
)
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_an_agreement_cannot_come_into_force_before_it_is_signed():
    agreement = Agreement(
        title_fr="Entente",
        kind="institutional",
        signed_on=datetime.date(2017, 2, 1),
        in_force_on=datetime.date(2016, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "in_force_on" in error.value.message_dict


def test_an_agreement_may_come_into_force_the_day_it_is_signed():
    day = datetime.date(2015, 1, 1)
    agreement = Agreement(title_fr="Entente", kind="canadian", signed_on=day, in_force_on=day)
    agreement.full_clean()


def test_an_agreement_needs_a_french_title():
    agreement = Agreement(title_en="Only English", kind="canadian")
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "title_fr" in error.value.message_dict


def test_duplicate_reference_numbers_are_refused():
    factories.AgreementFactory(reference_number="2017-001")
    with pytest.raises(ValidationError) as error:
        Agreement(title_fr="Autre", kind="canadian", reference_number="2017-001").full_clean()
    assert "reference_number" in error.value.message_dict


def test_empty_reference_numbers_do_not_clash():
    factories.AgreementFactory(reference_number="")
    factories.AgreementFactory(reference_number="")
    assert Agreement.objects.filter(reference_number__isnull=True).count() == 2


def test_slugs_are_made_from_the_titles_in_each_language():
    agreement = factories.AgreementFactory(
        title_fr="Accord de libre-échange", title_en="Free Trade Agreement"
    )
    assert agreement.slug_fr == "accord-de-libre-echange"
    assert agreement.slug_en == "free-trade-agreement"


def test_a_slug_already_used_is_refused():
    factories.AgreementFactory(title_fr="Même titre", title_en="One")
    with pytest.raises(ValidationError) as error:
        Agreement(title_fr="Même titre", title_en="Two", kind="canadian").full_clean()
    assert "slug_fr" in error.value.message_dict


def test_in_force_lists_only_agreements_in_force_today():
    in_force = factories.AgreementFactory(signed_on=None, in_force_on=datetime.date(2015, 1, 1))
    factories.AgreementFactory(signed_on=datetime.date(2017, 2, 1))
    factories.AgreementFactory(
        signed_on=datetime.date(2000, 1, 1),
        in_force_on=datetime.date(2000, 6, 1),
        ended_on=datetime.date(2010, 1, 1),
    )
    assert list(Agreement.objects.in_force()) == [in_force]


def test_status_follows_the_dates():
    ended = factories.AgreementFactory(
        signed_on=datetime.date(2000, 1, 1),
        in_force_on=datetime.date(2000, 6, 1),
        ended_on=datetime.date(2010, 1, 1),
    )
    ratified = factories.AgreementFactory(
        signed_on=None, ratified_on=datetime.date(2016, 12, 1), ratified_precision=DatePrecision.MONTH
    )
    signed = factories.AgreementFactory(signed_on=datetime.date(2017, 2, 1))
    assert ended.status == AgreementStatus.ENDED
    assert ratified.status == AgreementStatus.RATIFIED
    assert signed.status == AgreementStatus.SIGNED
    annotated = {a.pk: a.current_status for a in Agreement.objects.with_status()}
    assert annotated == {ended.pk: "ended", ratified.pk: "ratified", signed.pk: "signed"}


def test_drafts_are_not_published():
    draft = factories.AgreementFactory(publish=False)
    live = factories.AgreementFactory()
    assert list(Agreement.objects.published()) == [live]
    assert draft not in Agreement.objects.published()


def test_a_month_precision_date_is_stored_as_the_first_of_the_month_and_shown_as_a_month():
    agreement = Agreement(
        title_fr="STI", kind="canadian", ratified_on=datetime.date(2016, 12, 17), ratified_precision="month"
    )
    agreement.full_clean()
    assert agreement.ratified_on == datetime.date(2016, 12, 1)
    assert format_partial_date(agreement.ratified_on, "month", "fr") == "décembre 2016"
    assert format_partial_date(agreement.ratified_on, "month", "en") == "December 2016"


def test_full_dates_use_each_languages_conventions():
    day = datetime.date(2015, 1, 1)
    assert format_partial_date(day, "day", "fr") == "1er janvier 2015"
    assert format_partial_date(day, "day", "en") == "January 1, 2015"
    assert format_partial_date(datetime.date(2007, 1, 1), "year", "fr") == "2007"


def test_an_event_cannot_end_before_it_starts():
    event = Event(
        title_fr="Festival", start_date=datetime.date(2026, 10, 5), end_date=datetime.date(2026, 10, 1)
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "end_date" in error.value.message_dict


def test_an_event_cannot_end_before_it_starts_on_the_same_day():
    event = Event(
        title_fr="Concert",
        start_date=datetime.date(2026, 10, 5),
        start_time=datetime.time(20, 0),
        end_time=datetime.time(19, 0),
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "end_time" in error.value.message_dict


def test_upcoming_includes_events_still_running_and_excludes_past_and_undated():
    running = factories.EventFactory(
        start_date=TODAY - datetime.timedelta(days=2), end_date=TODAY + datetime.timedelta(days=2)
    )
    soon = factories.EventFactory(start_date=TODAY + datetime.timedelta(days=10))
    past = factories.EventFactory(start_date=TODAY - datetime.timedelta(days=400))
    undated = factories.EventFactory(start_date=None)
    assert list(Event.objects.upcoming()) == [running, soon]
    assert list(Event.objects.past()) == [past]
    assert list(Event.objects.undated()) == [undated]


def test_a_month_precision_event_is_not_filed_as_upcoming_while_its_month_runs():
    """Whether it is over is not known: it is filed with the undated events (issue 14)."""
    this_month = factories.EventFactory(start_date=TODAY.replace(day=1), date_precision=DatePrecision.MONTH)
    assert this_month not in Event.objects.upcoming()
    assert this_month not in Event.objects.past()
    assert this_month in Event.objects.undated()


def test_an_event_in_seoul_is_in_seoul_time_and_says_so():
    event = factories.EventFactory(
        start_date=datetime.date(2026, 10, 12),
        start_time=datetime.time(19, 30),
        all_day=False,
        timezone=EventTimeZone.SEOUL,
    )
    assert event.starts_at.utcoffset() == datetime.timedelta(hours=9)
    assert event.zone_abbreviation == "KST"
    assert event.starts_at.astimezone(datetime.UTC).hour == 10


def test_a_montreal_event_names_eastern_time():
    event = factories.EventFactory(
        start_date=datetime.date(2026, 7, 1),
        start_time=datetime.time(10, 0),
        timezone=EventTimeZone.MONTREAL,
    )
    assert event.zone_abbreviation == "EDT"
    assert not event.all_day


@pytest.mark.parametrize(
    ("value", "unit", "french", "english"),
    [
        ("2.1", FigureUnit.CAD_BILLION, "2,1\u00a0milliards\u00a0$", "$2.1\u00a0billion"),
        ("4.2", FigureUnit.PERCENT, "4,2\u00a0%", "4.2%"),
        ("11", FigureUnit.RANK, "11e", "11th"),
        ("1", FigureUnit.RANK, "1er", "1st"),
        ("22", FigureUnit.RANK, "22e", "22nd"),
        ("12", FigureUnit.RANK, "12e", "12th"),
    ],
)
def test_key_figures_use_each_languages_typography(value, unit, french, english):
    figure = KeyFigure(label_fr="x", value=Decimal(value), unit=unit, source_name_fr="s")
    assert figure.formatted_value("fr") == french
    assert figure.formatted_value("en") == english


def test_a_figure_past_its_age_is_outdated(settings):
    settings.PORTAL_FIGURE_MAX_AGE_YEARS = 3
    old = KeyFigure(label_fr="x", value=1, unit="number", source_name_fr="s", reference_year=TODAY.year - 4)
    recent = KeyFigure(
        label_fr="x", value=1, unit="number", source_name_fr="s", reference_year=TODAY.year - 1
    )
    reviewed = KeyFigure(
        label_fr="x", value=1, unit="number", source_name_fr="s", review_by=TODAY - datetime.timedelta(1)
    )
    assert old.is_outdated
    assert not recent.is_outdated
    assert reviewed.is_outdated


def test_str_copes_with_an_empty_title():
    with override("en"):
        assert str(Agreement()) == "Untitled agreement"
        assert str(Event()) == "Untitled event"
