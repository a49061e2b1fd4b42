"""bot.when.offsets: reminder offsets as people write them, when they fall, how they read.

2026 transitions: Montréal springs forward on Sunday 8 March and falls back on Sunday 1 November;
Paris springs forward on Sunday 29 March and falls back on Sunday 25 October. The expected instants
below are written from those UTC offsets (Paris +1/+2, Montréal −5/−4), not from the code.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import t
from bot.when import ERROR_PARAMS, WhenError
from bot.when.offsets import (
    MAX_OFFSETS,
    Offset,
    codes,
    due_at,
    format_offset,
    format_offsets,
    from_codes,
    parse_offsets,
)

PARIS = ZoneInfo("Europe/Paris")
MONTREAL = ZoneInfo("America/Montreal")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -- what people type ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # durations before the start, the forms meet-up moderators use
        ("24h, 1h", ["m1440", "m60"]),
        ("24h 1h", ["m1440", "m60"]),
        ("2 j; 30 min", ["m2880", "m30"]),
        ("1 jour / 3 heures", ["m1440", "m180"]),
        ("1h30", ["m90"]),
        ("1 h 30 min avant", ["m90"]),
        ("90mn", ["m90"]),
        ("2 days, 45 minutes before", ["m2880", "m45"]),
        # wall times some days before, the forms apéro moderators use
        ("la veille à 18h, 15 min avant", ["d1@18:00", "m15"]),
        ("15 min avant et la veille a 18h", ["d1@18:00", "m15"]),
        ("the day before at 6pm; 1h30 before", ["d1@18:00", "m90"]),
        ("2 jours avant à 10h, le jour même à 9h", ["d2@10:00", "d0@09:00"]),
        ("1 h avant, 1 heure avant, 60 min", ["m60"]),
        ("same day at 17:30", ["d0@17:30"]),
        ("LA VEILLE À MIDI", ["d1@12:00"]),
    ],
)
def test_parse_offsets(text: str, expected: list[str]) -> None:
    assert [o.code for o in parse_offsets(text)] == expected


def test_a_known_start_orders_and_checks_same_day_times() -> None:
    # for a start at 18:00, 10 h before (8:00) comes before the same day at 9:00
    assert [o.code for o in parse_offsets("le jour même à 9h, 10 h", time(18))] == [
        "m600",
        "d0@09:00",
    ]
    assert [o.code for o in parse_offsets("le jour même à 9h, 8 h", time(18))] == [
        "d0@09:00",
        "m480",
    ]
    with pytest.raises(WhenError) as caught:
        parse_offsets("le jour même à 19h", time(18))
    error = caught.value
    assert error.key == "when.error.offset_after_start"
    assert t(error.key, "fr", **error.params_in("fr")) == (
        "Le rappel du jour même à 19 h tombe après le début (18 h)."
    )


@pytest.mark.parametrize(
    ("text", "key", "max_days"),
    [
        ("bientôt", "when.error.bad_offset", 14),
        ("la veille à 27h", "when.error.bad_offset", 14),
        ("24h demain", "when.error.bad_offset", 14),
        ("0 min avant", "when.error.offset_range", 14),
        ("15 j", "when.error.offset_range", 14),
        ("8 jours avant à 10h", "when.error.offset_range", 6),
        ("7 jours avant à 10h", "when.error.offset_range", 6),
        ("7 j", "when.error.offset_range", 6),
        ("1 min, 2 min, 3 min, 4 min, 5 min, 6 min", "when.error.too_many_offsets", 14),
        ("1h 2h 3h 4h 5h 6h", "when.error.too_many_offsets", 14),
        (" , ", "when.error.no_offsets", 14),
    ],
)
def test_parse_offsets_refuses(text: str, key: str, max_days: int) -> None:
    with pytest.raises(WhenError) as caught:
        parse_offsets(text, max_days=max_days)
    assert caught.value.key == key
    assert set(caught.value.params) == ERROR_PARAMS[key]


def test_five_offsets_and_duplicates_are_fine() -> None:
    assert len(parse_offsets("1h, 2h, 3h, 4h, 5h, 60 min")) == MAX_OFFSETS


def test_codes_round_trip() -> None:
    offsets = parse_offsets("la veille à 18h, 15 min avant, 2 jours avant à 9h, 1 j")
    assert from_codes(codes(offsets)) == offsets
    for offset in offsets:
        assert Offset.from_code(offset.code) == offset


@given(st.integers(min_value=1, max_value=14 * 1440))
def test_any_duration_in_minutes_is_read_back(minutes: int) -> None:
    assert parse_offsets(f"{minutes} min") == (Offset(minutes=minutes),)


# -- when they fall --------------------------------------------------------------------------
def test_the_eve_at_1800_uses_that_days_offset() -> None:
    """Sunday 29 March 11:00 Paris: the eve is still winter time, the start summer time."""
    start = utc(2026, 3, 29, 9)
    assert due_at(start, PARIS, Offset(days=1, at=time(18))) == utc(2026, 3, 28, 17)  # 18:00 CET
    assert due_at(start, PARIS, Offset(minutes=15)) == utc(2026, 3, 29, 8, 45)


def test_montreal_eve_before_november_change() -> None:
    start = utc(2026, 11, 1, 15)  # 10:00 EST
    assert due_at(start, MONTREAL, Offset(days=1, at=time(18))) == utc(2026, 10, 31, 22)  # EDT


def test_the_day_is_the_starts_own_local_day() -> None:
    """Friday 18:00 in Montréal is already Saturday in UTC: the eve is Thursday there."""
    start = utc(2026, 3, 7, 0)  # Friday 6 March, 19:00 EST
    assert due_at(start, MONTREAL, Offset(days=1, at=time(9))) == utc(2026, 3, 5, 14)


def test_a_reminder_is_never_after_its_start() -> None:
    start = utc(2026, 3, 29, 1)  # Sunday 29 March 03:00 CEST
    same_day = Offset(days=0, at=time(2, 30))  # falls in the gap → 03:30 CEST, after the start
    assert due_at(start, PARIS, same_day) == start
    assert due_at(start, PARIS, Offset(days=0, at=time(9))) == start


# -- how they read ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "fr", "en"),
    [
        ("m15", "15 min avant", "15 min before"),
        ("m60", "1 h avant", "1 hour before"),
        ("m90", "1 h 30 avant", "1 h 30 min before"),
        ("m1440", "1 jour avant", "1 day before"),
        ("m2880", "2 jours avant", "2 days before"),
        ("d1@18:00", "la veille à 18 h", "the day before at 6 PM"),
        ("d0@09:30", "le jour même à 9 h 30", "the same day at 9:30 AM"),
        ("d3@10:00", "3 jours avant, à 10 h", "3 days before, at 10 AM"),
    ],
)
def test_format_offset(code: str, fr: str, en: str) -> None:
    offset = Offset.from_code(code)
    assert (format_offset(offset, "fr"), format_offset(offset, "en")) == (fr, en)


def test_format_offsets_joins_them() -> None:
    assert format_offsets(parse_offsets("24h, 1h"), "fr") == "1 jour avant, 1 h avant"
