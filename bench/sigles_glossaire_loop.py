"""The event loop while a server with 10,000 sigles of its own changes one (issue 14, item 7).

The real bot runs on the loopback Discord, in this process; a ticker task sleeps 1 ms over and
over and records how late it wakes up: the loop's lag, what every other member waits on top of
their own answer. Three moments, in one run:

* baseline: nothing changes (members look up sigles and ask `/aide`);
* a `/glossaire ajouter` by a moderator, until the server's index is rebuilt (members keep
  asking `/aide` meanwhile);
* the first `/sigle` after a restart (the index built from scratch).

Beside them, the time one index build takes when done on the loop itself (as before): how long
every member would have waited. Goal: no stall over 20 ms.

Run: .venv/bin/python bench/sigles_glossaire_loop.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

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
from cogs.sigles.glossary import load_glossary
from cogs.sigles.store import SiglesStore

TICK = 0.001  # the ticker's sleep: its lateness is the loop's lag
GOAL_MS = 20.0
ENTRIES, QUICK_ENTRIES = 10_000, 1_000
CHANGES, QUICK_CHANGES = 3, 1
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
            start = time.perf_counter()
            await asyncio.sleep(TICK)
            if self.lags is not None:
                self.lags.append(time.perf_counter() - start - TICK)

    @contextmanager
    def window(self) -> Iterator[tuple[list[float], list[float]]]:
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
    def p99(self) -> float:
        lags = self.lags
        return lags[max(0, int(len(lags) * 0.99) - 1)]

    def line(self) -> str:
        lags = self.lags
        stalls = sum(1 for lag in lags if lag * MS > GOAL_MS)
        answers = f"{statistics.median(self.answers) * MS:6.1f}" if self.answers else "     –"
        gc_pause = max(self.window[1], default=0.0)
        return (
            f"{self.name:<32} {lags[-1] * MS:7.1f} {self.p99 * MS:6.1f} {stalls:6d} "
            f"{gc_pause * MS:7.1f} {answers} {self.seconds:7.2f}"
        )


def send(world: Harness, user: User, path: str, **options: object) -> Interaction:
    """A member's slash command, dispatched without waiting for the bot to be idle."""
    data = command_data(world.state, world.guild.id, path, options)
    channel = world.guild.default_channel
    inter, payload = new_interaction(
        world.state, InteractionType.application_command.value, user, channel, data
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


async def main(quick: bool) -> None:
    # The fake Discord checks each request against Discord's OpenAPI description on this very
    # loop: the tests' business, not the bot's, and it would be counted as the bot's lag.
    validation._CACHE["spec"] = None
    count = QUICK_ENTRIES if quick else ENTRIES
    changes = QUICK_CHANGES if quick else CHANGES
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
            figures.append(Figures("first /sigle: index built", window, times, _since(start)))
            await world.idle()
            # a moderator adds a sigle: the index is rebuilt while members keep asking
            start = time.perf_counter()
            with ticker.window() as window:
                times = []
                for n in range(changes):
                    added = send(world, world.alice, "glossaire ajouter", **new_sigle(n))
                    await answered(added)
                    rebuilt = asyncio.ensure_future(libraries.get(guild_id))
                    times += await members_ask(world, done(rebuilt))
                    assert (await rebuilt).matcher.lookup(f"ZZBENCH{n}"), "in the new index"
            changing = _since(start)
            figures.append(Figures(f"{changes} × /glossaire ajouter", window, times, changing))
            await world.idle()
            # the baseline: members ask as long, nothing changes
            start = time.perf_counter()
            with ticker.window() as window:
                times = await members_ask(world, after(changing))
            figures.insert(0, Figures("baseline: nothing changes", window, times, _since(start)))
            await world.idle()
        finally:
            await ticker.stop()
            await world.stop()
    shipped = load_glossary()
    start = time.perf_counter()
    service.build_library(shipped, rows)
    on_loop = _since(start)

    print(f"a server with {count:,} sigles of its own; the loop's lag, ticker every 1 ms")
    print(f"{'':<32} {'max':>7} {'p99':>6} {'>20ms':>6} {'max GC':>7} {'/aide':>6} {'window':>7}")
    print(f"{'':<32} {'(ms)':>7} {'(ms)':>6} {'(n)':>6} {'(ms)':>7} {'p50 ms':>6} {'(s)':>7}")
    for figure in figures:
        print(figure.line())
    print(f"{'before: index built on the loop':<32} {on_loop * MS:7.1f}   (every member waits)")
    base, *rest = figures
    ratios = ", ".join(f"{f.p99 / base.p99:.1f}" for f in rest)
    print(f"p99 lag against the baseline: ×{ratios}; goal: no stall over {GOAL_MS:.0f} ms")


def new_sigle(n: int) -> dict[str, str]:
    return {
        "sigle": f"ZZBENCH{n}",
        "region": "QC",
        "domaine": "institutions",
        "developpe": f"Dispositif du banc d'essai {n}",
        "explication": "Ajouté pendant la mesure.",
        "source": "https://example.org",
    }


def _since(start: float) -> float:
    return time.perf_counter() - start


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 entries, one change")
    asyncio.run(main(parser.parse_args().quick))
