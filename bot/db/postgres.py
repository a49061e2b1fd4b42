"""The shared back-end: PostgreSQL through asyncpg, for several bot processes on one database.

A pool of connections per process; each read, write statement or transaction takes one for its
duration. Transactions run at PostgreSQL's default isolation (READ COMMITTED); a store whose
transaction changes rows on the strength of what it read locks them with `SELECT … FOR UPDATE`
(SQLite's BEGIN IMMEDIATE gives the same guarantee there by locking everything).

The schema version is the one row of `schema_version` (SQLite keeps it in `user_version`);
migrations are applied under an advisory lock, so processes starting together migrate once.
Messages between processes (`notify`/`listen`) are PostgreSQL's LISTEN/NOTIFY on one dedicated
connection.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import secrets
from collections.abc import AsyncIterator, Iterable
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg

from bot.db.base import RESYNC, Listener, Migration, Params, Result, Row, too_new
from bot.db.dialect import check_migration, migration_for_postgres, to_postgres

log = logging.getLogger(__name__)

SCHEMES = ("postgresql://", "postgres://")
# pg_advisory_lock key of the migrations ("Passerelle" folded into 63 bits).
MIGRATION_LOCK = 0x5061737365726C
_COUNT = re.compile(r"(\d+)$")
_TOPIC = re.compile(r"^[a-z0-9_]{1,40}$")
RELISTEN_MAX_DELAY = 10.0  # seconds between two tries to get the LISTEN connection back


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(SCHEMES)


def _rowcount(status: str) -> int:
    """asyncpg's command tag (`UPDATE 3`, `INSERT 0 1`, `DELETE 0`): the row count."""
    found = _COUNT.search(status or "")
    return int(found.group(1)) if found else -1


def namespace_of(url: str) -> str:
    """The schema the URL's `search_path` names (tests give each its own), else 'public'."""
    values = parse_qs(urlsplit(url).query).get("search_path")
    return values[0].split(",")[0].strip() if values else "public"


class PostgresConnection:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def fetchone(self, sql: str, params: Params) -> Row | None:
        return await self._conn.fetchrow(sql, *params)

    async def fetchall(self, sql: str, params: Params) -> list[Row]:
        return list(await self._conn.fetch(sql, *params))

    async def execute(self, sql: str, params: Params) -> Result:
        return Result(_rowcount(await self._conn.execute(sql, *params)))

    async def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        # asyncpg's executemany gives no row count: one prepared statement run per row, in a
        # transaction of its own unless the caller's is open (all or nothing either way).
        statement = await self._conn.prepare(sql)
        changed = 0
        async with AsyncExitStack() as stack:
            if not self._conn.is_in_transaction():
                await stack.enter_async_context(self._conn.transaction())
            for row in rows:
                await statement.fetch(*row)
                changed += _rowcount(statement.get_statusmsg())
        return changed


