"""A token bucket shared by every process of the bot: a row of `rate_buckets` in PostgreSQL.

Discord's global limit (50 requests/s) is per bot, whatever the number of processes. On
PostgreSQL the bot's request budget (`bot.pacing`'s pacer) takes its tokens here rather than
from a bucket in memory: one statement per token, which refills the row from the database's
clock (the processes' clocks need not agree) and takes a token only if one is there (with
`keep` more left for others), else says how long until there is one. So in any window of W
seconds — on the database's clock — the processes together are granted at most
`burst + rate × W`. Within a process the pacer serves its waiters by priority; across
processes, whoever asks first once a token is back.

SQLite has one process: the bot keeps its bucket in memory there.
"""

from __future__ import annotations

import asyncio

from bot.db import Database

# PostgreSQL's clock, in epoch seconds, read when the row is locked (after any wait for it).
_NOW = "EXTRACT(EPOCH FROM clock_timestamp())"
_EPSILON = 1e-9  # float refills land a hair under a whole token

_TAKE = (
    "WITH cur AS (SELECT name, LEAST(burst, tokens + GREATEST(0, "
    f"{_NOW} - stamp) * rate) AS level, GREATEST(stamp, {_NOW}) AS at"
    " FROM rate_buckets WHERE name = ? FOR UPDATE)"
    " UPDATE rate_buckets SET tokens = CASE WHEN cur.level >= ? THEN cur.level - 1"
    " ELSE cur.level END, stamp = cur.at FROM cur WHERE rate_buckets.name = cur.name"
    " RETURNING cur.level, cur.at"
)


class SharedBucket:
    """`bot.pacing`'s TokenSource over a row of `rate_buckets` (PostgreSQL only)."""

    def __init__(self, db: Database, name: str, rate: float, burst: float = 1.0) -> None:
        if db.dialect != "postgresql":
            raise ValueError("a shared bucket lives in PostgreSQL (SQLite: one process)")
        if rate <= 0 or burst < 1:
            raise ValueError("a bucket needs a positive rate and room for one token")
        self.db, self.name, self.rate, self.burst = db, name, rate, float(burst)
        self._ready = False

    async def _create(self) -> None:
        await self.db.execute(
            "INSERT INTO rate_buckets (name, rate, burst, tokens, stamp)"
            f" VALUES (?, ?, ?, ?, {_NOW}) ON CONFLICT (name) DO UPDATE SET"
            " rate = excluded.rate, burst = excluded.burst",
            (self.name, self.rate, self.burst, self.burst),
        )
        self._ready = True

    async def take_at(self, keep: int = 0) -> tuple[float, float]:
        """Take one token if one is there with `keep` more left: (0, the database's time of
        the grant); else nothing is taken: (seconds until there may be one, that time)."""
        if not self._ready:
            await self._create()
        need = min(1 + keep, self.burst)
        row = await self.db.execute_returning(_TAKE, (self.name, need - _EPSILON))
        assert row is not None  # the row was made by _create
        level, at = float(row[0]), float(row[1])
        if level >= need - _EPSILON:
            return 0.0, at
        return (need - level) / self.rate, at

    async def take(self, now: float, keep: int = 0) -> float:
        """One token now (0), or how many seconds until there may be one (nothing taken).
        `now` is the caller's clock, unused: the database's clock is the one all share."""
        wait, _ = await self.take_at(keep)
        return wait

    async def acquire(self) -> None:
        """Wait for a token and take it."""
        # the database's clock refills the bucket: no event to wait for, only a time
        while (wait := await self.take(0.0)) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)
