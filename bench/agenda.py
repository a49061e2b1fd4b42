"""The web side under load: a feed of 1,000 meet-ups (from the cache, rebuilt), the public page
under 100 concurrent requests, and 10,000 requests with wrong tokens.

Run: .venv/bin/python bench/agenda.py [--quick] [--profile]

The server is the real web side (bot.web) over a real database filled through the real stores
(Rencontres, Apéro), in a process of its own; this process is the client, over 127.0.0.1.
Each figure is printed beside a baseline measured in the same run: a bare aiohttp handler in
the same server process returning a static body of the same size (no database, no rendering).

Goals (issue 18): feed p99 < 20 ms from the cache and < 200 ms rebuilt; page p99 < 50 ms under
100 concurrent requests; wrong tokens change nothing and cost < 1 ms each. Those absolute
figures assume an idle machine; on a loaded one (the load averages are printed on every line)
the honest figure is the ratio to bare aiohttp measured in the same run (×1.00: our code costs
nothing beyond aiohttp's own). A rebuild has no bare counterpart: it is split, server side,
into the providers' read of the agenda (the features' stores) and the feed's rendering (ours).
`--profile` prints the server process's cProfile for each part.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from datetime import time as wall_time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from aiohttp import web

from bot.agenda import Agenda, AgendaRegistry
from bot.clock import FakeClock
from bot.db import Database
from bot.health import Health
from bot.metrics import Metrics
from bot.web import WebContext, WebServer, ics
from bot.web.cache import FRESH_FOR
from bot.web.ratelimit import Limits
from bot.web.store import LinkScope, WebStore
from cogs.apero.handlers import AperoAgenda
from cogs.apero.service import SeriesFields
from cogs.apero.store import AperoStore
from cogs.rencontres.handlers import RencontresAgenda
from cogs.rencontres.service import Details, Format
from cogs.rencontres.store import RencontreStore

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GUILD = 1
EVENTS = 1000
CONCURRENCY = 100
OK = 200
PROFILE_LINES = 30
OPTIONS = argparse.Namespace(quick=False, profile=False)
GENEROUS = Limits(rate=1e9, burst=1e9, failure_rate=1e9, failure_burst=1e9)


# -- the server process -----------------------------------------------------------------------
async def fill(path: Path) -> str:
    """1,000 published meet-ups and 3 apéro series; returns the server's feed token."""
    db = await Database.open(path)
    store = RencontreStore(db)
    for i in range(EVENTS):
        start = NOW + timedelta(days=1 + i // 10, hours=i % 10)
        details = Details(
            title=f"Rencontre n° {i} : café réseau, échanges; « pratiques »",
            starts_at=start,
            duration_min=90,
            zone="Europe/Paris" if i % 3 else "America/Montreal",
            format=Format.PRESENTIEL if i % 2 else Format.VISIO,
            place="Café des Arts, 12 rue de la Paix, Lyon" if i % 2 else None,
            link=None if i % 2 else "https://meet.example.org/rencontre",
            capacity=None,
            description="Une rencontre pour parler de nos pratiques.\nBienvenue à toutes et tous.",
        )
        event = await store.create_draft(GUILD, 42, details, "fr", NOW)
        await store.claim_draft(event.id, "fr", NOW)
        await store.set_fields(event.id, NOW, channel_id=100, message_id=1000 + i)
    aperos = AperoStore(db)
    for n, (day, zone) in enumerate(
        [(4, "Europe/Paris"), (2, "America/Montreal"), (0, "Europe/Paris")]
    ):
        fields = SeriesFields(
            f"Apéro {n}", day, wall_time(18), zone, 100, "https://meet.example.org/a"
        )
        draft = await aperos.save_draft(GUILD, 42, fields, NOW)
        await aperos.create_from_draft(draft, 42, NOW)
    web_store = WebStore(db)
    token = await web_store.issue(LinkScope.GUILD, GUILD, lang="fr", label="Bench", now=NOW)
    await web_store.enable_page(GUILD, "Bench", NOW)
    await db.close()
    return token


class TimedRegistry(AgendaRegistry):
    """The real registry, timing each read of a server's agenda (the providers' share)."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[float] = []

    async def for_guild(self, guild_id: int, now: datetime) -> Agenda:
        t0 = time.perf_counter()
        try:
            return await super().for_guild(guild_id, now)
        finally:
            self.reads.append(time.perf_counter() - t0)


def timed_renders() -> list[float]:
    """Times every feed rendering in this (server) process: the web side's own share."""
    renders: list[float] = []
    render = ics.render

    def timed(*args: Any, **kwargs: Any) -> bytes:
        t0 = time.perf_counter()
        try:
            return render(*args, **kwargs)
        finally:
            renders.append(time.perf_counter() - t0)

    ics.render = timed  # type: ignore[assignment]
    return renders


def split(name: str, values: list[float]) -> str:
    if not values:
        return f"{name}: none"
    return f"{name}: {len(values)}, p50 {pct(values, 50):.1f} ms p99 {pct(values, 99):.1f} ms"


async def serve(path: Path, limits: Limits, fresh_for: float, ports: Any, stop: Any) -> None:
    db = await Database.open(path)
    renders = timed_renders()
    registry = TimedRegistry()
    registry.register("rencontres", RencontresAgenda(RencontreStore(db)))
    registry.register("apero", AperoAgenda(AperoStore(db)))

    async def health() -> Health:
        return Health({"database": True})

    async def nothing() -> None:
        return None

    ctx = WebContext(
        store=WebStore(db),
        agenda=registry,
        clock=FakeClock(NOW),
        metrics=Metrics(),
        lang_of=lambda guild_id: "fr",
        health=health,
        refresh_metrics=nothing,
        limits=limits,
    )
    ctx.reads.fresh_for = fresh_for
    if fresh_for == 0:  # every request reads: nothing stale either
        ctx.reads.stale_for = 0.0
    server = WebServer(ctx, host="127.0.0.1", port=0)
    await server.start()

    # The baseline: a bare handler returning a static body, sizes chosen by the client.
    bodies: dict[int, bytes] = {}

    async def bare(request: web.Request) -> web.Response:
        size = int(request.match_info["size"])
        body = bodies.setdefault(size, b"x" * size)
        return web.Response(body=body, content_type="text/plain")

    app = web.Application()
    app.router.add_get("/static/{size}", bare)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    baseline_port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    ports.put((server.port, baseline_port))
    await asyncio.get_running_loop().run_in_executor(None, stop.get)
    if fresh_for == 0:
        print(
            f"    server side — {split('agenda reads (providers)', registry.reads)};"
            f" {split('feed renders', renders)} | {load()}"
        )
    await server.stop()
    await runner.cleanup()
    await db.close()


def server_process(
    path: str, limits: Limits, fresh_for: float, ports: Any, stop: Any, profile: bool
) -> None:
    if not profile:
        asyncio.run(serve(Path(path), limits, fresh_for, ports, stop))
        return
    import cProfile  # noqa: PLC0415 (only with --profile)
    import pstats  # noqa: PLC0415

    profiler = cProfile.Profile()
    profiler.enable()
    asyncio.run(serve(Path(path), limits, fresh_for, ports, stop))
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs().sort_stats("tottime")
    print(f"\n--- server-side profile (fresh_for {fresh_for:g}), by own time ---")
    stats.print_stats(PROFILE_LINES)


# -- the client -------------------------------------------------------------------------------
def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def line(name: str, ms: list[float], base: list[float], goal: str) -> None:
    ratio = pct(ms, 99) / pct(base, 99)
    print(
        f"  {name:<30} p50 {pct(ms, 50):7.2f} ms  p99 {pct(ms, 99):7.2f} ms"
        f" | bare aiohttp p50 {pct(base, 50):6.2f} ms  p99 {pct(base, 99):6.2f} ms"
        f" | p99 ×{ratio:.2f} | goal {goal} | {load()}"
    )


async def timed(session: aiohttp.ClientSession, url: str, **kw: Any) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    async with session.get(url, **kw) as answer:
        body = await answer.read()
    return time.perf_counter() - t0, answer.status, len(body)


async def sequential(session: aiohttp.ClientSession, url: str, n: int) -> tuple[list[float], int]:
    out, size = [], 0
    for _ in range(n):
        took, status, size = await timed(session, url)
        assert status == OK, (url, status)
        out.append(took)
    return out, size


async def concurrent(
    session: aiohttp.ClientSession, url: str, rounds: int, width: int = CONCURRENCY
) -> list[float]:
    out: list[float] = []
    for _ in range(rounds):
        results = await asyncio.gather(*(timed(session, url) for _ in range(width)))
        assert all(status == OK for _, status, _ in results)
        out.extend(took for took, _, _ in results)
    return out


async def bench(quick: bool) -> None:
    repeat = 100 if quick else 300
    rebuilt = 15 if quick else 60
    rounds = 3 if quick else 20
    wrong = 1000 if quick else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        token = await fill(path)
        print(f"filled {EVENTS} meet-ups and 3 series in {time.perf_counter() - t0:.1f} s")

        print(f"\n[reads reused for {FRESH_FOR:g} s (the default), no rate limit]")
        async with server(path, GENEROUS, FRESH_FOR) as (base, static, session):
            feed = f"{base}/feed/{token}.ics"
            first, _, size = await timed(session, feed)
            print(
                f"  feed: {EVENTS} meet-ups + 3 series, {size / 1024:.0f} KiB;"
                f" first request (cold: read + render) {first * 1000:.1f} ms"
            )
            cached, _ = await sequential(session, feed, repeat)
            baseline, _ = await sequential(session, f"{static}/{size}", repeat)
            line("feed from the cache", cached, baseline, "p99 < 20 ms")
            page = f"{base}/agenda/{GUILD}"
            _, _, page_size = await timed(session, page)
            loaded = await concurrent(session, page, rounds)
            page_base = await concurrent(session, f"{static}/{page_size}", rounds)
            line(f"page, {CONCURRENCY} concurrent", loaded, page_base, "p99 < 50 ms")
            await wrong_tokens(session, base, static, path, token, wrong, "lookups (404)")

        print("\n[every request reads the database (fresh_for 0), no rate limit]")
        async with server(path, GENEROUS, 0.0) as (base, static, session):
            feed = f"{base}/feed/{token}.ics"
            await timed(session, feed)
            unchanged, _ = await sequential(session, feed, repeat)
            line("feed re-read, unchanged", unchanged, baseline, "")
            times = await edits_then_feed(session, path, feed, rebuilt)
            line("feed rebuilt after an edit", times, baseline[: len(times)], "p99 < 200 ms")

        print("\n[default rate limits]")
        async with server(path, Limits(), FRESH_FOR) as (base, static, session):
            await wrong_tokens(session, base, static, path, token, wrong, "limited (404, then 429)")


@asynccontextmanager
async def server(
    path: Path, limits: Limits, fresh_for: float
) -> AsyncIterator[tuple[str, str, aiohttp.ClientSession]]:
    ctx = mp.get_context("spawn")
    ports, stop = ctx.Queue(), ctx.Queue()
    proc = ctx.Process(
        target=server_process, args=(str(path), limits, fresh_for, ports, stop, OPTIONS.profile)
    )
    proc.start()
    port, baseline_port = ports.get(timeout=60)
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    try:
        async with aiohttp.ClientSession(connector=connector, trust_env=False) as session:
            yield (
                f"http://127.0.0.1:{port}",
                f"http://127.0.0.1:{baseline_port}/static",
                session,
            )
    finally:
        stop.put(True)
        proc.join(timeout=30)


async def edits_then_feed(
    session: aiohttp.ClientSession, path: Path, feed: str, count: int
) -> list[float]:
    """Another process edits one meet-up before each request: the server reads different data
    and writes the feed again (the edited event anew, the others from its item cache)."""
    db = await Database.open(path)
    store = RencontreStore(db)
    times = []
    for i in range(count):
        event = await store.get(1 + i)
        assert event is not None
        details = Details(
            f"{event.title} (modifiée {i})",
            event.starts_at,
            event.duration_min,
            event.zone,
            event.format,
            event.place,
            event.link,
            event.capacity,
            event.description,
        )
        await store.update_details(event.id, details, NOW)
        took, status, _ = await timed(session, feed)
        assert status == OK
        times.append(took)
    await db.close()
    return times


async def wrong_tokens(
    session: aiohttp.ClientSession,
    base: str,
    static: str,
    path: Path,
    token: str,
    count: int,
    what: str,
) -> None:
    db = await Database.open(path)
    before = [tuple(r) for r in await db.fetchall("SELECT * FROM agenda_links ORDER BY id")]
    statuses: dict[int, int] = {}
    width = 50

    async def one(i: int) -> float:
        took, status, _ = await timed(session, f"{base}/feed/{i:043d}.ics")
        statuses[status] = statuses.get(status, 0) + 1
        return took

    t0 = time.perf_counter()
    times: list[float] = []
    for start in range(0, count, width):
        times += await asyncio.gather(*(one(i) for i in range(start, min(count, start + width))))
    wall = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(0, count, width):
        await asyncio.gather(*(timed(session, f"{static}/20") for _ in range(width)))
    base_wall = time.perf_counter() - t0
    after = [tuple(r) for r in await db.fetchall("SELECT * FROM agenda_links ORDER BY id")]
    await db.close()
    valid = (await timed(session, f"{base}/feed/{token}.ics"))[1]
    print(
        f"  {count} wrong tokens, {what}: {wall / count * 1000:.3f} ms each"
        f" ({count / wall:.0f}/s, 50 at a time) | bare aiohttp {base_wall / count * 1000:.3f} ms"
        f" each | ×{wall / base_wall:.2f} | goal < 1 ms each | {load()}"
    )
    print(
        f"    answers {dict(sorted(statuses.items()))}; links table unchanged: {before == after};"
        f" the right token afterwards: {valid}"
    )
    del times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer requests (CI)")
    parser.add_argument(
        "--profile", action="store_true", help="print the server side's cProfile per part"
    )
    parser.parse_args(namespace=OPTIONS)
    asyncio.run(bench(OPTIONS.quick))


if __name__ == "__main__":
    main()
