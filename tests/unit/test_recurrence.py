"""Weekly occurrences at a wall-clock time in a zone (bot.recurrence): DST in both countries.

2026 transitions: Montréal springs forward on Sunday 8 March and falls back on Sunday 1 November;
Paris springs forward on Sunday 29 March and falls back on Sunday 25 October. The expected instants
below are written from those UTC offsets (Paris +1/+2, Montréal −5/−4), not from the code.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import recurrence as rec

PARIS = ZoneInfo("Europe/Paris")
MONTREAL = ZoneInfo("America/Montreal")
FRIDAY, THURSDAY, SATURDAY, SUNDAY = 4, 3, 5, 6


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -- occurrences across DST ----------------------------------------------------------------------
def test_paris_friday_1800_across_both_march_changes() -> None:
    spec = rec.WeeklySpec(FRIDAY, time(18, 0), PARIS)
    got = rec.next_occurrences(spec, utc(2026, 3, 1), 5)
    assert [o.day for o in got] == [date(2026, 3, d) for d in (6, 13, 20, 27)] + [date(2026, 4, 3)]
    # Paris is +1 until 29 March, +2 after: 17:00 UTC then 16:00 UTC.
    assert [o.start for o in got] == [
        utc(2026, 3, 6, 17),
        utc(2026, 3, 13, 17),
        utc(2026, 3, 20, 17),
        utc(2026, 3, 27, 17),
        utc(2026, 4, 3, 16),
    ]
    # What Montréal sees: 12:00 (both on winter time), then 13:00 for the three weeks when only
    # Montréal has changed, then 12:00 again.
    montreal_hours = [o.start.astimezone(MONTREAL).hour for o in got]
    assert montreal_hours == [12, 13, 13, 13, 12]


def test_paris_friday_1800_across_october_and_november_changes() -> None:
    spec = rec.WeeklySpec(FRIDAY, time(18, 0), PARIS)
    got = rec.next_occurrences(spec, utc(2026, 10, 20), 4)
    assert [o.start for o in got] == [
        utc(2026, 10, 23, 16),  # CEST
        utc(2026, 10, 30, 17),  # CET since 25 October
        utc(2026, 11, 6, 17),
        utc(2026, 11, 13, 17),
    ]
    assert [o.start.astimezone(MONTREAL).hour for o in got] == [12, 13, 12, 12]


def test_montreal_thursday_1700_cinq_a_sept() -> None:
    spec = rec.WeeklySpec(THURSDAY, time(17, 0), MONTREAL)
    march = rec.next_occurrences(spec, utc(2026, 3, 1), 5)
    assert [o.start for o in march] == [
        utc(2026, 3, 5, 22),  # EST −5
        utc(2026, 3, 12, 21),  # EDT −4 since 8 March
        utc(2026, 3, 19, 21),
        utc(2026, 3, 26, 21),
        utc(2026, 4, 2, 21),
    ]
    assert [o.start.astimezone(PARIS).hour for o in march] == [23, 22, 22, 22, 23]
    autumn = rec.next_occurrences(spec, utc(2026, 10, 20), 4)
    assert [o.start for o in autumn] == [
        utc(2026, 10, 22, 21),
        utc(2026, 10, 29, 21),
        utc(2026, 11, 5, 22),  # EST since 1 November
        utc(2026, 11, 12, 22),
    ]


def test_occurrence_on_the_day_of_the_change_itself() -> None:
    paris_sunday = rec.WeeklySpec(SUNDAY, time(11, 0), PARIS)
    (occ,) = rec.next_occurrences(paris_sunday, utc(2026, 3, 28), 1)
    assert occ.start == utc(2026, 3, 29, 9)
    montreal_sunday = rec.WeeklySpec(SUNDAY, time(10, 0), MONTREAL)
    (occ,) = rec.next_occurrences(montreal_sunday, utc(2026, 10, 31), 1)
    assert occ.start == utc(2026, 11, 1, 15)


def test_gap_and_repeated_wall_times() -> None:
    # 02:30 does not exist in Paris on 29 March: taken with the winter offset (= 03:30 CEST).
    gap = rec.WeeklySpec(SUNDAY, time(2, 30), PARIS)
    (occ,) = rec.next_occurrences(gap, utc(2026, 3, 28), 1)
    assert occ.start == utc(2026, 3, 29, 1, 30)
    assert occ.start.astimezone(PARIS).time() == time(3, 30)
    # 02:30 happens twice on 25 October: the first one (CEST, +2).
    twice = rec.WeeklySpec(SUNDAY, time(2, 30), PARIS)
    (occ,) = rec.next_occurrences(twice, utc(2026, 10, 24), 1)
    assert occ.start == utc(2026, 10, 25, 0, 30)


def test_after_is_strict_and_skips_are_left_out() -> None:
    spec = rec.WeeklySpec(FRIDAY, time(18, 0), PARIS)
    first = rec.next_occurrences(spec, utc(2026, 3, 6, 17), 1)
    assert first[0].day == date(2026, 3, 13)  # the one starting exactly at `after` is not next
    skipped = rec.next_occurrences(spec, utc(2026, 3, 1), 3, skips={date(2026, 3, 13)})
    assert [o.day for o in skipped] == [date(2026, 3, 6), date(2026, 3, 20), date(2026, 3, 27)]


@settings(max_examples=200, deadline=None)
@given(
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45]),
    zone=st.sampled_from([PARIS, MONTREAL]),
    after=st.datetimes(datetime(2025, 1, 1), datetime(2028, 12, 31)),
)
def test_occurrences_are_weekly_on_the_wall_clock(
    weekday: int, hour: int, minute: int, zone: ZoneInfo, after: datetime
) -> None:
    spec = rec.WeeklySpec(weekday, time(hour, minute), zone)
    start = after.replace(tzinfo=UTC)
    got = rec.next_occurrences(spec, start, 6)
    assert got[0].start > start and got[0].start - start <= timedelta(days=7, hours=1)
    for previous, occ in itertools.pairwise(got):
        assert occ.day - previous.day == timedelta(days=7)
        assert abs((occ.start - previous.start) - timedelta(days=7)) <= timedelta(hours=1)
    for occ in got:
        assert occ.day.weekday() == weekday
        local = occ.start.astimezone(zone)
        # The wall time is kept, except in a spring-forward gap where it moves one hour on.
        shifted = (datetime.combine(occ.day, spec.at) + timedelta(hours=1)).time()
        assert local.time() in (spec.at, shifted)
        assert local.time() == spec.at or local.dst() != (local - timedelta(hours=2)).dst()


def test_next_occurrence_is_the_first_one() -> None:
    spec = rec.WeeklySpec(SUNDAY, time(11, 0), PARIS)
    assert rec.next_occurrence(spec, utc(2026, 3, 22, 10)) == rec.Occurrence(
        date(2026, 3, 29), utc(2026, 3, 29, 9)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("9h", time(9)), ("09:30", time(9, 30)), ("9 h 05", time(9, 5)), ("midi", time(12))],
)
def test_parse_wall_time(text: str, expected: time) -> None:
    assert rec.parse_wall_time(text) == expected


@pytest.mark.parametrize("text", ["24h", "9h60", "13pm", "lundi", ""])
def test_parse_wall_time_refuses(text: str) -> None:
    assert rec.parse_wall_time(text) is None


def test_parse_weekday() -> None:
    assert rec.parse_weekday(" Vendredi ") == 4
    assert rec.parse_weekday("sunday") == 6
    assert rec.parse_weekday("vendredi 18h") is None
