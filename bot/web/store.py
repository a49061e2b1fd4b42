"""The web side's SQL: calendar subscription links and the servers' public pages.

A link's secret (`secrets.token_urlsafe(32)`: 256 bits) is shown once to whoever asked for it
and never stored: the table holds its SHA-256. A visitor's token is hashed, looked up by that
hash, and the stored hash is compared with `hmac.compare_digest` (constant time). A lookup
writes nothing, so wrong tokens change nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.db import Database
from bot.db.timestamps import from_ts, to_ts

TOKEN_BYTES = 32  # 256 bits of randomness (at least 128 are required)
# What token_urlsafe(TOKEN_BYTES) produces: anything else is refused before any lookup.
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


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
    def __init__(self, db: Database) -> None:
        self.db = db

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
        return cur.rowcount > 0

    async def resolve(self, token: str) -> Link | None:
        """The link this secret opens, or None (a malformed token costs no lookup)."""
        if not well_formed(token):
            return None
        wanted = token_hash(token)
        row = await self.db.fetchone(
            "SELECT token_hash, scope, owner_id, lang, label, created_at FROM agenda_links"
            " WHERE token_hash = ?",
            (wanted,),
        )
        if row is None or not hmac.compare_digest(str(row["token_hash"]), wanted):
            return None
        return _link(row)

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


def _link(row: object) -> Link:
    return Link(
        scope=LinkScope(row["scope"]),  # type: ignore[index]
        owner_id=row["owner_id"],  # type: ignore[index]
        lang=row["lang"],  # type: ignore[index]
        label=row["label"],  # type: ignore[index]
        created_at=from_ts(row["created_at"]),  # type: ignore[index]
    )
