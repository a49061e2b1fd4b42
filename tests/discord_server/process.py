"""The real bot process (`python -m bot run`) pointed at this loopback server."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

from .server import DiscordServer

ROOT = Path(__file__).resolve().parents[2]


def database_env(database: Path | str) -> dict[str, str]:
    """Environment variables that point `python -m bot …` at this database (a file or a
    PostgreSQL URL, as the `database` fixture gives)."""
    if isinstance(database, str) and database.startswith("postgres"):
        return {"DATABASE_URL": database, "DATABASE_PATH": ""}
    return {"DATABASE_PATH": str(database), "DATABASE_URL": ""}


async def spawn_bot(
    server: DiscordServer,
    database: Path | str,
    *,
    log_level: str = "WARNING",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> asyncio.subprocess.Process:
    """`python -m bot run` on `database`, pointed at `server` (`env` adds settings)."""
    variables = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")},
        "DISCORD_TOKEN": server.world.token,
        **database_env(database),
        "DISCORD_API_BASE": server.api_base,
        "DISCORD_GATEWAY_URL": server.gateway_url,
        "LOG_LEVEL": log_level,
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        # never where a developer's .env would be read
        cwd=cwd or (database.parent if isinstance(database, Path) else Path(tempfile.gettempdir())),
        env=variables,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
