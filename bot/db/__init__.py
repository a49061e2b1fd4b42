"""The one SQLite connection (aiosqlite): WAL, foreign keys, busy timeout, numbered migrations."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

Params = Sequence[Any] | dict[str, Any]
# Told how long each call took: (operation, seconds), operation in read | write | transaction.
QueryObserver = Callable[[str, float], None]


class DatabaseTooNewError(RuntimeError):
    """The file was migrated by a newer Passerelle than this one."""


@dataclass(frozen=True)
class Migration:
    version: int
    path: Path


def migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise ValueError(f"migration file name must look like 0001_name.sql: {path.name}")
        found.append(Migration(int(match.group(1)), path))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise ValueError(f"migrations must be numbered 1..N without gaps, got {versions}")
    return found


class _Queries:
    """The query methods a transaction and the database share (reads and single statements)."""

    _conn: aiosqlite.Connection
    observer: QueryObserver | None = None  # metrics (bot.metrics); None: not timed

    def _timed(self, operation: str, started: float) -> None:
        if self.observer is not None:
            self.observer(operation, time.perf_counter() - started)

    @property
    def _reads(self) -> aiosqlite.Connection:
        return self._conn

    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        started = time.perf_counter()
        async with self._reads.execute(sql, params) as cur:
            row = await cur.fetchone()
        self._timed("read", started)
        return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        started = time.perf_counter()
        async with self._reads.execute(sql, params) as cur:
            rows = list(await cur.fetchall())
        self._timed("read", started)
        return rows

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]


class Tx(_Queries):
    """Statements inside one transaction (see `Database.transaction`)."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> aiosqlite.Cursor:
        return await self._conn.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)


def _read_only_uri(path: Path | str) -> str:
    return "file:" + urllib.parse.quote(os.path.abspath(path)) + "?mode=ro"


async def _open_reader(uri: str) -> aiosqlite.Connection:
    reader = await aiosqlite.connect(uri, uri=True)
    reader.row_factory = aiosqlite.Row
    try:
        await reader.execute("PRAGMA busy_timeout=5000")
        await reader.execute("PRAGMA foreign_keys=ON")  # as the writer: PRAGMA reads agree
        await reader.execute("PRAGMA query_only=ON")
    except BaseException:
        await reader.close()
        raise
    return reader


class Database(_Queries):
    """One connection for writes, serialised so transactions never interleave; reads outside a
    transaction go to a second, read-only connection (WAL lets it read the last committed state
    while a write is under way), so a long write never holds up the screens members wait for."""

    def __init__(self, conn: aiosqlite.Connection, reader: aiosqlite.Connection | None = None):
        self._conn = conn
        self._reader = reader
        self._write = asyncio.Lock()

    @property
    def _reads(self) -> aiosqlite.Connection:
        return self._reader or self._conn

    @classmethod
    async def open(cls, path: Path | str, *, migrations_dir: Path = MIGRATIONS_DIR) -> Database:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA synchronous=NORMAL")
            db = cls(conn)
            await db.migrate(migrations(migrations_dir))
            if str(path) != ":memory:":
                db._reader = await _open_reader(_read_only_uri(path))
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        if self._reader is not None:
            await self._reader.close()
        await self._conn.close()

    async def user_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self, steps: list[Migration]) -> None:
        current = await self.user_version()
        latest = steps[-1].version if steps else 0
        if current > latest:
            raise DatabaseTooNewError(
                f"La base de données est en version {current}, plus récente que ce code "
                f"(version {latest}) : mettez Passerelle à jour. / The database is at version "
                f"{current}, newer than this code ({latest}): upgrade Passerelle."
            )
        for step in steps:
            if step.version <= current:
                continue
            script = step.path.read_text(encoding="utf-8")
            async with self._write:
                try:
                    # executescript commits first; BEGIN/COMMIT are ours: one step, one transaction
                    await self._conn.executescript(
                        f"BEGIN;\n{script}\n;PRAGMA user_version = {step.version};\nCOMMIT;"
                    )
                except Exception:
                    if self._conn.in_transaction:
                        await self._conn.execute("ROLLBACK")
                    raise
            log.info("database migrated to version %d (%s)", step.version, step.path.name)

    async def execute_returning(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        """One write statement with a `RETURNING` clause (e.g. a new row's id): its first row."""
        started = time.perf_counter()
        async with self._write, self._conn.execute(sql, params) as cur:
            row = await cur.fetchone()
        self._timed("write", started)
        return row

    async def execute(self, sql: str, params: Params = ()) -> aiosqlite.Cursor:
        """One write statement in its own (implicit) transaction."""
        started = time.perf_counter()
        async with self._write:
            cursor = await self._conn.execute(sql, params)
        self._timed("write", started)
        return cursor

    async def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        """One write statement for many rows, in one call under the write lock (nothing else
        is written in between); returns how many rows it changed. For a write that is one
        statement per row (its checks in the statement itself), cheaper than a transaction."""
        async with self._write:
            cursor = await self._conn.executemany(sql, rows)
            return cursor.rowcount

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """Timed as a whole (waiting for the write lock included), its statements untimed."""
        started = time.perf_counter()
        async with self._write:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self._conn)
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")
        self._timed("transaction", started)
