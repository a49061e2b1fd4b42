"""The order of a batch's sends to one target: in due order (then id), whatever runs first.

A run claims a batch of due items, in due order, and handles them `workers` at a time. Each item
renders on its own (what it sends, and where, is known only then); a send then waits its turn
behind the batch's earlier items that send to the same target (a channel, or a member's DMs),
and only behind them: other targets go on at once. So a catch-up after downtime reads as it was
planned (« rappel : demain » before « ça commence »), at no real cost — Discord serialises a
channel's sends anyway (5 per 5 s).

How, without a timeout and without a deadlock:

- every item has a place in the batch (its position). Once it knows its targets it declares
  them; when every earlier item has declared, its turn on each target is known: behind the last
  earlier item that declared that target (or nobody's);
- an item leaves a target as soon as it has sent there, or decided not to (a transient failure
  retried later, a target already settled, an exception): `sent`; when it is done (`close`),
  whatever it declared and has not left is left, and an item that never declared (no handler,
  missed, a render that raised, nothing to send) declares nothing. So an earlier item never
  holds a later one back longer than it takes to finish; and the next one there still waits
  for the items ahead of the one that left (it may leave before its turn, when it raised);
- an item waiting its turn gives its worker slot back (`turn`) and takes one again first among
  the waiting (slots go lowest position first, `Gate`): waiting never holds a slot, so the
  earliest unfinished item always gets one, and the batch always moves on;
- DMs go on their own lane (a task per item, no slot); the lane leaves each member's target as
  it goes, and all of them when it ends (`close_lane`), even cancelled. A DM waits behind an
  earlier item's DM to the same member even from an earlier batch still on its lane (the
  engine's `last` outlives a batch).

Not ordered: a retry (an item that failed transiently goes again later, after the ones behind
it), a closed DM's fallback mention in a channel, the moderators' failure reports, and anything
across processes — several processes (PostgreSQL, shards) each order only their own batch, and
their batches run side by side: no order is promised between two processes' items.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections.abc import AsyncIterator, Iterable, Sequence

from bot.reminders.model import DueItem


async def _until_done(future: asyncio.Future[None]) -> None:
    """Wait for `future` without cancelling it if the waiter is cancelled."""
    if not future.done():
        await asyncio.wait([future])


def _leave(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _both(before: asyncio.Future[None] | None, mine: asyncio.Future[None]) -> asyncio.Future[None]:
    """Done when the item ahead has left the target and this one has: an item that leaves a
    target without having had its turn there (it raised first) lets nobody overtake the item
    ahead of it."""
    if before is None or before.done():
        return mine
    both: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def check(_: asyncio.Future[None]) -> None:
        if before.done() and mine.done():
            _leave(both)

    before.add_done_callback(check)
    mine.add_done_callback(check)
    return both


class Gate:
    """`size` slots (the engine's workers), handed to the waiter of lowest position first: an
    item coming back from its turn goes before the batch's items that have not started."""

    def __init__(self, size: int) -> None:
        self._free = size
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._count = itertools.count()

    async def acquire(self, position: int) -> None:
        if self._free > 0:  # then nobody waits: a freed slot goes straight to a waiter
            self._free -= 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (position, next(self._count), future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()  # handed a slot just as it was cancelled: pass it on
            raise

    def release(self) -> None:
        while self._waiting:
            _, _, future = heapq.heappop(self._waiting)
            if not future.done():  # a cancelled waiter is skipped
                future.set_result(None)
                return
        self._free += 1


class Place:
    """One item's place in its batch: its worker slot, and its turns on its targets."""

    def __init__(self, order: BatchOrder, position: int) -> None:
        self._order = order
        self.position = position
        self._sends: dict[str, asyncio.Future[None]] | None = None  # None: not declared yet
        self._after: dict[str, asyncio.Future[None] | None] = {}  # whom it follows, by target
        self._ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._holding = False
        self._lane: set[str] = set()  # targets handed to the DM lane

    @contextlib.asynccontextmanager
    async def working(self) -> AsyncIterator[None]:
        """Hold a worker slot (given back while waiting a turn)."""
        await self._order.gate.acquire(self.position)
        self._holding = True
        try:
            yield
        finally:
            if self._holding:
                self._holding = False
                self._order.gate.release()

    def declare(self, targets: Iterable[str]) -> None:
        """Where this item sends (once; later calls are ignored)."""
        if self._sends is not None:
            return
        loop = asyncio.get_running_loop()
        self._sends = {target: loop.create_future() for target in dict.fromkeys(targets)}
        self._order._advance()

    def _clear(self, target: str) -> bool:
        if not self._ready.done():
            return False
        before = self._after.get(target)
        return before is None or before.done()

    async def wait(self, target: str) -> None:
        """Until the batch's earlier items are done with `target` (the DM lane's: no slot)."""
        await _until_done(self._ready)
        before = self._after.get(target)
        if before is not None:
            await _until_done(before)

    async def turn(self, target: str) -> None:
        """A worker's turn on `target`: its slot is given back while it waits."""
        if self._clear(target):
            return
        self._holding = False
        self._order.gate.release()
        await self.wait(target)
        await self._order.gate.acquire(self.position)
        self._holding = True

    def sent(self, target: str) -> None:
        """Done with `target` (sent, or nothing more to send there now): the next may go."""
        if self._sends is not None and target in self._sends:
            _leave(self._sends[target])

    def hand_over(self, targets: Iterable[str]) -> None:
        """These targets are the DM lane's to leave (`close` keeps them)."""
        self._lane.update(targets)

    def close(self) -> None:
        """The worker is done with this item: it declared what it declared, or nothing."""
        self.declare(())
        assert self._sends is not None
        for target, future in self._sends.items():
            if target not in self._lane:
                _leave(future)

    def close_lane(self) -> None:
        """The DM lane is done (or cancelled): every target it held is left."""
        if self._sends is not None:
            for target in self._lane:
                if target in self._sends:
                    _leave(self._sends[target])


class BatchOrder:
    """One batch's places, in the batch's order (due, then id), and `workers` slots.

    `last` maps a target to the send the next one waits for; the engine keeps it across
    batches (a DM lane outlives its batch)."""

    def __init__(
        self,
        items: Sequence[DueItem],
        workers: int,
        last: dict[str, asyncio.Future[None]],
    ) -> None:
        self.gate = Gate(workers)
        self._places = [Place(self, position) for position in range(len(items))]
        self._by_id = {item.id: place for item, place in zip(items, self._places, strict=True)}
        self._frontier = 0  # every place before it has declared
        for target in [target for target, sent in last.items() if sent.done()]:
            del last[target]  # nobody to wait for there any more
        self._last = last

    def place(self, item: DueItem) -> Place:
        return self._by_id[item.id]

    def _advance(self) -> None:
        """Places declared in batch order take their turns behind the earlier ones."""
        while self._frontier < len(self._places):
            place = self._places[self._frontier]
            if place._sends is None:
                return
            for target, sent in place._sends.items():
                before = self._last.get(target)
                place._after[target] = before
                self._last[target] = _both(before, sent)
            _leave(place._ready)
            self._frontier += 1
