"""`/config rappels` over a big delivery ledger, and the ledger's size under the retention.

1. **1M ledger rows within the retention** (50 servers, a few problems each, 10,000 pending
   items for the server asking): the moderators' screen answered `rounds` times in a row.
   Goal: p99 < 50 ms. The bare bot answering a slash command is the baseline.
2. **The same ledger, mostly past the retention** (deliveries older than two weeks, problems
   older than a month): the bot prunes it itself, in chunks, while moderators keep asking; the
   database's live size before and after, and the screen's p99 during the pruning.

Run: .venv/bin/python bench/config_rappels.py [--quick]
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _loopback import COMMAND, Bench, args, machine_note, percentile, ratio, summary
from discord_server import permissions as P

from bot.db import Database
from bot.db.timestamps import to_ts

SERVERS = 50
PENDING = 10_000
PROBLEM_SHARE = 0.005


async def migrate(db_path: Path) -> None:
    db = await Database.open(db_path)
    await db.close()


def seed(db_path: Path, guild_id: int, rows: int, *, old: bool) -> None:
    """`rows` ledger rows over SERVERS servers (the bench's first); `old`: mostly past the
    retention (deliveries 15–60 days old, problems 31–90 days), else all within it."""
    rng = random.Random(14)
    now = datetime.now(UTC)
    guilds = [guild_id, *range(10**17, 10**17 + SERVERS - 1)]

    def ledger():
        for i in range(rows):
            problem = rng.random() < PROBLEM_SHARE
            status = rng.choice(("missed", "failed")) if problem else "sent"
            if old:
                days = rng.uniform(31, 90) if problem else rng.uniform(15, 60)
            else:
                days = rng.uniform(0, 29) if problem else rng.uniform(0, 13.9)
            at = to_ts(now - timedelta(days=days))
            yield (
                "annonce",
                f"annonce:{i}",
                datetime.fromtimestamp(at, UTC).isoformat(),
                f"channel:{1000 + i % 97}",
                guilds[i % SERVERS],
                status,
                None,
                "unknown_channel" if problem else None,
                at,
            )

    def pending():
        start = now + timedelta(days=1)
        for i in range(PENDING):
            due = start + timedelta(minutes=i)
            yield ("annonce", f"pending:{i}", guild_id, due.isoformat(), to_ts(due), "{}")

    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "INSERT INTO reminder_ledger (kind, ref, occurrence, target, guild_id, status,"
            " message_id, error, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ledger(),
        )
        conn.executemany(
            "INSERT INTO reminder_items (kind, ref, guild_id, occurrence, due_at, payload)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            pending(),
        )
    conn.close()


def live_size(db_path: Path) -> tuple[float, int]:
    """(MB of pages in use, ledger rows): what the data needs, free pages excluded."""
    conn = sqlite3.connect(db_path)
    try:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        count = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        rows = conn.execute("SELECT COUNT(*) FROM reminder_ledger").fetchone()[0]
    finally:
        conn.close()
    return (count - free) * page / 1e6, rows


def new_bench() -> Bench:
    bench = Bench()
    role = bench.state.add_role(bench.guild, "Passerelle", P.BOT_DEFAULT)
    bench.guild.members[bench.state.bot_user.id].role_ids.append(role.id)
    return bench


async def ask(bench: Bench, rounds: int, path: str = "config rappels") -> list[float]:
    latencies = []
    for _ in range(rounds):
        started = time.monotonic()
        await bench.slash(bench.owner, path)
        latencies.append(time.monotonic() - started)
    return latencies


async def bare(rounds: int) -> list[float]:
    bench = new_bench()
    await bench.start()
    try:
        await bench.start_bare()
        # The bare bot registers no command: the interaction names one it answers anyway.
        data = {"id": "1", "name": "config", "type": 1}
        latencies = []
        for _ in range(rounds):
            inter, sent = bench.send(COMMAND, bench.owner, bench.channel, data)
            latencies.append(await bench.answered(inter, sent))
        return latencies
    finally:
        await bench.stop()


async def passerelle(rows: int, rounds: int, *, old: bool) -> dict[str, object]:
    bench = new_bench()
    await bench.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db_path = Path(tmp) / "bench.db"
            await migrate(db_path)
            t0 = time.perf_counter()
            seed(db_path, bench.guild.id, rows, old=old)
            seeded = time.perf_counter() - t0
            before = live_size(db_path)
            await bench.start_passerelle(db_path)
            await bench.settled()
            latencies = await ask(bench, rounds)
            await bench.until(lambda: live_size(db_path)[1] < before[1] or not old, within=600)
            if old:  # wait until the pruning is done (rows stop shrinking)
                last = -1
                while (current := live_size(db_path)[1]) != last:
                    last = current
                    await asyncio.sleep(2)
                await bench.stop_bot()  # a checkpoint: the WAL is folded into the file
            after = live_size(db_path)
            return {"latencies": latencies, "seeded": seeded, "before": before, "after": after}
    finally:
        await bench.stop()


async def main() -> None:
    options = args(__doc__)
    rows, rounds = (100_000, 30) if options.quick else (1_000_000, 200)
    print(machine_note())
    base = await bare(rounds)
    print(f"\n# /config rappels, {rows:,} ledger rows within the retention, {PENDING:,} pending")
    ours = await passerelle(rows, rounds, old=False)
    lat = ours["latencies"]
    assert isinstance(lat, list)
    print(f"bare (any slash command): {summary(base)}")
    print(f"passerelle /config rappels: {summary(lat)}")
    print(
        ratio("answer p99", percentile(base, 99) * 1e3, percentile(lat, 99) * 1e3, "ms", "< 50 ms")
    )
    mb, count = ours["before"]  # type: ignore[misc]
    print(f"database: {mb:.1f} MB for {count:,} ledger rows ({mb * 1e6 / count:.0f} bytes a row)")

    print(f"\n# the same, {rows:,} rows mostly past the retention: pruned by the bot itself")
    ours = await passerelle(rows, rounds, old=True)
    lat = ours["latencies"]
    assert isinstance(lat, list)
    print(f"passerelle /config rappels during the pruning: {summary(lat)}")
    (mb0, n0), (mb1, n1) = ours["before"], ours["after"]  # type: ignore[misc]
    print(f"live database: {mb0:.1f} MB ({n0:,} rows) → {mb1:.1f} MB ({n1:,} rows kept)")


if __name__ == "__main__":
    asyncio.run(main())
