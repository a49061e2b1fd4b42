"""Dates without an hour, as members type them for a deadline: ``parse_date("15/01", today=…)``.

Same grammar as ``parse_when`` (``bot.when.grammar``), other rules:

* **No hour.** A deadline is a day: « 15/01 18h » or « vendredi soir » is refused
  (``when.error.date_with_hour``) rather than silently dropping the hour.
* **Forms**: « 15/01 », « 15/01/2027 », « 31 janvier », « le 31 janvier 2027 », « 2027-01-31 »,
  « le 5 » (this month if still ahead, else the next month that has the day), « vendredi »
  (today if it is Friday), « vendredi prochain » (strictly after today), « demain »,
  « dans 3 semaines »; English likewise ("jan 31", "next friday"). en-US reads « 3/4 » as the
  parse_when rules say (asked when both readings exist).
* **Vague dates** (« fin janvier », « début mars », « mi-avril », "end of January") are refused
  with a precise example built from what was typed (« 31 janvier »): ``when.error.vague_date``.
* **Today counts**: a deadline of today is still open until the day ends. Earlier is
  ``when.error.past_date``; more than ``MAX_DAYS_AHEAD`` days ahead is ``when.error.too_far``.
* **No year**: this year if the date is today or ahead, else the next year that has it
  (« 29/02 » is the next 29 February). A weekday that contradicts the date is refused.
* **DST-free**: a date is a calendar day, ``today`` is given by the caller (the day in the zone
  that matters); ``day_end(day, zone)`` is the instant the day ends there (the next midnight, or
  the first instant of the next day where midnight is skipped by a change of time).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.when import grammar
from bot.when.errors import WhenError
from bot.when.vocab import ENGLISH_MONTHS, MONTHS, alternation, normalise
from bot.when.words import Day, Weekday

MAX_DAYS_AHEAD = 731  # about two years, as parse_when
MAX_YEARS_AHEAD = 2
MAX_TEXT_LENGTH = 100
_TEXT_PARAM_LENGTH = 100
MID_MONTH = 15

DATE_EXAMPLES: dict[str, list[str]] = {
    "fr": ["15/01", "31 janvier", "31/01/2027", "vendredi prochain"],
    "en": ["15/01", "January 31", "31/01/2027", "next friday"],
}

_VAGUE = re.compile(
    rf"^(?:(?P<fr>fin|debut|mi|milieu|courant|vers la fin|au debut|a la fin)"
    rf"(?:\s+(?:de|du|d')|\s*-)?\s*"
    rf"|(?P<en>end of|beginning of|start of|early|mid|late|the end of|middle of)\s*-?\s*)"
    rf"(?P<month>{alternation(MONTHS)})(?:\s+(?P<year>\d{{4}}))?$"
)
FRENCH_MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip
_END_WORDS = {"fin", "vers la fin", "a la fin", "end of", "late", "the end of"}
_START_WORDS = {"debut", "au debut", "beginning of", "start of", "early"}


def date_examples(lang: str) -> list[str]:
    return list(DATE_EXAMPLES["en" if lang.lower().startswith("en") else "fr"])


def parse_date(text: str, *, today: date, lang_hint: str | None = None) -> date:
    """The calendar day ``text`` names, ``today`` or later. Raises ``WhenError``."""
    shown = text.strip()[:_TEXT_PARAM_LENGTH]
    lang = "en" if (lang_hint or "").lower().startswith("en") else "fr"
    examples = ", ".join(date_examples(lang))
    normalised = normalise(text)
    if vague := _VAGUE.match(normalised):
        raise WhenError("when.error.vague_date", text=shown, example=_precise(vague, today, lang))
    slots = None
    if len(text) <= MAX_TEXT_LENGTH:
        slots = grammar.parse(text, lang_hint=lang_hint, shown=shown, examples=examples)
    if slots is None:
        raise WhenError("when.error.not_understood", text=shown, examples=examples)
    if slots.hour is not None or slots.delta is not None or slots.period is not None:
        raise WhenError("when.error.date_with_hour", text=shown, examples=examples)
    if slots.day_offset is not None and slots.day_offset > MAX_DAYS_AHEAD:
        raise WhenError("when.error.too_far", text=shown, years=MAX_YEARS_AHEAD)
    if slots.year is not None and slots.year > today.year + MAX_YEARS_AHEAD + 1:
        raise WhenError("when.error.too_far", text=shown, years=MAX_YEARS_AHEAD)
    fixed, candidates = _candidates(slots, today)
    day = None
    for day in candidates:
        if fixed or day >= today:
            break
    if day is None:  # a year with no such date at all
        raise WhenError("when.error.not_understood", text=shown, examples=examples)
    if slots.weekday is not None and day.weekday() != slots.weekday:
        raise WhenError(
            "when.error.weekday_mismatch",
            text=shown,
            date=Day(day, weekday=False),
            weekday=Weekday(day.weekday()),
        )
    if day < today:
        raise WhenError("when.error.past_date", text=shown, date=Day(day))
    if day - today > timedelta(days=MAX_DAYS_AHEAD):
        raise WhenError("when.error.too_far", text=shown, years=MAX_YEARS_AHEAD)
    return day


def day_end(day: date, zone: ZoneInfo) -> datetime:
    """The instant ``day`` ends in ``zone`` (UTC): the start of the next day there."""
    wall = datetime.combine(day + timedelta(days=1), time(0)).replace(tzinfo=zone)
    # A midnight skipped by a change of time reads as the first instant after the gap.
    return wall.astimezone(UTC)


def today_in(zone: ZoneInfo, now: datetime) -> date:
    """The calendar day it is in ``zone`` at ``now`` (aware)."""
    return now.astimezone(zone).date()


def _candidates(s: grammar.Slots, today: date) -> tuple[bool, Iterator[date]]:
    if s.day_offset is not None:
        return True, iter([today + timedelta(days=s.day_offset)])
    if s.month is not None and s.day is not None:
        if s.year is not None:
            exists = s.year >= 1 and _has(s.year, s.month, s.day)
            return True, iter([date(s.year, s.month, s.day)] if exists else [])
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
    return True, iter([])


def _has(year: int, month: int, day: int) -> bool:
    return day <= calendar.monthrange(year, month)[1]


def _precise(vague: re.Match[str], today: date, lang: str) -> str:
    """« fin janvier » → « 31 janvier » (the month's last day, the year it next comes)."""
    month = MONTHS[vague["month"]]
    year = int(vague["year"]) if vague["year"] else today.year + (month < today.month)
    word = (vague["fr"] or vague["en"] or "").strip()
    last = calendar.monthrange(year, month)[1]
    day = last if word in _END_WORDS else 1 if word in _START_WORDS else MID_MONTH
    if lang == "en":
        return f"{ENGLISH_MONTHS[month - 1]} {day}"
    return f"{'1er' if day == 1 else day} {FRENCH_MONTHS[month - 1]}"
