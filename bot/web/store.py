"""The web side's SQL: calendar subscription links and the servers' public pages.

A link's secret (`secrets.token_urlsafe(32)`: 256 bits) is shown once to whoever asked for it
and never stored: the table holds its SHA-256. A visitor's token is hashed, looked up by that
hash, and the stored hash is compared with `hmac.compare_digest` (constant time). A lookup
writes nothing, so wrong tokens change nothing.

The lookup is in memory: the table's hashes (one row per server or member that asked for a
link) are read whole into a dict, at most once per `LINKS_FRESH_FOR` seconds and only when a
request needs them, so guessed tokens — whatever their number — cost no database access
beyond that one read. This process's own writes (`issue`, `revoke`) change the dict at once: a
link replaced or erased here stops working immediately; one replaced by another bot process
sharing the database stops within `LINKS_FRESH_FOR` seconds.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.db import Database
from bot.db.timestamps import from_ts, to_ts
from bot.web.cache import SingleFlight

TOKEN_BYTES = 32  # 256 bits of randomness (at least 128 are required)
# What token_urlsafe(TOKEN_BYTES) produces: anything else is refused before any lookup.
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")
LINKS_FRESH_FOR = 5.0  # seconds the in-memory copy of the links is used before a new read
_LINK_COLUMNS = "token_hash, scope, owner_id, lang, label, created_at"


class LinkScope(StrEnum):
    GUILD = "guild"  # a server's feed (moderators hand it out)
    MEMBER = "member"  # a member's own feed


@dataclass(frozen=True)
class Link:
    scope: LinkScope
    owner_id: int  # the server's id, or the member's
    lang: str
    label: str
    created_at: datetime


@dataclass(frozen=True)
class Page:
    guild_id: int
    guild_name: str
    enabled_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def well_formed(token: str) -> bool:
    return TOKEN_SHAPE.match(token) is not None


class WebStore:
    def __init__(
        self,
        db: Database,
        *,
        links_fresh_for: float = LINKS_FRESH_FOR,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.links_fresh_for = links_fresh_for
        self.clock = clock
        self.link_reads = 0  # how many times the whole table was read (tests, bench)
        self._by_hash: dict[str, Link] = {}
        self._hash_of: dict[tuple[LinkScope, int], str] = {}
        self._read_at: float | None = None  # when the read behind the dicts started
        self._writes = 0  # this process's link writes, to discard a read they overtook
        self._flight = SingleFlight()

    # -- the in-memory index ----------------------------------------------------------------------
    async def _links(self) -> dict[str, Link]:
        if self._read_at is not None and self.clock() - self._read_at < self.links_fresh_for:
            return self._by_hash
        return await self._flight.run("links", self._read_links)

    async def _read_links(self) -> dict[str, Link]:
        while True:
            started, writes = self.clock(), self._writes
            rows = await self.db.fetchall(f"SELECT {_LINK_COLUMNS} FROM agenda_links")
            self.link_reads += 1
            if writes == self._writes:  # no write of ours landed during the read
                break
        self._by_hash = {str(row["token_hash"]): _link(row) for row in rows}
        self._hash_of = {(link.scope, link.owner_id): h for h, link in self._by_hash.items()}
        self._read_at = started
        return self._by_hash

    def _forget(self, scope: LinkScope, owner_id: int) -> None:
        self._writes += 1
        old = self._hash_of.pop((scope, owner_id), None)
        if old is not None:
            self._by_hash.pop(old, None)

    # -- links ----------------------------------------------------------------------------------
    async def issue(
        self, scope: LinkScope, owner_id: int, *, lang: str, label: str, now: datetime
    ) -> str:
        """A new secret for (scope, owner); the previous one, if any, stops working at once."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        await self.db.execute(
            "INSERT INTO agenda_links (token_hash, scope, owner_id, lang, label, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope, owner_id) DO UPDATE SET"
            " token_hash = excluded.token_hash, lang = excluded.lang, label = excluded.label,"
            " created_at = excluded.created_at",
            (token_hash(token), scope.value, owner_id, lang, label, to_ts(now)),
        )
        self._forget(scope, owner_id)
        if self._read_at is not None:  # else the first read will find it
            digest = token_hash(token)
            self._by_hash[digest] = Link(scope, owner_id, lang, label, from_ts(to_ts(now)))
            self._hash_of[(scope, owner_id)] = digest
        return token

    async def link(self, scope: LinkScope, owner_id: int) -> Link | None:
        row = await self.db.fetchone(
            "SELECT scope, owner_id, lang, label, created_at FROM agenda_links"
            " WHERE scope = ? AND owner_id = ?",
            (scope.value, owner_id),
        )
        return None if row is None else _link(row)

    async def revoke(self, scope: LinkScope, owner_id: int) -> bool:
        cur = await self.db.execute(
            "DELETE FROM agenda_links WHERE scope = ? AND owner_id = ?", (scope.value, owner_id)
        )
        self._forget(scope, owner_id)
        return cur.rowcount > 0

    async def resolve(self, token: str) -> Link | None:
        """The link this secret opens, or None. A malformed token costs no lookup; a well-formed
        one is looked up in memory (see the module's docstring), never in the database."""
        if not well_formed(token):
            return None
        wanted = token_hash(token)
        links = await self._links()
        link = links.get(wanted)
        if link is None or not hmac.compare_digest(self._hash_of.get(_owner(link), ""), wanted):
            return None
        return link

    # -- pages ----------------------------------------------------------------------------------
    async def enable_page(self, guild_id: int, guild_name: str, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO agenda_pages (guild_id, guild_name, enabled_at) VALUES (?, ?, ?)"
            " ON CONFLICT (guild_id) DO UPDATE SET guild_name = excluded.guild_name,"
            " enabled_at = excluded.enabled_at",
            (guild_id, guild_name, to_ts(now)),
        )

    async def disable_page(self, guild_id: int) -> bool:
        cur = await self.db.execute("DELETE FROM agenda_pages WHERE guild_id = ?", (guild_id,))
        return cur.rowcount > 0

    async def page(self, guild_id: int) -> Page | None:
        row = await self.db.fetchone(
            "SELECT guild_id, guild_name, enabled_at FROM agenda_pages WHERE guild_id = ?",
            (guild_id,),
        )
        if row is None:
            return None
        return Page(row["guild_id"], row["guild_name"], from_ts(row["enabled_at"]))


def _owner(link: Link) -> tuple[LinkScope, int]:
    return (link.scope, link.owner_id)


def _link(row: object) -> Link:
    return Link(
        scope=LinkScope(row["scope"]),  # type: ignore[index]
        owner_id=row["owner_id"],  # type: ignore[index]
        lang=row["lang"],  # type: ignore[index]
        label=row["label"],  # type: ignore[index]
        created_at=from_ts(row["created_at"]),  # type: ignore[index]
    )
