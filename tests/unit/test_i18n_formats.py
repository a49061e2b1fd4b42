"""Durations, times of day, dates and places as a sentence writes them, in each language."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.i18n import format_clock, format_day, format_duration, format_zone_place


@pytest.mark.parametrize(
    ("minutes", "fr", "en"),
    [
        (45, "45 min", "45 min"),
        (60, "1 h", "1 hour"),
        (120, "2 h", "2 hours"),
        (150, "2 h 30", "2 h 30 min"),
        (65, "1 h 05", "1 h 5 min"),
        (1440, "24 h", "24 hours"),
    ],
)
def test_durations(minutes: int, fr: str, en: str) -> None:
    assert (format_duration(minutes, "fr"), format_duration(minutes, "en")) == (fr, en)


def test_times_of_day_and_dates() -> None:
    assert format_clock(time(2, 30), "fr") == "2 h 30"
    assert format_clock(time(18), "fr") == "18 h"
    assert format_clock(time(18, 5), "en") == "6:05 PM"
    assert format_clock(time(0), "en") == "12 AM"
    assert format_day(date(2026, 3, 29), "fr") == "dimanche 29 mars 2026"
    assert format_day(date(2026, 3, 29), "fr", weekday=False) == "29 mars 2026"
    assert format_day(date(2026, 3, 29), "en") == "Sunday, March 29, 2026"


def test_places_of_zones() -> None:
    assert format_zone_place("Europe/Paris", "fr") == "Paris"
    # CLDR files Montréal under Toronto: the zone's own city is named
    assert format_zone_place("America/Montreal", "fr") == "Montréal"
    assert format_zone_place("America/Montreal", "en") == "Montreal"
    assert format_zone_place("America/Argentina/Buenos_Aires", "en") == "Buenos Aires"
