"""Reminder offsets of a weekly apéro, and what moderators type, as pure functions.

The weekly occurrences themselves (wall-clock time in the series' zone, DST gap and repeat) are
the core's: `bot.recurrence`. Decisions here:

* Offsets are either a duration before the start ("15 min avant": exact, DST-proof) or a wall
  time some days before ("la veille à 18h": in the series' zone, that day's own UTC offset).
  A reminder is never due after the start it announces.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.recurrence import (
    SEARCH_WEEKS,
    Occurrence,
    WeeklySpec,
    fold,
    occurrences,
    parse_wall_time,
)
from bot.recurrence import parse_weekday as weekday_of
from bot.user_error import UserError

MAX_OFFSETS = 5
MAX_DAYS_BEFORE = 6  # a weekly series: a reminder a week ahead would announce the previous one
MAX_MINUTES_BEFORE = MAX_DAYS_BEFORE * 24 * 60
DEFAULT_OFFSETS = "la veille à 18h, 15 min avant"


@dataclass(frozen=True, order=True)
class Offset:
    """`minutes` before the start, or `days` before at wall time `at` (exactly one is set)."""

    minutes: int | None = None
    days: int | None = None
    at: time | None = None

    @property
    def code(self) -> str:
        if self.minutes is not None:
            return f"m{self.minutes}"
        assert self.days is not None and self.at is not None
        return f"d{self.days}@{self.at:%H:%M}"

    @classmethod
    def from_code(cls, code: str) -> Offset:
        if code.startswith("m"):
            return cls(minutes=int(code[1:]))
        days, _, at = code[1:].partition("@")
        return cls(days=int(days), at=time.fromisoformat(at))


# -- reading what moderators type ------------------------------------------------------------
def parse_hour(text: str) -> time:
    """'18h', '18h30', '18 h 30', '18:30', '6pm', '6:30 pm', 'midi' → a wall time."""
    at = parse_wall_time(text)
    if at is None:
        raise UserError("apero.error.bad_hour", text=text.strip()[:40])
    return at


_RELATIVE = re.compile(
    r"^(?:(?P<h>\d{1,3})\s*(?:h|heures?|hours?|hrs?)\s*(?P<hm>\d{1,2})?"
    r"|(?P<m>\d{1,5})\s*(?:min|mins|minutes?|mn))\s*(?:avant|before|plus tot|earlier)?$"
)
_DAYS = re.compile(
    r"^(?:(?P<veille>la veille|veille|the day before|day before)"
    r"|(?P<meme>le jour meme|jour meme|the same day|same day)"
    r"|(?P<n>\d)\s*(?:jours?|days?)\s*(?:avant|before))"
    r"\s*(?:at|a|,)?\s*(?P<hour>.+)$"
)


def parse_offset(text: str) -> Offset:
    folded = fold(text)
    shown = text.strip()[:40]
    match = _RELATIVE.match(folded)
    if match:
        if match["m"] is not None:
            minutes = int(match["m"])
        else:
            minutes = int(match["h"]) * 60 + int(match["hm"] or 0)
        if not 1 <= minutes <= MAX_MINUTES_BEFORE:
            raise UserError("apero.error.offset_range", text=shown, days=MAX_DAYS_BEFORE)
        return Offset(minutes=minutes)
    match = _DAYS.match(folded)
    if match:
        days = 1 if match["veille"] else 0 if match["meme"] else int(match["n"])
        if days > MAX_DAYS_BEFORE:
            raise UserError("apero.error.offset_range", text=shown, days=MAX_DAYS_BEFORE)
        try:
            at = parse_hour(match["hour"])
        except UserError:
            raise UserError("apero.error.bad_offset", text=shown) from None
        return Offset(days=days, at=at)
    raise UserError("apero.error.bad_offset", text=shown)


def parse_offsets(text: str, start: time) -> tuple[Offset, ...]:
    """'la veille à 18h, 15 min avant' → offsets, sorted earliest first, duplicates merged."""
    parts = [p for p in re.split(r"[;,\n]|\bet\b|\band\b", text) if p.strip()]
    if not parts:
        raise UserError("apero.error.no_offsets")
    if len(parts) > MAX_OFFSETS:
        raise UserError("apero.error.too_many_offsets", max=MAX_OFFSETS)
    return check_offsets({parse_offset(p) for p in parts}, start)


def check_offsets(offsets: Collection[Offset], start: time) -> tuple[Offset, ...]:
    """Refuse a same-day reminder at or after the start; sort earliest first."""
    for offset in offsets:
        if offset.days == 0 and offset.at is not None and offset.at >= start:
            raise UserError(
                "apero.error.offset_after_start", text=f"{offset.at:%H:%M}", start=f"{start:%H:%M}"
            )
    return tuple(sorted(set(offsets), key=lambda o: -lead_minutes(o, start)))


def lead_minutes(offset: Offset, start: time) -> int:
    """Roughly how long before the start (for ordering and display), ignoring DST."""
    if offset.minutes is not None:
        return offset.minutes
    assert offset.days is not None and offset.at is not None
    return (
        offset.days * 1440
        + (start.hour * 60 + start.minute)
        - (offset.at.hour * 60 + offset.at.minute)
    )


def parse_weekday(text: str) -> int:
    weekday = weekday_of(text)
    if weekday is None:
        raise UserError("apero.error.bad_day", text=text.strip()[:40])
    return weekday


# -- computing ------------------------------------------------------------------------------
def due_at(spec: WeeklySpec, occ: Occurrence, offset: Offset) -> datetime:
    """When the reminder `offset` of occurrence `occ` is due (UTC), never after the start."""
    if offset.minutes is not None:
        return occ.start - timedelta(minutes=offset.minutes)
    assert offset.days is not None and offset.at is not None
    day = occ.day - timedelta(days=offset.days)
    wall = datetime.combine(day, offset.at, tzinfo=spec.zone).astimezone(UTC)
    return min(wall, occ.start)


def next_reminder(
    spec: WeeklySpec, offset: Offset, after: datetime, skips: Collection[date] = ()
) -> tuple[Occurrence, datetime] | None:
    """The first (occurrence, due instant) of `offset` due strictly after `after`, skips left out.

    A reminder is due before its start, so only occurrences starting after `after` qualify.
    """
    for index, occ in enumerate(occurrences(spec, after)):
        if index > SEARCH_WEEKS:
            return None
        if occ.day in skips:
            continue
        when = due_at(spec, occ, offset)
        if when > after:
            return occ, when
    return None  # pragma: no cover - the loop above always returns
