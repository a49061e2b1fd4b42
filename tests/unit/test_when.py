"""bot.when.parse_when: the table of what members type, refusals, DST, properties, catalogs.

Expected instants are written by hand (weekdays checked against the system calendar), never
computed by the code under test.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.i18n import Message, placeholders, read_catalog, t
from bot.user_error import UserError
from bot.when import ERROR_PARAMS, MAX_DAYS_AHEAD, WhenError, format_examples, parse_when

PARIS = ZoneInfo("Europe/Paris")
MONTREAL = ZoneInfo("America/Montreal")
ZONES = {"P": PARIS, "M": MONTREAL}

# Reference moments (weekdays checked with `date -d … +%A`).
MON = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)  # Monday 30 November 2026, 10:00 Paris
YEAR_END = datetime(2026, 12, 30, 22, 30, tzinfo=MONTREAL)  # Wednesday, 22:30 Montréal
LAST_SECONDS = datetime(2026, 12, 31, 23, 59, 30, tzinfo=PARIS)  # Thursday, 23:59:30 Paris
NEW_YEAR = datetime(2027, 1, 1, 0, 0, tzinfo=PARIS)  # Friday 00:00:00 exactly


def parse(text: str, now: datetime, lang_hint: str | None = None) -> datetime:
    return parse_when(text, zone=now.tzinfo, now=now, lang_hint=lang_hint)  # type: ignore[arg-type]


def wall(result: datetime) -> str:
    return f"{result:%Y-%m-%d %H:%M}"


TABLE: list[tuple[datetime, str, str]] = [
    # (now, text, expected local wall time in now's zone)
    (MON, "vendredi 18h", "2026-12-04 18:00"),
    (MON, "vendredi à 18h30", "2026-12-04 18:30"),
    (MON, "Vendredi   A  18H30", "2026-12-04 18:30"),
    (MON, "vendredi @ 18h", "2026-12-04 18:00"),
    (MON, "ven 18h", "2026-12-04 18:00"),
    (MON, "jeudi 17 h 30", "2026-12-03 17:30"),
    (MON, "jeudi 17 heures 30", "2026-12-03 17:30"),
    (MON, "demain midi", "2026-12-01 12:00"),
    (MON, "après-demain 19h", "2026-12-02 19:00"),
    (MON, "apres-demain 19h", "2026-12-02 19:00"),
    (MON, "après demain à 19 h", "2026-12-02 19:00"),
    (MON, "ce soir 20h", "2026-11-30 20:00"),
    (MON, "ce soir 8h", "2026-11-30 20:00"),
    (MON, "ce soir à minuit", "2026-12-01 00:00"),
    (MON, "aujourd'hui 15h", "2026-11-30 15:00"),
    (MON, "aujourd’hui à 15h", "2026-11-30 15:00"),
    (MON, "lundi prochain à midi", "2026-12-07 12:00"),  # said on a Monday: in 7 days
    (MON, "lundi qui vient à 9h", "2026-12-07 09:00"),
    (MON, "prochain lundi 9h", "2026-12-07 09:00"),
    (MON, "mardi prochain 9h", "2026-12-01 09:00"),  # the coming Tuesday
    (MON, "lundi midi", "2026-11-30 12:00"),  # today: the hour is still ahead
    (MON, "lundi 9h", "2026-12-07 09:00"),  # today's 9h is past: next Monday
    (MON, "ce lundi 11h", "2026-11-30 11:00"),
    (MON, "le 12 décembre à 20h", "2026-12-12 20:00"),
    (MON, "le 12 decembre a 20h", "2026-12-12 20:00"),
    (MON, "LE 12 DÉCEMBRE À 20H", "2026-12-12 20:00"),
    (MON, "  le 12   décembre  à 20h ", "2026-12-12 20:00"),
    (MON, "12 déc. 20h", "2026-12-12 20:00"),
    (MON, "samedi 12 décembre 20h", "2026-12-12 20:00"),
    (MON, "20h le 12 décembre", "2026-12-12 20:00"),
    (MON, "12/12 20h", "2026-12-12 20:00"),
    (MON, "12/12/2026 20h", "2026-12-12 20:00"),
    (MON, "12/12/26 20:00", "2026-12-12 20:00"),
    (MON, "2026-12-12T20:00", "2026-12-12 20:00"),
    (MON, "2026-12-12 20:00", "2026-12-12 20:00"),
    (MON, "2026-12-12T20:00:00", "2026-12-12 20:00"),
    (MON, "2026-12-12T19:00Z", "2026-12-12 20:00"),  # an exact instant, shown in the zone
    (MON, "2026-12-12T14:00-05:00", "2026-12-12 20:00"),
    (MON, "2026-12-12 20:00:00+01:00", "2026-12-12 20:00"),
    (MON, "aujourdhui 15h", "2026-11-30 15:00"),
    (MON, "auj. 15h", "2026-11-30 15:00"),
    (MON, "9h du matin", "2026-12-01 09:00"),
    (MON, "3h de l'après-midi", "2026-11-30 15:00"),
    (MON, "mar 3 9h", "2027-03-03 09:00"),  # 'mar' is March, never mardi
    (MON, "le 1er à 9h", "2026-12-01 09:00"),
    (MON, "sam 5 déc 17h", "2026-12-05 17:00"),
    (MON, "dans 3 jours à minuit", "2026-12-04 00:00"),
    (MON, "dec 12 8pm", "2026-12-12 20:00"),
    (MON, "December 12th, 2026 at 8:00 p.m.", "2026-12-12 20:00"),
    (MON, "12 dec 8 pm", "2026-12-12 20:00"),
    (MON, "3 janvier 19h", "2027-01-03 19:00"),
    (MON, "1er mars 2027 à 9h", "2027-03-01 09:00"),
    (MON, "1er mars à 9h", "2027-03-01 09:00"),
    (MON, "29/02 20h", "2028-02-29 20:00"),  # next year that has the date
    (MON, "dans 3 jours à 18h", "2026-12-03 18:00"),
    (MON, "in 3 days at 6pm", "2026-12-03 18:00"),
    (MON, "dans une semaine à 9h", "2026-12-07 09:00"),
    (MON, "dans deux semaines à 9h", "2026-12-14 09:00"),
    (MON, "dans 2 heures", "2026-11-30 12:00"),
    (MON, "dans 1h30", "2026-11-30 11:30"),
    (MON, "in 45 minutes", "2026-11-30 10:45"),
    (MON, "dans une heure", "2026-11-30 11:00"),
    (MON, "friday 6pm", "2026-12-04 18:00"),
    (MON, "Friday at 6 PM", "2026-12-04 18:00"),
    (MON, "tomorrow 7:30pm", "2026-12-01 19:30"),
    (MON, "8 p.m. tomorrow", "2026-12-01 20:00"),
    (MON, "tomorrow 12am", "2026-12-01 00:00"),
    (MON, "tomorrow 12pm", "2026-12-01 12:00"),
    (MON, "tonight 9pm", "2026-11-30 21:00"),
    (MON, "next monday at noon", "2026-12-07 12:00"),
    (MON, "monday next 9am", "2026-12-07 09:00"),
    (MON, "18h00", "2026-11-30 18:00"),
    (MON, "18:30", "2026-11-30 18:30"),
    (MON, "18 h", "2026-11-30 18:00"),
    (MON, "à 18h pile", "2026-11-30 18:00"),
    (MON, "vers 18h", "2026-11-30 18:00"),
    (MON, "9h", "2026-12-01 09:00"),  # today's 9h is past: tomorrow
    (MON, "midi", "2026-11-30 12:00"),
    (MON, "minuit", "2026-12-01 00:00"),
    (MON, "vendredi minuit", "2026-12-05 00:00"),  # the night from Friday to Saturday
    (MON, "demain 0h", "2026-12-01 00:00"),
    (MON, "midi et demi", "2026-11-30 12:30"),
    (MON, "18h et quart", "2026-11-30 18:15"),
    (MON, "18 heures et demie", "2026-11-30 18:30"),
    (MON, "demain après-midi 3h", "2026-12-01 15:00"),
    (MON, "demain matin 9h", "2026-12-01 09:00"),
    (MON, "vendredi soir 8h", "2026-12-04 20:00"),
    (MON, "vendredi soir 8am", "2026-12-04 08:00"),  # am/pm wins over the period
    (MON, "samedi le 5 à 17h", "2026-12-05 17:00"),
    (MON, "le 5 à 17 h", "2026-12-05 17:00"),
    (MON, "le 30 à 11h", "2026-11-30 11:00"),  # today, still ahead
    (MON, "le 30 à 9h", "2026-12-30 09:00"),  # today's is past: next month
    (MON, "le 31 à 9h", "2026-12-31 09:00"),  # November has no 31st
    (MON, "3/4 20h", "2027-04-03 20:00"),  # day/month by default
    # Year end, Montréal.
    (YEAR_END, "3 janvier 19h", "2027-01-03 19:00"),
    (YEAR_END, "12/12 20h", "2027-12-12 20:00"),
    (YEAR_END, "demain midi", "2026-12-31 12:00"),
    (YEAR_END, "jeudi 17 h 30", "2026-12-31 17:30"),
    (YEAR_END, "minuit", "2026-12-31 00:00"),
    (YEAR_END, "ce soir 23h", "2026-12-30 23:00"),
    (YEAR_END, "23 h", "2026-12-30 23:00"),
    (YEAR_END, "22h", "2026-12-31 22:00"),
    (YEAR_END, "mercredi 23h", "2026-12-30 23:00"),
    (YEAR_END, "mercredi prochain 23h", "2027-01-06 23:00"),
    (YEAR_END, "le 5 à 17 h", "2027-01-05 17:00"),
    (YEAR_END, "1er janvier à 0h", "2027-01-01 00:00"),
    (YEAR_END, "dans 3 jours à 18h", "2027-01-02 18:00"),
    # Around midnight, Paris.
    (LAST_SECONDS, "minuit", "2027-01-01 00:00"),
    (LAST_SECONDS, "0h", "2027-01-01 00:00"),
    (LAST_SECONDS, "ce soir minuit", "2027-01-01 00:00"),
    (LAST_SECONDS, "demain 0h", "2027-01-01 00:00"),
    (LAST_SECONDS, "23h59", "2027-01-01 23:59"),  # 23:59:00 today is already past
    (LAST_SECONDS, "vendredi 10h", "2027-01-01 10:00"),
    (NEW_YEAR, "minuit", "2027-01-02 00:00"),
    (NEW_YEAR, "0h", "2027-01-02 00:00"),  # exactly now is not ahead
    (NEW_YEAR, "00:01", "2027-01-01 00:01"),
]


@pytest.mark.parametrize(("now", "text", "expected"), TABLE)
def test_table(now: datetime, text: str, expected: str) -> None:
    result = parse(text, now)
    assert wall(result) == expected
    assert result.tzinfo is now.tzinfo
    assert result > now


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/25 8pm", "2026-12-25 20:00"),
        ("25/12 8pm", "2026-12-25 20:00"),
        ("12/12 8pm", "2026-12-12 20:00"),
    ],
)
def test_en_us_reads_month_day_when_only_that_exists(text: str, expected: str) -> None:
    assert wall(parse(text, MON, "en-US")) == expected


def test_en_us_asks_when_both_readings_exist() -> None:
    with pytest.raises(WhenError) as caught:
        parse(" 3/4 8pm ", MON, "en-US")
    assert caught.value.params["text"] == "3/4 8pm"
    assert caught.value.key == "when.error.ambiguous_date"
    assert caught.value.params["day_first"] == "April 3"
    assert caught.value.params["month_first"] == "March 4"


@pytest.mark.parametrize("hint", [None, "fr", "fr-CA", "en-GB"])
def test_other_languages_read_day_month(hint: str | None) -> None:
    assert wall(parse("3/4 20h", MON, hint)) == "2027-04-03 20:00"
    with pytest.raises(WhenError, match="impossible_date"):
        parse("12/25 20h", MON, hint)


REFUSALS = [
    ("blabla", "when.error.not_understood"),
    ("", "when.error.not_understood"),
    ("   ", "when.error.not_understood"),
    ("à", "when.error.not_understood"),
    ("vendredi blabla 18h", "when.error.not_understood"),
    ("18h 19h", "when.error.not_understood"),
    ("lundi mardi 9h", "when.error.not_understood"),
    ("demain le 5 à 9h", "when.error.not_understood"),
    ("dans 2 heures demain", "when.error.not_understood"),
    ("ce soir matin 9h", "when.error.not_understood"),
    ("x" * 300 + " 18h", "when.error.not_understood"),
    ("vendredi", "when.error.missing_hour"),
    ("vendredi soir", "when.error.missing_hour"),
    ("demain", "when.error.missing_hour"),
    ("ce soir", "when.error.missing_hour"),
    ("le 12 décembre", "when.error.missing_hour"),
    ("12/12", "when.error.missing_hour"),
    ("dans 3 jours", "when.error.missing_hour"),
    ("lundi prochain", "when.error.missing_hour"),
    ("vendredi 18", "when.error.missing_hour"),  # 18 reads as the 18th: ask for the hour
    ("31/02 20h", "when.error.impossible_date"),
    ("30 février 20h", "when.error.impossible_date"),
    ("29/02/2027 20h", "when.error.impossible_date"),
    ("32/01 20h", "when.error.impossible_date"),
    ("13/13 10h", "when.error.impossible_date"),
    ("0/5 10h", "when.error.impossible_date"),
    ("le 32 à 9h", "when.error.impossible_date"),
    ("2027-02-30 10:00", "when.error.impossible_date"),
    ("25h", "when.error.impossible_hour"),
    ("  25h  ", "when.error.impossible_hour"),
    ("  31/02 20h ", "when.error.impossible_date"),
    ("18h75", "when.error.impossible_hour"),
    ("vendredi 25h", "when.error.impossible_hour"),
    ("24:00", "when.error.impossible_hour"),
    ("13pm", "when.error.impossible_hour"),
    ("0am", "when.error.impossible_hour"),
    ("18:60", "when.error.impossible_hour"),
    ("aujourd'hui 9h", "when.error.past"),
    ("2025-01-01 10:00", "when.error.past"),
    ("1er janvier 2026 à 9h", "when.error.past"),
    ("30/11/2026 10h", "when.error.past"),  # exactly now
    ("12/12/0000 20h", "when.error.past"),
    ("dans 0 minutes", "when.error.past"),
    ("2020-01-01T00:00Z", "when.error.past"),
    ("2029-01-01T00:00Z", "when.error.too_far"),
    ("2026-13-12T20:00Z", "when.error.impossible_date"),
    ("2026-12-12T25:00Z", "when.error.impossible_hour"),
    ("tonight at 8", "when.error.not_understood"),  # a bare number is a day of the month
    ("18.30", "when.error.not_understood"),
    ("la semaine prochaine", "when.error.not_understood"),
    ("1er mars 2030 9h", "when.error.too_far"),
    ("12/12/2099 20h", "when.error.too_far"),
    ("31/12/9999 minuit", "when.error.too_far"),
    ("dans 800 jours à 9h", "when.error.too_far"),
    ("dans 20000 heures", "when.error.too_far"),
    ("dans 9999 semaines à 9h", "when.error.too_far"),
    ("vendredi 12 décembre 2026 à 20h", "when.error.weekday_mismatch"),  # a Saturday
    ("demain vendredi 9h", "when.error.weekday_mismatch"),  # tomorrow is a Tuesday
]


@pytest.mark.parametrize(("text", "key"), REFUSALS)
def test_refusals(text: str, key: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse(text, MON)
    error = caught.value
    assert isinstance(error, UserError)
    assert error.key == key
    assert set(error.params) == ERROR_PARAMS[key]
    assert error.params["text"] == text.strip()[:100]
    assert text not in repr(error) or not text


def test_refusal_details() -> None:
    with pytest.raises(WhenError) as caught:
        parse("aujourd'hui 9h", MON)
    assert caught.value.params_in("fr")["when"] == "lundi 30 novembre 2026 à 9 h"
    assert caught.value.params_in("en")["when"] == "Monday, November 30, 2026 at 9 AM"
    with pytest.raises(WhenError) as caught:
        parse("1er mars 2030 9h", MON)
    assert caught.value.params["years"] == 2
    with pytest.raises(WhenError) as caught:
        parse("vendredi 12 décembre 2026 à 20h", MON)
    error = caught.value
    assert t(error.key, "fr", **error.params_in("fr")).startswith(
        "« vendredi 12 décembre 2026 à 20h » : le 12 décembre 2026 est un samedi."
    )
    with pytest.raises(WhenError) as caught:
        parse("blabla", MON, "en-US")
    assert caught.value.params["examples"] == ", ".join(format_examples("en"))
    with pytest.raises(WhenError) as caught:
        parse("blabla", MON)
    assert "vendredi 18h" in caught.value.params["examples"]


def test_ce_soir_is_pinned_to_today() -> None:
    late = datetime(2026, 11, 30, 21, 0, tzinfo=PARIS)
    with pytest.raises(WhenError, match="past"):
        parse("ce soir 20h", late)


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("18h", zone=PARIS, now=datetime(2026, 11, 30, 10))


def test_now_in_another_zone_is_converted() -> None:
    now_utc = MON.astimezone(UTC)  # 09:00 UTC = 10:00 Paris
    result = parse_when("9h30", zone=PARIS, now=now_utc)
    assert wall(result) == "2026-12-01 09:30"
    assert result.tzinfo is PARIS


# --- Daylight saving time -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "now", "text", "day", "place", "change"),
    [
        (
            PARIS,
            datetime(2027, 3, 20, 12, tzinfo=PARIS),
            "28/03/2027 2h30",
            28,
            "Paris",
            "2 h à 3 h",
        ),
        (PARIS, datetime(2027, 3, 27, 23, tzinfo=PARIS), "dimanche 2h30", 28, "Paris", "2 h à 3 h"),
        (PARIS, datetime(2027, 3, 27, 23, tzinfo=PARIS), "2h30", 28, "Paris", "2 h à 3 h"),
        (
            MONTREAL,
            datetime(2027, 3, 1, tzinfo=MONTREAL),
            "14/03/2027 2h30",
            14,
            "Montréal",
            "2 h à 3 h",
        ),
        (
            MONTREAL,
            datetime(2027, 3, 1, tzinfo=MONTREAL),
            "2027-03-14 02:30",
            14,
            "Montréal",
            "2 h à 3 h",
        ),
    ],
)
def test_nonexistent_time(
    zone: ZoneInfo, now: datetime, text: str, day: int, place: str, change: str
) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, zone=zone, now=now)
    assert caught.value.key == "when.error.nonexistent_time"
    message = t(caught.value.key, "fr", **caught.value.params_in("fr"))
    assert f"le dimanche {day} mars 2027 à 2 h 30 n’existe pas à {place}" in message
    assert f"l’heure passe de {change}" in message
    said = message.replace(text, "")  # what the member typed is quoted as is
    assert "UTC" not in said and "2027-" not in said and "+0" not in said


def test_nonexistent_time_in_words_in_each_language() -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(
            "29/03 2h30", zone=PARIS, now=datetime(2026, 3, 2, 10, tzinfo=PARIS), lang_hint="fr"
        )
    error = caught.value
    assert t(error.key, "fr", **error.params_in("fr")) == (
        "« 29/03 2h30 » : le dimanche 29 mars 2026 à 2 h 30 n’existe pas à Paris (changement"
        " d’heure : l’heure passe de 2 h à 3 h). Choisissez une autre heure."
    )
    assert t(error.key, "en", **error.params_in("en")) == (
        "“29/03 2h30”: 2:30 AM on Sunday, March 29, 2026 doesn’t exist in Paris (clocks go"
        " forward from 2 AM to 3 AM). Please pick another time."
    )


def test_a_half_hour_change_is_worded_to_the_minute() -> None:
    """Lord Howe Island moves its clocks by 30 minutes: 2:00 becomes 2:30 on 3 October 2027."""
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    with pytest.raises(WhenError) as caught:
        parse_when("03/10/2027 2h15", zone=lord_howe, now=datetime(2027, 9, 1, tzinfo=lord_howe))
    params = caught.value.params_in("fr")
    assert caught.value.key == "when.error.nonexistent_time"
    assert (params["from_hour"], params["to_hour"]) == ("2 h", "2 h 30")


@pytest.mark.parametrize(
    ("zone", "now", "text", "words", "change", "pick"),
    [
        (
            PARIS,
            datetime(2027, 10, 20, tzinfo=PARIS),
            "31/10/2027 2h30",
            "le dimanche 31 octobre 2027, 2 h 30 arrive deux fois à Paris",
            "l’heure recule de 3 h à 2 h",
            "avant 2 h ou à partir de 3 h",
        ),
        (
            MONTREAL,
            datetime(2027, 11, 1, tzinfo=MONTREAL),
            "2027-11-07 01:30",
            "le dimanche 7 novembre 2027, 1 h 30 arrive deux fois à Montréal",
            "l’heure recule de 2 h à 1 h",
            "avant 1 h ou à partir de 2 h",
        ),
        (
            MONTREAL,
            datetime(2027, 11, 6, 20, tzinfo=MONTREAL),
            "dimanche 1h30",
            "le dimanche 7 novembre 2027, 1 h 30 arrive deux fois à Montréal",
            "l’heure recule de 2 h à 1 h",
            "avant 1 h ou à partir de 2 h",
        ),
    ],
)
def test_ambiguous_time(
    zone: ZoneInfo, now: datetime, text: str, words: str, change: str, pick: str
) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, zone=zone, now=now)
    assert caught.value.key == "when.error.ambiguous_time"
    message = t(caught.value.key, "fr", **caught.value.params_in("fr"))
    assert words in message and change in message and pick in message
    said = message.replace(text, "")
    assert "UTC" not in said and "2027-" not in said


def test_durations_cross_dst_exactly() -> None:
    now = datetime(2027, 3, 28, 1, 30, tzinfo=PARIS)  # 00:30 UTC, 30 min before the gap
    result = parse_when("dans 2 heures", zone=PARIS, now=now)
    assert result.astimezone(UTC) == datetime(2027, 3, 28, 2, 30, tzinfo=UTC)
    assert wall(result) == "2027-03-28 04:30"


def test_times_just_after_the_gap_exist() -> None:
    now = datetime(2027, 3, 28, 1, 30, tzinfo=PARIS)
    result = parse_when("3h", zone=PARIS, now=now)
    assert result.astimezone(UTC) == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)


# --- Examples and catalogs ------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "fr-CA", "en", "en-US", "en-GB", "de"])
def test_examples_are_understood(lang: str) -> None:
    examples = format_examples(lang)
    assert examples
    for text in examples:
        assert parse(text, MON, lang) > MON


def test_examples_by_language() -> None:
    assert "vendredi 18h" in format_examples("fr")
    assert "friday 6pm" in format_examples("en-US")
    assert format_examples("de") == format_examples("fr")


LOCALES = Path(__file__).resolve().parents[2] / "bot" / "when" / "locales"


def _catalog(lang: str) -> dict[str, Message]:
    return read_catalog(LOCALES / f"{lang}.po")


def test_catalogs_have_every_key_with_the_same_placeholders() -> None:
    french, english = _catalog("fr"), _catalog("en")
    assert set(french) == set(english)
    assert {k for k in french if k.startswith("when.error.")} == set(ERROR_PARAMS)
    for key, params in ERROR_PARAMS.items():
        fr, en = french[key], english[key]
        assert isinstance(fr, str) and isinstance(en, str), key
        found = placeholders(fr)
        assert found == placeholders(en), key
        assert "text" in found and found <= params, key
        sample = {name: f"<{name}>" for name in params}
        assert fr.format(**sample) and en.format(**sample)


# --- Properties -----------------------------------------------------------------------------

MOIS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
MONTHS_FR = MOIS.split()
MONTHS_EN = "January February March April May June July August September October November December"
MONTHS_EN_LIST = MONTHS_EN.split()
JOURS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PROPERTY_ZONES = [PARIS, MONTREAL, ZoneInfo("UTC"), ZoneInfo("Australia/Sydney")]


def _real(naive: datetime, zone: ZoneInfo) -> datetime | None:
    """naive in zone if that wall time exists exactly once (test-side filter)."""
    first, second = naive.replace(tzinfo=zone), naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        return None
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return None
    return first


def _h12(hour: int) -> tuple[int, str]:
    return (hour % 12 or 12), ("am" if hour < 12 else "pm")


def _render_with_year(t: datetime, style: int) -> str:
    d, m, y, hh, mm = t.day, t.month, t.year, t.hour, t.minute
    day = "1er" if d == 1 else str(d)
    h12, ampm = _h12(hh)
    return [
        f"{d}/{m}/{y} {hh}h{mm:02d}",
        f"le {day} {MONTHS_FR[m - 1]} {y} à {hh}h{mm:02d}",
        f"{y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}",
        f"{y}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}",
        f"{MONTHS_EN_LIST[m - 1]} {d}, {y} at {h12}:{mm:02d} {ampm}",
        f"{day} {MONTHS_FR[m - 1].upper()} {y} {hh} h {mm:02d}",
    ][style]


def _render_without_year(t: datetime, style: int) -> str:
    d, m, hh, mm = t.day, t.month, t.hour, t.minute
    h12, ampm = _h12(hh)
    return [
        f"{d}/{m} {hh}h{mm:02d}",
        f"le {d} {MONTHS_FR[m - 1]} à {hh}:{mm:02d}",
        f"{MONTHS_EN_LIST[m - 1][:3]} {d} {h12}:{mm:02d}{ampm}",
    ][style]


nows = st.sampled_from(PROPERTY_ZONES).flatmap(
    lambda zone: st.datetimes(
        min_value=datetime(2024, 1, 1),
        max_value=datetime(2032, 12, 31),
        timezones=st.just(zone),
        allow_imaginary=False,
    )
)
PROPERTY_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


def _target(now: datetime, minutes_ahead: int) -> datetime | None:
    naive = (now.replace(tzinfo=None) + timedelta(minutes=minutes_ahead)).replace(
        second=0, microsecond=0
    )
    target = _real(naive, now.tzinfo)  # type: ignore[arg-type]
    if target is None or target <= now or target - now > timedelta(days=MAX_DAYS_AHEAD - 2):
        return None
    return target


@PROPERTY_SETTINGS
@given(now=nows, minutes=st.integers(1, 700 * 1440), style=st.integers(0, 5))
def test_any_future_date_with_year_round_trips(now: datetime, minutes: int, style: int) -> None:
    target = _target(now, minutes)
    assume(target is not None)
    assert target is not None
    result = parse(_render_with_year(target, style), now)
    assert result == target and result.tzinfo is now.tzinfo
    assert wall(result) == wall(target)


@PROPERTY_SETTINGS
@given(now=nows, minutes=st.integers(1, 355 * 1440), style=st.integers(0, 2))
def test_any_date_within_a_year_without_year(now: datetime, minutes: int, style: int) -> None:
    target = _target(now, minutes)
    assume(target is not None)
    assert target is not None
    result = parse(_render_without_year(target, style), now)
    assert wall(result) == wall(target)
    assert result.utcoffset() == target.utcoffset()


@PROPERTY_SETTINGS
@given(now=nows, minutes=st.integers(1, 7 * 1440 - 1), english=st.booleans())
def test_weekday_within_a_week(now: datetime, minutes: int, english: bool) -> None:
    target = _target(now, minutes)
    assume(target is not None and target.date() - now.date() < timedelta(days=7))
    assert target is not None
    hh, mm = target.hour, target.minute
    h12, ampm = _h12(hh)
    wd = target.weekday()
    text = f"{DAYS_EN[wd]} {h12}:{mm:02d}{ampm}" if english else f"{JOURS[wd]} à {hh}h{mm:02d}"
    assert wall(parse(text, now)) == wall(target)


@PROPERTY_SETTINGS
@given(now=nows, days=st.integers(1, 7), hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_next_weekday_is_strictly_after_today(
    now: datetime, days: int, hour: int, minute: int
) -> None:
    day = now.date() + timedelta(days=days)
    target = _real(datetime(day.year, day.month, day.day, hour, minute), now.tzinfo)  # type: ignore[arg-type]
    assume(target is not None)
    assert target is not None
    result = parse(f"{JOURS[day.weekday()]} prochain à {hour}h{minute:02d}", now)
    assert wall(result) == wall(target)


@PROPERTY_SETTINGS
@given(now=nows, days=st.integers(0, 30), hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_day_offsets(now: datetime, days: int, hour: int, minute: int) -> None:
    day = now.date() + timedelta(days=days)
    target = _real(datetime(day.year, day.month, day.day, hour, minute), now.tzinfo)  # type: ignore[arg-type]
    assume(target is not None and target > now)
    assert target is not None
    words = {0: "aujourd'hui", 1: "demain", 2: "après-demain"}
    text = f"{words.get(days, f'dans {days} jours')} à {hour}h{minute:02d}"
    assert wall(parse(text, now)) == wall(target)


PIECES = [
    "vendredi", "lundi prochain", "demain", "après-demain", "ce soir", "le 5", "12/12", "3/4",
    "le 12 décembre", "1er mars 2027", "2027-01-31", "18h", "17 h 30", "midi", "minuit", "8pm",
    "7:30", "0h", "à", "le", "soir", "matin", "dans 3 jours", "dans 2 heures", "next monday",
    "dec 12", "29/02", "31/04", "2h30", "1h30", "friday", "tomorrow", "25h", "blabla",
]  # fmt: skip


@PROPERTY_SETTINGS
@given(
    now=nows,
    pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=4),
    hint=st.sampled_from([None, "fr", "en-US"]),
)
def test_results_are_aware_future_and_bounded(
    now: datetime, pieces: list[str], hint: str | None
) -> None:
    try:
        result = parse(" ".join(pieces), now, hint)
    except WhenError as error:
        assert set(error.params) == ERROR_PARAMS[error.key]
        return
    assert result.tzinfo is now.tzinfo
    assert now < result <= now + timedelta(days=MAX_DAYS_AHEAD)
    if "dans 2 heures" in pieces:
        # An exact duration: the instant is now + 2 h, even on the night the clocks go back,
        # where the local time it lands on happens twice.
        assert result.astimezone(UTC) - now.astimezone(UTC) == timedelta(hours=2)
        return
    assert _real(result.replace(tzinfo=None), now.tzinfo) == result  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(now=nows, text=st.text(max_size=60))
def test_any_text_gives_a_datetime_or_a_when_error(now: datetime, text: str) -> None:
    try:
        result = parse(text, now)
    except WhenError:
        return
    assert result > now


@contextmanager
def process_tz(name: str):  # type: ignore[no-untyped-def]
    saved = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


def _outcome(text: str, now: datetime) -> object:
    try:
        return parse(text, now)
    except WhenError as error:
        return (error.key, error.params)


@settings(max_examples=60, deadline=None)
@given(now=nows, pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=3))
def test_outcome_does_not_depend_on_the_process_timezone(now: datetime, pieces: list[str]) -> None:
    text = " ".join(pieces)
    with process_tz("UTC"):
        reference = _outcome(text, now)
    for name in ["Pacific/Kiritimati", "America/St_Johns", "Asia/Kathmandu", "Pacific/Pago_Pago"]:
        with process_tz(name):
            assert time.localtime(0).tm_gmtoff != 0
            assert _outcome(text, now) == reference
