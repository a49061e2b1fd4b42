"""Passerelle over shards: one process running every shard (any back-end), and a cluster of
processes sharing a PostgreSQL database, each serving its own servers' interactions and
scheduled messages, the commands synced once for the cluster."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from discord_server import Harness
from discord_server.process import ServerProcess, spawn_bot, spawn_server

from bot.db import Database, is_postgres
from bot.reminders import Schedule
from bot.reminders.store import ReminderStore
from bot.shards import Sharding
from cogs.annonces.service import KIND, USEFUL_FOR, ref_for
from cogs.annonces.store import AnnouncementStore

PER_GUILD = 5
CLUSTER = {"IDENTIFY_INTERVAL": "0", "SHARD_COUNT": "2"}


async def test_one_process_over_two_shards_serves_both(passerelle: Any) -> None:
    """SHARD_COUNT=2 in one process (AutoShardedBot): servers of both shards are answered."""
    harness = Harness(passerelle(shards=Sharding(2, (0, 1)), identify_interval=0))
    await harness.start()
    try:
        guilds = [
            await harness.add_guild(name, shard=(shard, 2), members=[harness.alice])
            for shard, name in enumerate(("Lyon", "Montréal"))
        ]
        for guild in guilds:
            reply = await guild.slash(harness.alice, "aide")
            assert reply.answered and "Passerelle" in reply.text
        sessions = {s.shard for s in harness.server.gateway.sessions.values() if s.live}
        assert sessions == {(0, 2), (1, 2)}
    finally:
        await harness.stop()
    harness.check()


async def _wait_for(predicate: Callable[[], Any], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not await predicate():
        if time.monotonic() > deadline:
            raise AssertionError("not reached in time")
        await asyncio.sleep(0.1)


async def _seed(database: str, channels: dict[int, int]) -> None:
    """PER_GUILD announcements already due in each server's channel (guild id → channel)."""
    db = await Database.open(database)
    try:
        now = datetime.now(UTC)
        due = now - timedelta(seconds=1)
        announcements, reminders = AnnouncementStore(db), ReminderStore(db)
        for n in range(PER_GUILD):
            for guild_id, channel_id in channels.items():
                number = await announcements.add(
                    guild_id, channel_id, 1, f"{guild_id} {n}", due, "Europe/Paris", now
                )
                await reminders.upsert(
                    KIND,
                    ref_for(number),
                    guild_id,
                    Schedule(occurrence=due.isoformat(), due_at=due, expires_at=due + USEFUL_FOR),
                )
    finally:
        await db.close()


async def test_a_cluster_of_two_processes_shares_the_work(database: Path | str) -> None:
    if not is_postgres(database):
        pytest.skip("several processes share one PostgreSQL database (the PostgreSQL run)")
    assert isinstance(database, str)
    seed = [
        {"name": "Lyon", "shard": [0, 2], "members": [{"username": "alice"}]},
        {"name": "Montréal", "shard": [1, 2], "members": [{"username": "bruno"}]},
    ]
    server: ServerProcess = await spawn_server(seed=seed, time_scale=0.05)
    lyon, montreal = server.guilds
    channel = {g["id"]: g["channels"]["annonces"] for g in (lyon, montreal)}
    await _seed(database, {int(g): int(c) for g, c in channel.items()})
    procs: list[asyncio.subprocess.Process] = []

    async def count(guild: dict[str, Any]) -> int:
        return len(await server.messages(channel[guild["id"]]))

    try:
        # Shard 1's process alone: Montréal's announcements go out, Lyon's wait for shard 0.
        procs.append(await spawn_bot(server, database, env={**CLUSTER, "SHARD_IDS": "1"}))

        async def montreal_done() -> bool:
            return await count(montreal) == PER_GUILD

        await _wait_for(montreal_done, 60)
        assert await count(lyon) == 0
        # Shard 0's process (the primary): Lyon's announcements, and the one command sync.
        procs.append(await spawn_bot(server, database, env={**CLUSTER, "SHARD_IDS": "0"}))

        async def lyon_done() -> bool:
            return await count(lyon) == PER_GUILD

        await _wait_for(lyon_done, 60)

        async def synced() -> bool:
            return any(r["method"] == "PUT" for r in await server.requests())

        await _wait_for(synced, 30)
        # Each server's interactions reach the process running its shard, which answers.
        for guild, member in ((lyon, "alice"), (montreal, "bruno")):
            reply = await server.slash(
                guild["channels"]["général"], guild["members"][member], "aide"
            )
            assert reply["answered"] and reply["ephemeral"], reply  # /aide: an ephemeral embed
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            assert await asyncio.wait_for(proc.wait(), 20) == 0
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.kill()
                with contextlib.suppress(Exception):
                    await proc.wait()
        requests = await server.requests()
        sessions = (await server.gateway())["sessions"]
        await server.stop()
    puts = [r for r in requests if r["method"] == "PUT" and "/commands" in r["path"]]
    assert len(puts) == 1, puts  # the commands, synced once for the whole cluster
    assert sorted(tuple(s["shard"]) for s in sessions) == [(0, 2), (1, 2)]
    for guild in (lyon, montreal):
        texts = sorted(m["content"] for m in await _messages_after(requests, channel[guild["id"]]))
        assert texts == sorted(f"{guild['id']} {n}" for n in range(PER_GUILD))  # once each
    # Both processes' requests took their tokens from the one bucket in the database.
    db = await Database.open(database)
    try:
        bucket = await db.fetchone(
            "SELECT rate, burst FROM rate_buckets WHERE name = ?", ("discord_global",)
        )
    finally:
        await db.close()
    assert bucket is not None and bucket["rate"] > 0


async def _messages_after(requests: list[dict[str, Any]], channel_id: str) -> list[dict[str, Any]]:
    """The messages the bot posted in a channel, from the server's request log (2xx only)."""
    return [
        r["json"]
        for r in requests
        if r["method"] == "POST"
        and r["path"].endswith(f"/channels/{channel_id}/messages")
        and 200 <= r["status"] < 300
    ]
