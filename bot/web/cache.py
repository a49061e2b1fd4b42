"""Rendered feeds and pages, kept while what they were made from has not changed.

Every request reads the agenda from the database (so any process serves fresh data, and an
edit shows at once), then compares it with what the cached body was made from: equal, the body
and its `ETag` are reused; different, the body is rendered again. `Last-Modified` is when this
process first made this exact body: never later than a change, so `If-Modified-Since` can only
err towards sending the body again.

Conditional requests (RFC 9110 §13): `If-None-Match` first, else `If-Modified-Since`; 304
carries the validators and no body. HEAD is answered by aiohttp from the same handler.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from aiohttp import web

MAX_ENTRIES = 512
ETAG_HEX = 32


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
