"""Feeds' rules: what a fetched document is (a feed, an HTML page, broken XML), each entry's key
and fingerprint, which entries are new, how often a feed is polled and when a failing one is
reported. Pure: the document is read by `bot.net.feeds` (in a worker process), time passed in.

- An entry's **key** is its id, else its link, else a hash of its title: what makes it the same
  entry across polls and restarts.
- Its **fingerprint** is a hash of its folded title and summary: a feed that gives the same
  entries new ids on every request (seen on some CMSs) is recognised by fingerprints already
  seen; such entries are recorded, never posted again, and moderators are told once.
- At most `NEW_PER_POLL` entries are posted per poll (the newest); the others are recorded as
  seen: a feed that suddenly lists 200 « new » entries does not flood the forum.
- Polling: every `POLL_INTERVAL`; after a failure, twice as long each time (up to `BACKOFF_MAX`);
  after `REPORT_AFTER` failures in a row the moderators are told once, then it is tried only
  every `RARE_INTERVAL` until it works again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bot.net.feeds import RawFeed
from bot.text import fold

POLL_INTERVAL = timedelta(minutes=30)
BACKOFF_MAX = timedelta(hours=6)
RARE_INTERVAL = timedelta(hours=24)
REPORT_AFTER = 5
NEW_PER_POLL = 5
FEEDS_PER_SERVER = 20
ENTRIES_KEPT = 1000  # per feed: the newest keys remembered
TITLE_MAX = 85
SUMMARY_MAX = 500
FEED_TITLE_MAX = 80
KEY_MAX = 500


class Problem(StrEnum):
    """Why a feed could not be used (catalog `tableau.feed.problem.<value>`)."""

    NOT_A_FEED = "not_a_feed"  # an HTML page or something else
    MALFORMED = "malformed"
    EMPTY = "empty"
    # bot.net.FetchProblem values are problems too (address, timeout, too_large …)


@dataclass(frozen=True)
class Feed:
    id: int
    guild_id: int
    url: str
    title: str
    place_code: str | None = None
    country: str | None = None
    added_by: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    last_error: str | None = None
    reported: bool = False
    unstable_told: bool = False
    next_poll_at: datetime | None = None
    polled_at: datetime | None = None


@dataclass(frozen=True)
class Entry:
    key: str
    fingerprint: str
    title: str
    link: str
    summary: str
    published: datetime | None


@dataclass(frozen=True)
class Parsed:
    title: str
    entries: list[Entry]  # newest first, as the feed lists them


def _hash(*parts: str) -> str:
    return hashlib.sha256("\u241f".join(parts).encode()).hexdigest()[:32]


def _published(stamp: tuple[int, ...] | None) -> datetime | None:
    if not stamp:
        return None
    try:
        return datetime(*stamp[:6], tzinfo=UTC)  # type: ignore[misc]
    except (TypeError, ValueError):
        return None


def entries_of(raw: RawFeed) -> Parsed:
    """The feed's entries with their keys and fingerprints (from `bot.net.feeds.parse`)."""
    entries = []
    for item in raw.entries:
        if not item.title and not item.link:
            continue
        key = (item.id or item.link or _hash(item.title, item.summary))[:KEY_MAX]
        entries.append(
            Entry(
                key=key,
                fingerprint=_hash(fold(item.title), fold(item.summary)),
                title=_cut(item.title or item.link, TITLE_MAX),
                link=item.link if item.link.startswith(("http://", "https://")) else "",
                summary=item.summary,
                published=_published(item.published),
            )
        )
    return Parsed(title=_cut(raw.title, FEED_TITLE_MAX), entries=entries)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Novelty:
    """What a poll brings: entries to post, entries to record only, and whether the feed looks
    like it changed every id (all entries new by key, already known by fingerprint)."""

    to_post: list[Entry]
    to_record: list[Entry]
    ids_changed: bool


def novelty(
    entries: list[Entry], known_keys: set[str], known_prints: set[str], *, first: bool
) -> Novelty:
    """Sort a poll's entries. On the first poll every entry is recorded, none posted (the feed's
    past is not news)."""
    fresh = [e for e in entries if e.key not in known_keys]
    seen_prints: set[str] = set()
    new: list[Entry] = []
    repeated: list[Entry] = []
    for entry in fresh:
        if entry.fingerprint in known_prints or entry.fingerprint in seen_prints:
            repeated.append(entry)
        else:
            new.append(entry)
        seen_prints.add(entry.fingerprint)
    if first:
        return Novelty([], fresh, False)
    ids_changed = bool(entries) and len(fresh) == len(entries) and len(repeated) == len(entries)
    return Novelty(new[:NEW_PER_POLL], repeated + new[NEW_PER_POLL:], ids_changed)


def next_poll(now: datetime, failures: int) -> datetime:
    """When to poll next after `failures` failures in a row (0: it worked)."""
    if failures == 0:
        return now + POLL_INTERVAL
    if failures >= REPORT_AFTER:
        return now + RARE_INTERVAL
    return now + min(POLL_INTERVAL * (2**failures), BACKOFF_MAX)


def should_report(failures: int, reported: bool) -> bool:
    return failures >= REPORT_AFTER and not reported


def feed_title(parsed_title: str, url_host: str, given: str | None) -> str:
    name = " ".join((given or "").split()) or parsed_title or url_host
    return name[:FEED_TITLE_MAX]


def keys_of(entries: Iterable[Entry]) -> list[str]:
    return [e.key for e in entries]
