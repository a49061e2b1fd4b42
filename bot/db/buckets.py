"""A token bucket shared by every process of the bot: a row of `rate_buckets` in PostgreSQL.

Discord's global limit (50 requests/s) is per bot, whatever the number of processes. Each
request takes its slot in one statement: the row is refilled from the database's clock, one
token is taken — possibly one that is not there yet (the balance goes negative), and the caller
then waits until its slot comes, `-balance / rate` seconds. So requests are served in the order
they asked, across processes, with one round trip each and no retry storm; in any window of W
seconds the bucket grants at most `burst + rate × W`.

SQLite has one process: the bot keeps its bucket in memory there.
"""

from __future__ import annotations

import asyncio

from bot.db import Database

# PostgreSQL's clock, in epoch seconds, read when the row is updated (after any wait for it).
_NOW = "EXTRACT(EPOCH FROM clock_timestamp())"


class SharedBucket:
    def __init__(self, db: Database, name: str, rate: float, burst: float = 1.0) -> None:
        if db.dialect != "postgresql":
            raise ValueError("a shared bucket lives in PostgreSQL (SQLite: one process)")
        self.db, self.name, self.rate, self.burst = db, name, rate, burst
        self._ready = False

    async def _create(self) -> None:
        await self.db.execute(
            "INSERT INTO rate_buckets (name, rate, burst, tokens, stamp)"
            f" VALUES (?, ?, ?, ?, {_NOW}) ON CONFLICT (name) DO UPDATE SET"
            " rate = excluded.rate, burst = excluded.burst",
            (self.name, self.rate, self.burst, self.burst),
        )
        self._ready = True

    async def reserve(self) -> float:
        """Take the next slot; how many seconds until it comes (0: now)."""
        if not self._ready:
            await self._create()
        balance = await self.db.fetchval(
            "UPDATE rate_buckets SET"
            f" tokens = LEAST(burst, tokens + ({_NOW} - stamp) * rate) - 1, stamp = {_NOW}"
            " WHERE name = ? RETURNING tokens",
            (self.name,),
        )
        return 0.0 if balance >= 0 else -float(balance) / self.rate

    async def take(self, now: float) -> float:
        """`bot.pacing`'s TokenSource: a token now (0), after waiting for its slot if need be."""
        wait = await self.reserve()
        if wait > 0:
            await asyncio.sleep(wait)
        return 0.0

    async def acquire(self) -> None:
        await self.take(0.0)
