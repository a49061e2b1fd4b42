"""The apéro feature's SQL, and only that."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.db import Database
from bot.db.timestamps import from_ts, to_ts
from cogs.apero.model import Draft, Series, SeriesFields

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


@dataclass(frozen=True)
class Listed:
    """A series as calendars see it (bot.agenda)."""

    series: Series
    created_at: datetime
    updated_at: datetime
    revision: int
    skipped: tuple[date, ...]


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
            "SELECT * FROM apero_series WHERE guild_id = ? ORDER BY name COLLATE NOCASE, id",
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
            "SELECT id FROM apero_series WHERE guild_id = ? AND name = ? COLLATE NOCASE"
            " AND id IS NOT ?",
            (guild_id, name, except_id),
        )
        return found is not None

    async def create_from_draft(self, draft: Draft, created_by: int, now: datetime) -> int | None:
        """Insert the series and drop the draft in one transaction; None if the draft is gone."""
        values = _values(draft.fields)
        cols = ", ".join(values)
        marks = ", ".join(f":{c}" for c in values)
        async with self.db.transaction() as tx:
            cur = await tx.execute("DELETE FROM apero_drafts WHERE id = ?", (draft.id,))
            if cur.rowcount != 1:  # a double click already saved it
                return None
            cur = await tx.execute(
                f"INSERT INTO apero_series (guild_id, created_by, created_at, updated_at, {cols})"
                f" VALUES (:guild_id, :created_by, :created_at, :created_at, {marks})",
                {
                    **values,
                    "guild_id": draft.guild_id,
                    "created_by": created_by,
                    "created_at": to_ts(now),
                },
            )
            return int(cur.lastrowid or 0)

    async def update(self, series_id: int, fields: SeriesFields, now: datetime) -> None:
        values = _values(fields)
        sets = ", ".join(f"{c} = :{c}" for c in values)
        # revision: calendars' SEQUENCE (bot.agenda) — +1 on every change they must follow
        await self.db.execute(
            f"UPDATE apero_series SET {sets}, revision = revision + 1, updated_at = :now"
            " WHERE id = :id",
            {**values, "id": series_id, "now": to_ts(now)},
        )

    async def _revised(self, series_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE apero_series SET revision = revision + 1, updated_at = ? WHERE id = ?",
            (to_ts(now), series_id),
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

    async def add_skip(self, series_id: int, day: date, now: datetime) -> bool:
        cur = await self.db.execute(
            "INSERT OR IGNORE INTO apero_skips (series_id, day) VALUES (?, ?)",
            (series_id, day.isoformat()),
        )
        if cur.rowcount == 1:
            await self._revised(series_id, now)  # a new EXDATE
        return cur.rowcount == 1

    async def remove_skip(self, series_id: int, day: date, now: datetime) -> bool:
        cur = await self.db.execute(
            "DELETE FROM apero_skips WHERE series_id = ? AND day = ?", (series_id, day.isoformat())
        )
        if cur.rowcount == 1:
            await self._revised(series_id, now)
        return cur.rowcount == 1

    # -- the agenda outside Discord (bot.agenda) -------------------------------------------------
    async def agenda(self, guild_id: int) -> list[Listed]:
        """The server's series that are not paused, with what calendars need."""
        rows = await self.db.fetchall(
            "SELECT * FROM apero_series WHERE guild_id = ? AND paused = 0 ORDER BY id",
            (guild_id,),
        )
        return await self._listed(rows)

    async def agenda_of_member(self, user_id: int, since: date) -> list[Listed]:
        """The series (not paused) the member said « Je serai là » to since `since`."""
        rows = await self.db.fetchall(
            "SELECT * FROM apero_series WHERE paused = 0 AND id IN (SELECT series_id"
            " FROM apero_attendance WHERE user_id = ? AND day >= ?) ORDER BY id",
            (user_id, since.isoformat()),
        )
        return await self._listed(rows)

    async def _listed(self, rows: list[Any]) -> list[Listed]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        marks = ", ".join("?" for _ in ids)
        skips: dict[int, list[date]] = {i: [] for i in ids}
        for k in await self.db.fetchall(
            f"SELECT series_id, day FROM apero_skips WHERE series_id IN ({marks}) ORDER BY day",
            ids,
        ):
            skips[k["series_id"]].append(date.fromisoformat(k["day"]))
        return [
            Listed(
                _series(r),
                from_ts(r["created_at"]),
                from_ts(max(r["updated_at"], r["created_at"])),
                r["revision"],
                tuple(skips[r["id"]]),
            )
            for r in rows
        ]

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
                    " VALUES (?, ?, ?, ?)",
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
        cur = await self.db.execute(
            "INSERT INTO apero_drafts (guild_id, author_id, data, created_at) VALUES (?, ?, ?, ?)",
            (guild_id, author_id, fields.to_json(), to_ts(now)),
        )
        return int(cur.lastrowid or 0)

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
