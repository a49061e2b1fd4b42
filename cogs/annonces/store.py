"""SQL of scheduled announcements (the only place it lives)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.db import Database
from bot.db.timestamps import from_ts, to_ts
from cogs.annonces.service import LIST_LIMIT, Announcement, Status


def _row(row: Any) -> Announcement:
    return Announcement(
        id=row["id"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        author_id=row["author_id"],
        text=row["text"],
        due_at=from_ts(row["due_at"]),
        zone=row["zone"],
        status=Status(row["status"]),
    )


class AnnouncementStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        guild_id: int,
        channel_id: int,
        author_id: int,
        text: str,
        due_at: datetime,
        zone: str,
        now: datetime,
    ) -> int:
        row = await self.db.execute_returning(
            "INSERT INTO announcements (guild_id, channel_id, author_id, text, due_at, zone,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (guild_id, channel_id, author_id, text, to_ts(due_at), zone, to_ts(now)),
        )
        assert row is not None  # an INSERT … RETURNING always returns its row
        return int(row["id"])

    async def get(self, announcement_id: int) -> Announcement | None:
        row = await self.db.fetchone("SELECT * FROM announcements WHERE id = ?", (announcement_id,))
        return None if row is None else _row(row)

    async def pending(self, guild_id: int, limit: int = LIST_LIMIT) -> list[Announcement]:
        rows = await self.db.fetchall(
            "SELECT * FROM announcements WHERE guild_id = ? AND status = ? ORDER BY due_at LIMIT ?",
            (guild_id, Status.PENDING, limit),
        )
        return [_row(r) for r in rows]

    async def set_status(self, announcement_id: int, status: Status) -> None:
        await self.db.execute(
            "UPDATE announcements SET status = ? WHERE id = ?", (status, announcement_id)
        )

    async def close_if_pending(self, announcement_id: int, status: Status) -> None:
        await self.db.execute(
            "UPDATE announcements SET status = ? WHERE id = ? AND status = ?",
            (status, announcement_id, Status.PENDING),
        )

    async def by_author(self, author_id: int) -> list[Announcement]:
        rows = await self.db.fetchall(
            "SELECT * FROM announcements WHERE author_id = ? ORDER BY id", (author_id,)
        )
        return [_row(r) for r in rows]

    async def forget_author(self, author_id: int) -> int:
        cur = await self.db.execute(
            "UPDATE announcements SET author_id = NULL WHERE author_id = ?", (author_id,)
        )
        return cur.rowcount
