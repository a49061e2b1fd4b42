"""Process-level drill: the real `python -m bot run` against the loopback Discord, killed with
SIGKILL while due items are being sent, then restarted — every item is delivered exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from discord_server import DiscordServer
from discord_server.process import spawn_bot

from bot.db import Database
from bot.reminders import Schedule
from bot.reminders.store import ReminderStore
from cogs.annonces.service import KIND, USEFUL_FOR, ref_for
from cogs.annonces.store import AnnouncementStore

ROOT = Path(__file__).resolve().parents[2]
ITEMS = 240
CHANNELS = 24
BOUND_SECONDS = 90


def _world(server: DiscordServer) -> list[int]:
    s = server.world
    owner = s.add_user("dominique")
    guild = s.add_guild("Drill", owner)
    return [s.add_channel(guild, f"salon-{i}").id for i in range(CHANNELS)]


async def _seed(database: Path | str, guild_id: int, channels: list[int]) -> None:
    """Items already due when the process starts, as after downtime."""
    db = await Database.open(database)
    try:
        now = datetime.now(UTC)
        due = now - timedelta(seconds=1)
        announcements, reminders = AnnouncementStore(db), ReminderStore(db)
        for i in range(ITEMS):
            number = await announcements.add(
                guild_id, channels[i % CHANNELS], 1, f"drill {i}", due, "Europe/Paris", now
            )
            await reminders.upsert(
                KIND,
                ref_for(number),
                guild_id,
                Schedule(occurrence=due.isoformat(), due_at=due, expires_at=due + USEFUL_FOR),
            )
    finally:
        await db.close()


def _delivered(server: DiscordServer, channels: list[int]) -> list[str]:
    return [m.content for c in channels for m in server.world.channels[c].all_messages]


async def _wait_for(predicate, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("drill bound exceeded")
        await asyncio.sleep(0.02)


async def test_sigkill_while_sending_then_restart_delivers_each_item_once(
    database: Path | str, time_scale: float
) -> None:
    server = DiscordServer(time_scale=time_scale)
    await server.start()
    channels = _world(server)
    guild_id = next(iter(server.world.guilds))
    await _seed(database, guild_id, channels)
    started = time.monotonic()
    first = second = None
    try:
        first = await spawn_bot(server, database)
        # Kill the process in the middle of the fan-out.
        await _wait_for(lambda: len(_delivered(server, channels)) >= ITEMS // 3, 30)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        killed_at = len(_delivered(server, channels))
        assert killed_at < ITEMS, "the drill must kill the bot before it is done"

        second = await spawn_bot(server, database)
        await _wait_for(lambda: len(_delivered(server, channels)) >= ITEMS, BOUND_SECONDS)
        # Let any straggler (a duplicate, if there were one) arrive before counting.
        await asyncio.sleep(1.0)
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), 15) == 0
        assert second.stderr is not None
        stderr = (await second.stderr.read()).decode()
        # A clean shutdown on SIGTERM: no traceback, no "Task was destroyed but it is pending".
        assert "Traceback" not in stderr and "destroyed" not in stderr, stderr
    finally:
        for proc in (first, second):
            if proc is not None and proc.returncode is None:
                proc.kill()
                with contextlib.suppress(Exception):
                    await proc.wait()
        await server.stop()

    counts = Counter(_delivered(server, channels))
    assert set(counts) == {f"drill {i}" for i in range(ITEMS)}  # nothing lost
    assert max(counts.values()) == 1, counts.most_common(3)  # nothing twice
    db = await Database.open(database)
    try:
        left = await db.fetchval("SELECT COUNT(*) FROM reminder_items WHERE kind = ?", (KIND,))
        assert left == 0
        rows = await db.fetchall(
            "SELECT status, COUNT(*) n FROM reminder_ledger WHERE kind = ? GROUP BY 1", (KIND,)
        )
        statuses = {r["status"]: r["n"] for r in rows}
        assert sum(statuses.values()) == ITEMS and set(statuses) <= {"sent", "late"}, statuses
    finally:
        await db.close()
    print(
        f"\ndrill: {ITEMS} items, killed after {killed_at}, all delivered once in "
        f"{time.monotonic() - started:.1f} s"
    )
