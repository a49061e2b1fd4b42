"""One request budget for the whole bot: Discord's global limit, handed out by priority.

Discord allows a bot 50 requests per second in total (interaction answers excepted). Every
request discord.py sends passes through `budget_trace`, an aiohttp trace hook the bot installs
(`http_trace=` of discord.py's client): the hook runs when the request is actually sent — after
discord.py's own per-route waits — and takes one token from the bot's `Pacer` first. Nothing
can bypass it, not even a library call a feature makes directly. Interaction answers (the
callback and the followups on the interaction's token) are not counted by Discord: the hook
lets them through at once, so a member's click is answered first, whatever else is going on.
The hook also keeps each route's limit on each channel itself, one request at a time
(`RouteLimits`): discord.py's own accounting goes wrong when several requests to one bucket
are in flight.

What waits for a token is served by priority: what a member is waiting for (the message they
clicked, their thread), then scheduled fan-out (the reminder engine), then background work
(DMs, housekeeping). The priority is a context variable: `with priority(Priority.SCHEDULED):`
around a piece of work, inherited by the tasks it starts.

The tokens come from a `TokenSource`: in memory for one process (`LocalBucket`); a shared one
(a row in PostgreSQL, a REST proxy) can replace it when several processes share one bot's
budget — the pacer only asks it « one token now, or how long until there is one? ».

Time comes from a `Timer`, injectable: unit tests drive a `VirtualTimer` and assert on what was
granted when, never on elapsed wall time.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any, Protocol

import aiohttp


class Priority(IntEnum):
    """Who goes first when requests wait for the budget (lower first)."""

    MEMBER = 1  # what a member is waiting for: the message they clicked, their thread
    SCHEDULED = 2  # the reminder engine's fan-out
    BACKGROUND = 3  # DMs, housekeeping: what the others leave


# Background work takes a token only when the bucket holds one more: it gets what the others
# leave (a bucket that filled up while nobody asked), never a token a fan-out was about to take.
KEEP: dict[Priority, int] = {Priority.BACKGROUND: 1}

_PRIORITY: ContextVar[Priority] = ContextVar("passerelle_request_priority", default=Priority.MEMBER)


@contextlib.contextmanager
def priority(level: Priority) -> Iterator[None]:
    """Requests made inside (and by tasks started inside) wait at `level`."""
    token = _PRIORITY.set(level)
    try:
        yield
    finally:
        _PRIORITY.reset(token)


def current_priority() -> Priority:
    return _PRIORITY.get()


# -- time ---------------------------------------------------------------------------------------
class Timer(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic scale."""
        ...

    async def sleep(self, seconds: float) -> None: ...


