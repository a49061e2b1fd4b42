"""The order of a batch's sends to one target (bot/reminders/ordering.py), without Discord:
items are worked the way the engine works them (a slot, render, declare, a turn per target)."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime

from bot.reminders.model import DueItem
from bot.reminders.ordering import BatchOrder, Gate

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def _items(n: int) -> list[DueItem]:
    return [DueItem(i + 1, "k", f"r{i}", 1, "1", T0, None, {}, 0) for i in range(n)]


async def test_a_target_waits_for_the_earlier_items_there_and_only_for_them() -> None:
    items = _items(3)
    order = BatchOrder(items, 2, {})
    release_first = asyncio.Event()
    sent: list[str] = []

    async def work(item: DueItem, target: str, hold: asyncio.Event | None = None) -> None:
        place = order.place(item)
        try:
            async with place.working():
                place.declare([target])
                await place.turn(target)
                if hold is not None:
                    await hold.wait()  # a slow send
                sent.append(f"{item.ref}@{target}")
                place.sent(target)
        finally:
            place.close()

    tasks = [
        asyncio.create_task(work(items[0], "channel:1", release_first)),
        asyncio.create_task(work(items[1], "channel:1")),  # waits for r0, its slot given back
        asyncio.create_task(work(items[2], "channel:2")),  # takes that slot: does not wait
    ]
    await asyncio.wait_for(tasks[2], 5)
    assert sent == ["r2@channel:2"]
    release_first.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 5)
    assert sent == ["r2@channel:2", "r0@channel:1", "r1@channel:1"]


async def test_the_gate_hands_a_freed_slot_to_the_lowest_position() -> None:
    gate = Gate(1)
    await gate.acquire(0)
    got: list[int] = []

    async def take(position: int) -> None:
        await gate.acquire(position)
        got.append(position)
        gate.release()

    tasks = [asyncio.create_task(take(p)) for p in (7, 3, 5)]
    await asyncio.sleep(0)
    cancelled = asyncio.create_task(take(1))
    await asyncio.sleep(0)
    cancelled.cancel()  # a waiter cancelled is skipped
    gate.release()
    await asyncio.wait_for(asyncio.gather(*tasks), 5)
    assert got == [3, 5, 7]


async def test_whatever_each_item_does_the_batch_ends_and_each_target_is_in_batch_order() -> None:
    rng = random.Random(20261201)
    for _ in range(20):
        items = _items(120)
        last: dict[str, asyncio.Future[None]] = {}
        order = BatchOrder(items, 4, last)
        sends: dict[str, list[int]] = {}
        lanes: list[asyncio.Task[None]] = []

        async def pause() -> None:
            for _ in range(rng.randrange(3)):
                await asyncio.sleep(0)

        async def lane(place, targets: list[str], position: int, sends=sends) -> None:  # type: ignore[no-untyped-def]
            for target in targets:
                await place.wait(target)
                await pause()
                sends.setdefault(target, []).append(position)
                place.sent(target)

        async def work(  # type: ignore[no-untyped-def]
            position: int, item: DueItem, order=order, sends=sends, lanes=lanes
        ) -> None:
            place = order.place(item)
            fate = rng.choice(["send", "send", "send", "raise early", "raise late", "nothing"])
            targets = rng.sample([f"channel:{c}" for c in range(5)], rng.randrange(1, 3))
            dms = rng.sample([f"dm:{u}" for u in range(3)], rng.randrange(0, 2))
            try:
                async with place.working():
                    await pause()
                    if fate == "raise early":  # the render raised: nothing declared
                        raise RuntimeError
                    if fate == "nothing":
                        place.declare([])
                        return
                    place.declare(targets + dms)
                    for target in targets:
                        await place.turn(target)
                        await pause()
                        if fate == "raise late":  # the send raised, after its turn
                            raise RuntimeError
                        sends.setdefault(target, []).append(position)
                        place.sent(target)
                    if dms:
                        place.hand_over(dms)
                        task = asyncio.create_task(lane(place, dms, position))
                        task.add_done_callback(lambda _: place.close_lane())
                        lanes.append(task)
            except RuntimeError:
                pass
            finally:
                place.close()

        async def batch(items=items, lanes=lanes) -> None:  # type: ignore[no-untyped-def]
            await asyncio.gather(*(work(p, item) for p, item in enumerate(items)))
            await asyncio.gather(*lanes)

        await asyncio.wait_for(batch(), 10)  # no deadlock
        for target, positions in sends.items():
            assert positions == sorted(positions), target
        assert all(future.done() for future in last.values())
