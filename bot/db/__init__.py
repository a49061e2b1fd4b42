"""The database, whichever back-end: SQLite (embedded, the default) or PostgreSQL (shared).

`Database.open(target)` takes an SQLite file path, or a `postgresql://` URL (`DATABASE_URL`).
The stores see one API either way — `fetchone`, `fetchall`, `fetchval`, `execute` (a `Result`
with `rowcount`), `execute_returning`, `executemany`, `async with db.transaction() as tx` — and
write one portable SQL (`bot.db.dialect` says what is translated). Rows answer `row["col"]`,
`row[0]` and `dict(row)` on both. One migration history (`migrations/NNNN_name.sql`) applies to
both; a database newer than the code is refused (`DatabaseTooNewError`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.db.base import (
    MIGRATIONS_DIR,
    RESYNC,
    Backend,
    Connection,
    DatabaseTooNewError,
    Listener,
    Migration,
    Params,
    QueryObserver,
    Result,
    Row,
    migrations,
)
from bot.db.dialect import NotPortableError, is_read
from bot.db.sqlite import SqliteBackend

log = logging.getLogger(__name__)

POSTGRES_SCHEMES = ("postgresql://", "postgres://")

__all__ = [
    "MIGRATIONS_DIR",
    "RESYNC",
    "Database",
    "DatabaseTooNewError",
    "Migration",
    "NotPortableError",
    "Params",
    "Result",
    "Row",
    "Tx",
    "is_postgres",
    "migrations",
]


def is_postgres(target: object) -> bool:
    """Whether a database target (a path or a URL) names a PostgreSQL database."""
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def _values(sql: str, params: Params) -> Params:
    if isinstance(params, dict):
        raise NotPortableError(f"parameters must be a sequence for ? placeholders: {sql[:120]!r}")
    return params


class _Queries:
    """The query methods a transaction and the database share."""

    _backend: Backend
    observer: QueryObserver | None = None  # metrics; None: not timed

    def _timed(self, operation: str, started: float) -> None:
        if self.observer is not None:
            self.observer(operation, time.perf_counter() - started)

    def _reader(self) -> Any:
        raise NotImplementedError

    def _writer(self) -> Any:
        raise NotImplementedError

    def _for(self, sql: str) -> Any:
        # A write that returns rows (`INSERT … RETURNING` read with fetchval) takes the writer.
        return self._reader() if is_read(sql) else self._writer()

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        started = time.perf_counter()
        async with self._for(sql) as conn:
            row = await conn.fetchone(self._backend.translate(sql), _values(sql, params))
        self._timed("read" if is_read(sql) else "write", started)
        return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        started = time.perf_counter()
        async with self._for(sql) as conn:
            rows = await conn.fetchall(self._backend.translate(sql), _values(sql, params))
        self._timed("read" if is_read(sql) else "write", started)
        return rows

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def execute(self, sql: str, params: Params = ()) -> Result:
        """One write statement (on its own, it commits at once)."""
        started = time.perf_counter()
        async with self._writer() as conn:
            result = await conn.execute(self._backend.translate(sql), _values(sql, params))
        self._timed("write", started)
        return result

    async def execute_returning(self, sql: str, params: Params = ()) -> Row | None:
        """One write statement with a `RETURNING` clause (e.g. a new row's id): its first row."""
        started = time.perf_counter()
        async with self._writer() as conn:
            row = await conn.fetchone(self._backend.translate(sql), _values(sql, params))
        self._timed("write", started)
        return row

    async def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        """One write statement for many rows, all or nothing (nothing else is written in
        between); returns how many rows it changed. For a write that is one statement per row
        (its checks in the statement itself), cheaper than a transaction."""
        started = time.perf_counter()
        async with self._writer() as conn:
            changed = await conn.executemany(
                self._backend.translate(sql), [_values(sql, row) for row in rows]
            )
        self._timed("write", started)
        return changed


class _Held:
    """A connection already held (a transaction's), handed out as a context manager."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def __aenter__(self) -> Connection:
        return self._conn

    async def __aexit__(self, *exc: object) -> None:
        return None


class Tx(_Queries):
    """Statements inside one transaction (see `Database.transaction`): its reads see its writes."""

    def __init__(self, backend: Backend, conn: Connection) -> None:
        self._backend = backend
        self._held = _Held(conn)

    def _reader(self) -> _Held:
        return self._held

    _writer = _reader


class Database(_Queries):
    """One database for the whole bot; which back-end is a detail of `open`."""

    def __init__(self, backend: Backend, target: str) -> None:
        self._backend = backend
        self.target = target

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql' (for operators' commands; stores never need it)."""
        return self._backend.dialect

    @property
    def backend(self) -> Backend:
        return self._backend

    @classmethod
    async def open(
        cls,
        target: Path | str,
        *,
        migrations_dir: Path = MIGRATIONS_DIR,
        pool_size: int = 10,
    ) -> Database:
        """Connect, apply the migrations this database lacks, refuse a newer one."""
        backend: Backend
        if is_postgres(target):
            # Only a PostgreSQL set-up pays for importing its driver.
            from bot.db.postgres import PostgresBackend  # noqa: PLC0415

            backend = await PostgresBackend.open(str(target), pool_size=pool_size)
        else:
            backend = await SqliteBackend.open(target)
        db = cls(backend, str(target))
        try:
            await db.migrate(migrations(migrations_dir))
            if isinstance(backend, SqliteBackend):
                await backend.open_reader(target)
        except BaseException:
            await backend.close()
            raise
        return db

    def _reader(self) -> Any:
        return self._backend.reading()

    def _writer(self) -> Any:
        return self._backend.writing()

    async def close(self) -> None:
        await self._backend.close()

    async def user_version(self) -> int:
        """The schema version: the number of the last migration applied."""
        return await self._backend.user_version()

    async def migrate(self, steps: list[Migration]) -> None:
        for version in await self._backend.migrate(steps):
            log.info("database migrated to version %d (%s)", version, steps[version - 1].path.name)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """All or nothing. On SQLite one transaction at a time (BEGIN IMMEDIATE); on PostgreSQL
        READ COMMITTED, so read what you will change with `SELECT … FOR UPDATE`."""
        started = time.perf_counter()
        async with self._backend.transaction() as conn:
            yield Tx(self._backend, conn)
        self._timed("transaction", started)

    # -- messages between processes (PostgreSQL LISTEN/NOTIFY; nothing to do on SQLite) ---------
    async def notify(self, topic: str, payload: str = "") -> None:
        """Tell the other processes sharing this database (not this one) about a change."""
        await self._backend.notify(topic, payload)

    async def listen(self, topic: str, listener: Listener) -> None:
        """Call `listener(payload)` when another process notifies `topic` — or
        `listener(RESYNC)` when messages may have been missed (then reload everything)."""
        await self._backend.listen(topic, listener)
