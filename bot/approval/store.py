"""SQL of approval requests (the only place it lives)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.approval.model import Request, Status
from bot.db import Database
from bot.db.timestamps import from_ts, to_ts


def _request(row: Any) -> Request:
    return Request(
        id=row["id"],
        guild_id=row["guild_id"],
        kind=row["kind"],
        ref=row["ref"],
        author_id=row["author_id"],
        channel_id=row["channel_id"],
        lang=row["lang"],
        status=Status(row["status"]),
        mod_channel_id=row["mod_channel_id"],
        mod_message_id=row["mod_message_id"],
        decided_by=row["decided_by"],
        decided_at=None if row["decided_at"] is None else from_ts(row["decided_at"]),
        reason=row["reason"],
        created_at=from_ts(row["created_at"]),
    )


class ApprovalStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        guild_id: int,
        kind: str,
        ref: str,
        author_id: int,
        channel_id: int | None,
        lang: str,
        now: datetime,
    ) -> Request | None:
        """A new pending request; None when (kind, ref) already has one."""
        row = await self.db.execute_returning(
            "INSERT INTO approvals (guild_id, kind, ref, author_id, channel_id, lang, status,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (kind, ref) DO NOTHING RETURNING *",
            (guild_id, kind, ref, author_id, channel_id, lang, Status.PENDING, to_ts(now)),
        )
        return None if row is None else _request(row)

    async def get(self, request_id: int) -> Request | None:
        row = await self.db.fetchone("SELECT * FROM approvals WHERE id = ?", (request_id,))
        return None if row is None else _request(row)

    async def by_ref(self, kind: str, ref: str) -> Request | None:
        row = await self.db.fetchone(
            "SELECT * FROM approvals WHERE kind = ? AND ref = ?", (kind, ref)
        )
        return None if row is None else _request(row)

    async def set_card(self, request_id: int, channel_id: int, message_id: int) -> None:
        await self.db.execute(
            "UPDATE approvals SET mod_channel_id = ?, mod_message_id = ? WHERE id = ?",
            (channel_id, message_id, request_id),
        )

    async def drop(self, request_id: int) -> None:
        await self.db.execute("DELETE FROM approvals WHERE id = ?", (request_id,))

    async def claim(
        self,
        request_id: int,
        status: Status,
        moderator_id: int | None,
        reason: str | None,
        now: datetime,
    ) -> bool:
        """Decide a pending request; False when someone decided it first (one winner)."""
        row = await self.db.execute_returning(
            "UPDATE approvals SET status = ?, decided_by = ?, decided_at = ?, reason = ?"
            " WHERE id = ? AND status = ? RETURNING id",
            (status, moderator_id, to_ts(now), reason, request_id, Status.PENDING),
        )
        return row is not None

    async def reopen(self, request_id: int) -> None:
        """Undo a claim whose follow-through failed (the thing was not carried out)."""
        await self.db.execute(
            "UPDATE approvals SET status = ?, decided_by = NULL, decided_at = NULL, reason = NULL"
            " WHERE id = ?",
            (Status.PENDING, request_id),
        )

    async def by_author(self, user_id: int) -> list[Request]:
        rows = await self.db.fetchall(
            "SELECT * FROM approvals WHERE author_id = ? ORDER BY id", (user_id,)
        )
        return [_request(r) for r in rows]

    async def forget(self, user_id: int) -> int:
        """The member's requests lose their author; decisions they took lose their name."""
        async with self.db.transaction() as tx:
            authored = await tx.execute(
                "UPDATE approvals SET author_id = NULL WHERE author_id = ?", (user_id,)
            )
            await tx.execute(
                "UPDATE approvals SET decided_by = NULL WHERE decided_by = ?", (user_id,)
            )
        return authored.rowcount
