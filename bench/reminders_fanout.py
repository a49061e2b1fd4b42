"""Fan-out: 1,000 reminders due at the same instant, the loopback Discord enforcing Discord's
global limit of 50 requests per second. Time to deliver all versus the 20 s floor that limit sets
(goal: within 10 %), with 0 lost and 0 duplicated. The real bot process is used.

Run: .venv/bin/python bench/reminders_fanout.py [items]
"""

from __future__ import annotations

import asyncio
import signal
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _loopback import DiscordServer, spawn_bot

from bot.db import Database
from bot.reminders import Schedule
from bot.reminders.store import ReminderStore
from cogs.annonces.service import KIND, USEFUL_FOR, ref_for
from cogs.annonces.store import AnnouncementStore

GLOBAL_PER_SECOND = 50
CHANNELS = 100


async def seed(db_path: Path, guild_id: int, channels: list[int], count: int) -> None:
    db = await Database.open(db_path)
    try:
        now = datetime.now(UTC)
        due = now + timedelta(seconds=3)  # the same instant for all, just after start-up
        announcements, reminders = AnnouncementStore(db), ReminderStore(db)
        for i in range(count):
            number = await announcements.add(
                guild_id, channels[i % len(channels)], 1, f"apéro {i}", due, "Europe/Paris", now
            )
            await reminders.upsert(
                KIND,
                ref_for(number),
                guild_id,
                Schedule(occurrence=due.isoformat(), due_at=due, expires_at=due + USEFUL_FOR),
            )
    finally:
        await db.close()


async def main(count: int) -> None:
    server = DiscordServer()
    server.ratelimits.configure(global_per_second=GLOBAL_PER_SECOND)
    await server.start()
    s = server.world
    guild = s.add_guild("Bench", s.add_user("dominique"))
    channels = [s.add_channel(guild, f"salon-{i}").id for i in range(CHANNELS)]

    def delivered() -> list[tuple[float, str]]:
        return [
            (datetime.fromisoformat(m.timestamp).timestamp(), m.content)
            for c in channels
            for m in s.channels[c].all_messages
        ]

    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        await seed(db_path, guild.id, channels, count)
        proc = await spawn_bot(server, db_path)
        try:
            deadline = time.monotonic() + 120
            while len(delivered()) < count and time.monotonic() < deadline:  # noqa: ASYNC110 - polling another process's effects
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)  # let a duplicate, if any, arrive
        finally:
            proc.send_signal(signal.SIGTERM)
            await proc.wait()
            await server.stop()

    got = delivered()
    counts = Counter(text for _, text in got)
    lost = count - len(counts)
    duplicated = sum(n - 1 for n in counts.values())
    stamps = sorted(t for t, _ in got)
    span = stamps[-1] - stamps[0] if stamps else float("nan")
    floor = count / GLOBAL_PER_SECOND
    too_many = sum(1 for r in server.requests if r.status == 429)
    print(f"items: {count}, delivered: {len(got)}, lost: {lost}, duplicated: {duplicated}")
    print(f"first → last message: {span:.2f} s; floor at {GLOBAL_PER_SECOND}/s: {floor:.1f} s")
    print(f"over the floor: {100 * (span / floor - 1):+.1f} %; 429 answers: {too_many}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
