"""Understanding the dates members type: ``parse_when("vendredi 18h", zone=…, now=…)``.

French first (France and Québec usage), English too. A small grammar of our own
(``bot.when.grammar``) recognises the forms members use; dateparser is deliberately *not* used as a
fallback: on French input it returns wrong but valid-looking instants ("vendredi 18h" → a past
Wednesday at midnight, "18 h 30" → 04:00) that no validation can tell from right ones.

Decisions (also in the tests):

* **Hour required.** A day without an hour ("vendredi", "vendredi soir", "demain") is refused with
  ``when.error.missing_hour``; we ask rather than guess a default hour.
* **Hour alone** ("18h", "midi"): today if still ahead, else tomorrow.
* **Bare weekday** ("vendredi 18h"): the next such day, today if the hour is still ahead.
  **"lundi prochain", "lundi qui vient", "next monday"**: the next Monday strictly after today,
  so said on a Wednesday it is the coming Monday (5 days), said on a Monday it is in 7 days.
* **"minuit" / "midnight"** is 24:00 of the day named: "vendredi minuit" is the night from Friday
  to Saturday, "minuit" alone the coming midnight. "0h" / "00:00" / "12am" are the start of the day.
* **"ce soir 8h", "demain après-midi 3h"**: a period turns hours 1–11 into 13–23 (not with am/pm).
* **Numeric dates** "12/12" are day/month. Only with ``lang_hint="en-US"`` month/day is used when
  it is the only valid reading ("12/25"); when both readings are valid and differ ("3/4"), the
  member is asked (``when.error.ambiguous_date``). Two-digit years are 20xx.
* **No year** ("3 janvier 19h", "12/12"): this year if still ahead, else the next year that has
  the date. **Day only** ("le 5 à 17h", "samedi le 5"): this month if ahead, else the next month
  that has that day. A weekday that contradicts the date is refused (``weekday_mismatch``).
* **DST**: a local time in the spring-forward gap or the fall-back repeat is refused
  (``nonexistent_time`` / ``ambiguous_time``), never shifted; the message says the day, the time,
  the place and how the clocks change, in words (« l’heure passe de 2 h à 3 h »), never offsets.
  "dans 2 heures" is an exact duration, so it never hits either.
* **ISO with an offset** ("2026-12-12T19:00Z", "…+01:00") is an exact instant, shown in ``zone``.
* **Range**: strictly after ``now``, and at most ``MAX_DAYS_AHEAD`` days ahead.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.when import grammar
from bot.when.dates import date_examples, day_end, parse_date, today_in
from bot.when.errors import ERROR_PARAMS, WhenError
from bot.when.vocab import EXAMPLES
from bot.when.words import Clock, Day, Moment, Place, Weekday

__all__ = [
    "ERROR_PARAMS",
    "MAX_DAYS_AHEAD",
    "WhenError",
    "date_examples",
    "day_end",
    "format_examples",
    "parse_date",
    "parse_when",
    "today_in",
]

MAX_YEARS_AHEAD = 2
MAX_DAYS_AHEAD = 731  # about MAX_YEARS_AHEAD years
MAX_TEXT_LENGTH = 200
_TEXT_PARAM_LENGTH = 100
_ISO_WITH_OFFSET = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})", re.IGNORECASE
)


def format_examples(lang: str) -> list[str]:
    """Examples of what ``parse_when`` understands, for error messages: English for ``en*``."""
    return list(EXAMPLES["en" if lang.lower().startswith("en") else "fr"])


def parse_when(
    text: str, *, zone: ZoneInfo, now: datetime, lang_hint: str | None = None
) -> datetime:
    """The instant ``text`` names, as an aware datetime in ``zone``, strictly after ``now``.

    ``now`` must be aware (any zone); the machine's own timezone is never consulted.
    ``lang_hint`` is the member's locale ("fr", "en-US"…): it picks the examples put in error
    params and, for "en-US" only, the month/day reading of numeric dates.
    Raises ``WhenError`` (a ``UserError``) with a key of ``ERROR_PARAMS``.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    now = now.astimezone(zone)
    shown = text.strip()[:_TEXT_PARAM_LENGTH]
    examples = ", ".join(format_examples(lang_hint or "fr"))
    if _ISO_WITH_OFFSET.fullmatch(text.strip()):  # an exact instant: no wall time to resolve
        try:
            instant = datetime.fromisoformat(text.strip().upper().replace(" ", "T"))
        except ValueError:
            key = "impossible_hour" if _is_date(text.strip()[:10]) else "impossible_date"
            raise WhenError(f"when.error.{key}", text=shown, examples=examples) from None
        return _in_range(instant.astimezone(zone), now, shown)
    slots = None
    if len(text) <= MAX_TEXT_LENGTH:
        slots = grammar.parse(text, lang_hint=lang_hint, shown=shown, examples=examples)
    if slots is None:
        raise WhenError("when.error.not_understood", text=shown, examples=examples)
    if slots.delta is not None:
        if slots.delta > timedelta(days=MAX_DAYS_AHEAD):
            raise WhenError("when.error.too_far", text=shown, years=MAX_YEARS_AHEAD)
        if slots.delta <= timedelta(0):
            raise WhenError("when.error.past", text=shown, when=_moment(now))
        return (now.astimezone(UTC) + slots.delta).astimezone(zone)
    if slots.day_offset is not None and slots.day_offset > MAX_DAYS_AHEAD:
        raise WhenError("when.error.too_far", text=shown, years=MAX_YEARS_AHEAD)
    if slots.hour is None:
        raise WhenError("when.error.missing_hour", text=shown, examples=examples)
    if slots.year is not None and slots.year > now.year + MAX_YEARS_AHEAD + 1:
        raise WhenError("when.error.too_far", text=shown, years=MAX_YEARS_AHEAD)
    clock = time(slots.hour, slots.minute, slots.second)
    extra = timedelta(days=1 if slots.end_of_day else 0)

    def wall(day: date) -> datetime:
        return datetime.combine(day, clock) + extra

    fixed, candidates = _candidates(slots, now)
    day = None
    for day in candidates:
        if fixed or wall(day).replace(tzinfo=zone) > now:
            break
    if day is None:  # only a year too small for any date of the calendar
        raise WhenError("when.error.past", text=shown, when=str(slots.year))
    if slots.weekday is not None and day.weekday() != slots.weekday:
        raise WhenError(
            "when.error.weekday_mismatch",
            text=shown,
            date=Day(day, weekday=False),
            weekday=Weekday(day.weekday()),
        )
    return _in_range(_localise(wall(day), zone, shown), now, shown)


