"""The database API on the back-end of this run (SQLite, or PostgreSQL when
PASSERELLE_TEST_DATABASE_URL is set): migrations, results, rows, transactions, locking, messages.

`.ci/run` runs the suite on both; `tests/unit/test_migrations.py` adds SQLite's own checks.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.db import Database, DatabaseTooNewError, NotPortableError, is_postgres, migrations

Make = Callable[[], Awaitable[Path | str]]


async def _tables(db: Database) -> set[str]:
    if db.dialect == "postgresql":
        rows = await db.fetchall(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    else:
        rows = await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {r[0] for r in rows} - {"schema_version"}


async def test_fresh_database_gets_every_step(database: Path | str) -> None:
    db = await Database.open(database)
    try:
        assert await db.user_version() == len(migrations())
        assert db.dialect == ("postgresql" if is_postgres(database) else "sqlite")
        assert {"meta", "reminder_items", "rencontres", "sigles_entries"} <= await _tables(db)
    finally:
        await db.close()


async def test_upgrade_through_every_step(databases: Make, tmp_path: Path) -> None:
    """Open with migrations 1..k, then with all: each step applies on top of the previous."""
    steps = migrations()
    for k in range(1, len(steps) + 1):
        partial = tmp_path / f"m{k}"
        partial.mkdir()
        for step in steps[:k]:
            shutil.copy(step.path, partial / step.path.name)
        target = await databases()
        db = await Database.open(target, migrations_dir=partial)
        assert await db.user_version() == k
        before = await _tables(db)
        await db.close()
        db = await Database.open(target)
        try:
            assert await db.user_version() == len(steps)
            assert before <= await _tables(db)
        finally:
            await db.close()


async def test_a_failing_step_is_rolled_back(database: Path | str, tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    shutil.copy(migrations()[0].path, folder / migrations()[0].path.name)
    (folder / "0002_broken.sql").write_text("CREATE TABLE half (x TEXT);\nTHIS IS NOT SQL;\n")
    with pytest.raises(Exception, match="syntax error"):
        await Database.open(database, migrations_dir=folder)
    only_first = tmp_path / "m1"
    only_first.mkdir()
    shutil.copy(migrations()[0].path, only_first / migrations()[0].path.name)
    db = await Database.open(database, migrations_dir=only_first)
    try:
        assert await db.user_version() == 1
        assert "half" not in await _tables(db)
    finally:
        await db.close()


async def test_a_newer_database_is_refused(database: Path | str) -> None:
    db = await Database.open(database)
    newer = len(migrations()) + 1
    if db.dialect == "postgresql":
        await db.execute("UPDATE schema_version SET version = ?", (newer,))
    else:
        await db.execute(f"PRAGMA user_version = {newer}")
    await db.close()
    with pytest.raises(DatabaseTooNewError, match="plus récente"):
        await Database.open(database)


async def test_processes_starting_together_migrate_once(database: Path | str) -> None:
    opened = await asyncio.gather(*(Database.open(database) for _ in range(5)))
    try:
        assert [await db.user_version() for db in opened] == [len(migrations())] * 5
    finally:
        for db in opened:
            await db.close()


async def test_results_rows_and_returning(database: Path | str) -> None:
    db = await Database.open(database)
    try:
        added = await db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?), (?, ?)", ("a", "1", "b", "2")
        )
        assert added.rowcount == 2
        again = await db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", ("a", "9")
        )
        assert again.rowcount == 0
        assert (
            await db.execute("UPDATE meta SET value = ? WHERE key = ?", ("3", "b"))
        ).rowcount == 1
        row = await db.fetchone("SELECT key, value FROM meta WHERE key = ?", ("b",))
        assert row is not None and row["value"] == "3" and row[0] == "b"
        assert dict(row) == {"key": "b", "value": "3"}
        assert await db.fetchval("SELECT COUNT(*) FROM meta") == 2
        assert await db.fetchval("SELECT value FROM meta WHERE key = ?", ("zz",)) is None
        first = await db.execute_returning(
            "INSERT INTO announcements (guild_id, channel_id, author_id, text, due_at, zone,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (1 << 60, 1 << 61, 1, "a", 2_000_000_000, "Europe/Paris", 1_700_000_000),
        )
        second = await db.execute_returning(
            "INSERT INTO announcements (guild_id, channel_id, author_id, text, due_at, zone,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (1 << 60, 1 << 61, 2, "b", 2_000_000_000, "Europe/Paris", 1_700_000_000),
        )
        assert first is not None and second is not None and second["id"] > first["id"] > 0
        # Discord ids need 64 bits
        assert await db.fetchval("SELECT MAX(channel_id) FROM announcements") == 1 << 61
        gone = await db.execute("DELETE FROM meta")
        assert gone.rowcount == 2
    finally:
        await db.close()


async def test_a_write_read_with_fetchval_goes_to_the_writer(database: Path | str) -> None:
    db = await Database.open(database)
    try:
        new_id = await db.fetchval(
            "INSERT INTO apero_drafts (guild_id, author_id, data, created_at)"
            " VALUES (1, 2, '{}', 0) RETURNING id"
        )
        assert new_id == await db.fetchval("SELECT MAX(id) FROM apero_drafts")
        rows = await db.fetchall("DELETE FROM apero_drafts RETURNING id")
        assert [r[0] for r in rows] == [new_id]
    finally:
        await db.close()


async def test_named_parameters_are_refused(database: Path | str) -> None:
    db = await Database.open(database)
    try:
        with pytest.raises(NotPortableError):
            await db.fetchone("SELECT * FROM meta WHERE key = :key", {"key": "a"})  # type: ignore[arg-type]
    finally:
        await db.close()


async def test_transactions_roll_back_together(database: Path | str) -> None:
    db = await Database.open(database)
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
                assert await tx.fetchval("SELECT COUNT(*) FROM meta") == 1  # its own writes
                raise RuntimeError("boom")
        assert await db.fetchval("SELECT COUNT(*) FROM meta") == 0
    finally:
        await db.close()


async def test_reads_outside_see_only_what_is_committed(database: Path | str) -> None:
    db = await Database.open(database)
    try:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
            assert await db.fetchval("SELECT COUNT(*) FROM meta") == 0
        assert await db.fetchval("SELECT COUNT(*) FROM meta") == 1
    finally:
        await db.close()


async def test_read_then_write_with_for_update_loses_nothing(database: Path | str) -> None:
    """30 transactions each read a counter and write it + 1, all at once, from two
    connections' worth of processes: none is lost (SQLite: the write lock; PostgreSQL: the
    row lock `FOR UPDATE` takes)."""
    first, second = await Database.open(database), await Database.open(database)
    try:
        await first.execute("INSERT INTO meta (key, value) VALUES ('n', '0')")

        async def bump(db: Database) -> None:
            async with db.transaction() as tx:
                value = await tx.fetchval("SELECT value FROM meta WHERE key = 'n' FOR UPDATE")
                await asyncio.sleep(0)
                await tx.execute(
                    "UPDATE meta SET value = ? WHERE key = 'n'", (str(int(value) + 1),)
                )

        await asyncio.gather(*(bump(first if i % 2 else second) for i in range(30)))
        assert await first.fetchval("SELECT value FROM meta WHERE key = 'n'") == "30"
    finally:
        await first.close()
        await second.close()


async def test_executemany(database: Path | str) -> None:
    db = await Database.open(database)
    try:
        written = await db.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)", [(f"k{i}", str(i)) for i in range(5)]
        )
        assert written == 5
        assert await db.fetchval("SELECT COUNT(*) FROM meta") == 5
        # rows a statement's own condition skips are not counted
        changed = await db.executemany(
            "UPDATE meta SET value = ? WHERE key = ? AND value <> ?",
            [("x", "k1", "1"), ("y", "k2", "y"), ("z", "absent", "")],
        )
        assert changed == 1
        async with db.transaction() as tx:
            assert await tx.executemany("DELETE FROM meta WHERE key = ?", [("k3",), ("k4",)]) == 2
    finally:
        await db.close()


async def test_messages_reach_the_other_processes_only(database: Path | str) -> None:
    if not is_postgres(database):
        pytest.skip("one process owns an SQLite file: nothing to tell (PostgreSQL run only)")
    sender, receiver = await Database.open(database), await Database.open(database)
    try:
        got: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        await receiver.listen("settings", lambda p: got.put_nowait(("receiver", p)))
        await sender.listen("settings", lambda p: got.put_nowait(("sender", p)))
        await sender.notify("settings", "guild:42")
        assert await asyncio.wait_for(got.get(), 10) == ("receiver", "guild:42")
        await asyncio.sleep(0.2)
        assert got.empty()  # not back to the sender
    finally:
        await sender.close()
        await receiver.close()
