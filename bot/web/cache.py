"""Rendered feeds and pages, kept while what they were made from has not changed.

What a feed or a page is made from is read from the database (any process serves any server),
at most once per `FRESH_FOR` seconds per feed or page, and once for all the requests that
arrive while a read is under way (`FreshReads`). A read older than that but younger than
`FRESH_FOR + STALE_FOR` is still served while a new read runs in the background (stale while
revalidate): a feed or page asked for continuously never makes a visitor wait for the database;
one asked for rarely (calendar apps come back every hour) waits for a new read, as before.
Then what was read is compared with what the cached body was made from — the same object (the
read was reused) is one identity check — equal, the body, its `ETag` and its headers are
reused; different, the body is rendered again. A body that depends on the clock (the page
shows each series' next occurrence) says until when it holds. So an edit shows within
`FRESH_FOR + STALE_FOR` seconds — the answers themselves allow caching for minutes.
`Last-Modified` is when this
process first made this exact body: never later than a change, so `If-Modified-Since` can only
err towards sending the body again.

Conditional requests (RFC 9110 §13): `If-None-Match` first, else `If-Modified-Since`; 304
carries the validators and no body. HEAD is answered by aiohttp from the same handler.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)

MAX_ENTRIES = 512
ETAG_HEX = 32
FRESH_FOR = 5.0  # seconds a read of the agenda is reused
STALE_FOR = 10.0  # then, seconds it is still served while a new read runs in the background


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str
    modified: datetime  # whole seconds (HTTP dates have no fraction)

    @property
    def last_modified(self) -> str:
        return _http_dates(self.modified)


@lru_cache(maxsize=MAX_ENTRIES)
def _http_dates(modified: datetime) -> str:
    return format_datetime(modified, usegmt=True)


class RenderCache:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[object, Rendered, datetime | None]] = (
            OrderedDict()
        )
        self.hits = 0
        self.renders = 0

    def get(
        self,
        key: Hashable,
        source: object,
        render: Callable[[], bytes],
        now: datetime,
        *,
        until: Callable[[], datetime | None] | None = None,
    ) -> Rendered:
        """The body made from `source`, rendered only when `source` changed (or, with `until`,
        when `now` reached the instant it returned at the last render: the body depends on
        the clock up to then)."""
        found = self._entries.get(key)
        if found is not None and found[0] == source and (found[2] is None or now < found[2]):
            self._entries.move_to_end(key)
            self.hits += 1
            return found[1]
        body = render()
        expires = until() if until is not None else None
        self.renders += 1
        digest = hashlib.sha256(body).hexdigest()[:ETAG_HEX]
        if found is not None and found[1].etag == f'"{digest}"':
            rendered = found[1]  # same bytes from other inputs: same validators
        else:
            rendered = Rendered(body, f'"{digest}"', now.replace(microsecond=0))
        self._entries[key] = (source, rendered, expires)
        self._entries.move_to_end(key)
        if len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return rendered

    def clear(self) -> None:
        self._entries.clear()


class SingleFlight:
    """Requests that arrive while the same read is under way wait for it instead of reading
    again: a hundred visitors at once cost one database read. Nobody gets data older than a
    read that was under way when they arrived. The read is a task of its own: a visitor who
    leaves does not cancel it for the others."""

    def __init__(self) -> None:
        self._flying: dict[Hashable, asyncio.Task[Any]] = {}

    async def run(self, key: Hashable, read: Callable[[], Awaitable[Any]]) -> Any:
        task = self._flying.get(key)
        if task is None:
            task = asyncio.ensure_future(read())
            self._flying[key] = task
            task.add_done_callback(lambda done, key=key: self._landed(key, done))
        return await asyncio.shield(task)

    def cancel(self) -> None:
        for task in list(self._flying.values()):
            task.cancel()

    def _landed(self, key: Hashable, task: asyncio.Task[Any]) -> None:
        if self._flying.get(key) is task:
            del self._flying[key]
        if not task.cancelled():
            task.exception()  # retrieved here too: every waiter may have left


class FreshReads:
    """Reads reused for `fresh_for` seconds (from when they started), one at a time per key;
    then for `stale_for` more seconds while a new read runs in the background."""

    def __init__(
        self,
        fresh_for: float = FRESH_FOR,
        *,
        stale_for: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self.fresh_for = fresh_for
        self.stale_for = stale_for
        self.clock = clock
        self.max_entries = max_entries
        self._values: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._flights = SingleFlight()
        self.background = 0  # reads started for a stale value (tests)
        self._refreshing: dict[Hashable, asyncio.Task[Any]] = {}

    def cancel(self) -> None:
        """Background reads stop with the web side (the database closes after it)."""
        for task in list(self._refreshing.values()):
            task.cancel()
        self._flights.cancel()

    def _landed(self, key: Hashable, task: asyncio.Task[Any]) -> None:
        self._refreshing.pop(key, None)
        if not task.cancelled() and task.exception() is not None:
            # Nobody waits for it: the stale value stays until a request reads again.
            log.warning("web: a background read failed: %r", task.exception())

    async def get(self, key: Hashable, read: Callable[[], Awaitable[Any]]) -> Any:
        found = self._values.get(key)
        if found is not None:
            age = self.clock() - found[0]
            if age < self.fresh_for:
                return found[1]
            if age < self.fresh_for + self.stale_for:
                if key not in self._refreshing:
                    self.background += 1
                    task = asyncio.ensure_future(self._read(key, read))
                    self._refreshing[key] = task
                    task.add_done_callback(lambda done, key=key: self._landed(key, done))
                return found[1]
        return await self._read(key, read)

    async def _read(self, key: Hashable, read: Callable[[], Awaitable[Any]]) -> Any:
        started = self.clock()
        value = await self._flights.run(key, read)
        current = self._values.get(key)
        if current is None or current[0] <= started:  # a later read may have landed first
            self._values[key] = (started, value)
            self._values.move_to_end(key)
            if len(self._values) > self.max_entries:
                self._values.popitem(last=False)
        return value


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    # Weak comparison (RFC 9110 §13.1.2): W/"x" matches "x".
    candidates = {c.strip().removeprefix("W/") for c in header.split(",")}
    return etag in candidates


def respond(
    request: web.Request,
    rendered: Rendered,
    *,
    content_type: str,
    cache_control: str,
    extra: dict[str, str] | None = None,
) -> web.Response:
    # aiohttp's server side is imported with the web side (bot.web.WebServer), not with the
    # links' store that every start reads (bot.web.store uses this module).
    from aiohttp import web  # noqa: PLC0415

    headers = {
        "ETag": rendered.etag,
        "Last-Modified": rendered.last_modified,
        "Cache-Control": cache_control,
        **(extra or {}),
    }
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        if _etag_matches(if_none_match, rendered.etag):
            return web.Response(status=304, headers=headers)
    else:
        since = request.if_modified_since
        if since is not None and rendered.modified <= since:
            return web.Response(status=304, headers=headers)
    return web.Response(body=rendered.body, headers={**headers, "Content-Type": content_type})
