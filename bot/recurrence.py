"""Weekly occurrences at a wall-clock time in a zone, as pure functions (no Discord, no clock).

Shared by every feature that does something "every Friday at 18:00" (apéros, the sigle of the
week). Decisions:

* An occurrence is a wall-clock time in the series' own zone ("vendredi 18:00 Europe/Paris"), so
  18:00 Paris stays 18:00 Paris across DST and Montréal sees 12:00 or 13:00 depending on the week.
* A wall time that does not exist that day (spring-forward gap, e.g. 02:30) is taken with the
  offset in force before the change, i.e. one hour later on the clock (03:30); a repeated wall
  time (fall-back) is its first instance. The rule is just stable.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.text import fold
from bot.when.clock import wall_time

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
SEARCH_WEEKS = 60  # how far to look for the next non-skipped occurrence


@dataclass(frozen=True)
class WeeklySpec:
    weekday: int  # 0 = lundi … 6 = dimanche (Python's weekday())
    at: time
    zone: ZoneInfo


@dataclass(frozen=True)
class Occurrence:
    day: date  # the local date in the spec's zone: the occurrence's identity (skips, attendance)
    start: datetime  # aware, UTC


def start_on(spec: WeeklySpec, day: date) -> datetime:
    """The UTC instant of the spec's wall time on `day` (see the DST decisions above)."""
    return datetime.combine(day, spec.at, tzinfo=spec.zone).astimezone(UTC)


def is_occurrence_day(spec: WeeklySpec, day: date) -> bool:
    return day.weekday() == spec.weekday


def occurrences(spec: WeeklySpec, after: datetime) -> Iterator[Occurrence]:
    """Every occurrence starting strictly after `after`, in order (unbounded)."""
    local_day = after.astimezone(spec.zone).date() - timedelta(days=1)
    day = local_day + timedelta(days=(spec.weekday - local_day.weekday()) % 7)
    while True:
        start = start_on(spec, day)
        if start > after:
            yield Occurrence(day, start)
        day += timedelta(days=7)


def next_occurrences(
    spec: WeeklySpec, after: datetime, count: int, skips: Collection[date] = ()
) -> list[Occurrence]:
    """The first `count` occurrences strictly after `after`, days in `skips` left out."""
    found: list[Occurrence] = []
    for index, occ in enumerate(occurrences(spec, after)):
        if index >= SEARCH_WEEKS + count or len(found) >= count:
            break
        if occ.day not in skips:
            found.append(occ)
    return found


def next_occurrence(spec: WeeklySpec, after: datetime) -> Occurrence:
    """The first occurrence strictly after `after` (there always is one)."""
    return next(occurrences(spec, after))


# -- reading what moderators type ------------------------------------------------------------
_HOUR = re.compile(
    r"^(?P<h>\d{1,2})\s*(?:(?:h|:)\s*(?P<m>\d{2})?)?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?$"
)


def parse_wall_time(text: str) -> time | None:
    """'18h', '18h30', '18 h 30', '09:30', '6pm', '6:30 pm', 'midi' → a wall time; else None."""
    folded = fold(text)
    if folded in ("midi", "noon"):
        return time(12, 0)
    match = _HOUR.match(folded)
    if not match:
        return None
    ampm = (match["ampm"] or "").replace(".", "")
    return wall_time(int(match["h"]), int(match["m"] or 0), ampm=ampm)


def parse_weekday(text: str) -> int | None:
    """'vendredi', 'Friday' → 4; else None."""
    folded = fold(text)
    english = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    for names in (WEEKDAYS, english):
        if folded in names:
            return names.index(folded)
    return None
