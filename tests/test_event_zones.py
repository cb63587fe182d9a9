"""A Seoul event also shows its times in Québec, and a Québec event its times in Seoul."""

import datetime

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def detail(client, language, event):
    response = client.get(event.get_url_for_language(language))
    assert response.status_code == 200
    return response.content.decode()


def test_a_seoul_event_shows_its_time_in_quebec(client, tree):
    event = factories.EventFactory(
        title_fr="Colloque à Séoul",
        start_date=datetime.date(2026, 10, 12),
        start_time=datetime.time(19, 30),
        end_time=datetime.time(21, 0),
        timezone="Asia/Seoul",
    )
    html = detail(client, "en", event)
    # 19:30 in Seoul (UTC+9) is 6:30 the same day in Québec (EDT, UTC-4).
    assert "Time in Québec" in html
    assert '<time datetime="2026-10-12T06:30-04:00">' in html and "EDT" in html
    french = detail(client, "fr", event)
    assert "Heure au Québec" in french and "6 h 30 – 8 h 00" in french.replace("\u00a0", " ")


def test_a_quebec_event_shows_its_time_in_seoul_with_the_day_when_it_changes(client, tree):
    event = factories.EventFactory(
        title_fr="Conférence à Montréal",
        start_date=datetime.date(2026, 1, 15),
        start_time=datetime.time(14, 0),
        timezone="America/Toronto",
        city_fr="Montréal",
        city_en="Montréal",
        country="CA",
    )
    html = detail(client, "en", event)
    # 14:00 EST (UTC-5) is 04:00 the next day in Seoul (UTC+9).
    assert "Time in Seoul" in html
    assert '<time datetime="2026-01-16T04:00+09:00">January 16, 2026, ' in html and "KST" in html


def test_an_all_day_event_shows_no_time_elsewhere(client, tree):
    event = factories.EventFactory(start_date=datetime.date(2026, 10, 12), timezone="Asia/Seoul")
    html = detail(client, "en", event)
    assert "Time in Québec" not in html
