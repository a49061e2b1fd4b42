"""The real bot process (`python -m bot run`) pointed at this loopback server."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from .server import DiscordServer

ROOT = Path(__file__).resolve().parents[2]


async def spawn_bot(
    server: DiscordServer, db_path: Path, *, log_level: str = "WARNING"
) -> asyncio.subprocess.Process:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")},
        "DISCORD_TOKEN": server.world.token,
        "DATABASE_PATH": str(db_path),
        "DISCORD_API_BASE": server.api_base,
        "DISCORD_GATEWAY_URL": server.gateway_url,
        "LOG_LEVEL": log_level,
        "PYTHONPATH": str(ROOT),
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=db_path.parent,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