class MonotonicTimer:
    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class VirtualTimer:
    """Time that moves only when a test says so: `sleep` parks until `advance` passes its end.

    `run_until(awaitable)` moves time from one sleeper's end to the next until the awaitable is
    done: the test sees exactly what was scheduled when, and takes no wall time.
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def now(self) -> float:
        return self._now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._now + max(0.0, seconds), next(self._seq), future))
        await future

    @property
    def sleeping(self) -> int:
        return sum(1 for _, _, f in self._sleepers if not f.done())

    async def _settle(self) -> None:
        for _ in range(50):  # let what was woken run until it sleeps or finishes
            await asyncio.sleep(0)

    async def advance(self, seconds: float) -> None:
        await self.advance_to(self._now + seconds)

    async def advance_to(self, end: float) -> None:
        await self._settle()
        while self._sleepers and self._sleepers[0][0] <= end:
            when, _, future = heapq.heappop(self._sleepers)
            self._now = max(self._now, when)
            if not future.done():
                future.set_result(None)
            await self._settle()
        self._now = max(self._now, end)

    async def run_until(self, awaitable: Any, patience: float = 10.0) -> Any:
        """Await `awaitable`, moving time to each next sleeper's end while it is not done.

        While nothing sleeps (the work waits on real input/output), real time passes; after
        `patience` real seconds of that, the work is taken to be stuck."""
        task = asyncio.ensure_future(awaitable)
        await self._settle()
        stuck_since: float | None = None
        while not task.done():
            pending = [when for when, _, f in self._sleepers if not f.done()]
            if pending:
                stuck_since = None
                await self.advance_to(min(pending))
                continue
            stuck_since = stuck_since or time.monotonic()
            if time.monotonic() - stuck_since > patience:
                task.cancel()
                raise RuntimeError("nothing sleeps, yet the awaited work is not done")
            await asyncio.sleep(0.001)
        return task.result()


# -- where tokens come from ---------------------------------------------------------------------
class TokenSource(Protocol):
    async def take(self, now: float, keep: int = 0) -> float:
        """Take one token if one is free at `now` with `keep` more left for others, and
        return 0; otherwise take nothing and return how many seconds until one may be."""
        ...


_EPSILON = 1e-9


class LocalBucket:
    """A token bucket in this process: `rate` tokens a second, at most `burst` saved up.

    In any window of W seconds it grants at most `burst + rate × W` tokens: with Discord's
    sliding second, `burst + rate` must stay under the limit (see `DiscordLimits`).
    """

    def __init__(self, rate: float, burst: float = 1.0) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a bucket needs a positive rate and room for one token")
        self.rate = rate
        self.burst = float(burst)
        self._tokens = self.burst
        self._stamp: float | None = None

    async def take(self, now: float, keep: int = 0) -> float:
        if self._stamp is not None:
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        need = min(1 + keep, self.burst)
        if self._tokens >= need - _EPSILON:  # float refills land a hair under a whole token
            self._tokens = max(0.0, self._tokens - 1)
            return 0.0
        return (need - self._tokens) / self.rate


# -- the pacer ----------------------------------------------------------------------------------
@dataclass(order=True)
class _Waiter:
    level: int
    seq: int
    future: asyncio.Future[None]


class Pacer:
    """Hands out a token source's tokens: at once while there are some, else in priority
    order (first come, first served within a priority). One task sleeps for all waiters."""

    def __init__(self, source: TokenSource, timer: Timer | None = None) -> None:
        self.source = source
        self.timer: Timer = timer or MonotonicTimer()
        self._waiters: list[_Waiter] = []
        self._seq = itertools.count()
        self._dispatcher: asyncio.Task[None] | None = None
        self.granted: Counter[Priority] = Counter()  # for figures and tests
        self.waited: Counter[Priority] = Counter()  # how many had to queue

    @property
    def waiting(self) -> int:
        return sum(1 for w in self._waiters if not w.future.done())

    async def acquire(self, level: Priority | None = None) -> None:
        level = current_priority() if level is None else level
        keep = KEEP.get(level, 0)
        if not self._waiters and await self.source.take(self.timer.now(), keep) == 0:
            self.granted[level] += 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        sleeping_for_lower = bool(self._waiters) and self._waiters[0].level > level
        heapq.heappush(self._waiters, _Waiter(int(level), next(self._seq), future))
        self.waited[level] += 1
        if sleeping_for_lower and self._dispatcher is not None:
            self._dispatcher.cancel()  # it waits for a full bucket: this one needs less
            self._dispatcher = None
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = asyncio.get_running_loop().create_task(
                self._dispatch(), name="pacer-dispatch"
            )
        await future  # cancelled: the dispatcher skips it, no token is spent
        self.granted[level] += 1

    async def _dispatch(self) -> None:
        while True:
            while self._waiters and self._waiters[0].future.done():
                heapq.heappop(self._waiters)  # cancelled while waiting
            if not self._waiters:
                return
            level = Priority(self._waiters[0].level)
            delay = await self.source.take(self.timer.now(), KEEP.get(level, 0))
            if delay == 0:
                heapq.heappop(self._waiters).future.set_result(None)
            else:
                await self.timer.sleep(delay)


# -- Discord's figures --------------------------------------------------------------------------
@dataclass(frozen=True)
class DiscordLimits:
    """The rates the bot paces itself at. Discord's figures; `scaled` for a test Discord whose
    windows are shorter (the loopback server's `time_scale`).

    - global: Discord allows 50 requests per second per bot. The bucket grants at most
      `global_burst + global_rate` in any second (47 + 2 = 49): one request of margin for the
      jitter between when a request leaves and when Discord counts it, and a fan-out within
      7 % of the 50/s floor.
    - DMs: 1 a second, 5 at once. Discord publishes no DM rate, but flags (« quarantines »)
      bots that open many DMs quickly; its staff gave 5 per 5 s for DMs when bot limits were
      introduced, and the loopback server models DM-channel creation so. Passerelle only DMs
      members who asked for it (/rappels), so a day's DMs on a community server are tens.
    - redraws: a message that follows a changing state is edited at most once a second
      (Discord: 5 edits per 5 s in a channel), leaving the rest of the channel's budget to
      the other messages of that channel.
    """

    global_rate: float = 47.0
    global_burst: int = 2
    dm_rate: float = 1.0
    dm_burst: int = 5
    redraw_interval: float = 1.0

    def scaled(self, time_scale: float) -> DiscordLimits:
        """The same counts over windows `time_scale` times as long."""
        return replace(
            self,
            global_rate=self.global_rate / time_scale,
            dm_rate=self.dm_rate / time_scale,
            redraw_interval=self.redraw_interval * time_scale,
        )

    def global_pacer(self, timer: Timer | None = None) -> Pacer:
        return Pacer(LocalBucket(self.global_rate, self.global_burst), timer)

    def dm_pacer(self, timer: Timer | None = None) -> Pacer:
        return Pacer(LocalBucket(self.dm_rate, self.dm_burst), timer)


# -- the hook in discord.py's HTTP client --------------------------------------------------------
# Interaction answers: the callback, and the followups/edits on the interaction's webhook token.
# Discord does not count them in the global limit.
EXEMPT_PREFIXES = ("/interactions/", "/webhooks/")


def counts_globally(path: str) -> bool:
    """Whether a request to this API path (after the version prefix) spends the global budget."""
    return not path.startswith(EXEMPT_PREFIXES)


_MAJOR = re.compile(r"^/(channels|guilds)/(\d+)")
# A request is never held longer than this waiting behind another to the same resource: past
# it, the other is taken to be lost (its end never seen) and its place is given up.
SERIAL_PATIENCE = 60.0


def resource_of(path: str) -> str:
    """What Discord keys a route's limits by: the channel or server in the path, else the path
    (e.g. DM-channel creation, one bucket for the bot)."""
    found = _MAJOR.match(path)
    return found[0] if found else path.split("?", 1)[0]


class _OneAtATime:
    """One request in flight per key (a route on one channel), first come first served."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: Counter[str] = Counter()

    async def acquire(self, key: str) -> asyncio.Lock:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] += 1
        try:
            await asyncio.wait_for(lock.acquire(), SERIAL_PATIENCE)
        except TimeoutError:
            lock = asyncio.Lock()  # the holder was lost: a fresh lock for the ones to come
            self._locks[key] = lock
            await lock.acquire()
        except BaseException:
            self._done(key)
            raise
        return lock

    def release(self, key: str, lock: asyncio.Lock) -> None:
        if lock.locked():
            lock.release()
        self._done(key)

    def _done(self, key: str) -> None:
        self._users[key] -= 1
        if self._users[key] <= 0:
            del self._users[key]
            self._locks.pop(key, None)


