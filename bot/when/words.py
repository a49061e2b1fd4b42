"""Dates and times inside error messages, worded once the member's language is known.

A ``WhenError`` is raised before anyone knows who reads it; these parameters are
``bot.user_error.Localised``: the one error handler renders them in the member's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from bot.i18n import format_clock, format_day, format_zone_place, t


@dataclass(frozen=True)
class Day:
    """« dimanche 29 mars 2026 » (or without the weekday)."""

    day: date
    weekday: bool = True

    def render(self, lang: str) -> str:
        return format_day(self.day, lang, weekday=self.weekday)


@dataclass(frozen=True)
class Clock:
    """« 2 h 30 », "2:30 AM"."""

    at: time

    def render(self, lang: str) -> str:
        return format_clock(self.at, lang)


@dataclass(frozen=True)
class Moment:
    """« lundi 30 novembre 2026 à 9 h »: a wall-clock date and time."""

    wall: datetime

    def render(self, lang: str) -> str:
        return t(
            "when.words.moment",
            lang,
            day=format_day(self.wall.date(), lang),
            time=format_clock(self.wall.time(), lang),
        )


@dataclass(frozen=True)
class Weekday:
    """« samedi », "Saturday"."""

    weekday: int

    def render(self, lang: str) -> str:
        return t(f"weekday.{self.weekday}", lang)


@dataclass(frozen=True)
class Place:
    """The city a zone's clocks belong to: « Paris », « Montréal »."""

    zone: str

    def render(self, lang: str) -> str:
        return format_zone_place(self.zone, lang)
