"""SettingsStore: members' preferences read one at a time and many at once agree."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.db import Database, is_postgres
from bot.guild_settings import GuildSettings, MemberSettings, SettingsStore
from bot.guild_settings import store as settings_store


async def test_members_reads_many_in_batches_with_defaults_for_the_others(
    database: Path | str,
) -> None:
    db = await Database.open(database)
    try:
        store = SettingsStore(db)
        saved = [
            MemberSettings(user_id=uid, timezone="America/Montreal", dm_reminders=uid % 2 == 0)
            for uid in range(1, 8)
        ]
        for member in saved:
            await store.save_member(member)
        settings_store._BATCH, batch = 3, settings_store._BATCH  # several batches on 10 ids
        try:
            found = await store.members([*range(1, 11), 4])
        finally:
            settings_store._BATCH = batch
        assert list(found) == list(range(1, 11))
        for uid in range(1, 11):
            assert found[uid] == await store.member(uid)
        assert found[4].dm_reminders and not found[5].dm_reminders
        assert found[9] == MemberSettings(user_id=9)
        assert await store.members([]) == {}
    finally:
        await db.close()


async def _until(predicate, seconds: float = 10) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not predicate():
        assert loop.time() < deadline, "not reached in time"
        await asyncio.sleep(0.02)


async def test_a_change_made_by_another_process_reaches_this_one(database: Path | str) -> None:
    """Two processes on one database: what one saves, the other's cache shows (PostgreSQL
    LISTEN/NOTIFY), and a lost listening connection is followed by a full reload."""
    if not is_postgres(database):
        pytest.skip("one process owns an SQLite file: its cache is the only one")
    first_db, second_db = await Database.open(database), await Database.open(database)
    try:
        first, second = SettingsStore(first_db), SettingsStore(second_db)
        await first.load()
        await second.load()
        await first.save_guild(GuildSettings(guild_id=42, language="en", timezone="Asia/Tokyo"))
        await _until(lambda: second.lang_of(42) == "en")
        assert str(second.guild_zone(42)) == "Asia/Tokyo"
        # a change nobody is told of, then the listening connections die (a server restart):
        # once back, everything is read again
        await first_db.execute("UPDATE guild_settings SET language = 'fr' WHERE guild_id = 42")
        await first_db.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'passerelle-listen' AND pid <> pg_backend_pid()"
        )
        await _until(lambda: second.lang_of(42) == "fr")
        await first.save_guild(GuildSettings(guild_id=7, region="QC"))
        await _until(lambda: second.region_of(7) == "QC")
    finally:
        await first_db.close()
        await second_db.close()
