"""Messages that follow a changing state, redrawn few times and always ending on the last state.

A meet-up's public message shows its answers, an apéro's its « Je serai là » count, a poll its
tallies. When a hundred members click within two seconds, editing the message once per click
would spend the channel's edit budget (Discord: 5 edits per 5 s) and queue edits showing
states already gone. Instead a feature calls

    bot.redraws.request(("rencontre", event_id), lambda: flows.redraw(event_id))

after each change: the first request draws at once; requests that arrive while a draw is
waiting or running are folded into one more draw, made at most once per `interval` for that
message; `draw` reads the state when it runs, so the last draw shows the last state. A draw
that fails for a passing reason (429 after discord.py's own retries, a 5xx, the network) is
tried again, later, until it succeeds; a message that is gone (404, 403) is left alone.

Draws run in their own task at the member priority of the request budget (`bot.pacing`), off
the interaction: the member's click is answered before the message is redrawn.

`ThreadMembers` does the same for adding members to a thread (Discord has no bulk add): adds
are queued per thread, each member once, and sent one after the other in the member lane.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import discord

from bot.pacing import MonotonicTimer, Priority, Timer, priority

log = logging.getLogger(__name__)

Draw = Callable[[], Awaitable[Any]]
# Discord lets a channel take 5 edits per 5 s: one draw a second per message keeps within it
# (`bot.pacing.DiscordLimits.redraw_interval` is this figure, scaled for the loopback Discord).
REDRAW_INTERVAL = 1.0
# Waits after a failed draw (seconds, then the last one again): quick first, then patient.
RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
# After this many failures in a row the message is given up (logged): about an hour.
MAX_FAILURES = 60
TOO_MANY_REQUESTS = 429
SERVER_ERROR = 500
FORGET_AFTER_KEYS = 1000  # past this many remembered keys, those drawn long ago are forgotten


def passing(error: BaseException) -> bool:
    """A failure worth trying again: rate limited, Discord's server errors, the network."""
    if isinstance(error, discord.NotFound | discord.Forbidden):
        return False
    if isinstance(error, discord.HTTPException):
        return error.status == TOO_MANY_REQUESTS or error.status >= SERVER_ERROR
    return isinstance(error, aiohttp.ClientError | OSError | asyncio.TimeoutError)


@dataclass
class _Pending:
    draw: Draw
    dirty: bool = True
    last_end: float | None = None  # when the last draw ended (its edit answered)
    failures: int = 0
    task: asyncio.Task[None] | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)


class Redraws:
    """Coalesces redraws per key (one message each): at most one draw per `interval`, always a
    draw after the last request."""

    def __init__(
        self,
        *,
        interval: float = REDRAW_INTERVAL,
        timer: Timer | None = None,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
        max_failures: int = MAX_FAILURES,
    ) -> None:
        self.interval = interval
        self.timer: Timer = timer or MonotonicTimer()
        self.retry_delays = retry_delays
        self.max_failures = max_failures
        self._pending: dict[Hashable, _Pending] = {}
        # When each key was last drawn: a request just after a draw finished still waits for
        # the interval (kept while recent enough to matter).
        self._last: dict[Hashable, float] = {}
        self.draws = 0  # draws attempted (figures, tests)
        self.given_up = 0

    def request(self, key: Hashable, draw: Draw) -> None:
        """The state behind `key` changed: `draw()` will show it (the latest `draw` given)."""
        pending = self._pending.get(key)
        if pending is not None:
            pending.draw, pending.dirty = draw, True
            return
        now = self.timer.now()
        if len(self._last) > FORGET_AFTER_KEYS:
            self._last = {k: at for k, at in self._last.items() if now - at < self.interval}
        pending = _Pending(draw, last_end=self._last.pop(key, None))
        self._pending[key] = pending
        with priority(Priority.MEMBER):
            pending.task = asyncio.get_running_loop().create_task(
                self._run(key, pending), name=f"redraw {key!r}"
            )

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def settled(self, key: Hashable | None = None) -> None:
        """Wait until `key` (or every key) has been drawn in its last state or given up."""
        while True:
            waits = [
                p.done.wait() for k, p in list(self._pending.items()) if key is None or k == key
            ]
            if not waits:
                return
            await asyncio.gather(*waits)

    async def close(self) -> None:
        """Stop drawing (shutdown): what was not drawn yet is left as it is."""
        tasks = [p.task for p in self._pending.values() if p.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._pending.clear()

    async def _run(self, key: Hashable, pending: _Pending) -> None:
        try:
            while pending.dirty:
                if pending.last_end is not None:
                    wait = pending.last_end + self.interval - self.timer.now()
                    if wait > 0:
                        await self.timer.sleep(wait)
                pending.dirty = False
                self.draws += 1
                try:
                    await pending.draw()
                except Exception as error:
                    if not passing(error):
                        if not isinstance(error, discord.HTTPException):
                            log.exception("redraw %r failed", key)
                        else:
                            log.info("redraw %r: the message is gone (%s)", key, error)
                        return
                    pending.failures += 1
                    if pending.failures >= self.max_failures:
                        self.given_up += 1
                        log.error("redraw %r given up after %d tries", key, pending.failures)
                        return
                    log.info("redraw %r failed (%s); trying again", key, error)
                    pending.dirty = True
                    delays = self.retry_delays
                    await self.timer.sleep(delays[min(pending.failures, len(delays)) - 1])
                else:
                    pending.failures = 0
                finally:
                    # Counted from the end of a draw: a draw reads the state before it edits,
                    # so two edits are always at least `interval` apart when they reach Discord.
                    pending.last_end = self.timer.now()
        finally:
            if self._pending.get(key) is pending:
                del self._pending[key]
                if pending.last_end is not None:
                    self._last[key] = pending.last_end
            pending.done.set()


class ThreadMembers:
    """Adds members to threads one request at a time, in the member lane; each (thread, member)
    is queued once however many times it is asked for before it is sent."""

    def __init__(self, add: Callable[[int, int], Awaitable[Any]]) -> None:
        self._add = add  # e.g. bot.http.add_user_to_thread
        self._queues: dict[int, list[int]] = {}
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self.sent = 0

    def add(self, thread_id: int, user_ids: list[int] | tuple[int, ...]) -> None:
        queue = self._queues.setdefault(thread_id, [])
        for user_id in user_ids:
            if user_id not in queue:
                queue.append(user_id)
        if thread_id not in self._tasks:
            with priority(Priority.MEMBER):
                self._tasks[thread_id] = asyncio.get_running_loop().create_task(
                    self._drain(thread_id), name=f"thread-adds {thread_id}"
                )

    @property
    def pending(self) -> int:
        return sum(len(queue) for queue in self._queues.values())

    def discard(self, thread_id: int, user_id: int) -> None:
        """The member changed their mind before being added: do not add them."""
        queue = self._queues.get(thread_id)
        if queue and user_id in queue:
            queue.remove(user_id)

    async def settled(self) -> None:
        while self._tasks:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    async def close(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    async def _drain(self, thread_id: int) -> None:
        queue = self._queues[thread_id]
        try:
            while queue:
                user_id = queue[0]
                try:
                    await self._add(thread_id, user_id)
                    self.sent += 1
                except discord.HTTPException as error:
                    log.info("could not add a member to thread %s (%s)", thread_id, error)
                if queue and queue[0] == user_id:
                    queue.pop(0)
        finally:
            self._queues.pop(thread_id, None)
            self._tasks.pop(thread_id, None)
