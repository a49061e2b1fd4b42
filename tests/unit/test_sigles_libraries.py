"""Each server's glossary index (cogs.sigles.flows.Libraries) on a real database: bounded,
rebuilt on change, the previous one served meanwhile to what cannot wait, forgotten on leave."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db import Database
from cogs.sigles.flows import Libraries
from cogs.sigles.glossary import Entry, load_glossary
from cogs.sigles.store import SiglesStore

SHIPPED = load_glossary()
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def entry(sigle: str, guild_id: int) -> Entry:
    return Entry(
        sigle=sigle,
        region="QC",
        developpe=f"Dispositif {sigle}",
        explication="Un dispositif propre à ce serveur.",
        domaine="institutions",
        source="https://example.org",
        origin="guild",
        guild_id=guild_id,
    )


@pytest.fixture
async def store(database: Path | str) -> AsyncIterator[SiglesStore]:
    db = await Database.open(database)  # SQLite, or PostgreSQL in .ci/run's second pass
    try:
        yield SiglesStore(db)
    finally:
        await db.close()


async def fill(store: SiglesStore, guild_id: int, count: int) -> None:
    for n in range(count):
        assert await store.add(guild_id, entry(f"ZQ{guild_id}X{n}", guild_id), 1, NOW)


async def test_least_recently_used_servers_go_first(store: SiglesStore) -> None:
    for guild_id in (1, 2, 3):
        await fill(store, guild_id, 2)
    libraries = Libraries(store, SHIPPED, servers=2)
    for guild_id in (1, 2):
        assert len((await libraries.get(guild_id)).rows) == 2
    await libraries.get(1)  # 1 is used again: 2 is now the least recently used
    await libraries.get(3)
    assert set(libraries.cached()) == {1, 3}
    # an evicted server is indexed again when asked
    assert [r.entry.sigle for r in (await libraries.get(2)).rows] == ["ZQ2X0", "ZQ2X1"]
    assert set(libraries.cached()) == {3, 2}


async def test_the_cache_is_bounded_by_the_servers_own_entries_too(store: SiglesStore) -> None:
    await fill(store, 1, 4)
    await fill(store, 2, 3)
    libraries = Libraries(store, SHIPPED, entries=5)
    await libraries.get(1)
    await libraries.get(2)
    assert libraries.cached() == {2: 3}
    # one server bigger than the bound alone is still kept (it is the one being used)
    await fill(store, 3, 6)
    await libraries.get(3)
    assert libraries.cached() == {3: 6}


async def test_servers_without_entries_share_the_shipped_index(store: SiglesStore) -> None:
    libraries = Libraries(store, SHIPPED, servers=1)
    await fill(store, 1, 1)
    await libraries.get(1)
    for guild_id in range(100, 110):
        assert await libraries.get(guild_id) is libraries.plain
        assert libraries.ready(guild_id)
    assert libraries.cached() == {1: 1}  # they took no slot
    assert await libraries.get(None) is libraries.plain


async def test_a_change_is_indexed_at_once_and_autocomplete_never_waits(
    store: SiglesStore,
) -> None:
    await fill(store, 1, 1)
    libraries = Libraries(store, SHIPPED)
    before = await libraries.get(1)
    assert await store.add(1, entry("ZQNEW", 1), 1, NOW)
    libraries.changed(1)
    assert not libraries.ready(1)
    assert libraries.latest(1) is before  # the index being built is not waited for
    after = await libraries.get(1)  # the change is in what /sigle reads
    assert {r.entry.sigle for r in after.rows} == {"ZQ1X0", "ZQNEW"}
    assert after.matcher.lookup("zqnew") and not before.matcher.lookup("zqnew")
    assert libraries.ready(1) and libraries.latest(1) is after


async def test_a_first_entry_and_a_last_removal_move_the_server_in_and_out(
    store: SiglesStore,
) -> None:
    libraries = Libraries(store, SHIPPED)
    assert await libraries.get(1) is libraries.plain
    assert await store.add(1, entry("ZQONE", 1), 1, NOW)
    libraries.changed(1)
    assert libraries.latest(1) is libraries.plain
    [row] = (await libraries.get(1)).rows
    assert await store.delete(1, row.id)
    libraries.changed(1)
    assert await libraries.get(1) is libraries.plain
    assert libraries.cached() == {}


async def test_a_server_the_bot_left_is_forgotten_even_mid_build(store: SiglesStore) -> None:
    await fill(store, 1, 2)
    libraries = Libraries(store, SHIPPED)
    await libraries.get(1)
    libraries.forget(1)
    assert libraries.cached() == {}
    libraries.changed(1)  # an index being built when the bot leaves
    [orphan] = [t for t in asyncio.all_tasks() if t.get_name() == "sigles-index-1"]
    libraries.forget(1)
    await orphan  # it finishes…
    assert libraries.cached() == {}  # …and is not kept
    assert len((await libraries.get(1)).rows) == 2  # asked again: built again


async def test_asked_before_a_change_gets_what_was_there_after_it_gets_the_change(
    store: SiglesStore,
) -> None:
    libraries = Libraries(store, SHIPPED)
    asked = asyncio.ensure_future(libraries.get(1))
    await asyncio.sleep(0)
    assert await store.add(1, entry("ZQLATE", 1), 1, NOW)
    libraries.changed(1)
    first = await asked
    # A read already on its way (SQLite's read-only connection in its own thread, or
    # PostgreSQL) may or may not see a change committed meanwhile: either is right for it.
    assert [r.entry.sigle for r in first.rows] in ([], ["ZQLATE"])
    assert [r.entry.sigle for r in (await libraries.get(1)).rows] == ["ZQLATE"]
    assert libraries.cached() == {1: 1}


async def test_while_a_first_index_is_built_autocomplete_reads_the_shipped_glossary(
    store: SiglesStore,
) -> None:
    await fill(store, 1, 1)
    libraries = Libraries(store, SHIPPED)
    assert libraries.latest(1) is libraries.plain and not libraries.ready(1)
    assert len((await libraries.get(1)).rows) == 1  # latest started the build


async def test_a_change_made_by_another_process_rebuilds_this_ones_index(
    store: SiglesStore,
) -> None:
    """Two processes on one PostgreSQL database: a moderator's entry added through one is in
    the other's index at once (LISTEN/NOTIFY), and a lost connection re-indexes all."""
    if store.db.dialect != "postgresql":
        pytest.skip("one process owns an SQLite file: its index is the only one")
    other_db = await Database.open(store.db.target)
    try:
        other = SiglesStore(other_db)
        here = Libraries(store, SHIPPED)
        await store.follow(here.changed_elsewhere)
        assert (await here.get(1)).rows == ()  # held here: a server with no entries yet
        assert await other.add(1, entry("ZQOTHER", 1), 1, NOW)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while [r.entry.sigle for r in (await here.get(1)).rows] != ["ZQOTHER"]:
            assert loop.time() < deadline, "the other process's change never arrived"
            await asyncio.sleep(0.02)
        await other_db.execute("DELETE FROM sigles_entries WHERE guild_id = 1")  # not told…
        await store.db.execute(  # …and the listening connections die (a server restart)
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'passerelle-listen' AND pid <> pg_backend_pid()"
        )
        while (await here.get(1)).rows:
            assert loop.time() < deadline + 10, "no full re-index after the connection came back"
            await asyncio.sleep(0.02)
    finally:
        await other_db.close()


