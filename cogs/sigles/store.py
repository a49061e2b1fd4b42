"""All the SQL of Sigles: a server's own entries and the members' suggestions."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime, time
from typing import Any

from bot import offload
from bot.db import RESYNC, Database, Tx
from bot.db.timestamps import from_ts, to_ts
from cogs.sigles.glossary import Entry, equivalents_from_data
from cogs.sigles.rotation import Shown, WeeklySettings
from cogs.sigles.service import GuildEntry, Suggestion, SuggestionStatus, dump_list, ident

_ENTRY_COLUMNS = (
    "sigle",
    "region",
    "developpe",
    "explication",
    "domaine",
    "source",
    "alias",
    "equivalents",
    "equivalence_note",
    "historique",
    "remplace_par",
    "voir_aussi",
)
_LISTS = ("alias", "remplace_par", "voir_aussi")
# Up to this many rows are decoded at once (about a millisecond); more go to a worker thread.
DECODED_ON_THE_LOOP = 200


def _dt(value: int | None) -> datetime | None:
    return None if value is None else from_ts(value)


def _values(entry: Entry) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(entry, name) for name in _ENTRY_COLUMNS}
    for name in _LISTS:
        values[name] = dump_list(values[name])
    values["equivalents"] = dump_list(e.to_data() for e in entry.equivalents)
    values["historique"] = int(entry.historique)
    values["ident"] = ident(entry)
    return values


def _guild_entry(row: Any) -> GuildEntry:
    entry = Entry(
        sigle=row["sigle"],
        region=row["region"],
        developpe=row["developpe"],
        explication=row["explication"],
        domaine=row["domaine"],
        source=row["source"],
        alias=tuple(json.loads(row["alias"])),
        equivalents=equivalents_from_data(json.loads(row["equivalents"])),
        equivalence_note=row["equivalence_note"],
        historique=bool(row["historique"]),
        remplace_par=tuple(json.loads(row["remplace_par"])),
        voir_aussi=tuple(json.loads(row["voir_aussi"])),
        origin="guild",
        guild_id=row["guild_id"],
    )
    return GuildEntry(row["id"], entry, row["contributor_id"], row["created_by"])


def _suggestion(row: Any) -> Suggestion:
    return Suggestion(
        id=row["id"],
        guild_id=row["guild_id"],
        author_id=row["author_id"],
        sigle=row["sigle"],
        region=row["region"],
        domaine=row["domaine"],
        developpe=row["developpe"],
        explication=row["explication"],
        created_at=from_ts(row["created_at"]),
        lang=row["lang"],
        channel_id=row["channel_id"],
        source=row["source"],
        status=SuggestionStatus(row["status"]),
        mod_channel_id=row["mod_channel_id"],
        mod_message_id=row["mod_message_id"],
        decided_by=row["decided_by"],
        decided_at=_dt(row["decided_at"]),
        entry_id=row["entry_id"],
    )


# What other processes hear when a server's entries change (payload: the server's id).
TOPIC = "sigles_entries"

_INSERT = (
    "INSERT INTO sigles_entries (ident, "
    + ", ".join(_ENTRY_COLUMNS)
    + ", guild_id, contributor_id, created_by, created_at, updated_at) VALUES ("
    + ", ".join("?" * (len(_ENTRY_COLUMNS) + 6))
    + ") ON CONFLICT (guild_id, ident) DO NOTHING RETURNING id"
)
_UPDATE = (
    "UPDATE sigles_entries SET ident = ?, "
    + ", ".join(f"{c} = ?" for c in _ENTRY_COLUMNS)
    + ", updated_at = ? WHERE id = ? AND guild_id = ?"
)


def _columns(entry: Entry) -> tuple[Any, ...]:
    """The entry's values in the order of `_INSERT` and `_UPDATE`: ident, then the columns."""
    values = _values(entry)
    return (values["ident"], *(values[name] for name in _ENTRY_COLUMNS))


def _prepared(entries: tuple[Entry, ...]) -> dict[str, tuple[Any, ...]]:
    """Each entry's columns by its meaning (the same meaning twice: the last one wins)."""
    return {ident(entry): _columns(entry) for entry in entries}


def _guild_entries(rows: list[Any]) -> list[GuildEntry]:
    return [_guild_entry(r) for r in rows]


class SiglesStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- other processes' changes (PostgreSQL LISTEN/NOTIFY; nothing on SQLite) -----------------
    async def _tell(self, *guild_ids: int) -> None:
        """The servers' entries changed: other processes sharing the database drop their index."""
        for guild_id in guild_ids:
            await self.db.notify(TOPIC, str(guild_id))

    async def follow(self, changed: Callable[[int | None], object]) -> None:
        """`changed(guild_id)` when another process changed a server's entries; `changed(None)`
        when changes may have been missed (index every server again)."""
        await self.db.listen(TOPIC, lambda p: changed(None if p == RESYNC else int(p)))

    # -- server entries -------------------------------------------------------------------------
    async def entries(self, guild_id: int) -> list[GuildEntry]:
        """The server's own entries. Read in one query; many rows are turned into entries off
        the event loop (thousands of JSON lists would hold it up)."""
        rows = await self.db.fetchall(
            "SELECT * FROM sigles_entries WHERE guild_id = ? ORDER BY sigle, region, id",
            (guild_id,),
        )
        if len(rows) <= DECODED_ON_THE_LOOP:
            return _guild_entries(rows)
        return await offload.build(_guild_entries, rows)

    async def entry(self, guild_id: int, entry_id: int) -> GuildEntry | None:
        row = await self.db.fetchone(
            "SELECT * FROM sigles_entries WHERE id = ? AND guild_id = ?", (entry_id, guild_id)
        )
        return None if row is None else _guild_entry(row)

    @staticmethod
    async def _insert(
        tx: Tx,
        guild_id: int,
        entry: Entry,
        now: datetime,
        *,
        created_by: int | None,
        contributor_id: int | None = None,
    ) -> int | None:
        """The new entry's id, or None when the server already has this meaning."""
        stamp = to_ts(now)
        return await tx.fetchval(
            _INSERT, (*_columns(entry), guild_id, contributor_id, created_by, stamp, stamp)
        )

    async def add(self, guild_id: int, entry: Entry, created_by: int, now: datetime) -> int | None:
        """The new entry's id, or None when the server already has this meaning."""
        async with self.db.transaction() as tx:
            new_id = await self._insert(tx, guild_id, entry, now, created_by=created_by)
        await self._tell(guild_id)
        return new_id

    async def update(self, guild_id: int, entry_id: int, entry: Entry, now: datetime) -> bool:
        """False (and nothing changed) when another of the server's entries has this meaning."""
        async with self.db.transaction() as tx:
            other = await tx.fetchval(
                "SELECT id FROM sigles_entries WHERE guild_id = ? AND ident = ? AND id <> ?",
                (guild_id, ident(entry), entry_id),
            )
            if other is not None:
                return False
            await tx.execute(_UPDATE, (*_columns(entry), to_ts(now), entry_id, guild_id))
        await self._tell(guild_id)
        return True

    async def delete(self, guild_id: int, entry_id: int) -> bool:
        cur = await self.db.execute(
            "DELETE FROM sigles_entries WHERE id = ? AND guild_id = ?", (entry_id, guild_id)
        )
        await self._tell(guild_id)
        return cur.rowcount > 0

    async def import_entries(
        self, guild_id: int, entries: Iterable[Entry], created_by: int, now: datetime
    ) -> tuple[int, int]:
        """All in one transaction; an entry with the same meaning is replaced. (added, updated)"""
        stamp = to_ts(now)
        # thousands of rows to prepare (normalised keys, JSON lists): off the event loop
        prepared = await offload.build(_prepared, tuple(entries))
        async with self.db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT ident, id FROM sigles_entries WHERE guild_id = ?", (guild_id,)
            )
            existing = {row[0]: row[1] for row in rows}
            fresh = [
                (*columns, guild_id, None, created_by, stamp, stamp)
                for key, columns in prepared.items()
                if key not in existing
            ]
            changed = [
                (*columns, stamp, existing[key], guild_id)
                for key, columns in prepared.items()
                if key in existing
            ]
            await tx.executemany(_INSERT.removesuffix(" RETURNING id"), fresh)
            await tx.executemany(_UPDATE, changed)
        await self._tell(guild_id)
        return len(fresh), len(changed)

    # -- suggestions ----------------------------------------------------------------------------
    async def add_suggestion(
        self,
        guild_id: int,
        author_id: int,
        channel_id: int | None,
        lang: str,
        fields: dict[str, Any],
        now: datetime,
    ) -> int:
        async with self.db.transaction() as tx:
            return await tx.fetchval(
                "INSERT INTO sigles_suggestions (guild_id, author_id, channel_id, lang, sigle,"
                " region, domaine, developpe, explication, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    guild_id,
                    author_id,
                    channel_id,
                    lang,
                    fields["sigle"],
                    fields["region"],
                    fields["domaine"],
                    fields["developpe"],
                    fields["explication"],
                    to_ts(now),
                ),
            )

    async def drop_suggestion(self, suggestion_id: int) -> None:
        await self.db.execute("DELETE FROM sigles_suggestions WHERE id = ?", (suggestion_id,))

    async def set_mod_message(self, suggestion_id: int, channel_id: int, message_id: int) -> None:
        await self.db.execute(
            "UPDATE sigles_suggestions SET mod_channel_id = ?, mod_message_id = ? WHERE id = ?",
            (channel_id, message_id, suggestion_id),
        )

    async def suggestion(self, suggestion_id: int) -> Suggestion | None:
        row = await self.db.fetchone(
            "SELECT * FROM sigles_suggestions WHERE id = ?", (suggestion_id,)
        )
        return None if row is None else _suggestion(row)

    async def pending(self, guild_id: int) -> list[Suggestion]:
        rows = await self.db.fetchall(
            "SELECT * FROM sigles_suggestions WHERE guild_id = ? AND status = ?",
            (guild_id, SuggestionStatus.PENDING),
        )
        return [_suggestion(r) for r in rows]

    async def edit_suggestion(self, suggestion_id: int, fields: dict[str, Any]) -> None:
        await self.db.execute(
            "UPDATE sigles_suggestions SET sigle = ?, domaine = ?, developpe = ?, explication = ?,"
            " source = ? WHERE id = ? AND status = ?",
            (
                fields["sigle"],
                fields["domaine"],
                fields["developpe"],
                fields["explication"],
                fields.get("source"),
                suggestion_id,
                SuggestionStatus.PENDING,
            ),
        )

    async def approve(
        self, suggestion: Suggestion, entry: Entry, moderator_id: int, now: datetime
    ) -> int | None:
        """The entry (credited to the author) and the decision, together or not at all.

        None (and nothing changed) when the server already has this meaning or the suggestion
        was decided meanwhile."""
        async with self.db.transaction() as tx:
            entry_id = await self._insert(
                tx,
                suggestion.guild_id,
                entry,
                now,
                created_by=moderator_id,
                contributor_id=suggestion.author_id,
            )
            if entry_id is None:
                return None
            decided = await tx.execute(
                "UPDATE sigles_suggestions SET status = ?, decided_by = ?, decided_at = ?,"
                " entry_id = ?, source = ? WHERE id = ? AND status = ?",
                (
                    SuggestionStatus.APPROVED,
                    moderator_id,
                    to_ts(now),
                    entry_id,
                    entry.source,
                    suggestion.id,
                    SuggestionStatus.PENDING,
                ),
            )
            if decided.rowcount == 0:
                await tx.execute("DELETE FROM sigles_entries WHERE id = ?", (entry_id,))
                return None
        await self._tell(suggestion.guild_id)
        return entry_id

    async def reject(self, suggestion_id: int, moderator_id: int, now: datetime) -> bool:
        cur = await self.db.execute(
            "UPDATE sigles_suggestions SET status = ?, decided_by = ?, decided_at = ?"
            " WHERE id = ? AND status = ?",
            (
                SuggestionStatus.REJECTED,
                moderator_id,
                to_ts(now),
                suggestion_id,
                SuggestionStatus.PENDING,
            ),
        )
        return cur.rowcount > 0

    # -- the sigle of the week ------------------------------------------------------------------
    async def weekly(self, guild_id: int) -> WeeklySettings | None:
        row = await self.db.fetchone("SELECT * FROM sigles_semaine WHERE guild_id = ?", (guild_id,))
        if row is None:
            return None
        return WeeklySettings(
            guild_id=row["guild_id"],
            channel_id=row["channel_id"],
            weekday=row["weekday"],
            at=time.fromisoformat(row["at_time"]),
            paused=row["paused"],
        )

    async def save_weekly(self, settings: WeeklySettings, now: datetime) -> None:
        """Create or replace the server's settings; saving again resumes a paused one."""
        await self.db.execute(
            "INSERT INTO sigles_semaine (guild_id, channel_id, weekday, at_time, paused,"
            " updated_at) VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT(guild_id) DO UPDATE SET"
            " channel_id = excluded.channel_id, weekday = excluded.weekday,"
            " at_time = excluded.at_time, paused = NULL, updated_at = excluded.updated_at",
            (
                settings.guild_id,
                settings.channel_id,
                settings.weekday,
                f"{settings.at:%H:%M}",
                to_ts(now),
            ),
        )

    async def pause_weekly(self, guild_id: int, reason: str) -> bool:
        """True when this call paused it (it was on)."""
        cur = await self.db.execute(
            "UPDATE sigles_semaine SET paused = ? WHERE guild_id = ? AND paused IS NULL",
            (reason, guild_id),
        )
        return cur.rowcount > 0

    async def delete_weekly(self, guild_id: int) -> bool:
        """Stop it; what was shown stays, so the rotation goes on if it is started again."""
        cur = await self.db.execute("DELETE FROM sigles_semaine WHERE guild_id = ?", (guild_id,))
        return cur.rowcount > 0

    async def shown_for(self, guild_id: int, occurrence: str) -> str | None:
        """The sigle already chosen for this post (a retried send shows the same one)."""
        return await self.db.fetchval(
            "SELECT ident FROM sigles_semaine_shown WHERE guild_id = ? AND occurrence = ?",
            (guild_id, occurrence),
        )

    async def shown_this_round(self, guild_id: int, occurrence: str) -> list[Shown]:
        """The posts of the current round before `occurrence`, oldest first."""
        rows = await self.db.fetchall(
            "SELECT ident, region, round FROM sigles_semaine_shown WHERE guild_id = ?"
            " AND occurrence != ? AND round = (SELECT MAX(round) FROM sigles_semaine_shown"
            " WHERE guild_id = ? AND occurrence != ?) ORDER BY occurrence",
            (guild_id, occurrence, guild_id, occurrence),
        )
        return [Shown(r["ident"], r["region"], r["round"]) for r in rows]

    async def record_shown(self, guild_id: int, occurrence: str, shown: Shown) -> None:
        await self.db.execute(
            "INSERT INTO sigles_semaine_shown (guild_id, occurrence, round, ident, region)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(guild_id, occurrence) DO UPDATE SET"
            " round = excluded.round, ident = excluded.ident, region = excluded.region",
            (guild_id, occurrence, shown.round, shown.ident, shown.region),
        )

    # -- personal data --------------------------------------------------------------------------
    async def suggestions_by(self, user_id: int) -> list[Suggestion]:
        rows = await self.db.fetchall(
            "SELECT * FROM sigles_suggestions WHERE author_id = ? ORDER BY id", (user_id,)
        )
        return [_suggestion(r) for r in rows]

    async def credited_to(self, user_id: int) -> list[GuildEntry]:
        rows = await self.db.fetchall(
            "SELECT * FROM sigles_entries WHERE contributor_id = ? ORDER BY id", (user_id,)
        )
        return [_guild_entry(r) for r in rows]

    async def created_by(self, user_id: int) -> list[GuildEntry]:
        rows = await self.db.fetchall(
            "SELECT * FROM sigles_entries WHERE created_by = ? ORDER BY id", (user_id,)
        )
        return [_guild_entry(r) for r in rows]

    async def erase_member(self, user_id: int) -> tuple[int, set[int]]:
        """Their suggestions go; the server's entries stay, without their name.

        Returns how many records changed and the servers whose entries changed.
        """
        async with self.db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT DISTINCT guild_id FROM sigles_entries"
                " WHERE contributor_id = ? OR created_by = ?",
                (user_id, user_id),
            )
            guilds = {r[0] for r in rows}
            gone = await tx.execute(
                "DELETE FROM sigles_suggestions WHERE author_id = ?", (user_id,)
            )
            credits = await tx.execute(
                "UPDATE sigles_entries SET contributor_id = NULL WHERE contributor_id = ?",
                (user_id,),
            )
            made = await tx.execute(
                "UPDATE sigles_entries SET created_by = NULL WHERE created_by = ?", (user_id,)
            )
            decided = await tx.execute(
                "UPDATE sigles_suggestions SET decided_by = NULL WHERE decided_by = ?", (user_id,)
            )
        total = gone.rowcount + credits.rowcount + made.rowcount + decided.rowcount
        await self._tell(*guilds)
        return total, guilds


async def read_guild_entries(path: Any, guild_id: int) -> list[Entry]:
    """For `python -m bot sigles export --guild ID`: one server's entries, from the bot's file."""
    db = await Database.open(path)
    try:
        return [row.entry for row in await SiglesStore(db).entries(guild_id)]
    finally:
        await db.close()
