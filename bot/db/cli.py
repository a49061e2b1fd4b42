"""`python -m bot db …`: the operator's database commands.

python -m bot db status                       the back-end, its schema version, row counts
python -m bot db backup FILE                  an online copy (SQLite) or a pg_dump (PostgreSQL)
python -m bot db migrate-to postgresql://…    copy the SQLite file to PostgreSQL
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.db import Database, migrations
from bot.db.backup import BackupError, backup_postgres, backup_sqlite
from bot.settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="passerelle db", description="La base de données.")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("status", help="back-end, version, lignes / back-end, version, rows")
    backup = sub.add_parser("backup", help="une copie cohérente / a consistent copy")
    backup.add_argument("file", type=Path)
    move = sub.add_parser("migrate-to", help="SQLite → PostgreSQL")
    move.add_argument("url", help="postgresql://utilisateur:motdepasse@hôte:5432/base")
    move.add_argument("--force", action="store_true", help="replace rows already there")
    return parser


async def _status(settings: Settings) -> int:
    db = await Database.open(settings.database)
    try:
        if db.dialect == "postgresql":
            rows = await db.fetchall(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema() ORDER BY table_name"
            )
        else:
            rows = await db.fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        print(f"{db.dialect} {settings.database_label}")
        print(f"version {await db.user_version()} / {len(migrations())}")
        for (table,) in ((r[0],) for r in rows):
            print(f"  {table:<28} {await db.fetchval(f'SELECT COUNT(*) FROM {table}'):>9}")
    finally:
        await db.close()
    return 0


async def _backup(settings: Settings, dest: Path) -> int:
    if settings.database_url:
        await backup_postgres(settings.database_url, dest)
        print(f"OK : {dest} (pg_dump ; pg_restore pour restaurer / to restore)")
        return 0
    version = await asyncio.to_thread(backup_sqlite, settings.database_path, dest)
    print(
        f"OK : {settings.database_path} → {dest} "
        f"(version {version}, intégrité vérifiée / integrity checked)"
    )
    return 0


async def _migrate_to(settings: Settings, url: str, force: bool) -> int:
    # asyncpg is loaded for this command only (the SQLite default never imports it).
    from bot.db.transfer import migrate_to  # noqa: PLC0415

    if settings.database_url:
        print(
            "DATABASE_URL est déjà définie : la source est le fichier DATABASE_PATH / "
            "DATABASE_URL is set already: the source is the DATABASE_PATH file",
            file=sys.stderr,
        )
        return 2
    print(f"{settings.database_path} → PostgreSQL")
    report = await migrate_to(settings.database_path, url, force=force)
    rows = sum(c.target for c in report)
    print(
        f"OK : {len(report)} tables, {rows} lignes, comptes vérifiés / counts checked. "
        "Mettez DATABASE_URL dans .env / put DATABASE_URL in .env."
    )
    return 0


def command(argv: list[str], settings: Settings) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.action == "status":
            return asyncio.run(_status(settings))
        if args.action == "backup":
            return asyncio.run(_backup(settings, args.file))
        return asyncio.run(_migrate_to(settings, args.url, args.force))
    except BackupError as error:
        print(error, file=sys.stderr)
        return 1
    except RuntimeError as error:  # TransferError and the like: the message says it all
        print(error, file=sys.stderr)
        return 1