def _in_range(result: datetime, now: datetime, shown: str) -> datetime:
    if result <= now:
        raise WhenError("when.error.past", text=shown, when=_moment(result))
    if result - now > timedelta(days=MAX_DAYS_AHEAD):
        raise WhenError("when.error.too_far", text=shown, years=MAX_YEARS_AHEAD)
    return result


def _candidates(s: grammar.Slots, now: datetime) -> tuple[bool, Iterator[date]]:
    """(fixed, days): the one day the text names, or the days to try in order, first ahead wins."""
    today = now.date()
    if s.day_offset is not None:
        return True, iter([today + timedelta(days=s.day_offset)])
    if s.month is not None and s.day is not None:
        if s.year is not None:
            return True, iter([date(s.year, s.month, s.day)] if s.year >= 1 else [])
        years = range(today.year, today.year + 9)  # 9 years always hold a 29 February
        return False, (date(y, s.month, s.day) for y in years if _has(y, s.month, s.day))
    if s.day is not None:
        months = (
            (today.year + (today.month - 1 + k) // 12, (today.month - 1 + k) % 12 + 1)
            for k in range(14)
        )
        return False, (date(y, m, s.day) for y, m in months if _has(y, m, s.day))
    if s.weekday is not None:
        start = 1 if s.next_weekday else 0
        days = (today + timedelta(days=k) for k in range(start, start + 8))
        return s.next_weekday, (d for d in days if d.weekday() == s.weekday)
    return False, iter([today, today + timedelta(days=1)])


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _has(year: int, month: int, day: int) -> bool:
    return day <= calendar.monthrange(year, month)[1]


def _moment(instant: datetime) -> Moment:
    return Moment(instant.replace(tzinfo=None, second=0, microsecond=0))


def _change(wall: datetime, zone: ZoneInfo) -> tuple[time, time]:
    """The wall clock just before and just after the change that skips or repeats ``wall``:
    (2:00, 3:00) when clocks spring forward in Paris, (3:00, 2:00) when they fall back."""
    readings = (wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1))
    low, high = sorted(int(r.timestamp()) for r in readings)  # the change lies between them

    def offset(seconds: int) -> timedelta:
        return datetime.fromtimestamp(seconds, zone).utcoffset() or timedelta(0)

    before = offset(low)
    while high - low > 1:  # the first second on the new offset
        middle = (low + high) // 2
        low, high = (middle, high) if offset(middle) == before else (low, middle)
    change = datetime.fromtimestamp(high, UTC).replace(tzinfo=None)
    return (change + before).time(), (change + offset(high)).time()


def _localise(wall: datetime, zone: ZoneInfo, shown: str) -> datetime:
    """``wall`` (naive local time) in ``zone``, refusing times that are skipped or repeated."""
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    skipped = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall
    if skipped or first.utcoffset() != second.utcoffset():
        before, after = _change(wall, zone)
        raise WhenError(
            "when.error.nonexistent_time" if skipped else "when.error.ambiguous_time",
            text=shown,
            day=Day(wall.date()),
            time=Clock(wall.time()),
            place=Place(zone.key),
            from_hour=Clock(before),
            to_hour=Clock(after),
        )
    return first