_ID = re.compile(r"/\d+")
_FORGET_AFTER = 1000  # exhausted windows remembered before the past ones are swept


def route_of(method: str, path: str) -> str:
    """`POST /channels/{id}/messages`: a route, whatever the ids."""
    return f"{method} {_ID.sub('/{id}', path.split('?', 1)[0])}"


class RouteLimits:
    """Discord's per-route limits, kept from the answers' headers, one request at a time.

    discord.py keeps them too, but counts wrong when several requests to one bucket are in
    flight: answers arrive out of order, a late one says « 3 left » when none are, and a burst
    into one channel gets a 429 per window. Here each route on each channel (or server) sends one
    request at a time (Discord allows 5 per 5 s in a channel; a round trip takes less), reads
    what is left from each answer in order, and holds the next request until the window resets
    when nothing is left. Buckets Discord shares between routes are followed by their hash.
    """

    def __init__(self, timer: Timer | None = None) -> None:
        self.timer: Timer = timer or MonotonicTimer()
        self._serial = _OneAtATime()
        self._bucket_of: dict[str, str] = {}  # route -> Discord's bucket hash
        self._exhausted: dict[tuple[str, str], float] = {}  # (bucket, resource) -> reset at
        self.held = 0  # requests that waited for a window (figures, tests)

    def _bucket(self, route: str, resource: str) -> tuple[str, str]:
        return self._bucket_of.get(route, route), resource

    async def before(self, method: str, path: str) -> tuple[str, asyncio.Lock]:
        route, resource = route_of(method, path), resource_of(path)
        key = f"{route} {resource}"
        lock = await self._serial.acquire(key)
        try:
            reset_at = self._exhausted.get(self._bucket(route, resource))
            if reset_at is not None:
                wait = reset_at - self.timer.now()
                if wait > 0:
                    self.held += 1
                    await self.timer.sleep(wait)
                self._exhausted.pop(self._bucket(route, resource), None)
        except BaseException:
            self._serial.release(key, lock)
            raise
        return key, lock

    def after(self, method: str, path: str, headers: Any) -> None:
        """Read an answer's rate-limit headers (before the next request of its route goes)."""
        route, resource = route_of(method, path), resource_of(path)
        bucket_hash = headers.get("X-RateLimit-Bucket")
        if bucket_hash:
            self._bucket_of[route] = bucket_hash
        remaining, reset_after = (
            headers.get("X-RateLimit-Remaining"),
            headers.get("X-RateLimit-Reset-After"),
        )
        if remaining is None or reset_after is None:
            return
        try:
            if int(remaining) > 0:
                return
            reset_at = self.timer.now() + float(reset_after)
        except ValueError:
            return
        if len(self._exhausted) > _FORGET_AFTER:  # windows long past: forget them
            now = self.timer.now()
            self._exhausted = {k: v for k, v in self._exhausted.items() if v > now}
        self._exhausted[self._bucket(route, resource)] = reset_at

    def release(self, key: str, lock: asyncio.Lock) -> None:
        self._serial.release(key, lock)


