"""The engine's SQL: items, the delivery ledger, failure reports."""

from __future__ import annotations

import json
from datetime import datetime

from bot.db import Database
from bot.db.timestamps import from_ts, to_ts
from bot.reminders.model import DueItem, Problem, Schedule
from bot.shards import SNOWFLAKE_SHARD_SHIFT, Sharding

FINAL = ("sent", "late", "fallback", "missed", "failed", "skipped")
DELIVERED = ("sent", "late", "fallback", "skipped")


def _owned(sharding: Sharding | None) -> str:
    """The WHERE condition of the items this process sends (its shards' servers; the primary
    also those of no server); always true when one process owns everything."""
    if sharding is None or sharding.whole:
        return "1 = 1"
    shards = ", ".join(str(int(s)) for s in sharding.ids)
    mine = f"((guild_id >> {SNOWFLAKE_SHARD_SHIFT}) % {int(sharding.count)}) IN ({shards})"
    if sharding.primary:
        return f"(guild_id IS NULL OR {mine})"
    return f"(guild_id IS NOT NULL AND {mine})"


class ReminderStore:
    def __init__(self, db: Database, sharding: Sharding | None = None) -> None:
        self.db = db
        self._owned = _owned(sharding)

    async def upsert(self, kind: str, ref: str, guild_id: int | None, schedule: Schedule) -> None:
        await self.db.execute(
            "INSERT INTO reminder_items (kind, ref, guild_id, occurrence, due_at, expires_at,"
            " payload, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, 0)"
            " ON CONFLICT(kind, ref) DO UPDATE SET guild_id = excluded.guild_id,"
            " occurrence = excluded.occurrence, due_at = excluded.due_at,"
            " expires_at = excluded.expires_at, payload = excluded.payload, attempts = 0,"
            " claimed_by = NULL, lease_until = NULL",
            (
                kind,
                ref,
                guild_id,
                schedule.occurrence,
                to_ts(schedule.due_at),
                None if schedule.expires_at is None else to_ts(schedule.expires_at),
                json.dumps(schedule.payload or {}),
            ),
        )

    async def delete(self, kind: str, ref: str) -> int:
        cur = await self.db.execute(
            "DELETE FROM reminder_items WHERE kind = ? AND ref = ?", (kind, ref)
        )
        return cur.rowcount

    async def delete_prefix(self, kind: str, prefix: str) -> int:
        cur = await self.db.execute(
            "DELETE FROM reminder_items WHERE kind = ? AND substr(ref, 1, ?) = ?",
            (kind, len(prefix), prefix),
        )
        return cur.rowcount

    async def next_due(self) -> datetime | None:
        """When there is next something to claim: an item's due time, or, for an item another
        process holds, the end of its lease."""
        value = await self.db.fetchval(
            "SELECT MIN(CASE WHEN lease_until IS NOT NULL AND lease_until > due_at"
            f" THEN lease_until ELSE due_at END) FROM reminder_items WHERE {self._owned}"
        )
        return None if value is None else from_ts(value)

    async def next_due_after(self, now: datetime, owner: str | None = None) -> datetime | None:
        """The next instant after `now` when there is something to claim: an item falling due,
        or the end of a lease another process (not `owner`) holds — if it died, its items are
        free then. Two index lookups (due_at, lease_until)."""
        due = await self.db.fetchval(
            f"SELECT MIN(due_at) FROM reminder_items WHERE due_at > ? AND {self._owned}",
            (to_ts(now),),
        )
        lease = await self.db.fetchval(
            "SELECT MIN(lease_until) FROM reminder_items WHERE lease_until > ?"
            f" AND claimed_by <> ? AND {self._owned}",
            (to_ts(now), owner or ""),
        )
        found = [v for v in (due, lease) if v is not None]
        return from_ts(min(found)) if found else None

    async def count_all(self) -> int:
        return int(await self.db.fetchval("SELECT COUNT(*) FROM reminder_items"))

    async def due(self, now: datetime, limit: int) -> list[DueItem]:
        """What is due and not claimed (tests and tools; the engine claims, see `claim`)."""
        rows = await self.db.fetchall(
            f"SELECT * FROM reminder_items WHERE due_at <= ? AND {self._owned}"
            " AND (lease_until IS NULL OR lease_until <= ?) ORDER BY due_at, id LIMIT ?",
            (to_ts(now), to_ts(now), limit),
        )
        return [DueItem.from_row(r) for r in rows]

    async def claim(
        self, now: datetime, limit: int, owner: str, lease_until: datetime
    ) -> list[DueItem]:
        """Take up to `limit` due items nobody holds (or whose holder's lease ran out) for
        `owner` until `lease_until`, in one statement: two processes never get the same item.

        PostgreSQL skips the rows another claim is taking (SKIP LOCKED) and checks the lease
        again on the row it updates; SQLite runs one statement at a time."""
        free = "(lease_until IS NULL OR lease_until <= ?)"
        rows = await self.db.fetchall(
            "UPDATE reminder_items SET claimed_by = ?, lease_until = ? WHERE id IN"
            f" (SELECT id FROM reminder_items WHERE due_at <= ? AND {self._owned} AND {free}"
            f" ORDER BY due_at, id LIMIT ? FOR UPDATE SKIP LOCKED) AND {free} RETURNING *",
            (owner, to_ts(lease_until), to_ts(now), to_ts(now), limit, to_ts(now)),
        )
        return sorted((DueItem.from_row(r) for r in rows), key=lambda i: (i.due_at, i.id))

    async def renew(self, owner: str, lease_until: datetime) -> int:
        """Still at work on what `owner` holds: its claims last until `lease_until`."""
        cur = await self.db.execute(
            "UPDATE reminder_items SET lease_until = ? WHERE claimed_by = ?",
            (to_ts(lease_until), owner),
        )
        return cur.rowcount

    async def release(self, owner: str) -> int:
        """`owner` stops: what it held is free for the others at once."""
        cur = await self.db.execute(
            "UPDATE reminder_items SET claimed_by = NULL, lease_until = NULL WHERE claimed_by = ?",
            (owner,),
        )
        return cur.rowcount

    async def release_all(self) -> int:
        """Forget every claim (SQLite: one process per file, so a claim left is a dead one's)."""
        cur = await self.db.execute(
            "UPDATE reminder_items SET claimed_by = NULL, lease_until = NULL"
            " WHERE claimed_by IS NOT NULL"
        )
        return cur.rowcount

    async def pending(self, guild_id: int, limit: int) -> list[DueItem]:
        rows = await self.db.fetchall(
            "SELECT * FROM reminder_items WHERE guild_id = ? ORDER BY due_at LIMIT ?",
            (guild_id, limit),
        )
        return [DueItem.from_row(r) for r in rows]

    async def count_pending(self, guild_id: int) -> int:
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM reminder_items WHERE guild_id = ?", (guild_id,)
            )
        )

    async def recent_problems(self, guild_id: int, limit: int) -> list[Problem]:
        rows = await self.db.fetchall(
            # Served by the partial index reminder_ledger_problems (same condition, verbatim).
            "SELECT kind, status, error, at FROM reminder_ledger"
            " WHERE guild_id = ? AND status IN ('missed', 'failed') ORDER BY at DESC LIMIT ?",
            (guild_id, limit),
        )
        return [Problem(r["kind"], r["status"], r["error"], from_ts(r["at"])) for r in rows]

    async def forget_deliveries(self, kind: str, before: datetime) -> int:
        cur = await self.db.execute(
            "DELETE FROM reminder_ledger WHERE kind = ? AND at < ?", (kind, to_ts(before))
        )
        return cur.rowcount

    async def prune(self, delivered_before: datetime, others_before: datetime, limit: int) -> int:
        """Remove up to `limit` ledger rows past their retention whose item has moved on."""
        cur = await self.db.execute(
            "DELETE FROM reminder_ledger WHERE (kind, ref, occurrence, target) IN ("
            " SELECT l.kind, l.ref, l.occurrence, l.target FROM reminder_ledger l"
            " WHERE l.at < ? AND (l.at < ? OR l.status IN ('sent', 'late', 'fallback', 'skipped'))"
            " AND NOT EXISTS (SELECT 1 FROM reminder_items i WHERE i.kind = l.kind"
            " AND i.ref = l.ref AND i.occurrence = l.occurrence)"
            " LIMIT ?)",
            (to_ts(delivered_before), to_ts(others_before), limit),
        )
        return cur.rowcount

    async def ledger_size(self) -> int:
        return int(await self.db.fetchval("SELECT COUNT(*) FROM reminder_ledger"))

    # -- the ledger -----------------------------------------------------------------------------
    async def ledger_status(self, item: DueItem, target: str) -> str | None:
        return await self.db.fetchval(
            "SELECT status FROM reminder_ledger WHERE kind = ? AND ref = ? AND occurrence = ?"
            " AND target = ?",
            (item.kind, item.ref, item.occurrence, target),
        )

    async def has_deliveries(self, item: DueItem) -> bool:
        """Whether this occurrence already reached some target (sent, late or fallen back)."""
        found = await self.db.fetchval(
            "SELECT 1 FROM reminder_ledger WHERE kind = ? AND ref = ? AND occurrence = ?"
            " AND status IN ('sent', 'late', 'fallback') LIMIT 1",
            (item.kind, item.ref, item.occurrence),
        )
        return found is not None

    async def record(
        self,
        item: DueItem,
        target: str,
        status: str,
        now: datetime,
        *,
        message_id: int | None = None,
        error: str | None = None,
    ) -> None:
        await self.db.execute(
            "INSERT INTO reminder_ledger (kind, ref, occurrence, target, guild_id, status,"
            " message_id, error, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(kind, ref, occurrence, target) DO UPDATE SET status = excluded.status,"
            " message_id = excluded.message_id, error = excluded.error, at = excluded.at",
            (
                item.kind,
                item.ref,
                item.occurrence,
                target,
                item.guild_id,
                status,
                message_id,
                error,
                to_ts(now),
            ),
        )

    async def settle(self, item: DueItem, following: Schedule | None) -> None:
        """Advance or remove an item, only if nobody rescheduled it meanwhile."""
        if following is None:
            await self.db.execute(
                "DELETE FROM reminder_items WHERE id = ? AND occurrence = ? AND due_at = ?",
                (item.id, item.occurrence, to_ts(item.due_at)),
            )
            return
        await self.db.execute(
            "UPDATE reminder_items SET occurrence = ?, due_at = ?, expires_at = ?,"
            " payload = ?, attempts = 0, claimed_by = NULL, lease_until = NULL"
            " WHERE id = ? AND occurrence = ? AND due_at = ?",
            (
                following.occurrence,
                to_ts(following.due_at),
                None if following.expires_at is None else to_ts(following.expires_at),
                json.dumps(following.payload if following.payload is not None else item.payload),
                item.id,
                item.occurrence,
                to_ts(item.due_at),
            ),
        )

    async def retry_later(self, item: DueItem, when: datetime) -> None:
        """Try this occurrence again later, unless the feature rescheduled it meanwhile."""
        await self.db.execute(
            "UPDATE reminder_items SET due_at = ?, attempts = attempts + 1, claimed_by = NULL,"
            " lease_until = NULL WHERE id = ? AND occurrence = ? AND due_at = ?",
            (to_ts(when), item.id, item.occurrence, to_ts(item.due_at)),
        )

    async def first_report(self, guild_id: int, channel_id: int, code: str, now: datetime) -> bool:
        """True the first time this failure is seen (then moderators are told)."""
        cur = await self.db.execute(
            "INSERT INTO reminder_failure_reports (guild_id, channel_id, code, at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (guild_id, channel_id, code, to_ts(now)),
        )
        return cur.rowcount == 1

    async def clear_reports(self, guild_id: int, channel_id: int) -> None:
        await self.db.execute(
            "DELETE FROM reminder_failure_reports WHERE guild_id = ? AND channel_id = ?",
            (guild_id, channel_id),
        )
