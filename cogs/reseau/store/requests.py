"""Contact requests and drafts."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.db import Database, Tx
from bot.db.timestamps import from_ts, to_ts
from cogs.reseau import consent
from cogs.reseau.consent import (
    Answer,
    Asking,
    ContactRequest,
    Outcome,
    PairingStatus,
    RequestKind,
    RequestStatus,
)
from cogs.reseau.store.rows import (
    DRAFT_TTL_S,
    Draft,
    marks,
    request_row,
)


class RequestStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- contact requests ------------------------------------------------------------------------
    async def request(self, request_id: int) -> ContactRequest | None:
        row = await self.db.fetchone("SELECT * FROM reseau_requests WHERE id = ?", (request_id,))
        return None if row is None else request_row(row)

    async def ask(
        self,
        guild_id: int,
        requester_id: int,
        recipient_id: int,
        kind: RequestKind,
        message: str,
        now: datetime,
        *,
        recipient_is_bot: bool,
        recipient_is_member: bool,
        arrival: str | None = None,
    ) -> tuple[Outcome, ContactRequest | None]:
        """Decide and record a new request in one transaction (two clicks make one request)."""
        async with self.db.transaction() as tx:
            asking = Asking(
                requester_id=requester_id,
                recipient_id=recipient_id,
                recipient_is_bot=recipient_is_bot,
                recipient_visible=await self._reachable(tx, guild_id, recipient_id, kind),
                recipient_is_member=recipient_is_member,
                blocked=await tx.fetchone(
                    "SELECT 1 FROM reseau_blocks WHERE guild_id = ? AND blocker_id = ? AND"
                    " blocked_id = ?",
                    (guild_id, recipient_id, requester_id),
                )
                is not None,
                between=[
                    request_row(r)
                    for r in await tx.fetchall(
                        "SELECT * FROM reseau_requests WHERE guild_id = ? AND requester_id = ? AND"
                        " recipient_id = ? AND kind = ?",
                        (guild_id, requester_id, recipient_id, kind),
                    )
                ],
                pending_count=int(
                    await tx.fetchval(
                        "SELECT COUNT(*) FROM reseau_requests WHERE requester_id = ? AND"
                        " guild_id = ? AND concluded_at IS NULL AND status <> ?",
                        (requester_id, guild_id, RequestStatus.ACCEPTED),
                    )
                ),
            )
            outcome = consent.decide(asking, message, now)
            if outcome is Outcome.NEUTRAL:
                return outcome, None
            draft = consent.new_request(
                0, guild_id, requester_id, recipient_id, kind, message, outcome, now, arrival
            )
            request_id = await tx.fetchval(
                "INSERT INTO reseau_requests (guild_id, requester_id, recipient_id, kind, message,"
                " status, created_at, expires_at, answered_at, arrival)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    guild_id,
                    requester_id,
                    recipient_id,
                    kind,
                    draft.message,
                    draft.status,
                    to_ts(now),
                    to_ts(draft.expires_at),
                    None if draft.answered_at is None else to_ts(draft.answered_at),
                    arrival,
                ),
            )
        return outcome, replace(draft, id=int(request_id))

    async def _reachable(self, tx: Tx, guild_id: int, user_id: int, kind: RequestKind) -> bool:
        """A visible profile (contact) or an active mentor offer with room (mentoring)."""
        if kind == RequestKind.MENTORING:
            row = await tx.fetchone(
                "SELECT capacity, (SELECT COUNT(*) FROM reseau_pairings p WHERE p.guild_id = ?"
                " AND p.mentor_id = ? AND p.status = ?) AS busy FROM reseau_mentors"
                " WHERE guild_id = ? AND user_id = ? AND active = 1",
                (guild_id, user_id, PairingStatus.ACTIVE, guild_id, user_id),
            )
            return row is not None and row["busy"] < row["capacity"]
        row = await tx.fetchone(
            "SELECT 1 FROM reseau_profiles WHERE guild_id = ? AND user_id = ? AND visible = 1",
            (guild_id, user_id),
        )
        return row is not None

    async def answer(
        self, request_id: int, action: Answer, by: int, now: datetime
    ) -> ContactRequest | None:
        """Record the recipient's answer (and the block); None if the request is gone."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone("SELECT * FROM reseau_requests WHERE id = ?", (request_id,))
            if row is None:
                return None
            updated = consent.answer(request_row(row), action, by, now)
            await tx.execute(
                "UPDATE reseau_requests SET status = ?, answered_at = ? WHERE id = ?",
                (updated.status, to_ts(now), request_id),
            )
            if action is Answer.BLOCK:
                await tx.execute(
                    "INSERT INTO reseau_blocks (guild_id, blocker_id, blocked_id, created_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, blocker_id, blocked_id)"
                    " DO NOTHING",
                    (updated.guild_id, by, updated.requester_id, to_ts(now)),
                )
        return updated

    async def expire(
        self, request_id: int, now: datetime
    ) -> tuple[ContactRequest, ContactRequest] | None:
        """The expiry (before, after); idempotent, None if the request is gone."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone("SELECT * FROM reseau_requests WHERE id = ?", (request_id,))
            if row is None:
                return None
            before = request_row(row)
            after = consent.expire(before, now)
            if after != before:
                await tx.execute(
                    "UPDATE reseau_requests SET status = ?, concluded_at = ? WHERE id = ?",
                    (after.status, to_ts(now), request_id),
                )
        return before, after

    async def mark_reported(self, request_id: int) -> bool:
        """True the first time only."""
        cur = await self.db.execute(
            "UPDATE reseau_requests SET reported = 1 WHERE id = ? AND reported = 0", (request_id,)
        )
        return cur.rowcount > 0

    async def set_thread(self, request_id: int, thread_id: int) -> None:
        await self.db.execute(
            "UPDATE reseau_requests SET thread_id = ? WHERE id = ?", (thread_id, request_id)
        )

    async def thread_of(self, request_id: int) -> int | None:
        return await self.db.fetchval(
            "SELECT thread_id FROM reseau_requests WHERE id = ?", (request_id,)
        )

    async def set_details(self, request_id: int, user_id: int, details: str) -> bool:
        """Store the details `user_id` chose to give (either side of an accepted request)."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone("SELECT * FROM reseau_requests WHERE id = ?", (request_id,))
            if row is None or row["status"] != RequestStatus.ACCEPTED:
                return False
            column = {
                row["requester_id"]: "requester_details",
                row["recipient_id"]: "recipient_details",
            }.get(user_id)
            if column is None:
                return False
            await tx.execute(
                f"UPDATE reseau_requests SET {column} = ? WHERE id = ?",
                (details, request_id),
            )
        return True

    async def details(self, request_id: int) -> tuple[str | None, str | None]:
        row = await self.db.fetchone(
            "SELECT requester_details, recipient_details FROM reseau_requests WHERE id = ?",
            (request_id,),
        )
        return (None, None) if row is None else (row[0], row[1])

    async def sent(self, guild_id: int, user_id: int) -> list[ContactRequest]:
        rows = await self.db.fetchall(
            "SELECT * FROM reseau_requests WHERE guild_id = ? AND requester_id = ?"
            " ORDER BY created_at DESC, id DESC",
            (guild_id, user_id),
        )
        return [request_row(r) for r in rows]

    async def received(self, guild_id: int, user_id: int, now: datetime) -> list[ContactRequest]:
        """Requests waiting for this member's answer, then the accepted ones."""
        rows = await self.db.fetchall(
            "SELECT * FROM reseau_requests WHERE guild_id = ? AND recipient_id = ? AND"
            " ((status = ? AND expires_at > ?) OR status = ?) ORDER BY status DESC,"
            " created_at DESC, id DESC",
            (guild_id, user_id, RequestStatus.PENDING, to_ts(now), RequestStatus.ACCEPTED),
        )
        return [request_row(r) for r in rows]

    async def prune(self, now: datetime) -> list[int]:
        """Delete refused, blocked and expired requests 30 days after they ended; their ids."""
        ended = sorted(consent.ENDED_WITHOUT_FOLLOW_UP)
        async with self.db.transaction() as tx:
            rows = await tx.fetchall(
                f"DELETE FROM reseau_requests WHERE concluded_at IS NOT NULL AND concluded_at <= ?"
                f" AND status IN ({marks(ended)}) RETURNING id",
                (to_ts(consent.prune_before(now)), *ended),
            )
            await tx.execute(
                "DELETE FROM reseau_drafts WHERE created_at <= ?", (to_ts(now) - DRAFT_TTL_S,)
            )
        return [r[0] for r in rows]

    # -- drafts (a flagged text waiting for « envoyer quand même ») ------------------------------
    async def save_draft(
        self, guild_id: int, user_id: int, kind: str, payload: dict[str, Any], now: datetime
    ) -> int:
        async with self.db.transaction() as tx:
            draft_id = await tx.fetchval(
                "INSERT INTO reseau_drafts (guild_id, user_id, kind, payload, created_at)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                (guild_id, user_id, kind, json.dumps(payload), to_ts(now)),
            )
        return int(draft_id)

    async def take_draft(self, draft_id: int, user_id: int, now: datetime) -> Draft | None:
        """The draft, removed (once), if it is this member's and younger than an hour."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "DELETE FROM reseau_drafts WHERE id = ? AND user_id = ? AND created_at > ?"
                " RETURNING *",
                (draft_id, user_id, to_ts(now) - DRAFT_TTL_S),
            )
        if row is None:
            return None
        return Draft(
            row["id"],
            row["guild_id"],
            row["user_id"],
            row["kind"],
            json.loads(row["payload"]),
            from_ts(row["created_at"]),
        )

    async def drop_draft(self, draft_id: int, user_id: int) -> None:
        await self.db.execute(
            "DELETE FROM reseau_drafts WHERE id = ? AND user_id = ?", (draft_id, user_id)
        )