class PostgresBackend:
    dialect = "postgresql"

    def __init__(self, url: str, pool: asyncpg.Pool) -> None:
        self._url = url
        self._pool = pool
        self._channel_prefix = f"passerelle_{namespace_of(url)}_"
        self._listener: asyncpg.Connection | None = None
        self._listeners: dict[str, list[Listener]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closing = False
        self._reconnecting: asyncio.Task[None] | None = None
        # Our own messages come back to us too: they carry this process's mark and are skipped.
        self._origin = f"{os.getpid()}-{secrets.token_hex(4)}"

    @classmethod
    async def open(cls, url: str, *, pool_size: int = 10) -> PostgresBackend:
        pool = await asyncpg.create_pool(
            url,
            min_size=1,
            max_size=pool_size,
            server_settings={"application_name": "passerelle"},
        )
        assert pool is not None
        return cls(url, pool)

    def translate(self, sql: str) -> str:
        return to_postgres(sql)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[PostgresConnection]:
        async with self._pool.acquire() as conn:
            yield PostgresConnection(conn)

    writing = reading  # each statement commits on its own (autocommit)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PostgresConnection]:
        async with self._pool.acquire() as conn, conn.transaction():
            yield PostgresConnection(conn)

    async def user_version(self) -> int:
        async with self._pool.acquire() as conn:
            return await _version(conn)

    async def migrate(self, steps: list[Migration]) -> list[int]:
        applied = []
        async with self._pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
            try:
                await conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)"
                )
                if await conn.fetchval("SELECT COUNT(*) FROM schema_version") == 0:
                    await conn.execute("INSERT INTO schema_version (version) VALUES (0)")
                current = await _version(conn)
                latest = steps[-1].version if steps else 0
                if current > latest:
                    raise too_new(current, latest)
                for step in steps:
                    if step.version <= current:
                        continue
                    script = step.script()
                    check_migration(script, step.path.name)
                    async with conn.transaction():
                        await conn.execute(migration_for_postgres(script))
                        await conn.execute("UPDATE schema_version SET version = $1", step.version)
                    applied.append(step.version)
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
        return applied

    # -- messages between processes -------------------------------------------------------------
    def _channel(self, topic: str) -> str:
        if not _TOPIC.match(topic):
            raise ValueError(f"topic must be [a-z0-9_]{{1,40}}: {topic!r}")
        return self._channel_prefix + topic

    async def notify(self, topic: str, payload: str) -> None:
        async with self._pool.acquire() as conn:
            await conn.execute(
                "SELECT pg_notify($1, $2)", self._channel(topic), f"{self._origin}|{payload}"
            )

    async def listen(self, topic: str, listener: Listener) -> None:
        channel = self._channel(topic)
        if self._listener is None:
            await self._connect_listener()
        if channel not in self._listeners:
            self._listeners[channel] = []
            assert self._listener is not None
            await self._listener.add_listener(channel, self._received)
        self._listeners[channel].append(listener)

    async def _connect_listener(self) -> None:
        conn = await asyncpg.connect(
            self._url, server_settings={"application_name": "passerelle-listen"}
        )
        conn.add_termination_listener(self._lost)
        for channel in self._listeners:
            await conn.add_listener(channel, self._received)
        self._listener = conn

    def _lost(self, _conn: Any) -> None:
        """The listening connection died (a server restart…): messages sent meanwhile are lost,
        so once it is back every listener hears RESYNC (reload everything)."""
        if self._closing:
            return
        self._listener = None
        log.warning("lost the LISTEN connection: reconnecting")
        self._reconnecting = asyncio.get_running_loop().create_task(
            self._relisten(), name="db-relisten"
        )

    async def _relisten(self) -> None:
        delay = 0.5
        while not self._closing:
            try:
                await self._connect_listener()
            except (OSError, asyncpg.PostgresError) as error:
                log.warning("LISTEN connection not back yet (%s): retrying", error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RELISTEN_MAX_DELAY)
                continue
            for channel in self._listeners:
                self._deliver(channel, RESYNC)
            return

    def _received(self, _conn: Any, _pid: int, channel: str, payload: str) -> None:
        origin, _, data = payload.partition("|")
        if origin != self._origin:
            self._deliver(channel, data)

    def _deliver(self, channel: str, data: str) -> None:
        for listener in self._listeners.get(channel, ()):
            try:
                result = listener(data)
                if asyncio.iscoroutine(result):
                    task = asyncio.get_running_loop().create_task(
                        result, name=f"db-notify:{channel}"
                    )
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
            except Exception:
                log.exception("a listener of %s failed", channel)

    async def close(self) -> None:
        self._closing = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
            with suppress(asyncio.CancelledError):
                await self._reconnecting
        if self._listener is not None:
            with suppress(Exception):
                await asyncio.wait_for(self._listener.close(), 5)
            self._listener = None
        try:
            await asyncio.wait_for(self._pool.close(), 10)
        except TimeoutError:
            log.warning("database connections still busy after 10 s: closing them")
            self._pool.terminate()


async def _version(conn: asyncpg.Connection) -> int:
    if await conn.fetchval("SELECT to_regclass('schema_version') IS NULL"):
        return 0
    value = await conn.fetchval("SELECT MAX(version) FROM schema_version")
    return int(value or 0)
