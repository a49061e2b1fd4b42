"""The apéro feature's SQL, and only that."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.db import Database
from bot.db.timestamps import to_ts
from cogs.apero.model import Draft, Series, SeriesFields

# No series has this id (ids start at 1): "except none" in `name_taken`.
NO_ID = 0
_FIELDS = (
    "name",
    "weekday",
    "at_time",
    "zone",
    "channel_id",
    "link",
    "voice_channel_id",
    "role_id",
    "offsets",
    "welcome",
)


def _values(fields: SeriesFields) -> dict[str, Any]:
    values = {name: getattr(fields, name) for name in _FIELDS}
    values["offsets"] = ",".join(fields.offsets)
    return values


def _series(row: Any) -> Series:
    fields = SeriesFields(
        **{name: row[name] for name in _FIELDS if name != "offsets"},
        offsets=tuple(c for c in row["offsets"].split(",") if c),
    )
    return Series(
        id=row["id"],
        guild_id=row["guild_id"],
        fields=fields,
        paused=bool(row["paused"]),
        pause_reason=row["pause_reason"],
        created_by=row["created_by"],
    )


class AperoStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- series ---------------------------------------------------------------------------------
    async def get(self, series_id: int) -> Series | None:
        row = await self.db.fetchone("SELECT * FROM apero_series WHERE id = ?", (series_id,))
        return None if row is None else _series(row)

    async def for_guild(self, guild_id: int) -> list[Series]:
        rows = await self.db.fetchall(
            "SELECT * FROM apero_series WHERE guild_id = ? ORDER BY LOWER(name), id",
            (guild_id,),
        )
        return [_series(r) for r in rows]

    async def count(self, guild_id: int) -> int:
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM apero_series WHERE guild_id = ?", (guild_id,)
            )
        )

    async def name_taken(self, guild_id: int, name: str, *, except_id: int | None = None) -> bool:
        found = await self.db.fetchval(
            "SELECT id FROM apero_series WHERE guild_id = ? AND LOWER(name) = LOWER(?) AND id <> ?",
            (guild_id, name, NO_ID if except_id is None else except_id),
        )
        return found is not None

    async def create_from_draft(self, draft: Draft, created_by: int, now: datetime) -> int | None:
        """Insert the series and drop the draft in one transaction; None if the draft is gone."""
        values = _values(draft.fields)
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        async with self.db.transaction() as tx:
            cur = await tx.execute("DELETE FROM apero_drafts WHERE id = ?", (draft.id,))
            if cur.rowcount != 1:  # a double click already saved it
                return None
            new_id = await tx.fetchval(
                f"INSERT INTO apero_series (guild_id, created_by, created_at, {cols})"
                f" VALUES (?, ?, ?, {marks}) RETURNING id",
                (draft.guild_id, created_by, to_ts(now), *values.values()),
            )
            return int(new_id)

    async def update(self, series_id: int, fields: SeriesFields) -> None:
        values = _values(fields)
        sets = ", ".join(f"{c} = ?" for c in values)
        await self.db.execute(
            f"UPDATE apero_series SET {sets} WHERE id = ?", (*values.values(), series_id)
        )

    async def set_paused(self, series_id: int, paused: bool, reason: str | None) -> bool:
        """Change the pause state; True only if it actually changed (so notices go out once)."""
        cur = await self.db.execute(
            "UPDATE apero_series SET paused = ?, pause_reason = ? WHERE id = ? AND paused = ?",
            (int(paused), reason, series_id, int(not paused)),
        )
        return cur.rowcount == 1

    async def delete(self, series_id: int) -> bool:
        cur = await self.db.execute("DELETE FROM apero_series WHERE id = ?", (series_id,))
        return cur.rowcount == 1

    # -- skips ----------------------------------------------------------------------------------
    async def skips(self, series_id: int) -> set[date]:
        rows = await self.db.fetchall(
            "SELECT day FROM apero_skips WHERE series_id = ?", (series_id,)
        )
        return {date.fromisoformat(r["day"]) for r in rows}

    async def add_skip(self, series_id: int, day: date) -> bool:
        cur = await self.db.execute(
            "INSERT INTO apero_skips (series_id, day) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (series_id, day.isoformat()),
        )
        return cur.rowcount == 1

    async def remove_skip(self, series_id: int, day: date) -> bool:
        cur = await self.db.execute(
            "DELETE FROM apero_skips WHERE series_id = ? AND day = ?", (series_id, day.isoformat())
        )
        return cur.rowcount == 1

    # -- "Je serai là" --------------------------------------------------------------------------
    async def toggle_attendance(
        self, series_id: int, day: date, user_id: int, now: datetime
    ) -> tuple[bool, int]:
        """Add or remove the member; returns (now attending, count for that occurrence)."""
        key = (series_id, day.isoformat(), user_id)
        async with self.db.transaction() as tx:
            cur = await tx.execute(
                "DELETE FROM apero_attendance WHERE series_id = ? AND day = ? AND user_id = ?",
                key,
            )
            attending = cur.rowcount == 0
            if attending:
                await tx.execute(
                    "INSERT INTO apero_attendance (series_id, day, user_id, at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (*key, to_ts(now)),
                )
            row = await tx.fetchone(
                "SELECT COUNT(*) FROM apero_attendance WHERE series_id = ? AND day = ?",
                key[:2],
            )
        return attending, int(row[0]) if row else 0

    async def attendance_count(self, series_id: int, day: date) -> int:
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM apero_attendance WHERE series_id = ? AND day = ?",
                (series_id, day.isoformat()),
            )
        )

    async def attendance_of(self, user_id: int) -> list[Any]:
        return await self.db.fetchall(
            "SELECT s.name, a.day FROM apero_attendance a JOIN apero_series s"
            " ON s.id = a.series_id WHERE a.user_id = ? ORDER BY a.day",
            (user_id,),
        )

    async def erase_member(self, user_id: int) -> int:
        async with self.db.transaction() as tx:
            cur = await tx.execute("DELETE FROM apero_attendance WHERE user_id = ?", (user_id,))
            gone = cur.rowcount
            # The series stays (it belongs to the server); only who created it is forgotten.
            cur = await tx.execute(
                "UPDATE apero_series SET created_by = 0 WHERE created_by = ?", (user_id,)
            )
            return gone + cur.rowcount

    async def series_created_by(self, user_id: int) -> list[str]:
        rows = await self.db.fetchall(
            "SELECT name FROM apero_series WHERE created_by = ? ORDER BY id", (user_id,)
        )
        return [r["name"] for r in rows]

    # -- drafts ---------------------------------------------------------------------------------
    async def save_draft(
        self, guild_id: int, author_id: int, fields: SeriesFields, now: datetime
    ) -> int:
        # Drafts left unconfirmed for a day are forgotten.
        await self.db.execute(
            "DELETE FROM apero_drafts WHERE created_at < ?", (to_ts(now) - 86400,)
        )
        row = await self.db.execute_returning(
            "INSERT INTO apero_drafts (guild_id, author_id, data, created_at) VALUES (?, ?, ?, ?)"
            " RETURNING id",
            (guild_id, author_id, fields.to_json(), to_ts(now)),
        )
        assert row is not None  # an INSERT … RETURNING always returns its row
        return int(row["id"])

    async def draft(self, draft_id: int) -> Draft | None:
        row = await self.db.fetchone("SELECT * FROM apero_drafts WHERE id = ?", (draft_id,))
        if row is None:
            return None
        return Draft(
            row["id"], row["guild_id"], row["author_id"], SeriesFields.from_json(row["data"])
        )

    async def update_draft(self, draft_id: int, fields: SeriesFields) -> None:
        await self.db.execute(
            "UPDATE apero_drafts SET data = ? WHERE id = ?", (fields.to_json(), draft_id)
        )

    async def delete_draft(self, draft_id: int) -> bool:
        cur = await self.db.execute("DELETE FROM apero_drafts WHERE id = ?", (draft_id,))
        return cur.rowcount == 1
