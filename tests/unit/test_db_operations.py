"""Operators' database commands: `python -m bot db backup|status|migrate-to` on real databases."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.db import Database, is_postgres, migrations
from bot.db.backup import pg_dump_command
from bot.db.transfer import TransferError, migrate_to
from bot.guild_settings import GuildSettings, MemberSettings, SettingsStore

ROOT = Path(__file__).resolve().parents[2]
BIG = (1 << 62) + 12345  # Discord ids need 64 bits


def _env(database: Path | str) -> dict[str, str]:
    db = (
        {"DATABASE_URL": database, "DATABASE_PATH": ""}
        if is_postgres(database)
        else {"DATABASE_PATH": str(database), "DATABASE_URL": ""}
    )
    return {**os.environ, "DISCORD_TOKEN": "", **db}


def _bot(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def _fill(db: Database) -> None:
    store = SettingsStore(db)
    await store.save_guild(GuildSettings(guild_id=BIG, language="en", timezone="Asia/Tokyo"))
    await store.save_member(MemberSettings(user_id=BIG + 1, dm_reminders=True))
    await db.execute("INSERT INTO meta (key, value) VALUES ('soutien.hmac_secret', 'abc')")
    for n in range(7):
        row = await db.execute_returning(
            "INSERT INTO rencontres (guild_id, organiser_id, title, starts_at, ends_at,"
            " duration_min, zone, format, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, 60, 'Europe/Paris', 'visio', 1, 1) RETURNING id",
            (BIG, BIG + n, f"Rencontre {n}", 2_000_000_000 + n, 2_000_003_600 + n),
        )
        assert row is not None
        await db.execute(
            "INSERT INTO rencontre_rsvps (rencontre_id, user_id, status, seq, at)"
            " VALUES (?, ?, 'going', 1, 1)",
            (row["id"], BIG + 100 + n),
        )
    await db.execute("DELETE FROM rencontres WHERE title = 'Rencontre 6'")  # a gap in the ids
    await db.executemany(
        "INSERT INTO soutien_rate (author_key, at) VALUES (?, ?)", [("k", n) for n in range(3)]
    )


async def test_backup_is_a_consistent_copy_while_the_bot_writes(
    database: Path | str, tmp_path: Path
) -> None:
    db = await Database.open(database)
    try:
        await _fill(db)
        dest = tmp_path / "copie.db" if not is_postgres(database) else tmp_path / "copie.dump"
        if is_postgres(database) and shutil.which("pg_dump") is None:
            pytest.skip("pg_dump is not installed here")
        done = _bot(["db", "backup", str(dest)], _env(database), tmp_path)
        assert done.returncode == 0, done.stderr
        assert dest.stat().st_size > 0
        again = _bot(["db", "backup", str(dest)], _env(database), tmp_path)
        assert again.returncode == 1 and "existe déjà" in again.stderr  # never overwritten
        if not is_postgres(database):
            copy = await Database.open(dest)
            try:
                assert await copy.user_version() == len(migrations())
                assert await copy.fetchval("SELECT COUNT(*) FROM rencontres") == 6
                assert await copy.fetchval("SELECT guild_id FROM guild_settings") == BIG
            finally:
                await copy.close()
        status = _bot(["db", "status"], _env(database), tmp_path)
        assert status.returncode == 0, status.stderr
        assert f"version {len(migrations())} / {len(migrations())}" in status.stdout
        assert "rencontre_rsvps" in status.stdout
    finally:
        await db.close()


def test_pg_dump_gets_no_password_on_its_command_line(tmp_path: Path) -> None:
    command, env = pg_dump_command("postgresql://bot:s3cret@db:5432/passerelle", tmp_path / "x")
    assert not any("s3cret" in part for part in command)
    assert env == {"PGPASSWORD": "s3cret"}
    assert command[-1] == "postgresql://bot@db:5432/passerelle"


async def test_migrate_to_postgresql_copies_checks_and_resumes(
    databases: Callable[[], Awaitable[Path | str]], tmp_path: Path
) -> None:
    url = await databases()
    if not is_postgres(url):
        pytest.skip("needs a PostgreSQL server (the PostgreSQL run)")
    assert isinstance(url, str)
    source = tmp_path / "passerelle.db"
    db = await Database.open(source)
    try:
        await _fill(db)
        tables = [
            r[0]
            for r in await db.fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {t: await db.fetchval(f"SELECT COUNT(*) FROM {t}") for t in tables}
    finally:
        await db.close()

    said: list[str] = []
    report = await migrate_to(source, url, say=said.append)
    assert {c.table: c.target for c in report} == counts
    assert {c.table for c in report if c.action == "copied"} == {t for t, n in counts.items() if n}
    order = [c.table for c in report]
    assert order.index("rencontres") < order.index("rencontre_rsvps")  # parents first
    assert len(said) == len(report)

    target = await Database.open(url)
    try:
        store = SettingsStore(target)
        await store.load()
        assert store.lang_of(BIG) == "en" and str(store.guild_zone(BIG)) == "Asia/Tokyo"
        assert (await store.member(BIG + 1)).dm_reminders
        secret = await target.fetchval("SELECT value FROM meta WHERE key = 'soutien.hmac_secret'")
        assert secret == "abc"
        # new ids come after the copied ones
        row = await target.execute_returning(
            "INSERT INTO rencontres (guild_id, organiser_id, title, starts_at, ends_at,"
            " duration_min, zone, format, created_at, updated_at)"
            " VALUES (1, 1, 'new', 1, 1, 60, 'Europe/Paris', 'visio', 1, 1) RETURNING id"
        )
        assert row is not None and row["id"] == 7  # after the 6 copied (1..6), as SQLite would
        # run again: everything already there is skipped, except what changed since
        await target.execute("DELETE FROM rencontres WHERE title = 'new'")
        again = await migrate_to(source, url, say=said.append)
        assert {c.action for c in again} == {"skipped"}
        await target.execute("INSERT INTO soutien_rate (author_key, at) VALUES ('other', 9)")
        with pytest.raises(TransferError, match="--force"):
            await migrate_to(source, url, say=said.append)
        forced = await migrate_to(source, url, force=True, say=said.append)
        assert {c.table: c.action for c in forced}["soutien_rate"] == "replaced"
        assert await target.fetchval("SELECT COUNT(*) FROM soutien_rate") == 3
    finally:
        await target.close()


def test_migrate_to_from_the_command_line(tmp_path: Path) -> None:
    """The CLI refuses a URL that is not PostgreSQL's, with a sentence and no traceback."""
    env = {**os.environ, "DISCORD_TOKEN": "", "DATABASE_PATH": str(tmp_path / "p.db")}
    env.pop("DATABASE_URL", None)
    done = _bot(["db", "migrate-to", "mysql://x"], env, tmp_path)
    assert done.returncode == 1 and "postgresql://" in done.stderr
    assert "Traceback" not in done.stderr
