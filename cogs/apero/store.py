"""The apéro feature's SQL, and only that (portable: SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from bot.db import Database
from bot.db.timestamps import from_ts, to_ts
from bot.text import fold
from bot.when.offsets import codes, from_codes
from cogs.apero.service import DRAFT_TTL, Draft, Series, SeriesFields

# Columns of apero_series that hold a SeriesFields, in this order.
_COLUMNS = (
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
_SET = ", ".join(f"{c} = ?" for c in _COLUMNS)
_INSERT = (
    "INSERT INTO apero_series (guild_id, created_by, created_at, updated_at,"
    f" {', '.join(_COLUMNS)}) VALUES (?, ?, ?, ?, {', '.join('?' for _ in _COLUMNS)}) RETURNING id"
)


def _values(fields: SeriesFields) -> tuple[Any, ...]:
    return (
        fields.name,
        fields.weekday,
        f"{fields.at:%H:%M}",
        fields.zone,
        fields.channel_id,
        fields.link,
        fields.voice_channel_id,
        fields.role_id,
        codes(fields.offsets),
        fields.welcome,
    )


def _fields(row: Any) -> SeriesFields:
    return SeriesFields(
        name=row["name"],
        weekday=row["weekday"],
        at=time.fromisoformat(row["at_time"]),
        zone=row["zone"],
        channel_id=row["channel_id"],
        link=row["link"],
        voice_channel_id=row["voice_channel_id"],
        role_id=row["role_id"],
        offsets=from_codes(row["offsets"]),
        welcome=row["welcome"],
    )


def _series(row: Any) -> Series:
    return Series(
        id=row["id"],
        guild_id=row["guild_id"],
        fields=_fields(row),
        paused=bool(row["paused"]),
        pause_reason=row["pause_reason"],
        created_by=row["created_by"],
        host_id=row["host_id"],
    )


def _draft_json(fields: SeriesFields) -> str:
    """A draft's fields as JSON; the offsets as their codes, the time as 'HH:MM' (as stored
    before drafts had these types, so a preview made before an upgrade still saves)."""
    return json.dumps(dict(zip(_COLUMNS, _values(fields), strict=True)))


def _draft_fields(text: str) -> SeriesFields:
    data: dict[str, Any] = json.loads(text)
    offsets = data["offsets"]
    data["offsets"] = ",".join(offsets) if isinstance(offsets, list) else offsets
    return _fields(data)


@dataclass(frozen=True)
class Attended:
    """One « Je serai là » of a member, for /mes-donnees."""

    name: str
    day: date


@dataclass(frozen=True)
class Erased:
    """What erasing a member removed, and the series they hosted (handed back)."""

    count: int
    hosted: list[Series]


@dataclass(frozen=True)
class Listed:
    """A series as calendars see it (bot.agenda)."""

    series: Series
    created_at: datetime
    updated_at: datetime
    revision: int
    skipped: tuple[date, ...]


class AperoStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- series ---------------------------------------------------------------------------------
    async def get(self, series_id: int) -> Series | None:
        row = await self.db.fetchone("SELECT * FROM apero_series WHERE id = ?", (series_id,))
        return None if row is None else _series(row)

    async def for_guild(self, guild_id: int) -> list[Series]:
        """The server's series (at most MAX_SERIES_PER_GUILD) by name, case and accents aside."""
        rows = await self.db.fetchall("SELECT * FROM apero_series WHERE guild_id = ?", (guild_id,))
        return sorted((_series(r) for r in rows), key=lambda s: (fold(s.name), s.id))

    async def names(self, guild_id: int, *, except_id: int = 0) -> list[str]:
        rows = await self.db.fetchall(
            "SELECT name FROM apero_series WHERE guild_id = ? AND id <> ?", (guild_id, except_id)
        )
        return [r["name"] for r in rows]

    async def create_from_draft(self, draft: Draft, created_by: int, now: datetime) -> int | None:
        """Insert the series and drop the draft in one transaction; None if the draft is gone."""
        async with self.db.transaction() as tx:
            cur = await tx.execute("DELETE FROM apero_drafts WHERE id = ?", (draft.id,))
            if cur.rowcount != 1:  # a double click already saved it
                return None
            new_id = await tx.fetchval(
                _INSERT,
                (draft.guild_id, created_by, to_ts(now), to_ts(now), *_values(draft.fields)),
            )
        return int(new_id)

    async def update(self, series_id: int, fields: SeriesFields, now: datetime) -> None:
        # revision: calendars' SEQUENCE (bot.agenda), +1 on every change they must follow
        await self.db.execute(
            f"UPDATE apero_series SET {_SET}, revision = revision + 1, updated_at = ? WHERE id = ?",
            (*_values(fields), to_ts(now), series_id),
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

    # -- hosts ----------------------------------------------------------------------------------
    async def set_host(self, series_id: int, host_id: int) -> None:
        await self.db.execute(
            "UPDATE apero_series SET host_id = ? WHERE id = ?", (host_id, series_id)
        )

    async def clear_host(self, series_id: int, host_id: int) -> bool:
        """The series goes back to the moderators; True only for the call that did it (so the
        moderators are told once, however many commands or reminders noticed it)."""
        cur = await self.db.execute(
            "UPDATE apero_series SET host_id = NULL WHERE id = ? AND host_id = ?",
            (series_id, host_id),
        )
        return cur.rowcount == 1

    # -- skips ----------------------------------------------------------------------------------
    async def skips(self, series_id: int) -> set[date]:
        rows = await self.db.fetchall(
            "SELECT day FROM apero_skips WHERE series_id = ?", (series_id,)
        )
        return {date.fromisoformat(r["day"]) for r in rows}

    async def skips_of_guild(self, guild_id: int) -> dict[int, set[date]]:
        """Every series' skipped dates on the server, in one query (listings)."""
        rows = await self.db.fetchall(
            "SELECT k.series_id, k.day FROM apero_skips k"
            " JOIN apero_series s ON s.id = k.series_id WHERE s.guild_id = ?",
            (guild_id,),
        )
        found: dict[int, set[date]] = {}
        for row in rows:
            found.setdefault(row["series_id"], set()).add(date.fromisoformat(row["day"]))
        return found

    async def add_skip(self, series_id: int, day: date, now: datetime) -> bool:
        cur = await self.db.execute(
            "INSERT INTO apero_skips (series_id, day) VALUES (?, ?)"
            " ON CONFLICT (series_id, day) DO NOTHING",
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

    # -- « Je serai là » ------------------------------------------------------------------------
    async def toggle_attendance(
        self, series_id: int, day: date, user_id: int, now: datetime
    ) -> tuple[bool, int]:
        """Add or remove the member in one transaction; returns (now attending, the count for
        that occurrence as this transaction left it)."""
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
                    " VALUES (?, ?, ?, ?) ON CONFLICT (series_id, day, user_id) DO NOTHING",
                    (*key, to_ts(now)),
                )
            count = await tx.fetchval(
                "SELECT COUNT(*) FROM apero_attendance WHERE series_id = ? AND day = ?",
                key[:2],
            )
        return attending, int(count)

    async def attendance_count(self, series_id: int, day: date) -> int:
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM apero_attendance WHERE series_id = ? AND day = ?",
                (series_id, day.isoformat()),
            )
        )

    # -- personal data --------------------------------------------------------------------------
    async def attendance_of(self, user_id: int) -> list[Attended]:
        rows = await self.db.fetchall(
            "SELECT s.name, a.day FROM apero_attendance a JOIN apero_series s"
            " ON s.id = a.series_id WHERE a.user_id = ? ORDER BY a.day, s.name",
            (user_id,),
        )
        return [Attended(r["name"], date.fromisoformat(r["day"])) for r in rows]

    async def series_created_by(self, user_id: int) -> list[str]:
        rows = await self.db.fetchall(
            "SELECT name FROM apero_series WHERE created_by = ? ORDER BY id", (user_id,)
        )
        return [r["name"] for r in rows]

    async def hosted_by(self, user_id: int) -> list[Series]:
        rows = await self.db.fetchall(
            "SELECT * FROM apero_series WHERE host_id = ? ORDER BY id", (user_id,)
        )
        return [_series(r) for r in rows]

    async def erase_member(self, user_id: int) -> Erased:
        """Forget the member: their « Je serai là », that they created a series, that they host
        one (the series stay: they belong to the server). One transaction."""
        async with self.db.transaction() as tx:
            hosted = [
                _series(r)
                for r in await tx.fetchall(
                    "SELECT * FROM apero_series WHERE host_id = ? ORDER BY id", (user_id,)
                )
            ]
            gone = await tx.execute("DELETE FROM apero_attendance WHERE user_id = ?", (user_id,))
            created = await tx.execute(
                "UPDATE apero_series SET created_by = 0 WHERE created_by = ?", (user_id,)
            )
            await tx.execute("UPDATE apero_series SET host_id = NULL WHERE host_id = ?", (user_id,))
        return Erased(gone.rowcount + created.rowcount + len(hosted), hosted)

    # -- drafts ---------------------------------------------------------------------------------
    async def save_draft(
        self, guild_id: int, author_id: int, fields: SeriesFields, now: datetime
    ) -> Draft:
        async with self.db.transaction() as tx:
            await tx.execute(
                "DELETE FROM apero_drafts WHERE created_at < ?", (to_ts(now - DRAFT_TTL),)
            )
            new_id = await tx.fetchval(
                "INSERT INTO apero_drafts (guild_id, author_id, data, created_at)"
                " VALUES (?, ?, ?, ?) RETURNING id",
                (guild_id, author_id, _draft_json(fields), to_ts(now)),
            )
        return Draft(int(new_id), guild_id, author_id, fields)

    async def draft(self, draft_id: int) -> Draft | None:
        row = await self.db.fetchone("SELECT * FROM apero_drafts WHERE id = ?", (draft_id,))
        if row is None:
            return None
        return Draft(row["id"], row["guild_id"], row["author_id"], _draft_fields(row["data"]))

    async def update_draft(self, draft_id: int, fields: SeriesFields) -> None:
        await self.db.execute(
            "UPDATE apero_drafts SET data = ? WHERE id = ?", (_draft_json(fields), draft_id)
        )

    async def delete_draft(self, draft_id: int) -> bool:
        cur = await self.db.execute("DELETE FROM apero_drafts WHERE id = ?", (draft_id,))
        return cur.rowcount == 1
