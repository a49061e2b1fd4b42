"""The bot's request budget across processes, and where the shared database becomes the limit.

Discord's global limit (50 requests/s) is the bot's, whatever the number of processes. With 1, 2
and 3 processes over 6 shards of one PostgreSQL database (the loopback Discord as its own
process, enforcing that limit and 5 messages per 5 s per channel):

1. the combined send rate of a fan-out (1,500 announcements due at once over 300 servers, 5 per
   channel): each process takes its slots from the bucket in the database (bot.db.buckets), so
   the goal is ≥ 0.9 × 50/s with 0 global 429s whatever the number of processes;
2. interactions per second: `/mes-donnees` (every personal-data provider read from the
   database) run by 12 members at once for a while, spread over every shard; printed with the
   database's own transactions per second (pg_stat_database) and the machine's load — the
   processes, the loopback and PostgreSQL share its cores.

Run: .venv/bin/python bench/cluster_rate.py [--quick] [--processes 1,2,3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from typing import Any

import asyncpg
from _cluster import Cluster, channels_of, due_in, postgres, seed_reminders, start_server

SHARDS = 6
GLOBAL_PER_SECOND = 50
GOAL = 0.9
CONCURRENT_MEMBERS = 12


def servers(count: int) -> list[dict[str, Any]]:
    return [
        {
            "name": f"Serveur {n}",
            "shard": [n % SHARDS, SHARDS],
            "channels": [{"name": "annonces"}, {"name": "général"}],
            "members": [{"username": f"membre{n}"}],
        }
        for n in range(count)
    ]


async def ready(server: Any, sessions: int, seconds: float = 120) -> None:
    """Until `sessions` gateway sessions (one per shard) are up and the commands synced."""
    deadline = time.monotonic() + seconds
    while len((await server.gateway())["sessions"]) < sessions or not any(
        r["method"] == "PUT" and "/commands" in r["path"] for r in await server.requests()
    ):
        if time.monotonic() > deadline:
            raise TimeoutError("the shards did not all connect, or the commands were not synced")
        await asyncio.sleep(0.2)


async def commits(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(
            await conn.fetchval(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
            )
        )
    finally:
        await conn.close()


async def run(processes: int, guilds: int, count: int, seconds: float) -> dict[str, Any]:
    async with postgres() as url:
        server = await start_server(servers(guilds), time_scale=1)
        cluster = Cluster(server, url, processes, SHARDS)
        try:
            lead = 6.0 + 2.0 * processes  # the processes start before the items fall due
            due = due_in(lead)
            await seed_reminders(url, channels_of(server), count, due)
            await cluster.start_all()
            await cluster.wait_for(count, lead + count / GLOBAL_PER_SECOND * 3 + 60)
            await asyncio.sleep(1)  # a late 429 would be seen now
            await cluster.poll()
            hits = (await server.ratelimits())["hits"]
            at = sorted(s.at for s in cluster.sent)
            span = at[-1] - at[0]
            rate = (len(at) - 1) / span if span > 0 else float("inf")

            # interactions: members of every server (hence every shard) at once
            await ready(server, SHARDS)
            await asyncio.sleep(2)  # the fan-out's last writes settle
            answered = missed = 0
            latencies: list[float] = []
            stop = time.monotonic() + seconds
            first = await commits(url)
            started = time.monotonic()

            async def member(i: int) -> None:
                nonlocal answered, missed
                n = i
                while time.monotonic() < stop:
                    g = server.guilds[n % len(server.guilds)]
                    asked = time.monotonic()
                    reply = await server.slash(
                        g["channels"]["général"], g["members"][f"membre{n % guilds}"], "mes-donnees"
                    )
                    answered += bool(reply["answered"])
                    missed += not reply["answered"]
                    if reply["answered"]:
                        latencies.append(time.monotonic() - asked)
                    n += CONCURRENT_MEMBERS

            await asyncio.gather(*(member(i) for i in range(CONCURRENT_MEMBERS)))
            took = time.monotonic() - started
            tps = (await commits(url) - first) / took
            await cluster.stop()
        finally:
            await cluster.stop()
            await server.stop()
    global_429 = sum(1 for h in hits if h["scope"] == "global")
    return {
        "processes": processes,
        "rate": rate,
        "span": span,
        "global_429": global_429,
        "channel_429": len(hits) - global_429,
        "global_routes": sorted({h["route"] for h in hits if h["scope"] == "global"}),
        "delivered": len({s.text for s in cluster.sent}),
        "count": count,
        "interactions": answered / took,
        "missed": missed,
        "latency": statistics.median(latencies) if latencies else float("nan"),
        "tps": tps,
        "load": os.getloadavg()[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="300 due over 60 servers, 5 s")
    parser.add_argument("--processes", default="1,2,3")
    args = parser.parse_args()
    guilds, count, seconds = (60, 300, 5.0) if args.quick else (300, 1500, 15.0)
    print(
        f"cluster rate: {SHARDS} shards, {count} due over {guilds} servers, then /mes-donnees by"
        f" {CONCURRENT_MEMBERS} members for {seconds:.0f} s; load before"
        f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    ok = True
    for processes in (int(p) for p in args.processes.split(",")):
        r = asyncio.run(run(processes, guilds, count, seconds))
        good = (
            r["delivered"] == count
            and r["global_429"] == 0
            and r["rate"] >= GOAL * GLOBAL_PER_SECOND
        )
        ok &= good
        print(
            f"  {processes} process{'es' if processes > 1 else ''}: sends {r['rate']:.1f}/s"
            f" ({r['rate'] / GLOBAL_PER_SECOND:.2f} × {GLOBAL_PER_SECOND}/s) over"
            f" {r['span']:.1f} s, delivered {r['delivered']}/{count}, 429s global"
            f" {r['global_429']} {r['global_routes'] or ''}, a channel's {r['channel_429']}"
            f" | interactions {r['interactions']:.1f}/s (p50 {r['latency']:.2f} s,"
            f" {r['missed']} not answered within Discord's 3 s), database {r['tps']:.0f} commits/s"
            f" | load {r['load']:.1f}  {'OK' if good else 'FAILED'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    t0 = time.monotonic()
    code = main()
    print(f"  ({time.monotonic() - t0:.0f} s)")
    sys.exit(code)
