"""Per-client rate limits, in memory and bounded: token buckets keyed by the client's address.

Each process keeps its own (several bot processes each limit what reaches them). The table
holds at most `max_clients` addresses; the least recently seen goes first, so a flood of
addresses costs bounded memory and only forgets the oldest buckets.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

MAX_CLIENTS = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(
        self,
        rate: float,
        burst: float,
        *,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate  # tokens per second
        self.burst = burst
        self.max_clients = max_clients
        self.clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def _bucket(self, key: str) -> _Bucket:
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = _Bucket(self.burst, now)
            self._buckets[key] = bucket
            if len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
        return bucket

    def take(self, key: str) -> float | None:
        """Spend one token: None when allowed, else the seconds to wait (Retry-After)."""
        bucket = self._bucket(key)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return (1 - bucket.tokens) / self.rate

    def exhausted(self, key: str) -> float | None:
        """Without spending: the seconds to wait when no token is left, else None."""
        if key not in self._buckets:
            return None
        bucket = self._bucket(key)
        return None if bucket.tokens >= 1 else (1 - bucket.tokens) / self.rate


@dataclass(frozen=True)
class Limits:
    """Requests per client, and wrong links per client (guessing is what they stop)."""

    rate: float = 2.0  # requests per second, sustained
    burst: float = 60.0
    failure_rate: float = 1 / 60  # one wrong link a minute, sustained
    failure_burst: float = 10.0
    max_clients: int = MAX_CLIENTS

    def requests(self) -> RateLimiter:
        return RateLimiter(self.rate, self.burst, max_clients=self.max_clients)

    def failures(self) -> RateLimiter:
        return RateLimiter(self.failure_rate, self.failure_burst, max_clients=self.max_clients)
