"""SettingsStore: members' preferences read one at a time and many at once agree."""

from __future__ import annotations

from pathlib import Path

from bot.db import Database
from bot.guild_settings import MemberSettings, SettingsStore
from bot.guild_settings import store as settings_store


async def test_members_reads_many_in_batches_with_defaults_for_the_others(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "s.db")
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