async def test_one_change_is_applied_to_the_index_at_once_without_a_rebuild(
    store: SiglesStore,
) -> None:
    await fill(store, 1, 3)
    libraries = Libraries(store, SHIPPED)
    before = await libraries.get(1)
    new_id = await store.add(1, entry("ZQNEW", 1), 1, NOW)
    assert new_id is not None
    added = await store.entry(1, new_id)
    assert added is not None
    libraries.update(1, added=[added])
    assert libraries.ready(1)  # nothing being built: the change is in at once
    assert not [t for t in asyncio.all_tasks() if t.get_name() == "sigles-index-1"]
    after = await libraries.get(1)
    assert after.matcher.lookup("zqnew") and not before.matcher.lookup("zqnew")
    # an edit (the row as it was, then as it is) and a removal
    old = after.rows[0]
    assert await store.update(1, old.id, entry("ZQEDITED", 1), NOW)
    edited = await store.entry(1, old.id)
    assert edited is not None
    libraries.update(1, removed=[old], added=[edited])
    assert await store.delete(1, new_id)
    libraries.update(1, removed=[added])
    now = await libraries.get(1)
    assert sorted(r.entry.sigle for r in now.rows) == ["ZQ1X1", "ZQ1X2", "ZQEDITED"]
    assert not now.matcher.lookup(old.entry.sigle) and not now.matcher.lookup("zqnew")
    # exactly what a rebuild from the database gives
    libraries.forget(1)
    rebuilt = await libraries.get(1)
    assert rebuilt.rows == now.rows and rebuilt.glossary.entries == now.glossary.entries
    assert rebuilt.matcher.suggest("zq") == now.matcher.suggest("zq")


async def test_a_change_applied_at_once_keeps_the_bounds_and_the_plain_servers(
    store: SiglesStore,
) -> None:
    libraries = Libraries(store, SHIPPED, servers=1)
    await fill(store, 1, 1)
    await libraries.get(1)
    assert await libraries.get(2) is libraries.plain  # no entries of its own
    new_id = await store.add(2, entry("ZQTWO", 2), 1, NOW)
    assert new_id is not None
    row = await store.entry(2, new_id)
    assert row is not None
    libraries.update(2, added=[row])  # its first entry: a slot, and 1 goes (one server kept)
    assert libraries.cached() == {2: 1}
    libraries.update(2, removed=[row])  # its last: back to the shared shipped index
    assert await libraries.get(2) is libraries.plain and libraries.cached() == {}
    libraries.update(3, added=[row])  # not in memory: nothing to follow, read when asked
    assert libraries.cached() == {}
