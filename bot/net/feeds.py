"""Reading RSS and Atom documents (feedparser), in a worker process.

Parsing is pure Python and holds the GIL: in a thread of the bot's process it would still stall
the event loop (tens of milliseconds per big feed on a busy machine). `FeedReader.read` runs
`parse` in one spawned worker process instead, recycled every `TASKS_PER_WORKER` documents so
its memory stays flat; what comes back is small (titles, links, short summaries as plain text).

`parse` refuses what is not a feed: an HTML page, text, XML that is not RSS/Atom, and broken XML
(`ReadError.problem`: `not_a_feed`, `malformed`).
"""

from __future__ import annotations

import asyncio
import html
import multiprocessing
import os
import re
import xml.sax
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

ENTRIES_READ = 200  # a feed lists its newest first; older ones are not news
TITLE_MAX = 300
SUMMARY_MAX = 500
LINK_MAX = 500
FEED_TITLE_MAX = 200
TASKS_PER_WORKER = 500
_SNIFF = 2048
_TAG = re.compile(r"<[^>]+>")


class ReadError(Exception):
    """Not a usable feed: `problem` is `not_a_feed` or `malformed`."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True)
class RawEntry:
    id: str
    title: str
    link: str
    summary: str
    published: tuple[int, ...] | None  # (year, month, day, hour, minute, second), UTC


@dataclass(frozen=True)
class RawFeed:
    title: str
    entries: list[RawEntry]


def plain(text: str, limit: int) -> str:
    """HTML to one line of plain text, cut at `limit` characters."""
    flat = " ".join(html.unescape(_TAG.sub(" ", text or "")).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def parse(body: bytes, content_type: str = "") -> RawFeed:
    """The feed in `body` (runs in the worker: top-level and picklable)."""
    head = body[:_SNIFF].lower()
    if b"<html" in head or b"<!doctype html" in head or "html" in content_type.lower():
        raise ReadError("not_a_feed")
    # Imported here, in the worker that parses: the bot's own process never needs it (~20 ms
    # of every start-up otherwise).
    import feedparser  # noqa: PLC0415

    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version"):
        raise ReadError("malformed" if body.lstrip().startswith(b"<") else "not_a_feed")
    if parsed.get("bozo") and isinstance(parsed.get("bozo_exception"), xml.sax.SAXException):
        raise ReadError("malformed")
    entries = []
    for raw in parsed.entries[:ENTRIES_READ]:
        stamp = raw.get("published_parsed") or raw.get("updated_parsed")
        entries.append(
            RawEntry(
                id=str(raw.get("id") or "")[:LINK_MAX],
                title=plain(raw.get("title", ""), TITLE_MAX),
                link=str(raw.get("link", ""))[:LINK_MAX],
                summary=plain(raw.get("summary", ""), SUMMARY_MAX),
                published=tuple(stamp[:6]) if stamp else None,
            )
        )
    return RawFeed(title=plain(parsed.feed.get("title", ""), FEED_TITLE_MAX), entries=entries)


WORKER_NICENESS = 10


def _lower_priority() -> None:
    """In the worker: parsing yields the CPU to the bot's own process on a busy machine."""
    os.nice(WORKER_NICENESS)


class FeedReader:
    """`await reader.read(body, content_type)`: `parse` in the worker process."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                # spawn: a fork of a process running threads (SQLite, the guard) may deadlock
                mp_context=multiprocessing.get_context("spawn"),
                max_tasks_per_child=TASKS_PER_WORKER,
                initializer=_lower_priority,
            )
        return self._pool

    async def read(self, body: bytes, content_type: str = "") -> RawFeed:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), parse, body, content_type)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
