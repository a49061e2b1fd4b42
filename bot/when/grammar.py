"""A small grammar for the dates members type, over ``vocab.normalise``d text.

Each rule is a regex that fills *slots* (time, date, weekday, day offset, period…) and is cut out
of the text. Whatever remains must be filler words ("à", "le", "at"…), otherwise the text is not
understood: nothing is guessed from words we do not know. Nothing here looks at the clock;
``bot.when.resolve`` turns the slots into an instant.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.when.clock import (
    HOURS_PER_HALF_DAY,
    LAST_DAY_OF_ANY_MONTH,
    MONTHS_PER_YEAR,
    wall_time,
)
from bot.when.errors import WhenError
from bot.when.vocab import (
    ENGLISH_MONTHS,
    FILLERS,
    MONTHS,
    NUMBER_WORDS,
    ORDINAL,
    WEEKDAYS,
    alternation,
    normalise,
)

CENTURY = 2000  # "12/12/27" is 2027
SHORT_YEAR_DIGITS = 2
_MONTH = alternation(MONTHS)
_WEEKDAY = alternation(WEEKDAYS)
_NUM = rf"(\d{{1,6}}|{alternation(NUMBER_WORDS)})"
_HALF = r"(?:\s+et\s+(quart|demie?))?"
_HALVES = {"quart": 15, "demi": 30, "demie": 30}
_UNITS = {
    **dict.fromkeys(["minutes", "minute", "mins", "min"], timedelta(minutes=1)),
    **dict.fromkeys(["heures", "heure", "hours", "hour", "hrs", "hr", "h"], timedelta(hours=1)),
    **dict.fromkeys(["jours", "jour", "days", "day"], 1),
    **dict.fromkeys(["semaines", "semaine", "weeks", "week"], 7),
}

_RELATIVE_HM = re.compile(r"\b(?:dans|in)\s+(\d{1,2})\s*h\s*(\d{2})\b")
_RELATIVE = re.compile(rf"\b(?:dans|in)\s+{_NUM}\s*({alternation(_UNITS)})\b")
_DAY_WORDS: list[tuple[re.Pattern[str], int, str | None]] = [
    (re.compile(r"\b(?:(?:the )?day after tomorrow|apres[- ]?demain)\b"), 2, None),
    (re.compile(r"\b(?:demain|tomorrow)\b"), 1, None),
    (re.compile(r"\b(?:aujourd'? ?hui|auj|today)\b"), 0, None),
    (re.compile(r"\b(?:ce soir|tonight|this evening)\b"), 0, "evening"),
    (re.compile(r"\b(?:ce matin|this morning)\b"), 0, "morning"),
    (re.compile(r"\b(?:cet apres[- ]?midi|this afternoon)\b"), 0, "afternoon"),
]
_TIMES = [
    re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])(?:\s*(am|pm)\b)?"),
    re.compile(r"(?<![\d:])(\d{1,2})()()\s*(am|pm)\b"),
    re.compile(
        rf"(?<![\d/:.-])(\d{{1,2}})\s*(?:h|heures?)"
        rf"(?:\s*(\d{{1,2}})(?!\s*{ORDINAL}?\s+(?:{_MONTH})\b))?()()(?![\da-z]){_HALF}"
    ),
]
_NOON = re.compile(rf"\b(midi|noon|minuit|midnight){_HALF}")
_ISO_DATE = re.compile(r"(?<![\d/])(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?![\d/])")
_NUM_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
_DAY_MONTH = re.compile(
    rf"(?<![\d/])(\d{{1,2}})\s*{ORDINAL}?\s+(?:de\s+)?({_MONTH})\b(?:\s+(\d{{4}})\b)?"
)
_MONTH_DAY = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}}){ORDINAL}?\b(?:\s+(\d{{4}})\b)?")
_WEEKDAY_RE = re.compile(
    rf"\b(?:(next|prochain)\s+)?({_WEEKDAY})\b(?:\s+(prochain|qui vient|next)\b)?"
)
_PERIODS = [
    (re.compile(r"\b(?:matin|morning)\b"), "morning"),
    (re.compile(r"\b(?:apres[- ]?midi|aprem|afternoon)\b"), "afternoon"),
    (re.compile(r"\b(?:soir|soiree|evening|night)\b"), "evening"),
]
_DAY_ONLY = re.compile(rf"(?<![\d/:.-])\b(\d{{1,2}}){ORDINAL}?\b(?![\d/:.-])")


@dataclass
class Slots:
    """What the text says, before it meets the clock. Dates are not yet checked for existence."""

    delta: timedelta | None = None  # "dans 2 heures": an exact duration from now
    day_offset: int | None = None  # aujourd'hui 0, demain 1, après-demain 2, dans N jours
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    next_weekday: bool = False  # "lundi prochain": strictly after today
    period: str | None = None  # morning | afternoon | evening
    hour: int | None = None
    minute: int = 0
    second: int = 0
    end_of_day: bool = False  # "minuit": 24:00 of the day named

    @property
    def has_date(self) -> bool:
        return self.month is not None or self.day is not None


class _Text:
    """The normalised text, from which each recognised piece is cut out."""

    def __init__(self, text: str) -> None:
        self.rest = f" {text} "

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        match = pattern.search(self.rest)
        if match:
            self.rest = f"{self.rest[: match.start()]} {self.rest[match.end() :]}"
        return match

    def only_fillers_left(self) -> bool:
        return all(word in FILLERS for word in self.rest.split())


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def _year(raw: str | None) -> int | None:
    if raw is None:
        return None
    return CENTURY + int(raw) if len(raw) == SHORT_YEAR_DIGITS else int(raw)


def parse(text: str, *, lang_hint: str | None, shown: str, examples: str) -> Slots | None:
    """The slots of ``text``, or ``None`` when it is not understood.

    ``shown`` (the text as errors quote it) and ``examples`` go into the params of refusals.

    Raises ``WhenError`` for impossible hours or dates and for an en-US numeric date that reads
    both ways. Only understood texts get those more precise refusals.
    """
    s, t = Slots(), _Text(normalise(text))
    if m := t.take(_RELATIVE_HM):
        s.delta = timedelta(hours=int(m[1]), minutes=int(m[2]))
    elif m := t.take(_RELATIVE):
        amount, unit = _number(m[1]), _UNITS[m[2]]
        if isinstance(unit, timedelta):
            s.delta = unit * amount
        else:
            s.day_offset = unit * amount
    if s.day_offset is None:
        for pattern, offset, period in _DAY_WORDS:
            if t.take(pattern):
                s.day_offset, s.period = offset, period
                break
    raw_time = None
    for pattern in _TIMES:
        if m := t.take(pattern):
            raw_time = m
            break
    if raw_time is None and (m := t.take(_NOON)):
        s.hour, s.end_of_day = (12, False) if m[1] in ("midi", "noon") else (0, True)
        s.minute = _HALVES.get(m[2] or "", 0)
    numeric = None
    if m := t.take(_ISO_DATE):
        s.year, s.month, s.day = int(m[1]), int(m[2]), int(m[3])
    elif m := t.take(_NUM_DATE):
        numeric, s.year = (int(m[1]), int(m[2])), _year(m[3])
    elif m := t.take(_DAY_MONTH):
        s.day, s.month, s.year = int(m[1]), MONTHS[m[2]], _year(m[3])
    elif m := t.take(_MONTH_DAY):
        s.month, s.day, s.year = MONTHS[m[1]], int(m[2]), _year(m[3])
    if m := t.take(_WEEKDAY_RE):
        s.weekday, s.next_weekday = WEEKDAYS[m[2]], bool(m[1] or m[3])
    for pattern, period in _PERIODS:
        if t.take(pattern):
            if s.period is not None:
                return None
            s.period = period
    if numeric is None and not s.has_date and (m := t.take(_DAY_ONLY)):
        s.day = int(m[1])
    if not t.only_fillers_left() or (s == Slots() and raw_time is None and numeric is None):
        return None
    if s.delta is not None and (s != Slots(delta=s.delta)):
        return None  # "dans 2 heures" is complete: nothing may be added to it
    if s.day_offset is not None and (s.has_date or numeric):
        return None

    def refuse(key: str) -> WhenError:
        return WhenError(key, text=shown, examples=examples)

    if raw_time is not None:
        _set_time(s, raw_time, refuse)
    if numeric is not None:
        s.day, s.month = _day_month(numeric, s.year, lang_hint, shown)
    if s.has_date and not _exists(s.year, s.month, s.day):
        raise refuse("when.error.impossible_date")
    pm_period = s.period in ("afternoon", "evening")
    if (
        pm_period
        and raw_time is not None
        and not raw_time[4]
        and 1 <= (s.hour or 0) < HOURS_PER_HALF_DAY
    ):
        s.hour += HOURS_PER_HALF_DAY  # "ce soir 8h" → 20h; never "8am"
    return s


def _set_time(s: Slots, m: re.Match[str], refuse: Callable[[str], WhenError]) -> None:
    hour, minute, second, ampm = int(m[1]), int(m[2] or 0), int(m[3] or 0), m[4]
    if m.re is _TIMES[2] and m[5]:  # "18h et quart", "18 heures et demie"
        if m[2]:
            raise refuse("when.error.impossible_hour")  # "18h30 et quart"
        minute = _HALVES[m[5]]
    at = wall_time(hour, minute, second, ampm)
    if at is None:
        raise refuse("when.error.impossible_hour")
    s.hour, s.minute, s.second = at.hour, at.minute, at.second


def _exists(year: int | None, month: int | None, day: int | None) -> bool:
    """Whether the date can exist (any leap year when the year is not given)."""
    if month is None:
        return day is not None and 1 <= day <= LAST_DAY_OF_ANY_MONTH
    if not 1 <= month <= MONTHS_PER_YEAR or day is None or day < 1:
        return False
    return day <= calendar.monthrange(2000 if year is None else year, month)[1]


def _day_month(
    numeric: tuple[int, int], year: int | None, lang_hint: str | None, shown: str
) -> tuple[int, int]:
    """Day and month of "a/b": day/month, except en-US reads month/day when only that exists,
    and asks when both readings exist and differ."""
    a, b = numeric
    us = (lang_hint or "").lower().replace("_", "-") == "en-us"
    if us and _exists(year, a, b):
        if _exists(year, b, a) and a != b:
            raise WhenError(
                "when.error.ambiguous_date",
                text=shown,
                day_first=f"{ENGLISH_MONTHS[b - 1]} {a}",
                month_first=f"{ENGLISH_MONTHS[a - 1]} {b}",
            )
        return b, a
    return a, b  # checked for existence by the caller
