"""Everything Réseau holds about a member: export and erase (`/mes-donnees`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.db import Database
from bot.db.timestamps import from_ts, to_ts
from cogs.reseau.consent import (
    PairingStatus,
    RequestStatus,
)
from cogs.reseau.store.rows import (
    ANONYMOUS,
    export_profile,
    export_request,
)


class PersonalStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- personal data ---------------------------------------------------------------------------
    async def export(self, user_id: int) -> dict[str, Any]:
        """What Réseau holds about `user_id`, in every server. Blocks made against them are the
        blocker's data and are not shown (they would reveal the block)."""
        profiles = await self.db.fetchall(
            "SELECT * FROM reseau_profiles WHERE user_id = ? ORDER BY guild_id", (user_id,)
        )
        sent = await self.db.fetchall(
            "SELECT * FROM reseau_requests WHERE requester_id = ? ORDER BY id", (user_id,)
        )
        received = await self.db.fetchall(
            "SELECT * FROM reseau_requests WHERE recipient_id = ? ORDER BY id", (user_id,)
        )
        blocks = await self.db.fetchall(
            "SELECT guild_id, blocked_id, created_at FROM reseau_blocks WHERE blocker_id = ?",
            (user_id,),
        )
        mentors = await self.db.fetchall(
            "SELECT * FROM reseau_mentors WHERE user_id = ?", (user_id,)
        )
        pairings = await self.db.fetchall(
            "SELECT * FROM reseau_pairings WHERE mentor_id = ? OR mentee_id = ? ORDER BY id",
            (user_id, user_id),
        )
        drafts = await self.db.fetchone(
            "SELECT COUNT(*) FROM reseau_drafts WHERE user_id = ?", (user_id,)
        )
        data: dict[str, Any] = {}
        if profiles:
            data["profiles"] = [export_profile(r) for r in profiles]
        if sent:
            data["requests_sent"] = [export_request(r, mine=True) for r in sent]
        if received:
            data["requests_received"] = [export_request(r, mine=False) for r in received]
        if blocks:
            data["blocked"] = [
                {"guild_id": b["guild_id"], "user_id": b["blocked_id"]} for b in blocks
            ]
        if mentors:
            data["mentor_offers"] = [
                {
                    "guild_id": m["guild_id"],
                    "place": m["place"],
                    "profession": m["profession"],
                    "capacity": m["capacity"],
                    "active": bool(m["active"]),
                }
                for m in mentors
            ]
        if pairings:
            data["pairings"] = [
                {
                    "guild_id": p["guild_id"],
                    "role": "mentor" if p["mentor_id"] == user_id else "mentee",
                    "with": p["mentee_id"] if p["mentor_id"] == user_id else p["mentor_id"],
                    "status": p["status"],
                    "arrival": p["arrival"],
                    "started_at": from_ts(p["started_at"]).isoformat(),
                }
                for p in pairings
            ]
        if drafts and drafts[0]:
            data["drafts"] = drafts[0]
        return data

    async def erase(self, user_id: int, now: datetime) -> tuple[int, list[int], list[int]]:
        """Erase `user_id` from Réseau: (records removed or anonymised, ids of the requests whose
        expiry must be cancelled, ids of the pairings whose check-ins must be cancelled).

        Requests they received stay with their requester until the usual expiry, anonymised, so
        that the requester sees what they would have seen anyway (« pas de suite »)."""
        async with self.db.transaction() as tx:
            count = 0
            gone = [
                r[0]
                for r in await tx.fetchall(
                    "DELETE FROM reseau_requests WHERE requester_id = ? RETURNING id", (user_id,)
                )
            ]
            count += len(gone)
            accepted = [
                r[0]
                for r in await tx.fetchall(
                    "UPDATE reseau_requests SET recipient_id = ?, recipient_details = NULL"
                    " WHERE recipient_id = ? AND status = ? RETURNING id",
                    (ANONYMOUS, user_id, RequestStatus.ACCEPTED),
                )
            ]
            waiting = await tx.fetchall(
                "UPDATE reseau_requests SET recipient_id = ?, status = CASE WHEN status = ?"
                " THEN ? ELSE status END, answered_at = COALESCE(answered_at, ?)"
                " WHERE recipient_id = ? RETURNING id",
                (ANONYMOUS, RequestStatus.PENDING, RequestStatus.REFUSED, to_ts(now), user_id),
            )
            count += len(accepted) + len(waiting)
            pairings = [
                r[0]
                for r in await tx.fetchall(
                    "SELECT id FROM reseau_pairings WHERE (mentor_id = ? OR mentee_id = ?)"
                    " AND status = ?",
                    (user_id, user_id, PairingStatus.ACTIVE),
                )
            ]
            cur = await tx.execute(
                "UPDATE reseau_pairings SET status = ?, ended_at = COALESCE(ended_at, ?),"
                " mentor_id = CASE WHEN mentor_id = ? THEN ? ELSE mentor_id END,"
                " mentee_id = CASE WHEN mentee_id = ? THEN ? ELSE mentee_id END"
                " WHERE mentor_id = ? OR mentee_id = ?",
                (
                    PairingStatus.ENDED,
                    to_ts(now),
                    user_id,
                    ANONYMOUS,
                    user_id,
                    ANONYMOUS,
                    user_id,
                    user_id,
                ),
            )
            count += cur.rowcount
            for table, column in (
                ("reseau_profiles", "user_id"),
                ("reseau_mentors", "user_id"),
                ("reseau_blocks", "blocker_id"),
                ("reseau_drafts", "user_id"),
            ):
                cur = await tx.execute(
                    f"DELETE FROM {table} WHERE {column} = ?",
                    (user_id,),
                )
                count += cur.rowcount
        return count, gone, pairings
