"""SQL of members' one-time notes (the only place it lives)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.db import Database
from bot.db.timestamps import from_ts, to_ts


class NoticeStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def users(self) -> list[int]:
        rows = await self.db.fetchall("SELECT DISTINCT user_id FROM member_notices")
        return [int(r["user_id"]) for r in rows]

    async def put(
        self, user_id: int, guild_id: int | None, key: str, text: str, now: datetime
    ) -> None:
        await self.db.execute(
            "INSERT INTO member_notices (user_id, guild_id, key, text, created_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, key) DO UPDATE"
            " SET text = excluded.text, guild_id = excluded.guild_id,"
            " created_at = excluded.created_at",
            (user_id, guild_id, key, text, to_ts(now)),
        )

    async def of(self, user_id: int) -> list[tuple[int, str, datetime]]:
        rows: list[Any] = await self.db.fetchall(
            "SELECT id, text, created_at FROM member_notices WHERE user_id = ? ORDER BY id",
            (user_id,),
        )
        return [(int(r["id"]), str(r["text"]), from_ts(r["created_at"])) for r in rows]

    async def drop(self, ids: list[int]) -> None:
        async with self.db.transaction() as tx:
            await tx.executemany("DELETE FROM member_notices WHERE id = ?", [(i,) for i in ids])

    async def erase(self, user_id: int) -> int:
        cur = await self.db.execute("DELETE FROM member_notices WHERE user_id = ?", (user_id,))
        return cur.rowcount
