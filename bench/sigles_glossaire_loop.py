"""The event loop while a server with 10,000 sigles of its own changes them (issue 14, item 7).

The real bot runs on the loopback Discord, in this process; a ticker task sleeps 1 ms over and
over and records how late it wakes up: the loop's lag, what every other member waits on top of
their own answer. In one run, with the machine's load printed beside:

* the idle loop: nothing happens (the ticker's own lag, the floor);
* members look up sigles and ask `/aide`, nothing changes;
* moderators `/glossaire ajouter`, `modifier`, `supprimer` again and again while members keep
  asking: each change is applied to the server's index on the loop (`Libraries.update`), in
  proportion to the change; its own duration is printed too;
* the first `/sigle` after a restart (the index built from scratch, off the loop), for the
  record.

Beside them, the time one full index build takes when done on the loop itself: how long every
member would wait if a change rebuilt the index there. Goal: no stall over 20 ms during a change.

Run: .venv/bin/python bench/sigles_glossaire_loop.py [--quick]  (--quick: 1,000 entries, 6
changes, under a minute)
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _loopback import ROOT  # noqa: F401 - puts the project and tests/ on sys.path
from discord import InteractionType
from discord_server import Harness, validation
from discord_server.interactions import command_data, new_interaction
from discord_server.world import Interaction, User
from sigles_autocomplete import synthetic

from bot.client import Passerelle
from bot.db import Database
from bot.settings import Settings
from cogs.sigles import service
from cogs.sigles.flows import Libraries
from cogs.sigles.glossary import load_glossary
from cogs.sigles.store import SiglesStore

TICK = 0.001  # the ticker's sleep: its lateness is the loop's lag
GOAL_MS = 20.0
ENTRIES, QUICK_ENTRIES = 10_000, 1_000
CHANGES, QUICK_CHANGES = 30, 6  # add, edit, remove, again and again
CYCLE = ("ajouter", "modifier", "supprimer")
SETTLE, QUICK_SETTLE = 0.5, 0.2  # members keep asking this long after each change (s)
MS = 1000.0


class Ticker:
    """Sleeps `TICK` again and again; records how late each wake-up is, per window, and the
    garbage collector's pauses (they hold every thread, the loop's too)."""

    def __init__(self) -> None:
        self.lags: list[float] | None = None
        self.pauses: list[float] = []
        self._task: asyncio.Task[None] | None = None
        self._gc_start = 0.0
        gc.callbacks.append(self._gc)

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
        elif self.lags is not None:
            self.pauses.append(time.perf_counter() - self._gc_start)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        gc.callbacks.remove(self._gc)
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            lags, start = self.lags, time.perf_counter()
            await asyncio.sleep(TICK)
            if lags is not None and lags is self.lags:  # a sleep begun in this very window
                lags.append(time.perf_counter() - start - TICK)

    @contextmanager
    def window(self) -> Iterator[tuple[list[float], list[float]]]:
        """One measured moment. What is alive when it starts (the fake Discord's records of
        every earlier interaction, above all) is collected once and set aside (`gc.freeze`),
        the same before every window: collections meanwhile scan what is allocated then."""
        gc.collect()
        gc.freeze()
        self.lags = lags = []
        self.pauses = pauses = []
        try:
            yield lags, pauses
        finally:
            self.lags = None


@dataclasses.dataclass
class Figures:
    name: str
    window: tuple[list[float], list[float]]
    answers: list[float]
    seconds: float

    @property
    def lags(self) -> list[float]:
        return sorted(self.window[0]) or [0.0]

    @property
    def max(self) -> float:
        return self.lags[-1]

    @property
    def p99(self) -> float:
        lags = self.lags
        return lags[max(0, int(len(lags) * 0.99) - 1)]

    def line(self) -> str:
        lags = self.lags
        stalls = sum(1 for lag in lags if lag * MS > GOAL_MS)
        answers = f"{statistics.median(self.answers) * MS:6.1f}" if self.answers else "     –"
        gc_pause = max(self.window[1], default=0.0)
        return (
            f"{self.name:<30} {statistics.median(lags) * MS:6.2f} {self.p99 * MS:6.2f} "
            f"{lags[-1] * MS:7.1f} {stalls:6d} {gc_pause * MS:7.1f} {answers} {self.seconds:7.2f}"
        )


def send(world: Harness, user: User, path: str, **options: object) -> Interaction:
    """A member's slash command, dispatched without waiting for the bot to be idle."""
    data = command_data(world.state, world.guild.id, path, options)
    channel = world.guild.default_channel
    inter, payload = new_interaction(
        world.state, InteractionType.application_command, user, channel, data
    )
    world.server.gateway.dispatch("INTERACTION_CREATE", payload)
    return inter


