"""Calendar links are looked up in memory: wrong tokens touch no database, a link replaced or
erased in this process stops working at once, one changed by another process within a few
seconds (`bot.web.store`). The database is a real one; only the monotonic clock is ours."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db import Database
from bot.web.store import LINKS_FRESH_FOR, LinkScope, WebStore

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GUILD = 10
MEMBER = 20


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Counted:
    """Every call the database makes (its observer hook), to show which lookups reach it."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, operation: str, seconds: float) -> None:
        self.calls.append(operation)


@pytest.fixture
async def db(database: Path | str) -> AsyncIterator[Database]:
    opened = await Database.open(database)
    try:
        yield opened
    finally:
        await opened.close()


async def test_wrong_tokens_touch_no_database_once_the_links_are_read(db: Database) -> None:
    clock = Clock()
    store = WebStore(db, clock=clock)
    token = await store.issue(LinkScope.GUILD, GUILD, lang="fr", label="Café", now=NOW)
    counted = Counted()
    db.observer = counted
    assert await store.resolve("A" * 43) is None  # first lookup: the one read of the table
    assert counted.calls == ["read"]
    for i in range(1000):
        assert await store.resolve(f"{i:043d}") is None
    assert await store.resolve("not a token") is None
    link = await store.resolve(token)
    assert link is not None and (link.scope, link.owner_id, link.label) == (
        LinkScope.GUILD,
        GUILD,
        "Café",
    )
    assert counted.calls == ["read"]  # a thousand and two lookups later, still one read
    assert store.link_reads == 1


async def test_a_link_replaced_or_erased_here_stops_at_once(db: Database) -> None:
    clock = Clock()
    store = WebStore(db, clock=clock)
    old = await store.issue(LinkScope.MEMBER, MEMBER, lang="en", label="", now=NOW)
    assert await store.resolve(old) is not None  # the index is read and holds it
    new = await store.issue(LinkScope.MEMBER, MEMBER, lang="en", label="", now=NOW)
    assert await store.resolve(old) is None  # replaced: refused from memory, no new read
    link = await store.resolve(new)
    assert link is not None and link.owner_id == MEMBER and link.lang == "en"
    assert await store.revoke(LinkScope.MEMBER, MEMBER)
    assert await store.resolve(new) is None  # erased (/mes-donnees, /agenda nouveau-lien)
    assert store.link_reads == 1
    clock.now += LINKS_FRESH_FOR  # and the next read of the table agrees
    assert await store.resolve(new) is None
    assert await store.resolve(old) is None
    assert store.link_reads == 2


async def test_another_process_changes_show_within_the_fresh_period(db: Database) -> None:
    clock = Clock()
    here = WebStore(db, clock=clock)
    elsewhere = WebStore(db)  # another bot process sharing the database
    token = await elsewhere.issue(LinkScope.GUILD, GUILD, lang="fr", label="x", now=NOW)
    assert await here.resolve(token) is not None
    revoked = token
    token = await elsewhere.issue(LinkScope.GUILD, GUILD, lang="fr", label="x", now=NOW)
    clock.now += LINKS_FRESH_FOR - 0.1
    assert await here.resolve(token) is None  # not read yet: a new link may wait 5 s
    assert await here.resolve(revoked) is not None  # and an old one live up to 5 s
    clock.now += 0.1
    assert await here.resolve(token) is not None
    assert await here.resolve(revoked) is None


async def test_a_link_issued_before_the_first_lookup_is_found(db: Database) -> None:
    store = WebStore(db)
    token = await store.issue(LinkScope.GUILD, GUILD, lang="fr", label="x", now=NOW)
    assert await store.resolve(token) is not None
    assert await store.resolve(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
