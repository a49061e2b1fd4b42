"""The request budget shared by every process (bot.db.buckets): a token only when there is one,
never more than `burst + rate × W` granted in a window of W seconds of the database's clock,
whichever process asks. PostgreSQL only."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.db import Database, is_postgres
from bot.db.buckets import SharedBucket

RATE = 20.0
BURST = 2


async def _postgres_only(database: Path | str) -> None:
    if not is_postgres(database):
        db = await Database.open(database)
        try:
            with pytest.raises(ValueError, match="PostgreSQL"):
                SharedBucket(db, "x", 10)
        finally:
            await db.close()
        pytest.skip("one process per SQLite file: its bucket is in memory")


async def test_three_processes_never_get_more_than_the_bucket_allows(
    database: Path | str,
) -> None:
    await _postgres_only(database)
    dbs = [await Database.open(database) for _ in range(3)]
    try:
        buckets = [SharedBucket(db, "discord_global", rate=RATE, burst=BURST) for db in dbs]
        granted: list[float] = []

        async def one(bucket: SharedBucket) -> None:
            while True:
                wait, at = await bucket.take_at()
                if wait == 0:
                    granted.append(at)
                    return
                assert 0 < wait <= 1 / RATE + 1e-6  # never told to wait past the next token
                await asyncio.sleep(wait)

        # 30 requests at once from three processes: every one granted, in the end
        await asyncio.gather(*(one(buckets[i % 3]) for i in range(30)))
        assert len(granted) == 30
        times = sorted(granted)
        # the bucket's bound between any two grants (on the database's clock, which refills it)
        for i, start in enumerate(times):
            for j in range(i, len(times)):
                assert j - i + 1 <= BURST + RATE * (times[j] - start) + 1e-6
    finally:
        for db in dbs:
            await db.close()


async def test_a_request_that_keeps_one_for_others_waits_for_two(database: Path | str) -> None:
    await _postgres_only(database)
    db = await Database.open(database)
    try:
        slow = 0.01  # a token a hundred seconds: the test's own time adds next to nothing
        bucket = SharedBucket(db, "background", rate=slow, burst=BURST)
        assert (await bucket.take_at(keep=1))[0] == 0  # two there: one taken, one left
        wait, _ = await bucket.take_at(keep=1)  # one left, kept for others: nothing taken
        assert 0 < wait <= 1 / slow
        assert await bucket.take(0.0) == 0  # the one left goes to a request that keeps none
        assert await bucket.take(0.0) > 0
    finally:
        await db.close()