async def answered(inter: Interaction) -> float:
    start = time.perf_counter()
    while inter.response_type is None:  # noqa: ASYNC110 - the loopback server sets it
        await asyncio.sleep(TICK / 2)
    return time.perf_counter() - start


async def members_ask(world: Harness, until: Callable[[], bool]) -> list[float]:
    """`/aide` then `/sigle`, one member after the other, until `until()`; `/aide`'s times."""
    times = []
    while not until():
        times.append(await answered(send(world, world.bob, "aide")))
        await answered(send(world, world.bob, "sigle", terme="ASE"))
    return times


def done(future: asyncio.Future[object]) -> Callable[[], bool]:
    return future.done


def after(seconds: float) -> Callable[[], bool]:
    deadline = time.perf_counter() + seconds
    return lambda: time.perf_counter() >= deadline


async def seed(path: Path, guild_id: int, count: int) -> list[service.GuildEntry]:
    rng = random.Random(20260302)
    entries = [
        dataclasses.replace(e, origin="guild", guild_id=guild_id) for e in synthetic(count, rng)
    ]
    db = await Database.open(path)
    try:
        store = SiglesStore(db)
        await store.import_entries(guild_id, entries, 1, datetime.now(UTC))
        return await store.entries(guild_id)
    finally:
        await db.close()


class Timed:
    """Wraps `Libraries.update` (what a change costs on the loop) and records its durations."""

    def __init__(self, libraries: Libraries) -> None:
        self.times: list[float] = []
        self._update = libraries.update
        libraries.update = self  # type: ignore[method-assign]

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        start = time.perf_counter()
        self._update(*args, **kwargs)
        self.times.append(time.perf_counter() - start)


def changed_sigle(n: int) -> tuple[str, str]:
    """The n-th change of a cycle (add a sigle, edit it, remove it) and the sigle it changes."""
    kind = CYCLE[n % len(CYCLE)]
    return kind, f"ZZBENCH{n - n % len(CYCLE)}"


async def change(world: Harness, libraries: Libraries, n: int) -> Interaction:
    kind, sigle = changed_sigle(n)
    if kind == "ajouter":
        return send(world, world.alice, "glossaire ajouter", **new_sigle(sigle))
    library = await libraries.get(world.guild.id)
    [row] = [r for r in library.rows if r.entry.sigle == sigle]
    if kind == "modifier":
        return send(
            world, world.alice, "glossaire modifier", entree=str(row.id), developpe=f"Revu {n}"
        )
    return send(world, world.alice, "glossaire supprimer", entree=str(row.id))


