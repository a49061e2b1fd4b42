"""The SQLite store: fresh database, upgrade through every step, refusal of a newer one."""

from __future__ import annotations

import shutil
from pathlib import Path

import aiosqlite
import pytest

from bot.db import Database, DatabaseTooNewError, migrations


async def _tables(path: Path) -> set[str]:
    async with aiosqlite.connect(path) as conn:
        cur = await conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row[0] for row in await cur.fetchall()}


async def test_fresh_database_gets_every_step(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "fresh.db")
    try:
        assert await db.user_version() == len(migrations())
        assert await db.fetchval("PRAGMA foreign_keys") == 1
        assert str(await db.fetchval("PRAGMA journal_mode")).lower() == "wal"
        assert await db.fetchval("PRAGMA busy_timeout") == 5000
    finally:
        await db.close()


async def test_upgrade_through_every_step(tmp_path: Path) -> None:
    """Open with migrations 1..k, then with all: each step applies on top of the previous."""
    steps = migrations()
    for k in range(1, len(steps) + 1):
        partial = tmp_path / f"m{k}"
        partial.mkdir()
        for step in steps[:k]:
            shutil.copy(step.path, partial / step.path.name)
        path = tmp_path / f"db{k}.db"
        db = await Database.open(path, migrations_dir=partial)
        assert await db.user_version() == k
        await db.close()
        before = await _tables(path)
        db = await Database.open(path)
        assert await db.user_version() == len(steps)
        await db.close()
        assert before <= await _tables(path)


async def test_a_failing_step_is_rolled_back(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    shutil.copy(migrations()[0].path, folder / migrations()[0].path.name)
    (folder / "0002_broken.sql").write_text("CREATE TABLE half (x);\nTHIS IS NOT SQL;\n")
    with pytest.raises(aiosqlite.Error):
        await Database.open(tmp_path / "b.db", migrations_dir=folder)
    assert "half" not in await _tables(tmp_path / "b.db")
    async with aiosqlite.connect(tmp_path / "b.db") as conn:
        cur = await conn.execute("PRAGMA user_version")
        assert (await cur.fetchone())[0] == 1


async def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    async with aiosqlite.connect(path) as conn:
        await conn.execute(f"PRAGMA user_version = {len(migrations()) + 1}")
        await conn.commit()
    with pytest.raises(DatabaseTooNewError, match="plus récente"):
        await Database.open(path)


async def test_transactions_roll_back_together(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "t.db")
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
                raise RuntimeError("boom")
        assert await db.fetchval("SELECT COUNT(*) FROM meta") == 0
    finally:
        await db.close()
