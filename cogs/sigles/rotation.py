"""The sigle of the week: its settings, when it is posted and which sigle comes next.

A module of its own beside `service.py` (the template's rules): the weekly rotation is a
separate piece of pure logic with its own tests (tests/unit/test_sigles_rotation.py), used by
the store (its values), the flows (turning it on) and the engine's handler (the post).

Pure: no Discord, no SQL, no clock. The weekly instant is the core's (`bot.recurrence`), the same
computation as the apéro's, in the server's zone. Which sigle:

* The pool is the server's glossary (the shipped entries, its own on top, its own replacing a
  shipped one with the same meaning) without the historical entries: the point is to discover
  the vocabulary in use.
* No repeat within a round: a sigle shown this round comes back only once every entry of the
  pool has been shown; then a new round begins. The pool is read at send time, so an entry a
  server adds meanwhile joins the current round.
* Regions alternate: after a sigle of region R comes the next region in ``REGIONS`` order
  (FR, QC, BE, CH, FR …) that still has sigles not shown this round.
* Within a region, the order is a shuffle seeded by the server id (a hash of the server id and
  the entry's identity): the same for ever on one server, different from one server to another,
  and a new entry simply takes its place in it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.recurrence import Occurrence, WeeklySpec, next_occurrence, parse_wall_time
from bot.regions import REGIONS
from bot.reminders import Schedule
from bot.user_error import UserError
from cogs.sigles.glossary import Entry
from cogs.sigles.service import ident

KIND = "sigles.semaine"
# Still worth posting late the same day (e.g. the bot was down at 9:00); not the day after.
LATE_LIMIT = timedelta(hours=12)


@dataclass(frozen=True)
class WeeklySettings:
    guild_id: int
    channel_id: int
    weekday: int  # 0 = lundi … 6 = dimanche
    at: time
    paused: str | None = None  # 'failure:<code>' once the channel became unusable

    def spec(self, zone: ZoneInfo) -> WeeklySpec:
        return WeeklySpec(self.weekday, self.at, zone)


@dataclass(frozen=True)
class Shown:
    """One sigle already posted on a server: which, of which region, in which round."""

    ident: str
    region: str
    round: int


@dataclass(frozen=True)
class Pick:
    entry: Entry
    round: int


def parse_hour(text: str) -> time:
    at = parse_wall_time(text)
    if at is None:
        raise UserError("sigles.error.bad_hour", text=text.strip()[:40])
    return at


def schedule_for(occ: Occurrence) -> Schedule:
    return Schedule(
        occurrence=occ.start.isoformat(),
        due_at=occ.start,
        expires_at=occ.start + LATE_LIMIT,
        payload={"day": occ.day.isoformat()},
    )


def next_post(settings: WeeklySettings, zone: ZoneInfo, after: datetime) -> Occurrence:
    """The first post strictly after `after`: the weekday and wall time in the server's zone."""
    return next_occurrence(settings.spec(zone), after)


def pool(entries: Iterable[Entry]) -> list[Entry]:
    return [e for e in entries if not e.historique]


def rank(guild_id: int, entry: Entry) -> bytes:
    """The entry's place in the server's shuffle (stable, independent of the other entries)."""
    return hashlib.blake2b(f"{guild_id}|{ident(entry)}".encode(), digest_size=8).digest()


def choose(entries: Sequence[Entry], guild_id: int, history: Sequence[Shown]) -> Pick | None:
    """The next sigle of the week. `history`: the current round's posts, oldest first."""
    if not entries:
        return None
    current = history[-1].round if history else 0
    seen = {h.ident for h in history if h.round == current}
    left = [e for e in entries if ident(e) not in seen]
    if not left:  # everything was shown: a new round, from the whole pool
        current += 1
        left = list(entries)
    last = history[-1].region if history else None
    start = REGIONS.index(last) + 1 if last in REGIONS else 0
    order = REGIONS[start:] + REGIONS[:start]
    regions = {e.region for e in left}
    region = next(r for r in order if r in regions)
    entry = min((e for e in left if e.region == region), key=lambda e: rank(guild_id, e))
    return Pick(entry, current)
