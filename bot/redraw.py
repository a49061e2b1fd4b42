"""Messages that follow a changing state, redrawn few times and always ending on the last state.

A poll's tallies (and a meet-up's answers) change with every click. Editing the message once per
click would spend the channel's edit budget (Discord: 5 edits per 5 s) and queue edits showing
states already gone. Instead a feature calls

    bot.redraws.request(("rencontre.sondage", poll_id), lambda: flows.draw(poll_id))

after each change: the first request draws at once; requests that arrive while a draw is
waiting or running are folded into one more draw, made at most once per `interval` for that
key; `draw` reads the state when it runs, so the last draw shows the last state. A draw that
fails for a passing reason (429 after discord.py's own retries, a 5xx, the network) is tried
again later; a message that is gone (404, 403) is left alone.

This is the minimal version of the core mechanism (issue 14); its interface — `request`,
`settled`, `close`, `pending`, `draws` — is the one the request budget's version keeps, so
either can stand behind `bot.redraws`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import discord

log = logging.getLogger(__name__)

Draw = Callable[[], Awaitable[Any]]
# Discord lets a channel take 5 edits per 5 s: one draw a second per message keeps within it.
REDRAW_INTERVAL = 1.0
RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)  # after a failed draw, then the last again
MAX_FAILURES = 60  # about an hour of tries, then the message is given up (logged)
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
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
        max_failures: int = MAX_FAILURES,
    ) -> None:
        self.interval = interval
        self.retry_delays = retry_delays
        self.max_failures = max_failures
        self._pending: dict[Hashable, _Pending] = {}
        # When each key was last drawn: a request just after a draw finished still waits for
        # the interval (kept while recent enough to matter).
        self._last: dict[Hashable, float] = {}
        self.draws = 0  # draws attempted (figures, tests)

    def request(self, key: Hashable, draw: Draw) -> None:
        """The state behind `key` changed: `draw()` will show it (the latest `draw` given)."""
        pending = self._pending.get(key)
        if pending is not None:
            pending.draw, pending.dirty = draw, True
            return
        now = time.monotonic()
        if len(self._last) > FORGET_AFTER_KEYS:
            self._last = {k: at for k, at in self._last.items() if now - at < self.interval}
        pending = _Pending(draw, last_end=self._last.pop(key, None))
        self._pending[key] = pending
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
                    wait = pending.last_end + self.interval - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                pending.dirty = False
                self.draws += 1
                try:
                    await pending.draw()
                except Exception as error:
                    if not passing(error):
                        log.info("redraw %r: left alone (%s)", key, type(error).__name__)
                        if not isinstance(error, discord.HTTPException):
                            log.exception("redraw %r failed", key)
                        return
                    pending.failures += 1
                    if pending.failures >= self.max_failures:
                        log.error("redraw %r given up after %d tries", key, pending.failures)
                        return
                    pending.dirty = True
                    delays = self.retry_delays
                    await asyncio.sleep(delays[min(pending.failures, len(delays)) - 1])
                else:
                    pending.failures = 0
                finally:
                    # Counted from the end of a draw: a draw reads the state before it edits,
                    # so two edits are always at least `interval` apart when they reach Discord.
                    pending.last_end = time.monotonic()
        finally:
            if self._pending.get(key) is pending:
                del self._pending[key]
                if pending.last_end is not None:
                    self._last[key] = pending.last_end
            pending.done.set()
