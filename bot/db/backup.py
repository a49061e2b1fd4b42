"""`python -m bot db backup FILE`: a consistent copy of the database while the bot runs.

SQLite: sqlite3's online backup API (pages copied under a read transaction; the bot goes on
writing through WAL), then the copy is checked (`PRAGMA integrity_check`). PostgreSQL: `pg_dump`
in its custom format (restore with `pg_restore`), when the client is installed.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit


class BackupError(RuntimeError):
    """The backup could not be made (the message says why, fr / en)."""


def backup_sqlite(source: Path, dest: Path) -> int:
    """Copy `source` to `dest` online; returns the copy's schema version."""
    if not source.is_file():
        raise BackupError(f"{source} : fichier introuvable / no such file")
    if dest.exists():
        raise BackupError(f"{dest} existe déjà / already exists")
    dest.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    out = sqlite3.connect(dest)
    try:
        src.backup(out, pages=1024)
        ok = out.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise BackupError(f"copie abîmée / damaged copy: {ok}")
        return int(out.execute("PRAGMA user_version").fetchone()[0])
    finally:
        out.close()
        src.close()


def pg_dump_command(url: str, dest: Path) -> tuple[list[str], dict[str, str]]:
    """pg_dump's arguments and environment for the URL: the password goes in PGPASSWORD, never
    on the command line (other users see it); a `search_path` becomes `--schema`."""
    parts = urlsplit(url)
    schemas = parse_qs(parts.query).get("search_path", [])
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    plain = urlunsplit(parts._replace(netloc=netloc, query=""))
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={dest}"]
    command += [f"--schema={s}" for s in schemas]
    env = {"PGPASSWORD": parts.password} if parts.password else {}
    return [*command, plain], env


async def backup_postgres(url: str, dest: Path) -> None:
    if shutil.which("pg_dump") is None:
        raise BackupError(
            "pg_dump introuvable : installez le client PostgreSQL (postgresql-client) / "
            "pg_dump not found: install the PostgreSQL client (postgresql-client)"
        )
    if await asyncio.to_thread(os.path.lexists, dest):
        raise BackupError(f"{dest} existe déjà / already exists")
    command, env = pg_dump_command(url, dest)
    process = await asyncio.create_subprocess_exec(
        *command, env={**os.environ, **env}, stderr=asyncio.subprocess.PIPE
    )
    _, err = await process.communicate()
    if process.returncode != 0:
        raise BackupError(f"pg_dump : {err.decode(errors='replace').strip()}")
