"""Reminder offsets as people write them: « 24h, 1h », « 15 min avant », « la veille à 18h ».

The one parser for every feature that reminds before a start (meet-ups, weekly apéros…).
Decisions (also in the tests):

* An offset is either an exact **duration** before the start (« 1h », « 90 min », « 2 j »: always
  that many minutes, DST-proof) or a **wall time some days before**, in the start's zone
  (« la veille à 18h », « le jour même à 9h », « 2 jours avant à 10h »: 18:00 on the eve, whatever
  that day's UTC offset).
* Several offsets are separated by commas, semicolons, « et »/"and", or just spaces between
  durations (« 24h 1h »); duplicates merge; at most ``MAX_OFFSETS``.
* How far ahead is the feature's call (``max_days``): a weekly series cannot remind a week
  ahead, a one-off meet-up can.
* A reminder is never due after the start it announces (``due_at`` caps it at the start).
* Stored as short codes: ``m90`` (minutes) and ``d1@18:00`` (days before, wall time).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import format_clock, format_duration, t, tn
from bot.recurrence import parse_wall_time
from bot.text import fold
from bot.when.errors import WhenError
from bot.when.words import Clock

MAX_OFFSETS = 5
MAX_DAYS_BEFORE = 14
MIN_MINUTES_BEFORE = 1
MINUTES_PER_HOUR = 60
MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR
# Offsets set once for many starts are ordered as if the start were at noon (display only).
NOON = time(12)
_SHOWN_LENGTH = 40
_SAME_DAY, _EVE = 0, 1

_DURATION = re.compile(
    r"^(?:(?P<d>\d{1,3})\s*(?:j|jours?|d|days?)"
    r"|(?P<h>\d{1,3})\s*(?:h|heures?|hours?|hrs?)\s*(?:(?P<hm>\d{1,2})\s*(?:min|mins|minutes?|mn)?)?"
    r"|(?P<m>\d{1,5})\s*(?:min|mins|minutes?|mn))"
    r"\s*(?:avant|before|plus tot|earlier)?$"
)
_WALL = re.compile(
    r"^(?:(?P<eve>la veille|veille|the day before|day before)"
    r"|(?P<same>le jour meme|jour meme|the same day|same day)"
    r"|(?P<n>\d{1,2})\s*(?:jours?|days?)\s*(?:avant|before))"
    r"\s*(?:at|a|,)?\s*(?P<hour>.+)$"
)
_SEPARATORS = re.compile(r"[;,/\n]|\bet\b|\band\b")
_BETWEEN_DURATIONS = re.compile(r"\s+(?=\d)")


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


# -- reading what people type ---------------------------------------------------------------------
def parse_offset(text: str, *, max_days: int = MAX_DAYS_BEFORE) -> Offset:
    """One offset: « 1h30 », « 15 min avant », « 2 j », « la veille à 18h », "same day at 9am"."""
    folded = fold(text)
    shown = text.strip()[:_SHOWN_LENGTH]
    match = _DURATION.match(folded)
    if match:
        if match["d"] is not None:
            minutes = int(match["d"]) * MINUTES_PER_DAY
        elif match["m"] is not None:
            minutes = int(match["m"])
        else:
            minutes = int(match["h"]) * MINUTES_PER_HOUR + int(match["hm"] or 0)
        if not MIN_MINUTES_BEFORE <= minutes <= max_days * MINUTES_PER_DAY:
            raise WhenError("when.error.offset_range", text=shown, days=max_days)
        return Offset(minutes=minutes)
    match = _WALL.match(folded)
    if match:
        days = _EVE if match["eve"] else _SAME_DAY if match["same"] else int(match["n"])
        if days > max_days:
            raise WhenError("when.error.offset_range", text=shown, days=max_days)
        at = parse_wall_time(match["hour"])
        if at is None:
            raise WhenError("when.error.bad_offset", text=shown)
        return Offset(days=days, at=at)
    raise WhenError("when.error.bad_offset", text=shown)


def _parse_part(part: str, max_days: int) -> list[Offset]:
    """A part between separators: one offset, or durations side by side (« 24h 1h »)."""
    try:
        return [parse_offset(part, max_days=max_days)]
    except WhenError as whole:
        pieces = _BETWEEN_DURATIONS.split(part.strip())
        if len(pieces) == 1:
            raise
        try:
            found = [parse_offset(piece, max_days=max_days) for piece in pieces]
        except WhenError:
            raise whole from None
        if any(o.minutes is None for o in found):
            raise whole from None
        return found


def parse_offsets(
    text: str, start: time | None = None, *, max_days: int = MAX_DAYS_BEFORE
) -> tuple[Offset, ...]:
    """« la veille à 18h, 15 min avant » → offsets, earliest first, duplicates merged.

    `start` (the wall time of the start, when every start has the same one) refuses a same-day
    reminder at or after it; offsets set for starts at any time are checked by `due_at` instead.
    """
    shown = text.strip()[:_SHOWN_LENGTH]
    found: list[Offset] = []
    for part in _SEPARATORS.split(text):
        if part.strip():
            found.extend(_parse_part(part, max_days))
    if not found:
        raise WhenError("when.error.no_offsets", text=shown)
    if len(set(found)) > MAX_OFFSETS:
        raise WhenError("when.error.too_many_offsets", text=shown, max=MAX_OFFSETS)
    return check_offsets(found, start)


def check_offsets(offsets: Collection[Offset], start: time | None = None) -> tuple[Offset, ...]:
    """Refuse a same-day reminder at or after `start` (if known); sort earliest first."""
    for offset in offsets:
        at = offset.at
        if start is not None and offset.days == _SAME_DAY and at is not None and at >= start:
            raise WhenError("when.error.offset_after_start", text=Clock(at), start=Clock(start))
    return tuple(sorted(set(offsets), key=lambda o: (-lead_minutes(o, start), o.code)))


def lead_minutes(offset: Offset, start: time | None = None) -> int:
    """Roughly how long before a start at `start` (noon if unknown), ignoring DST: for ordering."""
    if offset.minutes is not None:
        return offset.minutes
    assert offset.days is not None and offset.at is not None
    start = start or NOON
    return (
        offset.days * MINUTES_PER_DAY
        + (start.hour * MINUTES_PER_HOUR + start.minute)
        - (offset.at.hour * MINUTES_PER_HOUR + offset.at.minute)
    )


def codes(offsets: Iterable[Offset]) -> str:
    """How offsets are stored: « d1@18:00,m60 »."""
    return ",".join(o.code for o in offsets)


def from_codes(text: str) -> tuple[Offset, ...]:
    return tuple(Offset.from_code(code) for code in text.split(",") if code)


# -- computing ------------------------------------------------------------------------------------
def due_at(start: datetime, zone: ZoneInfo, offset: Offset) -> datetime:
    """When `offset`'s reminder of a start at `start` is due (UTC), never after the start.

    A wall time is read in `zone` on the day `offset.days` before the start's own local day."""
    if offset.minutes is not None:
        return (start - timedelta(minutes=offset.minutes)).astimezone(UTC)
    assert offset.days is not None and offset.at is not None
    day = start.astimezone(zone).date() - timedelta(days=offset.days)
    wall = datetime.combine(day, offset.at, tzinfo=zone).astimezone(UTC)
    return min(wall, start.astimezone(UTC))


# -- showing --------------------------------------------------------------------------------------
def format_offset(offset: Offset, lang: str) -> str:
    """« 1 h avant », « 2 jours avant », « la veille à 18 h », « 3 jours avant, à 9 h »."""
    if offset.minutes is not None:
        days, rest = divmod(offset.minutes, MINUTES_PER_DAY)
        duration = (
            tn("when.offset.days", days, lang)
            if days and not rest
            else format_duration(offset.minutes, lang)
        )
        return t("when.offset.before", lang, duration=duration)
    assert offset.days is not None and offset.at is not None
    at = format_clock(offset.at, lang)
    if offset.days == _SAME_DAY:
        return t("when.offset.same_day", lang, time=at)
    if offset.days == _EVE:
        return t("when.offset.day_before", lang, time=at)
    return t("when.offset.days_before", lang, days=offset.days, time=at)


def format_offsets(offsets: Iterable[Offset], lang: str) -> str:
    return ", ".join(format_offset(o, lang) for o in offsets)
