"""Mentor offers and pairings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.db import Database
from bot.db.timestamps import to_ts
from bot.reference.practice import FIELD_BITS, LANGUAGE_BITS, to_mask
from cogs.reseau.consent import (
    ContactRequest,
    PairingStatus,
)
from cogs.reseau.service import (
    FIELD_MATCH,
    LANGUAGE_MATCH,
    SAME_DESTINATION,
    MentorOffer,
    MentorSearch,
)
from cogs.reseau.store.rows import (
    Pairing,
    marks,
    mentor_row,
    pairing_row,
)


class MentoringStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- mentoring -------------------------------------------------------------------------------
    async def save_mentor(self, offer: MentorOffer, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO reseau_mentors (guild_id, user_id, place, country, profession, capacity,"
            " fields, languages, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)"
            " ON CONFLICT (guild_id, user_id) DO UPDATE SET place = excluded.place,"
            " country = excluded.country, profession = excluded.profession,"
            " capacity = excluded.capacity, fields = excluded.fields,"
            " languages = excluded.languages, active = 1",
            (
                offer.guild_id,
                offer.user_id,
                offer.place,
                offer.country,
                offer.profession,
                offer.capacity,
                to_mask(offer.fields, FIELD_BITS),
                to_mask(offer.languages, LANGUAGE_BITS),
                to_ts(now),
            ),
        )

    async def stop_mentoring(self, guild_id: int, user_id: int) -> bool:
        cur = await self.db.execute(
            "UPDATE reseau_mentors SET active = 0 WHERE guild_id = ? AND user_id = ? AND"
            " active = 1",
            (guild_id, user_id),
        )
        return cur.rowcount > 0

    async def mentor(self, guild_id: int, user_id: int) -> MentorOffer | None:
        row = await self.db.fetchone(
            "SELECT m.*, (SELECT COUNT(*) FROM reseau_pairings p WHERE p.guild_id = m.guild_id"
            " AND p.mentor_id = m.user_id AND p.status = ?) AS busy FROM reseau_mentors m"
            " WHERE m.guild_id = ? AND m.user_id = ? AND m.active = 1",
            (PairingStatus.ACTIVE, guild_id, user_id),
        )
        return None if row is None else mentor_row(row)

    async def best_mentors(self, search: MentorSearch, limit: int) -> list[MentorOffer]:
        """The best offers for `search`, ranked in SQL as `service.best_mentors` ranks them."""
        parts = [f"(CASE WHEN place = ? THEN {SAME_DESTINATION:d} ELSE 0 END)"]
        params: list[Any] = [search.destination]
        by_weight: dict[int, list[str]] = {}
        for code, weight in search.profession_weights.items():
            by_weight.setdefault(weight, []).append(code)
        if by_weight:
            cases = []
            for weight in sorted(by_weight, reverse=True):
                codes = sorted(by_weight[weight])
                cases.append(f"WHEN profession IN ({marks(codes)}) THEN {weight:d}")
                params += codes
            parts.append(f"(CASE {' '.join(cases)} ELSE 0 END)")
        if search.practice is not None:
            parts.append(f"(CASE WHEN (fields & ?) <> 0 THEN {FIELD_MATCH:d} ELSE 0 END)")
            params.append(1 << FIELD_BITS[search.practice])
        if search.language is not None:
            parts.append(f"(CASE WHEN (languages & ?) <> 0 THEN {LANGUAGE_MATCH:d} ELSE 0 END)")
            params.append(1 << LANGUAGE_BITS[search.language])
        sql = (
            f"SELECT *, {' + '.join(parts)} AS score FROM ("
            "SELECT m.*, (SELECT COUNT(*) FROM reseau_pairings p WHERE p.guild_id = m.guild_id"
            " AND p.mentor_id = m.user_id AND p.status = ?) AS busy FROM reseau_mentors m"
            " WHERE m.guild_id = ? AND m.active = 1 AND m.country = ? AND m.user_id <> ?) offers"
            " WHERE busy < capacity ORDER BY score DESC, capacity - busy DESC, id ASC LIMIT ?"
        )
        rows = await self.db.fetchall(
            sql,
            (*params, PairingStatus.ACTIVE, search.guild_id, search.country, search.user_id, limit),
        )
        return [mentor_row(r) for r in rows]

    async def start_pairing(self, request: ContactRequest, now: datetime) -> Pairing:
        """The recipient of a mentoring request is the mentor."""
        async with self.db.transaction() as tx:
            pairing_id = await tx.fetchval(
                "INSERT INTO reseau_pairings (guild_id, mentor_id, mentee_id, request_id, status,"
                " arrival, started_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    request.guild_id,
                    request.recipient_id,
                    request.requester_id,
                    request.id,
                    PairingStatus.ACTIVE,
                    request.arrival,
                    to_ts(now),
                ),
            )
        pairing = await self.pairing(int(pairing_id))
        assert pairing is not None
        return pairing

    async def pairing(self, pairing_id: int) -> Pairing | None:
        row = await self.db.fetchone("SELECT * FROM reseau_pairings WHERE id = ?", (pairing_id,))
        return None if row is None else pairing_row(row)

    async def pairings_of(self, guild_id: int, user_id: int) -> list[Pairing]:
        """The member's active pairings, as mentor or newcomer."""
        rows = await self.db.fetchall(
            "SELECT * FROM reseau_pairings WHERE guild_id = ? AND status = ? AND"
            " (mentor_id = ? OR mentee_id = ?) ORDER BY started_at, id",
            (guild_id, PairingStatus.ACTIVE, user_id, user_id),
        )
        return [pairing_row(r) for r in rows]

    async def end_pairing(self, pairing_id: int, now: datetime) -> bool:
        """True when this call ended it (once)."""
        cur = await self.db.execute(
            "UPDATE reseau_pairings SET status = ?, ended_at = ? WHERE id = ? AND status = ?",
            (PairingStatus.ENDED, to_ts(now), pairing_id, PairingStatus.ACTIVE),
        )
        return cur.rowcount > 0
