"""bot.when.parse_date: deadlines typed as days (no hour), vague dates, leap years, the past,
and day_end across changes of time. Expected days are written by hand (weekdays checked with
`date -d … +%A`), never computed by the code under test."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import t
from bot.user_error import UserError
from bot.when import ERROR_PARAMS, WhenError, day_end, parse_date, today_in

MON = date(2026, 11, 30)  # Monday 30 November 2026
LEAP_EVE = date(2027, 3, 1)  # Monday 1 March 2027 (2027 is not a leap year, 2028 is)
PARIS = ZoneInfo("Europe/Paris")
MONTREAL = ZoneInfo("America/Montreal")


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("15/01", MON, date(2027, 1, 15)),
        ("15/01/2027", MON, date(2027, 1, 15)),
        ("15/01/27", MON, date(2027, 1, 15)),
        ("31 janvier", MON, date(2027, 1, 31)),
        ("le 31 janvier", MON, date(2027, 1, 31)),
        ("31 janvier 2027", MON, date(2027, 1, 31)),
        ("1er décembre", MON, date(2026, 12, 1)),
        ("2027-01-31", MON, date(2027, 1, 31)),
        ("30/11", MON, date(2026, 11, 30)),  # today still counts
        ("29/11", MON, date(2027, 11, 29)),  # passed this year: next year
        ("le 5", MON, date(2026, 12, 5)),
        ("le 30", MON, date(2026, 11, 30)),
        ("vendredi", MON, date(2026, 12, 4)),
        ("lundi", MON, date(2026, 11, 30)),  # today is Monday
        ("lundi prochain", MON, date(2026, 12, 7)),
        ("demain", MON, date(2026, 12, 1)),
        ("aujourd'hui", MON, date(2026, 11, 30)),
        ("dans 3 semaines", MON, date(2026, 12, 21)),
        ("vendredi 4 décembre", MON, date(2026, 12, 4)),
        ("jan 31", MON, date(2027, 1, 31)),
        ("January 31st", MON, date(2027, 1, 31)),
        ("next friday", MON, date(2026, 12, 4)),
        ("29/02", LEAP_EVE, date(2028, 2, 29)),  # the next 29 February
        ("29/02", MON, date(2028, 2, 29)),
        ("28/02", LEAP_EVE, date(2028, 2, 28)),
        ("29 février 2028", MON, date(2028, 2, 29)),
    ],
)
def test_days_members_type(text: str, today: date, expected: date) -> None:
    assert parse_date(text, today=today) == expected


def test_en_us_month_first_only_when_it_is_the_only_reading() -> None:
    assert parse_date("12/25", today=MON, lang_hint="en-US") == date(2026, 12, 25)
    assert parse_date("25/12", today=MON, lang_hint="fr") == date(2026, 12, 25)
    with pytest.raises(WhenError) as caught:
        parse_date("3/4", today=MON, lang_hint="en-US")
    assert caught.value.key == "when.error.ambiguous_date"


@pytest.mark.parametrize(
    ("text", "example_fr", "example_en"),
    [
        ("fin janvier", "31 janvier", "January 31"),
        ("Fin janvier", "31 janvier", "January 31"),
        ("fin février", "28 février", "February 28"),  # 2027 is not a leap year
        ("fin février 2028", "29 février", "February 29"),
        ("début mars", "1er mars", "March 1"),
        ("mi-avril", "15 avril", "April 15"),
        ("fin d'avril", "30 avril", "April 30"),
        ("end of january", "31 janvier", "January 31"),
        ("early march", "1er mars", "March 1"),
    ],
)
def test_vague_dates_are_refused_with_a_precise_example(
    text: str, example_fr: str, example_en: str
) -> None:
    with pytest.raises(WhenError) as caught:
        parse_date(text, today=MON)
    assert caught.value.key == "when.error.vague_date"
    assert caught.value.params == {"text": text, "example": example_fr}
    with pytest.raises(WhenError) as english:
        parse_date(text, today=MON, lang_hint="en-GB")
    assert english.value.params["example"] == example_en
    said = t(caught.value.key, "fr", **caught.value.params_in("fr"))
    assert f"« {example_fr} »" in said and text in said


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("15/01 18h", "when.error.date_with_hour"),
        ("vendredi soir", "when.error.date_with_hour"),
        ("demain midi", "when.error.date_with_hour"),
        ("dans 2 heures", "when.error.date_with_hour"),
        ("31/02", "when.error.impossible_date"),
        ("29/02/2027", "when.error.impossible_date"),  # 2027 has no 29 February
        ("32 janvier", "when.error.impossible_date"),
        ("bientôt", "when.error.not_understood"),
        ("semaine prochaine", "when.error.not_understood"),
        ("", "when.error.not_understood"),
        ("x" * 500, "when.error.not_understood"),
        ("15/01/2026", "when.error.past_date"),
        ("hier", "when.error.not_understood"),
        ("2030-01-01", "when.error.too_far"),
        ("dans 200 semaines", "when.error.too_far"),
        ("samedi 4 décembre", "when.error.weekday_mismatch"),  # 4 December 2026 is a Friday
    ],
)
def test_refusals(text: str, key: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_date(text, today=MON)
    assert caught.value.key == key
    assert set(caught.value.params) == ERROR_PARAMS[key]
    for lang in ("fr", "en"):  # every refusal reads as a sentence in both languages
        said = t(key, lang, **caught.value.params_in(lang))
        assert "{" not in said and key not in said


def test_a_past_date_is_said_in_words() -> None:
    with pytest.raises(UserError) as caught:
        parse_date("15/01/2026", today=MON)
    said = t(caught.value.key, "fr", **caught.value.params_in("fr"))
    assert "jeudi 15 janvier 2026" in said


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_any_day_within_two_years_reads_back(today: date) -> None:
    for ahead in (0, 1, 59, 365, 700):
        day = today + timedelta(days=ahead)
        assert parse_date(f"{day:%d/%m/%Y}", today=today) == day
        assert parse_date(day.isoformat(), today=today) == day


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_no_year_means_the_next_one_never_the_past(today: date) -> None:
    year = today.year if (today.month, today.day) <= (2, 29) else today.year + 1
    while year % 4 or (year % 100 == 0 and year % 400):  # the next 29 February, by hand
        year += 1
    leap_day = date(year, 2, 29)
    if leap_day - today > timedelta(days=731):
        with pytest.raises(WhenError) as caught:
            parse_date("29/02", today=today)
        assert caught.value.key == "when.error.too_far"
    else:
        assert parse_date("29/02", today=today) == leap_day


@pytest.mark.parametrize(
    ("day", "zone", "expected_utc"),
    [
        (date(2027, 1, 15), PARIS, datetime(2027, 1, 15, 23, 0, tzinfo=UTC)),  # winter, +1
        (date(2027, 7, 15), PARIS, datetime(2027, 7, 15, 22, 0, tzinfo=UTC)),  # summer, +2
        (date(2027, 3, 27), PARIS, datetime(2027, 3, 27, 23, 0, tzinfo=UTC)),  # eve of spring
        (date(2027, 3, 28), PARIS, datetime(2027, 3, 28, 22, 0, tzinfo=UTC)),  # 23-hour day
        (date(2026, 10, 25), PARIS, datetime(2026, 10, 25, 23, 0, tzinfo=UTC)),  # 25-hour day
        (date(2027, 3, 14), MONTREAL, datetime(2027, 3, 15, 4, 0, tzinfo=UTC)),
        (date(2026, 11, 1), MONTREAL, datetime(2026, 11, 2, 5, 0, tzinfo=UTC)),
        # Santiago skips midnight when clocks go forward (7 September 2025: 00:00 → 01:00).
        (
            date(2025, 9, 6),
            ZoneInfo("America/Santiago"),
            datetime(2025, 9, 7, 4, 0, tzinfo=UTC),
        ),
    ],
)
def test_day_end_follows_the_zone_across_changes_of_time(
    day: date, zone: ZoneInfo, expected_utc: datetime
) -> None:
    end = day_end(day, zone)
    assert end == expected_utc
    assert today_in(zone, end - timedelta(seconds=1)) == day
    assert today_in(zone, end) == day + timedelta(days=1)
