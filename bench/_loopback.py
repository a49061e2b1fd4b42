"""Shared by the benchmarks: the loopback Discord from tests/, and a real bot process on it."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from discord_server import DiscordServer  # noqa: E402
from discord_server.process import peak_rss_mb, spawn_bot  # noqa: E402

__all__ = ["ROOT", "DiscordServer", "peak_rss_mb", "spawn_bot"]
