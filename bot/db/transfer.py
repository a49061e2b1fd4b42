"""`python -m bot db migrate-to postgresql://…`: an SQLite database moved to PostgreSQL.

Both are opened by this code first, so both are at the same schema version. Tables are copied
parents first (foreign keys), each in one transaction on PostgreSQL (all its rows or none), and
checked by row count before that transaction commits. Run it again after an interruption: a
table whose rows are all there already is skipped, an empty one is copied; a table that holds
other rows is refused (another database?) unless `--force` replaces them. Identity sequences are
moved past the copied ids. Stop the bot before: the file must not change meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from bot.db import Database, is_postgres

log = logging.getLogger(__name__)

CHUNK = 5000  # rows read and written at a time
SKIPPED_TABLES = ("schema_version",)
_TEXT_TYPES = ("text", "character varying")
_INTEGER_TYPES = ("bigint", "integer", "smallint")


class TransferError(RuntimeError):
    """The copy cannot go on (the message says why, fr / en)."""


@dataclass(frozen=True)
class Copied:
    table: str
    source: int
    target: int
    action: str  # copied | skipped | replaced


def _order(tables: list[str], parents: dict[str, set[str]]) -> list[str]:
    """Parents before children (foreign keys), otherwise by name."""
    done: list[str] = []
    pending = sorted(tables)
    while pending:
        ready = [t for t in pending if parents.get(t, set()) <= {*done, t}]
        if not ready:  # a cycle: keep the rest as it is
            done += pending
            break
        done += ready
        pending = [t for t in pending if t not in ready]
    return done


def _coerce(value: Any, pg_type: str) -> Any:
    """SQLite stores what it is given; PostgreSQL wants the column's type."""
    if value is None:
        return None
    if pg_type in _TEXT_TYPES and not isinstance(value, str):
        return str(value)
    if pg_type in _INTEGER_TYPES and isinstance(value, str | float):
        return int(value)
    return value


async def migrate_to(
    source: Path, url: str, *, force: bool = False, say: Callable[[str], None] = print
) -> list[Copied]:
    if not is_postgres(url):
        raise TransferError(
            f"« {url} » n'est pas une adresse postgresql:// / is not a postgresql:// URL"
        )
    if not await asyncio.to_thread(os.path.isfile, source):
        raise TransferError(f"{source} : fichier introuvable / no such file")
    sqlite = await Database.open(source)
    target = await Database.open(url)  # the schema, at this code's version
    await target.close()
    conn = await asyncpg.connect(url)
    try:
        rows = await sqlite.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        tables = [r[0] for r in rows if r[0] not in SKIPPED_TABLES]
        parents = {
            t: {r["table"] for r in await sqlite.fetchall(f"PRAGMA foreign_key_list({t})")}
            for t in tables
        }
        report = []
        for table in _order(tables, parents):
            report.append(await _copy_table(sqlite, conn, table, force=force))
            item = report[-1]
            say(f"  {item.table:<28} {item.source:>9} → {item.target:>9}  {item.action}")
        return report
    finally:
        await conn.close()
        await sqlite.close()


async def _copy_table(
    sqlite: Database, conn: asyncpg.Connection, table: str, *, force: bool
) -> Copied:
    count = int(await sqlite.fetchval(f"SELECT COUNT(*) FROM {table}"))
    types = {
        r["column_name"]: r["data_type"]
        for r in await conn.fetch(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = $1",
            table,
        )
    }
    if not types:
        raise TransferError(f"{table} : table absente de PostgreSQL / table missing on PostgreSQL")
    existing = int(await conn.fetchval(f"SELECT COUNT(*) FROM {table}"))
    if existing == count and not force:
        return Copied(table, count, existing, "skipped")
    if existing and not force:
        raise TransferError(
            f"{table} : {existing} lignes déjà présentes sur PostgreSQL, {count} dans le fichier "
            "(une autre base ?) ; --force les remplace / "
            f"{existing} rows already on PostgreSQL, {count} in the file (another database?); "
            "--force replaces them"
        )
    async with conn.transaction():
        if existing:
            await conn.execute(f"DELETE FROM {table}")
        columns: list[str] | None = None
        last = None
        while True:
            chunk = await sqlite.fetchall(
                f"SELECT rowid AS rowid_, * FROM {table} WHERE ? IS NULL OR rowid > ?"
                " ORDER BY rowid LIMIT ?",
                (last, last, CHUNK),
            )
            if not chunk:
                break
            last = chunk[-1]["rowid_"]
            if columns is None:
                columns = [c for c in chunk[0].keys() if c != "rowid_"]  # noqa: SIM118 - a Row
            records = [tuple(_coerce(r[c], types[c]) for c in columns) for r in chunk]
            await conn.copy_records_to_table(table, records=records, columns=columns)
        copied = int(await conn.fetchval(f"SELECT COUNT(*) FROM {table}"))
        if copied != count:
            raise TransferError(
                f"{table} : {copied} lignes copiées sur {count} / {copied} rows of {count}"
            )
        if "id" in types:  # identity: the next new id comes after the copied ones
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
    return Copied(table, count, copied, "replaced" if existing else "copied")