def budget_trace(
    pacer: Pacer, api_base: Callable[[], str], routes: RouteLimits | None = None
) -> aiohttp.TraceConfig:
    """An aiohttp trace config (discord.py's `http_trace=`) for every request to the API under
    `api_base()` that Discord counts globally: it keeps to the route's limit on its channel
    (`RouteLimits`), then takes a token from `pacer` (retries included)."""
    trace = aiohttp.TraceConfig()
    routes = routes or RouteLimits()

    def api_path(url: str) -> str | None:
        base = api_base()
        return url[len(base) :] if url.startswith(base) else None

    async def on_request_start(
        session: aiohttp.ClientSession, context: Any, params: aiohttp.TraceRequestStartParams
    ) -> None:
        path = api_path(str(params.url))
        if path is None or not counts_globally(path):
            return  # interaction answers: their own token's bucket, outside the global limit
        held = await routes.before(params.method, path)
        try:
            await pacer.acquire()
        except BaseException:
            routes.release(*held)  # aiohttp reports no end for a start that failed
            raise
        context.passerelle_held = held

    async def on_request_end(
        session: aiohttp.ClientSession, context: Any, params: aiohttp.TraceRequestEndParams
    ) -> None:
        held = getattr(context, "passerelle_held", None)
        if held is None:
            return
        context.passerelle_held = None
        path = api_path(str(params.url))
        if path is not None:
            routes.after(params.method, path, params.response.headers)
        routes.release(*held)

    async def on_request_exception(
        session: aiohttp.ClientSession, context: Any, params: Any
    ) -> None:
        held = getattr(context, "passerelle_held", None)
        if held is not None:
            context.passerelle_held = None
            routes.release(*held)

    trace.on_request_start.append(on_request_start)
    trace.on_request_end.append(on_request_end)
    trace.on_request_exception.append(on_request_exception)
    return trace


def worst_window(stamps: list[float], window: float) -> int:
    """The most stamps in any `window`-long interval (for tests and benchmarks)."""
    stamps = sorted(stamps)
    worst, start = 0, 0
    for end, stamp in enumerate(stamps):
        while stamp - stamps[start] >= window - 1e-9:
            start += 1
        worst = max(worst, end - start + 1)
    return worst if stamps else 0


__all__ = [
    "DiscordLimits",
    "LocalBucket",
    "MonotonicTimer",
    "Pacer",
    "Priority",
    "RouteLimits",
    "TokenSource",
    "VirtualTimer",
    "budget_trace",
    "counts_globally",
    "current_priority",
    "priority",
    "resource_of",
    "route_of",
    "worst_window",
]
