"""SQL for per-server settings and member preferences, with a read-through cache."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, fields
from typing import Any
from zoneinfo import ZoneInfo

from bot.db import RESYNC, Database
from bot.guild_settings.model import GuildSettings, MemberSettings
from bot.personal_data import Item, Setting
from bot.regions import region_for_zone

# What other processes hear when a server's settings change (payload: the server's id).
TOPIC = "guild_settings"
_GUILD_COLUMNS = [f.name for f in fields(GuildSettings) if f.name != "guild_id"]
# Ids per `IN (…)` query: far below any back-end's limit on parameters.
_BATCH = 500


def _member(row: Any) -> MemberSettings:
    return MemberSettings(
        user_id=row["user_id"],
        timezone=row["timezone"],
        dm_reminders=bool(row["dm_reminders"]),
        dm_closed=bool(row["dm_closed"]),
    )


class SettingsStore:
    """Reads are served from memory (every interaction needs the server's language).

    It also knows the bot's defaults, so "this server's language / zone" is asked in one way:
    `lang_of(guild_id)`, `zone_of(guild_id, member=…)`, `region_of(guild_id)`.
    """

    def __init__(
        self, db: Database, *, default_locale: str = "fr", default_timezone: str = "Europe/Paris"
    ) -> None:
        self._db = db
        self._guilds: dict[int, GuildSettings] = {}
        self.default_locale = default_locale
        self.default_timezone = default_timezone

    async def load(self) -> None:
        """Read every server's settings, and follow the changes other processes make (PostgreSQL:
        LISTEN first, so that nothing changed between the read and the listen is missed)."""
        await self._db.listen(TOPIC, self._changed_elsewhere)
        await self._reload_all()

    async def _reload_all(self) -> None:
        rows = await self._db.fetchall("SELECT * FROM guild_settings")
        self._guilds = {row["guild_id"]: GuildSettings(**dict(row)) for row in rows}

    async def _changed_elsewhere(self, payload: str) -> None:
        if payload == RESYNC:
            await self._reload_all()
            return
        guild_id = int(payload)
        row = await self._db.fetchone(
            "SELECT * FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        if row is None:
            self._guilds.pop(guild_id, None)
        else:
            self._guilds[guild_id] = GuildSettings(**dict(row))

    def guild(self, guild_id: int | None) -> GuildSettings:
        if guild_id is None:
            return GuildSettings(guild_id=0)
        return self._guilds.get(guild_id) or GuildSettings(guild_id=guild_id)

    def lang_of(self, guild_id: int | None) -> str:
        """The server's language (`/config langue`), else the bot's default."""
        return self.guild(guild_id).language or self.default_locale

    def guild_zone(self, guild_id: int | None) -> ZoneInfo:
        """The server's zone (`/config fuseau`), else the bot's default."""
        return ZoneInfo(self.guild(guild_id).timezone or self.default_timezone)

    async def zone_of(self, guild_id: int | None, member: int | None = None) -> ZoneInfo:
        """The zone to read and show times in: the member's own (`/rappels`), else the
        server's, else the bot's default."""
        if member is not None:
            own = (await self.member(member)).timezone
            if own:
                return ZoneInfo(own)
        return self.guild_zone(guild_id)

    def region_of(self, guild_id: int | None) -> str:
        """The server's region (`/config region`), else the one its zone suggests."""
        settings = self.guild(guild_id)
        return settings.region or region_for_zone(settings.timezone or self.default_timezone)

    async def save_guild(self, settings: GuildSettings) -> None:
        values = asdict(settings)
        columns = ["guild_id", *_GUILD_COLUMNS]
        marks = ", ".join("?" for _ in columns)
        updates = ", ".join(f"{c} = excluded.{c}" for c in _GUILD_COLUMNS)
        await self._db.execute(
            f"INSERT INTO guild_settings ({', '.join(columns)}) VALUES ({marks}) "
            f"ON CONFLICT(guild_id) DO UPDATE SET {updates}",
            [values[c] for c in columns],
        )
        self._guilds[settings.guild_id] = settings
        await self._db.notify(TOPIC, str(settings.guild_id))

    async def member(self, user_id: int) -> MemberSettings:
        row = await self._db.fetchone("SELECT * FROM member_settings WHERE user_id = ?", (user_id,))
        return MemberSettings(user_id=user_id) if row is None else _member(row)

    async def members(self, user_ids: Iterable[int]) -> dict[int, MemberSettings]:
        """The preferences of many members in one query per batch (defaults for the others)."""
        wanted = list(dict.fromkeys(user_ids))
        found = {uid: MemberSettings(user_id=uid) for uid in wanted}
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            marks = ", ".join("?" for _ in batch)
            rows = await self._db.fetchall(
                f"SELECT * FROM member_settings WHERE user_id IN ({marks})", batch
            )
            found.update((row["user_id"], _member(row)) for row in rows)
        return found

    async def save_member(self, member: MemberSettings) -> None:
        await self._db.execute(
            "INSERT INTO member_settings (user_id, timezone, dm_reminders, dm_closed) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET timezone = excluded.timezone,"
            " dm_reminders = excluded.dm_reminders, dm_closed = excluded.dm_closed",
            (member.user_id, member.timezone, int(member.dm_reminders), int(member.dm_closed)),
        )

    async def forget_member(self, user_id: int) -> int:
        cur = await self._db.execute("DELETE FROM member_settings WHERE user_id = ?", (user_id,))
        return cur.rowcount


class MemberPreferencesData:
    """The members' own preferences, for `/mes-donnees`."""

    def __init__(self, store: SettingsStore) -> None:
        self._store = store

    async def export(self, user_id: int) -> list[Item]:
        member = await self._store.member(user_id)
        if member == MemberSettings(user_id=user_id):
            return []
        return [
            Setting("personal_data.preferences.timezone", member.timezone),
            Setting("personal_data.preferences.dm_reminders", member.dm_reminders),
            Setting("personal_data.preferences.dm_closed", member.dm_closed),
        ]

    async def erase(self, user_id: int) -> int:
        return await self._store.forget_member(user_id)
