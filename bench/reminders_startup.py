"""Start-up with many pending reminders: process start → ready, and peak memory, as the pending
items grow from 1,000 to 100,000; the bare discord.py bot's start on the same machine, in the same
run, is the baseline.

Goal (issue 4): under 2 s and under 150 MB with 100,000 pending items.
Run: .venv/bin/python bench/reminders_startup.py [--quick]
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _loopback import Bench, args, machine_note, peak_rss_mb, ratio

from bot.db import Database
from bot.db.timestamps import to_ts

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000,)


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


async def measure(count: int | None) -> tuple[float, float]:
    """Start → ready and peak memory; `count` None: the bare bot."""
    bench = Bench()
    await bench.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if count is None:
                ready = await bench.start_bare()
            else:
                db_path = Path(tmp) / "bench.db"
                await bench.start_passerelle(db_path)  # first start: migrations, command sync
                await bench.stop_bot()
                await seed(db_path, bench.guild.id, bench.channel.id, count)
                ready = await bench.start_passerelle(db_path)  # a restart with `count` pending
            assert bench.proc is not None
            return ready, peak_rss_mb(bench.proc.pid)
    finally:
        await bench.stop()


async def main() -> None:
    options = args(__doc__)
    print(machine_note())
    await measure(None)  # warm-up: bytecode of both bots cached
    await measure(100)
    bare, bare_mb = await measure(None)
    print(f"{'pending items':>14} | {'start → ready':>13} | {'peak RSS':>9}")
    print(f"{'bare bot':>14} | {bare:>11.2f} s | {bare_mb:>6.1f} MB")
    figures = []
    for count in QUICK_SIZES if options.quick else SIZES:
        ready, memory = await measure(count)
        figures.append((count, ready, memory))
        print(f"{count:>14,} | {ready:>11.2f} s | {memory:>6.1f} MB")
    count, ready, memory = figures[-1]
    print(ratio(f"start → ready, {count:,} pending", bare, ready, "s", "< 2 s"))
    print(ratio(f"peak memory, {count:,} pending", bare_mb, memory, "MB", "< 150 MB"))


if __name__ == "__main__":
    asyncio.run(main())
