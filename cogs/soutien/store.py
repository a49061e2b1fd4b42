"""Soutien's SQL: configuration, threads, anonymity links, posts, blocks, rate records."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db import Database, meta
from bot.db.timestamps import from_ts, to_ts
from cogs.soutien.service import SoutienConfig, ThreadKind

SECRET_KEY = "soutien.hmac_secret"


@dataclass(frozen=True)
class SupportThread:
    thread_id: int
    guild_id: int
    kind: ThreadKind
    opener_id: int | None
    opener_pseudo: str | None
    closed: bool


@dataclass(frozen=True)
class Post:
    message_id: int
    thread_id: int
    guild_id: int
    pseudonym: str
    removed: bool


@dataclass(frozen=True)
class Link:
    thread_id: int
    pseudonym: str
    guild_id: int
    notify: bool
    notify_ref: str | None
    last_used: datetime


@dataclass(frozen=True)
class Block:
    guild_id: int
    pseudonym: str
    at: datetime


class SoutienStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._secret: bytes | None = None

    async def secret(self) -> bytes:
        """The per-install HMAC secret, created at first use and kept in the database only."""
        if self._secret is None:
            value = await meta.get(self.db, SECRET_KEY)
            if value is None:
                value = secrets.token_hex(32)
                # Two starts racing: the first secret written wins, both read it back.
                await self.db.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                    (SECRET_KEY, value),
                )
                value = await meta.get(self.db, SECRET_KEY)
            if value is None:
                raise RuntimeError("the soutien secret could not be stored")
            self._secret = bytes.fromhex(value)
        return self._secret

    # -- configuration --------------------------------------------------------------------------
    async def config(self, guild_id: int) -> SoutienConfig:
        row = await self.db.fetchone("SELECT * FROM soutien_config WHERE guild_id = ?", (guild_id,))
        return SoutienConfig(**dict(row)) if row else SoutienConfig(guild_id=guild_id)

    async def save_config(self, config: SoutienConfig) -> None:
        await self.db.execute(
            "INSERT INTO soutien_config (guild_id, channel_id, supporter_role_id,"
            " alert_channel_id, region, retention_days) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(guild_id) DO UPDATE SET channel_id = excluded.channel_id,"
            " supporter_role_id = excluded.supporter_role_id,"
            " alert_channel_id = excluded.alert_channel_id, region = excluded.region,"
            " retention_days = excluded.retention_days",
            (
                config.guild_id,
                config.channel_id,
                config.supporter_role_id,
                config.alert_channel_id,
                config.region,
                config.retention_days,
            ),
        )

    # -- threads --------------------------------------------------------------------------------
    async def add_thread(
        self,
        thread_id: int,
        guild_id: int,
        kind: ThreadKind,
        now: datetime,
        *,
        opener_id: int | None = None,
        opener_pseudo: str | None = None,
    ) -> None:
        await self.db.execute(
            "INSERT INTO soutien_threads (thread_id, guild_id, kind, opener_id, opener_pseudo,"
            " created_at, last_activity) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (thread_id, guild_id, str(kind), opener_id, opener_pseudo, to_ts(now), to_ts(now)),
        )

    async def thread(self, thread_id: int) -> SupportThread | None:
        row = await self.db.fetchone(
            "SELECT * FROM soutien_threads WHERE thread_id = ?", (thread_id,)
        )
        if row is None:
            return None
        return SupportThread(
            row["thread_id"],
            row["guild_id"],
            ThreadKind(row["kind"]),
            row["opener_id"],
            row["opener_pseudo"],
            row["closed_at"] is not None,
        )

    async def touch_thread(self, thread_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE soutien_threads SET last_activity = ?, dormant = 0 WHERE thread_id = ?",
            (to_ts(now), thread_id),
        )

    async def close_thread(self, thread_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE soutien_threads SET closed_at = ? WHERE thread_id = ? AND closed_at IS NULL",
            (to_ts(now), thread_id),
        )

    async def inactive_threads(self, before: datetime) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT thread_id FROM soutien_threads WHERE closed_at IS NULL AND dormant = 0"
            " AND last_activity < ?",
            (to_ts(before),),
        )
        return [r[0] for r in rows]

    async def mark_dormant(self, thread_id: int) -> None:
        await self.db.execute(
            "UPDATE soutien_threads SET dormant = 1 WHERE thread_id = ?", (thread_id,)
        )

    async def thread_ids(self) -> set[int]:
        rows = await self.db.fetchall("SELECT thread_id FROM soutien_threads")
        return {r[0] for r in rows}

    async def private_threads_of(self, user_id: int) -> list[tuple[int, int]]:
        """(guild id, thread id) of the private threads the member opened."""
        rows = await self.db.fetchall(
            "SELECT guild_id, thread_id FROM soutien_threads WHERE opener_id = ?"
            " ORDER BY created_at",
            (user_id,),
        )
        return [(r[0], r[1]) for r in rows]

    async def forget_opener(self, user_id: int) -> int:
        cur = await self.db.execute(
            "UPDATE soutien_threads SET opener_id = NULL WHERE opener_id = ?", (user_id,)
        )
        return cur.rowcount

    # -- links ----------------------------------------------------------------------------------
    async def pseudonyms_of_others(self, thread_id: int, author_id: int) -> set[str]:
        rows = await self.db.fetchall(
            "SELECT pseudonym FROM soutien_links WHERE thread_id = ? AND author_id != ?",
            (thread_id, author_id),
        )
        return {r[0] for r in rows}

    async def use_link(
        self, thread_id: int, pseudonym: str, author_id: int, guild_id: int, now: datetime
    ) -> None:
        await self.db.execute(
            "INSERT INTO soutien_links (thread_id, pseudonym, author_id, guild_id, last_used)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(thread_id, pseudonym)"
            " DO UPDATE SET last_used = excluded.last_used",
            (thread_id, pseudonym, author_id, guild_id, to_ts(now)),
        )

    async def link(self, thread_id: int, author_id: int) -> Link | None:
        row = await self.db.fetchone(
            "SELECT * FROM soutien_links WHERE thread_id = ? AND author_id = ?",
            (thread_id, author_id),
        )
        return None if row is None else _link(row)

    async def link_author(self, thread_id: int, pseudonym: str) -> int | None:
        return await self.db.fetchval(
            "SELECT author_id FROM soutien_links WHERE thread_id = ? AND pseudonym = ?",
            (thread_id, pseudonym),
        )

    async def set_notify(self, thread_id: int, author_id: int, on: bool, ref: str | None) -> None:
        await self.db.execute(
            "UPDATE soutien_links SET notify = ?, notify_ref = ? WHERE thread_id = ?"
            " AND author_id = ?",
            (int(on), ref, thread_id, author_id),
        )

    async def notify_targets(self, thread_id: int) -> list[tuple[int, str]]:
        """(author id, opaque ref) of the thread's anonymous authors who asked for DMs."""
        rows = await self.db.fetchall(
            "SELECT author_id, notify_ref FROM soutien_links WHERE thread_id = ? AND notify = 1",
            (thread_id,),
        )
        return [(r[0], r[1]) for r in rows]

    async def author_for_ref(self, ref: str) -> tuple[int, int] | None:
        row = await self.db.fetchone(
            "SELECT author_id, thread_id FROM soutien_links WHERE notify_ref = ? AND notify = 1",
            (ref,),
        )
        return None if row is None else (row[0], row[1])

    async def links_of(self, author_id: int) -> list[Link]:
        rows = await self.db.fetchall(
            "SELECT * FROM soutien_links WHERE author_id = ? ORDER BY last_used", (author_id,)
        )
        return [_link(r) for r in rows]

    async def erase_links(self, author_id: int) -> list[str]:
        """Delete the member's links; returns their notification refs (to cancel)."""
        async with self.db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT notify_ref FROM soutien_links WHERE author_id = ?", (author_id,)
            )
            await tx.execute("DELETE FROM soutien_links WHERE author_id = ?", (author_id,))
        return [r[0] or "" for r in rows]

    async def purge_links(self, guild_cutoffs: dict[int, datetime], default: datetime) -> list[str]:
        """Delete links past their server's retention; returns their notification refs."""
        refs: list[str] = []
        async with self.db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT thread_id, pseudonym, guild_id, last_used, notify_ref FROM soutien_links"
            )
            doomed = [
                r for r in rows if r["last_used"] < to_ts(guild_cutoffs.get(r["guild_id"], default))
            ]
            for r in doomed:
                await tx.execute(
                    "DELETE FROM soutien_links WHERE thread_id = ? AND pseudonym = ?",
                    (r["thread_id"], r["pseudonym"]),
                )
                if r["notify_ref"]:
                    refs.append(r["notify_ref"])
        return refs

    async def retention_by_guild(self) -> dict[int, int]:
        rows = await self.db.fetchall("SELECT guild_id, retention_days FROM soutien_config")
        return {r[0]: r[1] for r in rows}

    # -- posts ----------------------------------------------------------------------------------
    async def add_post(
        self, message_id: int, thread_id: int, guild_id: int, pseudonym: str, now: datetime
    ) -> None:
        await self.db.execute(
            "INSERT INTO soutien_posts (message_id, thread_id, guild_id, pseudonym, posted_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (message_id, thread_id, guild_id, pseudonym, to_ts(now)),
        )

    async def post(self, message_id: int) -> Post | None:
        row = await self.db.fetchone(
            "SELECT * FROM soutien_posts WHERE message_id = ?", (message_id,)
        )
        if row is None:
            return None
        return Post(
            row["message_id"],
            row["thread_id"],
            row["guild_id"],
            row["pseudonym"],
            bool(row["removed"]),
        )

    async def mark_removed(self, message_id: int) -> None:
        await self.db.execute(
            "UPDATE soutien_posts SET removed = 1 WHERE message_id = ?", (message_id,)
        )

    # -- blocks and rate ------------------------------------------------------------------------
    async def is_blocked(self, guild_id: int, key: str) -> bool:
        value = await self.db.fetchval(
            "SELECT 1 FROM soutien_blocks WHERE guild_id = ? AND author_key = ?", (guild_id, key)
        )
        return value is not None

    async def block(self, guild_id: int, key: str, pseudonym: str, now: datetime) -> bool:
        cur = await self.db.execute(
            "INSERT INTO soutien_blocks (guild_id, author_key, pseudonym, at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, author_key) DO NOTHING",
            (guild_id, key, pseudonym, to_ts(now)),
        )
        return cur.rowcount == 1

    async def blocks_of(self, key: str) -> list[Block]:
        rows = await self.db.fetchall(
            "SELECT guild_id, pseudonym, at FROM soutien_blocks WHERE author_key = ? ORDER BY at",
            (key,),
        )
        return [Block(r[0], r[1], from_ts(r[2])) for r in rows]

    async def recent_posts(self, key: str, since: datetime) -> list[datetime]:
        rows = await self.db.fetchall(
            "SELECT at FROM soutien_rate WHERE author_key = ? AND at >= ?", (key, to_ts(since))
        )
        return [from_ts(r[0]) for r in rows]

    async def record_post(self, key: str, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO soutien_rate (author_key, at) VALUES (?, ?)", (key, to_ts(now))
        )

    async def purge_rate(self, before: datetime) -> int:
        cur = await self.db.execute("DELETE FROM soutien_rate WHERE at < ?", (to_ts(before),))
        return cur.rowcount

    async def erase_rate(self, key: str) -> int:
        cur = await self.db.execute("DELETE FROM soutien_rate WHERE author_key = ?", (key,))
        return cur.rowcount


def _link(row: Any) -> Link:
    return Link(
        row["thread_id"],
        row["pseudonym"],
        row["guild_id"],
        bool(row["notify"]),
        row["notify_ref"],
        from_ts(row["last_used"]),
    )