async def main(quick: bool) -> None:
    # The fake Discord checks each request against Discord's OpenAPI description on this very
    # loop: the tests' business, not the bot's, and it would be counted as the bot's lag.
    validation._CACHE["spec"] = None
    count = QUICK_ENTRIES if quick else ENTRIES
    changes = QUICK_CHANGES if quick else CHANGES
    settle = QUICK_SETTLE if quick else SETTLE
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"

        def make() -> Passerelle:
            return Passerelle(Settings(discord_token="unused", database_path=db_path))  # type: ignore[call-arg]

        world = Harness(make, idle_timeout=120)
        rows = await seed(db_path, world.guild.id, count)
        await world.start()
        ticker = Ticker()
        ticker.start()
        figures = []
        try:
            libraries = world.bot.get_cog("SiglesCog").flows.libraries
            guild_id = world.guild.id
            # after start-up, the first /sigle builds the server's index from scratch
            start = time.perf_counter()
            with ticker.window() as window:
                first = asyncio.ensure_future(answered(send(world, world.bob, "sigle", terme="x")))
                built = asyncio.ensure_future(libraries.get(guild_id))
                times = await members_ask(world, done(built))
                await first
            first_build = Figures("first /sigle: index built", window, times, _since(start))
            await world.idle()
            updates = Timed(libraries)
            # moderators add, edit and remove sigles while members keep asking
            start = time.perf_counter()
            with ticker.window() as window:
                times = []
                for n in range(changes):
                    inter = await change(world, libraries, n)
                    await answered(inter)
                    await world.idle()
                    times += await members_ask(world, after(settle))
                    kind, sigle = changed_sigle(n)
                    found = libraries.latest(guild_id).matcher.lookup(sigle)
                    assert bool(found) != (kind == "supprimer"), f"change {n} not in the index"
            changing = _since(start)
            changed = Figures(f"{changes} × /glossaire change", window, times, changing)
            await world.idle()
            # the baselines: nothing happens at all; members ask as long, nothing changes
            start = time.perf_counter()
            with ticker.window() as window:
                await asyncio.sleep(changing)
            figures.append(Figures("idle loop: nothing happens", window, [], _since(start)))
            start = time.perf_counter()
            with ticker.window() as window:
                times = await members_ask(world, after(changing))
            figures.append(Figures("members ask, nothing changes", window, times, _since(start)))
            figures += [changed, first_build]
        finally:
            await ticker.stop()
            await world.stop()
    shipped = load_glossary()
    start = time.perf_counter()
    service.build_library(shipped, rows)
    on_loop = _since(start)
    load_after = os.getloadavg()

    print(f"a server with {count:,} sigles of its own; the loop's lag, ticker every 1 ms")
    print(f"load average (1, 5, 15 min): before {_load(load_before)}, after {_load(load_after)}")
    print(
        f"{'':<30} {'p50':>6} {'p99':>6} {'max':>7} {'>20ms':>6} {'max GC':>7} "
        f"{'/aide':>6} {'window':>7}"
    )
    print(
        f"{'':<30} {'(ms)':>6} {'(ms)':>6} {'(ms)':>7} {'(n)':>6} {'(ms)':>7} "
        f"{'p50 ms':>6} {'(s)':>7}"
    )
    for figure in figures:
        print(figure.line())
    spent = sorted(updates.times) or [0.0]
    print(
        f"{'index update on the loop':<30} {statistics.median(spent) * MS:6.2f} "
        f"{'':>6} {spent[-1] * MS:7.2f}   (per change, {len(spent)} changes)"
    )
    print(f"{'a full rebuild, for comparison':<30} {'':>6} {'':>6} {on_loop * MS:7.1f}")
    idle, asking = figures[0], figures[1]
    print(
        f"/glossaire change against the idle loop: p99 ×{changed.p99 / max(idle.p99, 1e-6):.1f}, "
        f"max ×{changed.max / max(idle.max, 1e-6):.1f}; against members asking: "
        f"p99 ×{changed.p99 / max(asking.p99, 1e-6):.1f}"
    )
    verdict = "met" if changed.max * MS <= GOAL_MS else "NOT met"
    print(f"goal: no stall over {GOAL_MS:.0f} ms during a /glossaire change: {verdict}")


def _load(load: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in load)


def new_sigle(sigle: str) -> dict[str, str]:
    return {
        "sigle": sigle,
        "region": "QC",
        "domaine": "institutions",
        "developpe": f"Dispositif du banc d'essai {sigle}",
        "explication": "Ajouté pendant la mesure.",
        "source": "https://example.org",
    }


def _since(start: float) -> float:
    return time.perf_counter() - start


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 entries, 6 changes")
    asyncio.run(main(parser.parse_args().quick))
