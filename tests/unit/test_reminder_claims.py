"""Claims with leases (bot.reminders.store): several processes take due items from one table
and never the same one; a dead process's items are taken over once its lease has run out. On
the run's back-end (SQLite, or PostgreSQL in .ci/run's second pass)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.db import Database
from bot.reminders import Schedule
from bot.reminders.policy import CLAIM_LEASE
from bot.reminders.store import ReminderStore

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEASE = NOW + CLAIM_LEASE


@pytest.fixture
async def stores(database: Path | str) -> AsyncIterator[list[ReminderStore]]:
    """Three processes' stores on one database (three connections, or pools)."""
    dbs = [await Database.open(database) for _ in range(3)]
    try:
        yield [ReminderStore(db) for db in dbs]
    finally:
        for db in dbs:
            await db.close()


async def _due(store: ReminderStore, n: int, at: datetime = NOW) -> None:
    for i in range(n):
        await store.upsert("k", f"r{i:03d}", 1 << 40, Schedule(f"o{i}", at - timedelta(seconds=i)))


async def test_processes_claiming_together_never_share_an_item(
    stores: list[ReminderStore],
) -> None:
    await _due(stores[0], 120)
    taken: list[list[str]] = [[] for _ in stores]

    async def worker(n: int) -> None:
        while items := await stores[n].claim(NOW, 7, f"p{n}", LEASE):
            taken[n] += [i.ref for i in items]
            await asyncio.sleep(0)

    await asyncio.gather(*(worker(n) for n in range(len(stores))))
    every = [ref for refs in taken for ref in refs]
    assert sorted(every) == [f"r{i:03d}" for i in range(120)]  # all, each once


async def test_a_claim_is_oldest_first_and_only_what_is_due(stores: list[ReminderStore]) -> None:
    await _due(stores[0], 5)
    await stores[0].upsert("k", "later", None, Schedule("o", NOW + timedelta(hours=1)))
    items = await stores[0].claim(NOW, 3, "a", LEASE)
    assert [i.ref for i in items] == ["r004", "r003", "r002"]
    assert [i.ref for i in await stores[1].claim(NOW, 10, "b", LEASE)] == ["r001", "r000"]


async def test_a_dead_processs_claims_are_taken_over_after_its_lease(
    stores: list[ReminderStore],
) -> None:
    first, second, _ = stores
    await _due(first, 3)
    assert len(await first.claim(NOW, 10, "dead", LEASE)) == 3  # …then the process dies
    assert await second.claim(NOW + timedelta(seconds=10), 10, "alive", LEASE) == []
    # the next wake-up of the others: when the lease runs out
    assert await second.next_due() == LEASE
    later = LEASE + timedelta(seconds=1)
    assert len(await second.claim(later, 10, "alive", later + CLAIM_LEASE)) == 3


async def test_a_live_process_keeps_its_claims_by_renewing_them(
    stores: list[ReminderStore],
) -> None:
    first, second, _ = stores
    await _due(first, 2)
    await first.claim(NOW, 10, "busy", LEASE)
    assert await first.renew("busy", LEASE + CLAIM_LEASE) == 2
    assert await second.claim(LEASE + timedelta(seconds=1), 10, "other", LEASE) == []


async def test_settling_or_retrying_releases_the_claim(stores: list[ReminderStore]) -> None:
    first, second, _ = stores
    await _due(first, 2)
    one, two = await first.claim(NOW, 10, "a", LEASE)
    await first.retry_later(one, NOW + timedelta(seconds=15))
    await first.settle(two, Schedule("next", NOW + timedelta(days=7)))
    assert await second.next_due() == NOW + timedelta(seconds=15)  # free again, at its new time
    retried = await second.claim(NOW + timedelta(seconds=16), 10, "b", LEASE)
    assert [i.ref for i in retried] == [one.ref]
    await second.settle(retried[0], None)
    assert await second.next_due() == NOW + timedelta(days=7)


async def test_rescheduling_a_claimed_item_frees_it(stores: list[ReminderStore]) -> None:
    first, second, _ = stores
    await _due(first, 1)
    await first.claim(NOW, 10, "a", LEASE)
    await first.upsert("k", "r000", 1 << 40, Schedule("moved", NOW - timedelta(seconds=1)))
    assert [i.occurrence for i in await second.claim(NOW, 10, "b", LEASE)] == ["moved"]


async def test_release_all(stores: list[ReminderStore]) -> None:
    await _due(stores[0], 4)
    await stores[0].claim(NOW, 10, "gone", LEASE)
    assert await stores[0].release_all() == 4
    assert len(await stores[1].claim(NOW, 10, "b", LEASE)) == 4


async def test_after_a_run_the_next_wake_up_is_a_due_time_or_another_processs_lease(
    stores: list[ReminderStore],
) -> None:
    first, second, _ = stores
    await _due(first, 2)
    await first.upsert("k", "later", None, Schedule("o", NOW + timedelta(hours=1)))
    await first.claim(NOW, 10, "dead", LEASE)
    # for the holder, its own claims are no reason to wake: the next due time is
    assert await first.next_due_after(NOW, "dead") == NOW + timedelta(hours=1)
    # for the others, the end of its lease (if it died, its items are free then)
    assert await second.next_due_after(NOW, "alive") == LEASE
    assert await second.next_due_after(LEASE, "alive") == NOW + timedelta(hours=1)


async def test_a_process_that_stops_gives_back_what_it_held(stores: list[ReminderStore]) -> None:
    first, second, _ = stores
    await _due(first, 3)
    await first.claim(NOW, 2, "stopping", LEASE)
    await second.claim(NOW, 1, "other", LEASE)
    assert await first.release("stopping") == 2
    assert len(await second.claim(NOW, 10, "b", LEASE)) == 2  # at once, not after the lease
