"""The cluster drill: several bot processes over the shards of one PostgreSQL database, one of
them killed with SIGKILL in the middle of a fan-out and restarted.

3 processes over 6 shards, 3,000 announcements due at the same instant across 300 servers, the
loopback Discord as its own process with Discord's limits (50 requests/s for the whole bot,
5 messages per 5 s per channel). Process 1 is killed once a third is delivered and started
again `--down` seconds later. Printed: every announcement delivered exactly once (lost,
duplicated), the 429s, each one's lateness against its due instant — the bound is the engine's
lease plus the pacing floor (what the whole fan-out takes at 50/s) plus the time the process
was down — and the combined send rate.

Run: .venv/bin/python bench/cluster_drill.py [--quick] [--processes 3] [--shards 6]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections import Counter

from _cluster import (
    Cluster,
    announced,
    channels_of,
    due_in,
    postgres,
    seed_reminders,
    servers_on_shards,
    start_server,
)

from bot.reminders.policy import CLAIM_LEASE

GLOBAL_PER_SECOND = 50


async def drill(processes: int, shards: int, guilds: int, count: int, down: float) -> bool:
    async with postgres() as url:
        server = await start_server(servers_on_shards(guilds, shards), time_scale=1)
        cluster = Cluster(server, url, processes, shards)
        try:
            lead = 8.0  # seconds for the processes to start before the items fall due
            due = due_in(lead)
            texts = await seed_reminders(url, channels_of(server), count, due)
            await cluster.start_all()
            # generous waits: a starved machine is measured and said, not cut short
            await cluster.wait_for(count // 3, lead + 120 + count / 3)
            victim = 1 % processes
            cluster.kill(victim)
            killed = time.time()
            killed_at = len(cluster.sent)
            await asyncio.sleep(down)
            await cluster.start(victim)
            # Every item is delivered within the lease (the dead process's claims run out) plus
            # the floor (the whole fan-out at 50/s) after the kill, if the restart is quicker
            # than the lease.
            floor = count / GLOBAL_PER_SECOND
            deadline = killed + max(CLAIM_LEASE.total_seconds(), down) + floor
            await cluster.wait_for(count, deadline - time.time() + 60 + count)
            await asyncio.sleep(2)  # a straggler (a duplicate, if any) would arrive now
            await cluster.poll()
            # what members see: the channels' messages (a resent nonce is no new message)
            seen = [
                announced(m["content"])
                for channel in sorted(set(texts.values()))
                for m in await server.messages(channel)
            ]
            codes = await cluster.stop()
            hits = (await server.ratelimits())["hits"]
        finally:
            await cluster.stop()
            await server.stop()
    counts = Counter(seen)
    lost = set(texts) - set(counts)
    twice = {t: n for t, n in counts.items() if n > 1}
    resent = len(cluster.sent) - len(seen)
    wrong = [s for s in cluster.sent if texts.get(s.text) != s.channel_id]
    late = [s.at - due.timestamp() for s in cluster.sent]
    after_kill = max(s.at for s in cluster.sent) - killed
    span = max(s.at for s in cluster.sent) - min(s.at for s in cluster.sent)
    global_429 = sum(1 for h in hits if h["scope"] == "global")
    first = min(s.at for s in cluster.sent)
    before = killed_at / (killed - first) if killed > first else float("nan")
    # the same bound at the rate this machine reached before the kill (its load is printed)
    loaded = max(CLAIM_LEASE.total_seconds(), down) + count / before
    exactly_once = not lost and not twice and not wrong
    ok = exactly_once and after_kill <= deadline - killed
    print(
        f"cluster drill: {processes} processes × {shards} shards, {guilds} servers, {count} due"
        f"\n  process {victim} killed after {killed_at} delivered, down {down:.0f} s;"
        f" exit codes {codes}"
        f"\n  delivered {len(counts)} / {count}: lost {len(lost)}, duplicated {len(twice)},"
        f" wrong channel {len(wrong)}; sends repeated with their nonce (dropped by Discord)"
        f" {resent}; 429s {cluster.rate_limited} (global {global_429}"
        f" {sorted({h['route'] for h in hits if h['scope'] == 'global'}) or ''}, a channel's"
        f" {len(hits) - global_429})"
        f"\n  last delivery {after_kill:.1f} s after the kill; bound {deadline - killed:.1f} s"
        f" (lease {CLAIM_LEASE.total_seconds():.0f} + floor {floor:.1f});"
        f" lateness p50 {statistics.median(late):.1f} s, max {max(late):.1f} s"
        f"\n  combined rate {count / span:.1f} msg/s over {span:.1f} s (limit {GLOBAL_PER_SECOND});"
        f" {before:.1f} msg/s before the kill; load {os.getloadavg()[0]:.1f} on"
        f" {os.cpu_count()} cores"
        f"\n  exactly once: {'yes' if exactly_once else 'NO'}; within lease + floor:"
        f" {'yes' if ok else 'no'}; within lease + the fan-out at the rate reached"
        f" ({loaded:.1f} s): {'yes' if after_kill <= loaded else 'no'}"
        f"\n  {'OK' if ok else 'FAILED'}"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="30 servers, 300 due (CI)")
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--shards", type=int, default=6)
    parser.add_argument("--down", type=float, default=3.0, help="seconds the victim stays down")
    args = parser.parse_args()
    guilds, count = (30, 300) if args.quick else (300, 3000)
    ok = asyncio.run(drill(args.processes, args.shards, guilds, count, args.down))
    return 0 if ok else 1


if __name__ == "__main__":
    t0 = time.monotonic()
    code = main()
    print(f"  ({time.monotonic() - t0:.0f} s)")
    sys.exit(code)
