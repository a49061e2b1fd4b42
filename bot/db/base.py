"""What both back-ends share: the migrations list, results, errors, and what a back-end provides.

A back-end (`bot.db.sqlite`, `bot.db.postgres`) hands out *connections* for one read, one write
statement or one transaction, with SQL already in its dialect (`bot.db.dialect`); `bot.db`'s
`Database` and `Tx` are the one API the stores see.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

# `?` placeholders, values in order (never `:name`: PostgreSQL's driver has positions only).
Params = Sequence[Any]
# A row: `row["column"]`, `row[0]`, `dict(row)` (aiosqlite.Row or asyncpg.Record).
Row = Any
# Told how long each call took: (operation, seconds), operation in read | write | transaction.
QueryObserver = Callable[[str, float], None]
# A message another process published (`Database.notify`): called with its payload, or with
# RESYNC when messages may have been missed (the listening connection was lost): reload all.
Listener = Callable[[str], object]
RESYNC = "*"


class DatabaseTooNewError(RuntimeError):
    """The database was migrated by a newer Passerelle than this one."""


def too_new(current: int, latest: int) -> DatabaseTooNewError:
    return DatabaseTooNewError(
        f"La base de données est en version {current}, plus récente que ce code "
        f"(version {latest}) : mettez Passerelle à jour. / The database is at version "
        f"{current}, newer than this code ({latest}): upgrade Passerelle."
    )


@dataclass(frozen=True)
class Migration:
    version: int
    path: Path

    def script(self) -> str:
        return self.path.read_text(encoding="utf-8")


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


@dataclass(frozen=True)
class Result:
    """What a write statement did: how many rows it changed (inserted, updated, deleted)."""

    rowcount: int


class Connection(Protocol):
    """One back-end connection, SQL already in its dialect."""

    async def fetchone(self, sql: str, params: Params) -> Row | None: ...

    async def fetchall(self, sql: str, params: Params) -> list[Row]: ...

    async def execute(self, sql: str, params: Params) -> Result: ...

    async def executemany(self, sql: str, rows: Iterable[Params]) -> int: ...


class Backend(Protocol):
    dialect: str  # "sqlite" | "postgresql"

    def translate(self, sql: str) -> str:
        """The store's portable SQL in this back-end's dialect (cached)."""
        ...

    def reading(self) -> AbstractAsyncContextManager[Connection]:
        """A connection for one read outside any transaction (never behind the write lock)."""
        ...

    def writing(self) -> AbstractAsyncContextManager[Connection]:
        """A connection for one write statement, committed on its own."""
        ...

    def transaction(self) -> AbstractAsyncContextManager[Connection]:
        """A connection inside BEGIN … COMMIT (ROLLBACK when the block raises)."""
        ...

    async def user_version(self) -> int: ...

    async def migrate(self, steps: list[Migration]) -> list[int]:
        """Apply the steps this database lacks; the versions applied."""
        ...

    async def notify(self, topic: str, payload: str) -> None: ...

    async def listen(self, topic: str, listener: Listener) -> None: ...

    async def close(self) -> None: ...
