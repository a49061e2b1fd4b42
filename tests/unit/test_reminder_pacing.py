"""Pacing: the global request budget and the spacing of DMs hold over real time."""

from __future__ import annotations

import asyncio
import itertools
import time

from bot.reminders.pacing import Spacer, TokenBucket


async def test_token_bucket_keeps_the_rate_after_its_burst() -> None:
    bucket = TokenBucket(rate=200, burst=2)
    start = time.monotonic()
    await asyncio.gather(*(bucket.acquire() for _ in range(42)))
    elapsed = time.monotonic() - start
    # 2 at once, then 40 at 200/s: at least 0.2 s, and not much more.
    assert 0.19 <= elapsed < 0.6, elapsed


async def test_token_bucket_never_exceeds_its_rate_in_any_window() -> None:
    bucket = TokenBucket(rate=100, burst=2)
    stamps: list[float] = []

    async def take() -> None:
        await bucket.acquire()
        stamps.append(time.monotonic())

    await asyncio.gather(*(take() for _ in range(60)))
    stamps.sort()
    window = 0.25
    worst = max(sum(1 for t in stamps if s <= t < s + window) for s in stamps)
    assert worst <= 100 * window + 2 + 1  # the rate, the burst, one for timer jitter


async def test_spacer_spaces_dms() -> None:
    spacer = Spacer(0.05)
    stamps = []
    for _ in range(4):
        await spacer.wait()
        stamps.append(time.monotonic())
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert min(gaps) >= 0.045, gaps


async def test_zero_means_no_pacing() -> None:
    start = time.monotonic()
    await asyncio.gather(*(TokenBucket(0).acquire() for _ in range(100)))
    for _ in range(100):
        await Spacer(0).wait()
    assert time.monotonic() - start < 0.5  # no sleep at all, even under load
