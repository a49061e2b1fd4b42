"""Start-up with many pending reminders: process start → ready, and peak memory.

Goal (issue 4): under 2 s and under 150 MB with 100,000 pending items; how both grow from
1,000 to 10,000 to 100,000. Run: .venv/bin/python bench/reminders_startup.py
"""

from __future__ import annotations

import asyncio
import json
import signal
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _loopback import DiscordServer, peak_rss_mb, spawn_bot

from bot.db import Database
from bot.reminders.model import to_ts

SIZES = (1_000, 10_000, 100_000)


async def seed(db_path: Path, guild_id: int, channel_id: int, count: int) -> None:
    db = await Database.open(db_path)
    try:
        start = datetime.now(UTC) + timedelta(days=1)
        rows = [
            (
                "annonce",
                f"annonce:{i}",
                guild_id,
                (start + timedelta(minutes=i)).isoformat(),
                to_ts(start + timedelta(minutes=i)),
                to_ts(start + timedelta(minutes=i, hours=6)),
                json.dumps({"channel_id": channel_id}),
            )
            for i in range(count)
        ]
        async with db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO reminder_items (kind, ref, guild_id, occurrence, due_at, expires_at,"
                " payload) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
    finally:
        await db.close()


async def measure(count: int) -> tuple[float, float]:
    server = DiscordServer()
    await server.start()
    s = server.world
    owner = s.add_user("dominique")
    guild = s.add_guild("Bench", owner)
    channel = s.add_channel(guild, "annonces")
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        await seed(db_path, guild.id, channel.id, count)
        t0 = time.perf_counter()
        proc = await spawn_bot(server, db_path, log_level="INFO")
        assert proc.stderr is not None
        try:
            while True:
                line = await asyncio.wait_for(proc.stderr.readline(), 30)
                if not line:
                    raise RuntimeError("the bot stopped before it was ready")
                if b"Passerelle ready" in line:
                    break
            ready = time.perf_counter() - t0
            memory = peak_rss_mb(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            await proc.wait()
            await server.stop()
    return ready, memory


async def main() -> None:
    print(f"{'pending items':>14} | {'start → ready':>13} | {'peak RSS':>9}")
    for count in SIZES:
        ready, memory = await measure(count)
        print(f"{count:>14,} | {ready:>11.2f} s | {memory:>6.1f} MB")


if __name__ == "__main__":
    asyncio.run(main())
