"""The embedded back-end: one SQLite file (aiosqlite), WAL, one writer and one reader.

Writes (single statements and transactions) go through the writer connection, one at a time
(an asyncio lock; transactions are BEGIN IMMEDIATE). Reads outside a transaction go through a
second, read-only connection: in WAL mode they see the last committed state and never wait
behind a write.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from bot.db.base import Listener, Migration, Params, Result, Row, too_new
from bot.db.dialect import to_sqlite

MEMORY = ":memory:"


def statements(script: str) -> list[str]:
    """A migration script cut into its statements (sqlite3 knows where one is complete)."""
    found, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                found.append(pending)
            pending = ""
    if pending.strip() and any(
        not ln.strip().startswith("--") and ln.strip() for ln in pending.splitlines()
    ):
        found.append(pending)  # no final semicolon: let SQLite judge it
    return found


class SqliteConnection:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def fetchone(self, sql: str, params: Params) -> Row | None:
        async with self._conn.execute(sql, params) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: Params) -> list[Row]:
        async with self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def execute(self, sql: str, params: Params) -> Result:
        async with self._conn.execute(sql, params) as cur:
            return Result(cur.rowcount)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        async with self._conn.executemany(sql, rows) as cur:
            return cur.rowcount


async def _use_wal(conn: aiosqlite.Connection, *, attempts: int = 50) -> None:
    """Switch a new database to WAL, waiting for other processes opening it at the same moment.

    Changing the journal mode needs the file to itself. When several processes open a fresh
    database together, SQLite answers « database is locked » at once, without the busy handler
    (waiting could deadlock), so we retry here; once one of them has switched, the mode is
    stored in the file and the others find it already set.
    """
    for attempt in range(attempts):
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.01 * (attempt + 1))


async def _connect(path: str, *, read_only: bool = False) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = aiosqlite.Row
    try:
        await conn.execute("PRAGMA busy_timeout=5000")
        if not read_only:
            await _use_wal(conn)
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA synchronous=NORMAL")
        if read_only:
            await conn.execute("PRAGMA query_only=ON")
    except BaseException:
        await conn.close()
        raise
    return conn


class SqliteBackend:
    dialect = "sqlite"

    def __init__(self, writer: aiosqlite.Connection, reader: aiosqlite.Connection | None) -> None:
        self._writer = SqliteConnection(writer)
        self._reader = SqliteConnection(reader) if reader is not None else None
        self._raw_writer = writer
        self._raw_reader = reader
        self._write = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> SqliteBackend:
        if str(path) != MEMORY:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        writer = await _connect(str(path))
        return cls(writer, None)

    async def open_reader(self, path: Path | str) -> None:
        """After the migrations (the file and its WAL exist): the read-only connection."""
        if str(path) != MEMORY and self._raw_reader is None:
            self._raw_reader = await _connect(str(path), read_only=True)
            self._reader = SqliteConnection(self._raw_reader)

    def translate(self, sql: str) -> str:
        return to_sqlite(sql)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[SqliteConnection]:
        if self._reader is not None:
            yield self._reader
            return
        async with self._write:  # an in-memory database has one connection: no dirty reads
            yield self._writer

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[SqliteConnection]:
        async with self._write:
            yield self._writer

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteConnection]:
        async with self._write:
            await self._raw_writer.execute("BEGIN IMMEDIATE")
            try:
                yield self._writer
            except BaseException:
                await self._raw_writer.execute("ROLLBACK")
                raise
            await self._raw_writer.execute("COMMIT")

    async def user_version(self) -> int:
        async with self._raw_writer.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self, steps: list[Migration]) -> list[int]:
        current = await self.user_version()
        latest = steps[-1].version if steps else 0
        if current > latest:
            raise too_new(current, latest)
        applied = []
        for step in steps:
            if step.version <= current:
                continue
            async with self._write:
                # One step, one transaction; the version is read again under the write lock, so
                # two processes opening a new file together apply each step once.
                await self._raw_writer.execute("BEGIN IMMEDIATE")
                try:
                    if await self.user_version() < step.version:
                        for statement in statements(step.script()):
                            await self._raw_writer.execute(statement)
                        await self._raw_writer.execute(f"PRAGMA user_version = {step.version}")
                        applied.append(step.version)
                except BaseException:
                    await self._raw_writer.execute("ROLLBACK")
                    raise
                await self._raw_writer.execute("COMMIT")
        return applied

    async def notify(self, topic: str, payload: str) -> None:
        """One process owns an SQLite file: nobody else to tell."""

    async def listen(self, topic: str, listener: Listener) -> None:
        """Nothing ever arrives: this process is the only writer."""

    async def close(self) -> None:
        if self._raw_reader is not None:
            await self._raw_reader.close()
        await self._raw_writer.close()

    # For the operator's `db backup` (sqlite3's online backup API through the writer).
    @property
    def raw(self) -> aiosqlite.Connection:
        return self._raw_writer
