"""Apéro recurrence: reminder offsets across DST, skips, what moderators type.

The weekly occurrences themselves are tested in test_recurrence.py (bot.recurrence).

2026 transitions: Montréal springs forward on Sunday 8 March and falls back on Sunday 1 November;
Paris springs forward on Sunday 29 March and falls back on Sunday 25 October. The expected instants
below are written from those UTC offsets (Paris +1/+2, Montréal −5/−4), not from the code.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.recurrence import Occurrence, WeeklySpec, start_on
from bot.user_error import UserError
from cogs.apero import recurrence as rec
from cogs.apero.service import build_fields, clean_link, parse_day

PARIS = ZoneInfo("Europe/Paris")
MONTREAL = ZoneInfo("America/Montreal")
FRIDAY, THURSDAY, SATURDAY, SUNDAY = 4, 3, 5, 6


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -- reminders -----------------------------------------------------------------------------------
def test_day_before_at_1800_uses_that_days_offset() -> None:
    """Sunday 29 March 11:00 Paris: the eve is still winter time, the apéro summer time."""
    spec = WeeklySpec(SUNDAY, time(11, 0), PARIS)
    veille = rec.Offset(days=1, at=time(18, 0))
    occ, due = rec.next_reminder(spec, veille, utc(2026, 3, 27), ()) or (None, None)
    assert occ is not None and occ.start == utc(2026, 3, 29, 9)
    assert due == utc(2026, 3, 28, 17)  # 18:00 CET
    quarter = rec.Offset(minutes=15)
    occ, due = rec.next_reminder(spec, quarter, utc(2026, 3, 27), ()) or (None, None)
    assert due == utc(2026, 3, 29, 8, 45)  # an exact duration before the start


def test_montreal_eve_before_november_change() -> None:
    spec = WeeklySpec(SUNDAY, time(10, 0), MONTREAL)
    found = rec.next_reminder(spec, rec.Offset(days=1, at=time(18, 0)), utc(2026, 10, 30), ())
    assert found is not None
    assert found[0].start == utc(2026, 11, 1, 15)  # 10:00 EST
    assert found[1] == utc(2026, 10, 31, 22)  # 18:00 EDT


def test_next_reminder_moves_on_once_due_has_passed() -> None:
    spec = WeeklySpec(FRIDAY, time(18, 0), PARIS)
    veille = rec.Offset(days=1, at=time(18, 0))
    # Thursday 5 March 18:00 CET = 17:00 UTC is the eve of 6 March: just after it, next week.
    found = rec.next_reminder(spec, veille, utc(2026, 3, 5, 17), ())
    assert found is not None and found[0].day == date(2026, 3, 13)
    assert found[1] == utc(2026, 3, 12, 17)
    # Skipping the 13th moves the reminder to the 20th's eve.
    found = rec.next_reminder(spec, veille, utc(2026, 3, 5, 17), {date(2026, 3, 13)})
    assert found is not None and found[1] == utc(2026, 3, 19, 17)


def test_reminder_is_never_after_its_start() -> None:
    spec = WeeklySpec(SUNDAY, time(3, 0), PARIS)
    same_day = rec.Offset(days=0, at=time(2, 30))  # falls in the gap on 29 March → 03:30 CEST
    occ = Occurrence(date(2026, 3, 29), start_on(spec, date(2026, 3, 29)))
    assert rec.due_at(spec, occ, same_day) == occ.start


# -- what moderators type ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18h", time(18)),
        ("18h30", time(18, 30)),
        ("18 h 30", time(18, 30)),
        ("17:45", time(17, 45)),
        ("6pm", time(18)),
        ("6:30 pm", time(18, 30)),
        ("12am", time(0)),
        ("midi", time(12)),
        ("0h", time(0)),
    ],
)
def test_parse_hour(text: str, expected: time) -> None:
    assert rec.parse_hour(text) == expected


@pytest.mark.parametrize("text", ["25h", "18h75", "13pm", "vendredi", "", "18h30 du soir", "-1"])
def test_parse_hour_refuses(text: str) -> None:
    with pytest.raises(UserError) as caught:
        rec.parse_hour(text)
    assert caught.value.key == "apero.error.bad_hour"


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("la veille à 18h, 15 min avant", ["d1@18:00", "m15"]),
        ("15 min avant et la veille a 18h", ["d1@18:00", "m15"]),
        ("the day before at 6pm; 1h30 before", ["d1@18:00", "m90"]),
        ("2 jours avant à 10h, le jour même à 9h", ["d2@10:00", "d0@09:00"]),
        ("1 h avant, 1 heure avant", ["m60"]),
        ("same day at 17:30", ["d0@17:30"]),
    ],
)
def test_parse_offsets(text: str, codes: list[str]) -> None:
    assert [o.code for o in rec.parse_offsets(text, time(18))] == codes


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("bientôt", "apero.error.bad_offset"),
        ("la veille à 27h", "apero.error.bad_offset"),
        ("0 min avant", "apero.error.offset_range"),
        ("8 jours avant à 10h", "apero.error.offset_range"),
        ("7 jours avant à 10h", "apero.error.offset_range"),
        ("le jour même à 19h", "apero.error.offset_after_start"),
        ("1 min, 2 min, 3 min, 4 min, 5 min, 6 min", "apero.error.too_many_offsets"),
        (" , ", "apero.error.no_offsets"),
    ],
)
def test_parse_offsets_refuses(text: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        rec.parse_offsets(text, time(18))
    assert caught.value.key == key


def test_offset_codes_round_trip() -> None:
    for offset in rec.parse_offsets(rec.DEFAULT_OFFSETS + ", 2 jours avant à 9h", time(18)):
        assert rec.Offset.from_code(offset.code) == offset


# -- the service's pure validation ---------------------------------------------------------------
@pytest.mark.parametrize(
    "link", ["ftp://x.org/a", "javascript:alert(1)", "meet.jit.si/x", "http://"]
)
def test_links_must_be_http(link: str) -> None:
    with pytest.raises(UserError) as caught:
        clean_link(link)
    assert caught.value.key == "errors.bad_url"


def test_build_fields_checks_zone_place_and_defaults() -> None:
    common = dict(
        name="  Apéro   du vendredi ",
        weekday=FRIDAY,
        hour="18h",
        channel_id=1,
        voice_channel_id=None,
        role_id=None,
        reminders=None,
    )
    fields = build_fields(zone="Europe/Paris", link="https://meet.jit.si/apero", **common)
    assert fields.name == "Apéro du vendredi"
    assert fields.offsets == ("d1@18:00", "m15")  # the default
    with pytest.raises(UserError) as caught:
        build_fields(zone="Europe/Pariss", link="https://meet.jit.si/apero", **common)
    assert caught.value.key == "config.error.bad_zone"
    with pytest.raises(UserError) as caught:
        build_fields(zone="Europe/Paris", link=None, **common)
    assert caught.value.key == "apero.error.no_place"


def test_parse_day_forms() -> None:
    now = utc(2026, 11, 20, 12)
    assert parse_day("2026-12-25", PARIS, now) == date(2026, 12, 25)
    assert parse_day("25/12", PARIS, now) == date(2026, 12, 25)
    assert parse_day("2/1", PARIS, now) == date(2027, 1, 2)  # the next 2 January
    assert parse_day("25/12/27", PARIS, now) == date(2027, 12, 25)
    # No 29 February in 2027: the next one is in 2028, not a refusal.
    assert parse_day("29/02", PARIS, utc(2027, 3, 10, 12)) == date(2028, 2, 29)
    for bad in ("31/02", "noël", "2026-13-01"):
        with pytest.raises(UserError) as caught:
            parse_day(bad, PARIS, now)
        assert caught.value.key == "apero.error.bad_date"
