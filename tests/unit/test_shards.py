"""Shards: the settings that choose them, which servers a process owns, and the engine's share
of the due items (on the run's back-end)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from discord_server.gateway import shard_of as discord_shard_of
from hypothesis import given
from hypothesis import strategies as st

from bot.client import Passerelle, ShardedPasserelle, make_bot
from bot.db import Database
from bot.reminders import Schedule
from bot.reminders.store import ReminderStore
from bot.settings import SettingsError, load_settings
from bot.shards import Sharding, shard_of

URL = "postgresql://p@127.0.0.1/p"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _settings(**env: str):
    return load_settings({"DISCORD_TOKEN": "x", **env}, env_file=None)


@given(st.integers(min_value=0, max_value=(1 << 63) - 1), st.integers(min_value=1, max_value=64))
def test_the_formula_is_discords(guild_id: int, count: int) -> None:
    assert shard_of(guild_id, count) == discord_shard_of(guild_id, count)


def test_unsharded_by_default() -> None:
    s = _settings()
    assert s.shards is None
    assert type(make_bot(s)) is Passerelle


def test_shard_ids_and_clusters() -> None:
    s = _settings(SHARD_COUNT="6", SHARD_IDS="4, 1", DATABASE_URL=URL)
    assert s.shards == Sharding(6, (1, 4)) and not s.shards.primary
    clusters = [
        _settings(SHARD_COUNT="6", CLUSTER_ID=str(c), CLUSTER_COUNT="3", DATABASE_URL=URL).shards
        for c in range(3)
    ]
    assert [c.ids for c in clusters if c] == [(0, 3), (1, 4), (2, 5)]
    assert [c.primary for c in clusters if c] == [True, False, False]
    whole = _settings(SHARD_COUNT="2")  # every shard in one process: SQLite is enough
    assert whole.shards == Sharding(2, (0, 1)) and whole.shards.whole
    bot = make_bot(_settings(SHARD_COUNT="6", SHARD_IDS="1,4", DATABASE_URL=URL))
    assert isinstance(bot, ShardedPasserelle)
    assert bot.shard_count == 6 and bot.shard_ids == [1, 4]
    assert not bot.primary


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"SHARD_IDS": "0"}, "SHARD_COUNT"),
        ({"CLUSTER_ID": "0", "CLUSTER_COUNT": "2"}, "SHARD_COUNT"),
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT"),
        ({"SHARD_COUNT": "deux"}, "SHARD_COUNT"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "2", "DATABASE_URL": URL}, "SHARD_IDS"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "a", "DATABASE_URL": URL}, "SHARD_IDS"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0", "CLUSTER_ID": "0"}, "SHARD_IDS"),
        ({"SHARD_COUNT": "4", "CLUSTER_ID": "2", "CLUSTER_COUNT": "2"}, "CLUSTER_ID"),
        ({"SHARD_COUNT": "2", "CLUSTER_ID": "0", "CLUSTER_COUNT": "3"}, "CLUSTER_ID"),
        ({"SHARD_COUNT": "4", "CLUSTER_ID": "1"}, "CLUSTER_ID"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "1"}, "DATABASE_URL"),  # a part of them on SQLite
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"IDENTIFY_INTERVAL": "soon"}, "IDENTIFY_INTERVAL"),
    ],
)
def test_bad_shard_settings_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError) as caught:
        _settings(**env)
    message = str(caught.value)
    assert message.startswith(variable) and " / " in message


def test_ownership() -> None:
    primary, other = Sharding(3, (0,)), Sharding(3, (1, 2))
    ids = [n << 22 for n in range(9)]
    assert [primary.owns(g) for g in ids] == [n % 3 == 0 for n in range(9)]
    assert [other.owns(g) for g in ids] == [n % 3 != 0 for n in range(9)]
    assert primary.owns(None) and not other.owns(None)  # DMs and global work: shard 0's


async def test_each_process_gets_its_share_of_due_items(database: Path | str) -> None:
    """Items of 12 servers and one of no server: each of three processes over six shards
    gets exactly its servers' items, the primary also the server-less one; unsharded, all."""
    db = await Database.open(database)
    try:
        guilds = [(n << 22) | 12345 for n in range(12)]
        writer = ReminderStore(db)
        due = NOW - timedelta(minutes=1)
        for gid in [*guilds, None]:
            await writer.upsert(
                "k", f"r{gid}", gid, Schedule(occurrence="o", due_at=due + timedelta(seconds=1))
            )
        await writer.upsert("k", "later", guilds[1], Schedule("o", NOW + timedelta(days=1)))
        seen = []
        for cluster in range(3):
            store = ReminderStore(db, Sharding.cluster(6, cluster, 3))
            items = await store.due(NOW, 100)
            seen += [i.guild_id for i in items]
            assert {i.guild_id for i in items} == {
                g for g in [*guilds, None] if Sharding.cluster(6, cluster, 3).owns(g)
            }
            # the next wake-up is for one of its own items
            expected = due + timedelta(seconds=1) if items else NOW + timedelta(days=1)
            assert await store.next_due() == expected
        assert sorted(seen, key=str) == sorted([*guilds, None], key=str)  # each once
        assert len(await ReminderStore(db).due(NOW, 100)) == len(guilds) + 1
    finally:
        await db.close()
