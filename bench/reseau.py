"""Réseau: a page of /annuaire among 10,000 profiles, and mentor matching among 1,000 mentors.

Run: .venv/bin/python bench/reseau.py [--quick]

Printed side by side, in the same run:
- the store's ranked page (filters, relevance, the total count) plus its embed, for random
  filters, pages and viewers, against a floor: the same table read five rows at a time with no
  ranking; and a page of the same query on a server of 100 profiles;
- mentor matching in SQL against the same rules in Python over the offers already in memory;
- through the loopback Discord (the real bot, real discord.py): `/annuaire` and a click on
  « Suivants » with the membership cache warm, against `/aide` (a command that reads nothing).
Goals (issue 15): a directory page p99 < 50 ms, mentor matching p99 < 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path[:0] = [
    str(Path(__file__).resolve().parents[1]),
    str(Path(__file__).resolve().parents[1] / "tests"),
]

from discord_server import Harness, validation  # noqa: E402

from bot.client import Passerelle  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.db import Database  # noqa: E402
from bot.reference import places, professions  # noqa: E402
from bot.reference.practice import Field, Language  # noqa: E402
from bot.regions import Side  # noqa: E402
from bot.settings import Settings  # noqa: E402
from cogs.reseau import render, service  # noqa: E402
from cogs.reseau.service import DirectoryFilters, MentorOffer, OpenTo  # noqa: E402
from cogs.reseau.store import ReseauStore  # noqa: E402

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
GUILD, OTHER_GUILD = 1, 2
PROFESSIONS = [p.code for p in professions.professions()]
PLACES = [p.code for p in places.places()]
QUEBEC = [p.code for p in places.places().of_country("QC")]
PERCENT = 100
SHOWN = 0.85  # the share of members who show their profile


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / PERCENT * (len(ordered) - 1)))]


def line(label: str, values: list[float], n: str) -> str:
    return (
        f"  {label:<44} n={n:<14} p50 {statistics.median(values):7.2f} ms"
        f"   p99 {pct(values, 99):7.2f} ms   max {max(values):7.2f} ms"
    )


async def timed(calls: list[Callable[[], Awaitable[object]]]) -> list[float]:
    out = []
    for call in calls:
        start = time.perf_counter()
        await call()
        out.append((time.perf_counter() - start) * 1000)
    return out


async def fill(store: ReseauStore, guild: int, count: int, rng: random.Random) -> None:
    for i in range(count):
        place = rng.choice(PLACES)
        target = rng.choice([None, None, None, rng.choice(PLACES)])
        fields = service.validate_profile(
            profession=rng.choice(PROFESSIONS),
            place=place,
            target_place=None if target == place else target,
            fields=rng.sample(list(Field), rng.randint(0, 4)),
            open_to=rng.sample(list(OpenTo), rng.randint(0, 3)),
            languages=rng.sample(list(Language), rng.randint(1, 2)),
            presentation="Travailleuse sociale, " + "parcours et projets " * rng.randint(1, 8),
        )
        when = NOW - timedelta(minutes=rng.randint(0, 100_000))
        await store.profiles.save_profile(guild, 10_000_000 + guild * 1_000_000 + i, fields, when)
        if rng.random() < SHOWN:
            await store.profiles.set_visible(guild, 10_000_000 + guild * 1_000_000 + i, True, when)


def random_filters(rng: random.Random) -> DirectoryFilters:
    return DirectoryFilters(
        profession=rng.choice([None, None, *PROFESSIONS]),
        side=rng.choice([None, None, *Side]),
        place=rng.choice([None, None, None, *PLACES]),
        practice=rng.choice([None, None, *Field]),
        open_to=rng.choice([None, None, None, *OpenTo]),
    )


async def bench_store(profiles: int, mentors: int, samples: int, rng: random.Random) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.db")
        store = ReseauStore(db)
        started = time.perf_counter()
        await fill(store, GUILD, profiles, rng)
        await fill(store, OTHER_GUILD, max(100, profiles // 100), rng)
        for i in range(mentors):
            offer = MentorOffer(
                id=0,
                guild_id=GUILD,
                user_id=20_000_000 + i,
                place=rng.choice(QUEBEC + PLACES[:20]),
                profession=rng.choice(PROFESSIONS),
                capacity=rng.randint(1, 4),
                fields=frozenset(rng.sample(list(Field), rng.randint(0, 3))),
                languages=frozenset(rng.sample(list(Language), rng.randint(1, 2))),
            )
            await store.mentoring.save_mentor(offer, NOW)
        print(f"  (filled in {time.perf_counter() - started:.1f} s)")

        viewers = [
            await store.profiles.profile(GUILD, 10_000_000 + GUILD * 1_000_000 + i)
            for i in range(50)
        ]

        async def page_call(guild: int) -> Callable[[], Awaitable[object]]:
            filters = random_filters(rng)
            viewer = rng.choice(viewers)
            ranking = service.directory_ranking(guild, viewer.user_id, filters, viewer)
            page = rng.choice([0, 0, 0, 1, 2, 5, 20])

            async def call() -> object:
                rows, total = await store.profiles.directory_page(ranking, page)
                return render.directory_embed(
                    [(p, "Membre") for p in rows], page, total, filters, "fr"
                )

            return call

        async def floor_call() -> object:
            return await db.fetchall(
                "SELECT * FROM reseau_profiles WHERE guild_id = ? AND visible = 1 LIMIT 5",
                (GUILD,),
            )

        pages = await timed([await page_call(GUILD) for _ in range(samples)])
        small = await timed([await page_call(OTHER_GUILD) for _ in range(samples)])
        floor = await timed([floor_call for _ in range(samples)])
        print("Directory page (ranked in SQL, counted, rendered):")
        print(line("/annuaire page, ranked", pages, f"{profiles:,} profiles"))
        print(line("same, small server", small, f"{max(100, profiles // 100):,} profiles"))
        print(line("floor: 5 rows, no ranking, no count", floor, f"{profiles:,} profiles"))

        offers = [
            o for i in range(mentors) if (o := await store.mentoring.mentor(GUILD, 20_000_000 + i))
        ]
        searches = [
            service.mentor_search(
                GUILD,
                1,
                destination=rng.choice(QUEBEC),
                profession=rng.choice(PROFESSIONS),
                arrival="2027-09",
                now=NOW,
                practice=rng.choice([None, *Field]),
                language=rng.choice([None, *Language]),
            )
            for _ in range(samples)
        ]
        sql = await timed(
            [
                (lambda s=s: store.mentoring.best_mentors(s, service.MENTOR_SUGGESTIONS * 2))
                for s in searches
            ]
        )

        async def in_python(search: service.MentorSearch) -> object:
            return service.best_mentors(offers, search)

        python = await timed([(lambda s=s: in_python(s)) for s in searches])
        print("Mentor matching (three best, with room left):")
        print(line("in SQL (what the bot runs)", sql, f"{mentors:,} mentors"))
        print(line("rules in Python, offers already in memory", python, f"{mentors:,} mentors"))
        await db.close()


async def bench_loopback(profiles: int, samples: int, rng: random.Random) -> None:
    """The real bot on the loopback Discord: /annuaire and a page click, warm cache. The
    loopback's OpenAPI validation is switched off here: checking an embed and its buttons
    against Discord's description costs it ~30 ms per request, which is not the bot's time."""
    validation.load_spec = lambda: None  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bot.db"
        clock = FakeClock(NOW)
        world = Harness(
            lambda: Passerelle(Settings(discord_token="x", database_path=path), clock=clock)
        )
        await world.start()
        try:
            guild = world.guild.state
            store = ReseauStore(world.bot.db)
            members = [world.state.add_user(f"m{i}") for i in range(profiles)]
            for user in members:
                world.state.add_member(guild, user)
            for i, user in enumerate(members):
                fields = service.validate_profile(
                    profession=rng.choice(PROFESSIONS), place=rng.choice(PLACES),
                    presentation="Présentation " * rng.randint(1, 10),
                )  # fmt: skip
                await store.profiles.save_profile(
                    guild.id, user.id, fields, NOW - timedelta(seconds=i)
                )
                await store.profiles.set_visible(
                    guild.id, user.id, True, NOW - timedelta(seconds=i)
                )
            viewer = world.bob
            await world.guild.slash(viewer, "annuaire")  # warms the membership cache
            slash, clicks, aide = [], [], []
            for _ in range(samples):
                start = time.perf_counter()
                page = await world.guild.slash(viewer, "annuaire")
                slash.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                await page.click("Suivants ▶", by=viewer)
                clicks.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                await world.guild.slash(viewer, "aide")
                aide.append((time.perf_counter() - start) * 1000)
            print("Through the loopback Discord (real bot; the harness waits until it is idle):")
            print(line("/annuaire, first page", slash, f"{profiles:,} profiles"))
            print(line("« Suivants », next page", clicks, f"{profiles:,} profiles"))
            print(line("baseline: /aide", aide, "—"))
            world.bot_errors.clear()
        finally:
            await world.stop()


async def main(quick: bool) -> None:
    rng = random.Random(15)
    profiles = 1_000 if quick else 10_000
    mentors = 200 if quick else 1_000
    samples = 40 if quick else 400
    print(
        f"Réseau bench ({'quick' if quick else 'full'}): {profiles:,} profiles, {mentors:,} mentors"
    )
    await bench_store(profiles, mentors, samples, rng)
    await bench_loopback(profiles // 10 if quick else profiles, 10 if quick else 60, rng)
    print("Goals: directory page p99 < 50 ms; mentor matching p99 < 20 ms.")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    asyncio.run(main(parser.parse_args().quick))
