"""Rendered feeds and pages, kept while what they were made from has not changed.

What a feed or a page is made from is read from the database (any process serves any server),
at most once per `FRESH_FOR` seconds per feed or page, and once for all the requests that
arrive while a read is under way (`FreshReads`). Then it is compared with what the cached body
was made from: equal, the body and its `ETag` are reused; different, the body is rendered
again. So an edit shows within `FRESH_FOR` seconds — calendar apps come back every hour, and
the answers themselves allow caching for minutes. `Last-Modified` is when this
process first made this exact body: never later than a change, so `If-Modified-Since` can only
err towards sending the body again.

Conditional requests (RFC 9110 §13): `If-None-Match` first, else `If-Modified-Since`; 304
carries the validators and no body. HEAD is answered by aiohttp from the same handler.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import Any

from aiohttp import web

MAX_ENTRIES = 512
ETAG_HEX = 32
FRESH_FOR = 5.0  # seconds a read of the agenda is reused


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str
    modified: datetime  # whole seconds (HTTP dates have no fraction)


class RenderCache:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[object, Rendered]] = OrderedDict()
        self.hits = 0
        self.renders = 0

    def get(
        self, key: Hashable, source: object, render: Callable[[], bytes], now: datetime
    ) -> Rendered:
        found = self._entries.get(key)
        if found is not None and found[0] == source:
            self._entries.move_to_end(key)
            self.hits += 1
            return found[1]
        body = render()
        self.renders += 1
        digest = hashlib.sha256(body).hexdigest()[:ETAG_HEX]
        if found is not None and found[1].etag == f'"{digest}"':
            rendered = found[1]  # same bytes from other inputs: same validators
        else:
            rendered = Rendered(body, f'"{digest}"', now.replace(microsecond=0))
        self._entries[key] = (source, rendered)
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

    def _landed(self, key: Hashable, task: asyncio.Task[Any]) -> None:
        if self._flying.get(key) is task:
            del self._flying[key]
        if not task.cancelled():
            task.exception()  # retrieved here too: every waiter may have left


class FreshReads:
    """Reads reused for `fresh_for` seconds (from when they started), one at a time per key."""

    def __init__(
        self,
        fresh_for: float = FRESH_FOR,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self.fresh_for = fresh_for
        self.clock = clock
        self.max_entries = max_entries
        self._values: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._flights = SingleFlight()

    async def get(self, key: Hashable, read: Callable[[], Awaitable[Any]]) -> Any:
        found = self._values.get(key)
        if found is not None and self.clock() - found[0] < self.fresh_for:
            return found[1]
        started = self.clock()
        value = await self._flights.run(key, read)
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
    headers = {
        "ETag": rendered.etag,
        "Last-Modified": format_datetime(rendered.modified, usegmt=True),
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
