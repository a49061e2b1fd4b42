"""The agenda outside Discord: what features put in calendars and on the public page.

Features that hold dated things (meet-ups, apéro series) register a provider; the web side
(`bot.web`) reads every provider through this registry and never imports a feature. A provider
returns plain values of this module, which carry nothing about members (no name, no id): the
per-member feed asks providers *which* events a member answered, but what comes back is the
events themselves.

Rules the registry applies to whatever providers return (so that every feed follows them):

* a confirmed event is in the feeds until `KEPT` after its end (a calendar keeps what has just
  happened), and on the public page only until it ends;
* a cancelled event stays in the feeds as `STATUS:CANCELLED` for `KEPT` after its cancellation
  (its `updated_at`), so calendar apps that already have it remove it; never on the page;
* a weekly series is one recurring event (its rule, its skipped days), for as long as it exists
  and is not paused.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.recurrence import Occurrence, WeeklySpec, next_occurrences

log = logging.getLogger(__name__)

KEPT = timedelta(days=30)
# UIDs end with this so that a feed and a downloaded .ics of the same event are one event.
UID_DOMAIN = "passerelle.discord"


class EventStatus(StrEnum):
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class AgendaEvent:
    """One dated event (a meet-up). Instants are aware UTC; `zone` is the organiser's."""

    key: str  # unique across features and URL-safe, e.g. "rencontre-12"; UID = key@UID_DOMAIN
    guild_id: int
    title: str
    start: datetime
    end: datetime
    zone: str
    updated_at: datetime  # the last change (for a cancelled event: the cancellation)
    sequence: int = 0  # RFC 5545 SEQUENCE: +1 on every change calendars must follow
    status: EventStatus = EventStatus.CONFIRMED
    place: str | None = None
    video_link: str | None = None
    message_url: str | None = None  # the Discord message that announces it
    description: str = ""
    kind: str = "agenda.kind.event"  # a catalog key naming what it is (« Rencontre »)

    @property
    def uid(self) -> str:
        return f"{self.key}@{UID_DOMAIN}"


@dataclass(frozen=True)
class AgendaSeries:
    """A weekly series at a wall-clock time in its zone (an apéro), with its skipped days."""

    key: str
    guild_id: int
    title: str
    weekday: int  # 0 = Monday … 6 = Sunday (Python's weekday())
    at: time  # wall clock in `zone`
    zone: str
    duration: timedelta
    first_day: date  # the day of its first occurrence, in its zone (DTSTART)
    updated_at: datetime
    skipped: tuple[date, ...] = ()  # days not held, in its zone (EXDATE), sorted
    sequence: int = 0
    place: str | None = None
    video_link: str | None = None
    message_url: str | None = None
    description: str = ""
    kind: str = "agenda.kind.series"

    @property
    def uid(self) -> str:
        return f"{self.key}@{UID_DOMAIN}"

    @property
    def spec(self) -> WeeklySpec:
        return WeeklySpec(self.weekday, self.at, ZoneInfo(self.zone))

    def next_occurrences(self, after: datetime, count: int) -> list[Occurrence]:
        """The next `count` occurrences held strictly after `after` (bot.recurrence's rule)."""
        first = datetime.combine(self.first_day, time.min, tzinfo=ZoneInfo(self.zone))
        return next_occurrences(self.spec, max(after, first), count, set(self.skipped))


@dataclass(frozen=True)
class Agenda:
    events: tuple[AgendaEvent, ...] = ()
    series: tuple[AgendaSeries, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.events or self.series)

    def find(self, key: str) -> AgendaEvent | AgendaSeries | None:
        for item in (*self.events, *self.series):
            if item.key == key:
                return item
        return None


@dataclass(frozen=True)
class Window:
    """What a provider is asked for: items that matter at `now`, back to `since`."""

    now: datetime
    since: datetime  # ended or cancelled before this: left out


class AgendaProvider(Protocol):
    async def for_guild(self, guild_id: int, window: Window) -> Agenda:
        """The server's published events ending or cancelled after `window.since`, and its
        series (paused ones left out)."""
        ...

    async def for_member(self, user_id: int, window: Window) -> Agenda:
        """The same, limited to what the member said they would come to (« Je viens »,
        « Peut-être ») or follows, in every server."""
        ...


def _in_feed(event: AgendaEvent, since: datetime) -> bool:
    if event.status is EventStatus.CANCELLED:
        return event.updated_at > since
    return event.end > since


def _sorted(events: Iterable[AgendaEvent], series: Iterable[AgendaSeries]) -> Agenda:
    return Agenda(
        tuple(sorted(events, key=lambda e: (e.start, e.key))),
        tuple(sorted(series, key=lambda s: s.key)),
    )


class AgendaRegistry:
    def __init__(self) -> None:
        self._providers: dict[str, AgendaProvider] = {}

    def register(self, name: str, provider: AgendaProvider) -> None:
        self._providers[name] = provider

    @property
    def names(self) -> list[str]:
        return sorted(self._providers)

    @staticmethod
    def window(now: datetime) -> Window:
        return Window(now=now, since=now - KEPT)

    async def _gather(self, ask: str, ident: int, now: datetime) -> Agenda:
        window = self.window(now)
        events: list[AgendaEvent] = []
        series: list[AgendaSeries] = []
        for _, provider in sorted(self._providers.items()):
            part: Agenda = await getattr(provider, ask)(ident, window)
            events.extend(e for e in part.events if _in_feed(e, window.since))
            series.extend(part.series)
        return _sorted(events, series)

    async def for_guild(self, guild_id: int, now: datetime) -> Agenda:
        """What the server's feed holds at `now` (see the module's rules)."""
        agenda = await self._gather("for_guild", guild_id, now)
        return Agenda(
            tuple(e for e in agenda.events if e.guild_id == guild_id),
            tuple(s for s in agenda.series if s.guild_id == guild_id),
        )

    async def for_member(self, user_id: int, now: datetime) -> Agenda:
        """What a member's own feed holds at `now`."""
        return await self._gather("for_member", user_id, now)

    async def upcoming(self, guild_id: int, now: datetime) -> Agenda:
        """What the public page shows: confirmed events not yet ended, and the series."""
        agenda = await self.for_guild(guild_id, now)
        return Agenda(
            tuple(e for e in agenda.events if e.status is EventStatus.CONFIRMED and e.end > now),
            agenda.series,
        )
