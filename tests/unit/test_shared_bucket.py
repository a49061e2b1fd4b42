"""The request budget shared by every process (bot.db.buckets): slots in order across
processes, never more than `burst + rate × W` in a window of W seconds. PostgreSQL only."""

from __future__ import annotations

import asyncio
import itertools
import time
from pathlib import Path

import pytest

from bot.db import Database, is_postgres
from bot.db.buckets import SharedBucket


async def test_slots_are_promised_in_order_at_the_rate(database: Path | str) -> None:
    if not is_postgres(database):
        db = await Database.open(database)
        try:
            with pytest.raises(ValueError, match="PostgreSQL"):
                SharedBucket(db, "x", 10)
        finally:
            await db.close()
        pytest.skip("one process per SQLite file: its bucket is in memory")
    dbs = [await Database.open(database) for _ in range(3)]
    try:
        buckets = [SharedBucket(db, "discord_global", rate=20, burst=2) for db in dbs]
        # 3 processes ask for 30 slots at once: the first `burst` at once, then one every
        # 1/rate s, whoever asks — what each is told to wait is its place in that queue.
        started = time.monotonic()
        waits = sorted(await asyncio.gather(*(buckets[i % 3].reserve() for i in range(30))))
        elapsed = time.monotonic() - started
        assert waits[:2] == [0.0, 0.0]
        # slots are 1/rate apart, less what the database's clock moved between reservations
        assert all(0 <= b - a <= 1 / 20 + 1e-6 for a, b in itertools.pairwise(waits[2:]))
        # the last of 28 promised slots: 28/20 s after the first, less the time that passed
        assert (30 - 2) / 20 - elapsed - 1e-3 <= waits[-1] <= (30 - 2) / 20 + 1e-3
    finally:
        for db in dbs:
            await db.close()
