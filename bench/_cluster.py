"""Shared by the multi-process benchmarks: a PostgreSQL database, the loopback Discord as its own
process seeded with servers on every shard, and a cluster of real bot processes on them.

The database: a fresh schema on `PASSERELLE_TEST_DATABASE_URL` when set, else a throw-away
PostgreSQL 15 cluster started for the run (scripts/pg_cluster.sh) and stopped after.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import asyncpg  # noqa: E402
from discord_server.process import ServerProcess, spawn_bot, spawn_server  # noqa: E402

from bot.db import Database  # noqa: E402
from bot.reminders import Schedule  # noqa: E402
from bot.reminders.store import ReminderStore  # noqa: E402
from cogs.annonces.service import KIND, USEFUL_FOR, ref_for  # noqa: E402
from cogs.annonces.store import AnnouncementStore  # noqa: E402

__all__ = ["ROOT", "Cluster", "announced", "postgres", "seed_reminders", "servers_on_shards"]

OK_BELOW = 300  # HTTP statuses below this are successes
TOO_MANY_REQUESTS = 429
MESSAGES = "/messages"
LOG_LINES_KEPT = 200


@contextlib.asynccontextmanager
async def postgres() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL schema's URL for the run."""
    base = os.environ.get("PASSERELLE_TEST_DATABASE_URL", "")
    folder = None
    if not base:
        folder = tempfile.mkdtemp(prefix="passerelle-bench-pg.")
        script = ROOT / "scripts" / "pg_cluster.sh"
        out = (
            await asyncio.to_thread(
                subprocess.run,
                ["bash", str(script), "start", folder],
                capture_output=True,
                text=True,
                check=True,
            )
        ).stdout
        base = shlex.split(out.strip().removeprefix("export "))[0].split("=", 1)[1]
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(base)
    await conn.execute(f"CREATE SCHEMA {schema}")
    await conn.close()
    try:
        yield urlunsplit(urlsplit(base)._replace(query=urlencode({"search_path": schema})))
    finally:
        conn = await asyncpg.connect(base)
        await conn.execute(f"DROP SCHEMA {schema} CASCADE")
        await conn.close()
        if folder is not None:
            stop = ["bash", str(ROOT / "scripts" / "pg_cluster.sh"), "stop", folder]
            await asyncio.to_thread(subprocess.run, stop, check=False)
            await asyncio.to_thread(shutil.rmtree, folder, ignore_errors=True)


def servers_on_shards(count: int, shard_count: int) -> list[dict[str, Any]]:
    """Seed specs: `count` servers spread evenly over the shards, one channel each."""
    return [
        {
            "name": f"Serveur {n}",
            "shard": [n % shard_count, shard_count],
            "channels": [{"name": "annonces"}, {"name": "général"}],
            "members": [{"username": f"membre{n}"}],
        }
        for n in range(count)
    ]


async def seed_reminders(
    url: str, channels: dict[int, int], count: int, due: datetime, *, writers: int = 8
) -> dict[str, int]:
    """`count` announcements due at `due`, round-robin over the servers' channels (guild →
    channel); returns each text's channel."""
    db = await Database.open(url)
    texts: dict[str, int] = {}
    pairs = list(channels.items())
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)

    async def writer() -> None:
        announcements, reminders = AnnouncementStore(db), ReminderStore(db)
        while not queue.empty():
            i = queue.get_nowait()
            guild_id, channel_id = pairs[i % len(pairs)]
            text = f"rappel {i}"
            number = await announcements.add(
                guild_id, channel_id, 1, text, due, "Europe/Paris", datetime.now(UTC)
            )
            await reminders.upsert(
                KIND,
                ref_for(number),
                guild_id,
                Schedule(occurrence=due.isoformat(), due_at=due, expires_at=due + USEFUL_FOR),
            )
            texts[text] = channel_id

    try:
        await asyncio.gather(*(writer() for _ in range(writers)))
    finally:
        await db.close()
    return texts


@dataclass
class Sent:
    """A message the bot posted (from the server's request log)."""

    text: str
    channel_id: int
    at: float  # the server's clock (time.time()) when it answered
    late: bool = False  # posted with the late note (past its due time by the late policy)


def announced(content: str) -> str:
    """The announcement's own text in a posted message (without the note a late one gets)."""
    return content.split("\n\n-# ", 1)[0]


@dataclass
class Cluster:
    """Bot processes sharing `url`, each with CLUSTER_ID i of `size`, over `shards` shards."""

    server: ServerProcess
    url: str
    size: int
    shards: int
    env: dict[str, str] = field(default_factory=dict)
    procs: dict[int, asyncio.subprocess.Process] = field(default_factory=dict)
    _seen: int = 0
    sent: list[Sent] = field(default_factory=list)
    rate_limited: int = 0
    logs: dict[int, list[str]] = field(default_factory=dict)  # each process's last lines
    _drains: list[asyncio.Task[None]] = field(default_factory=list)

    async def start(self, cluster_id: int) -> None:
        env = {
            "SHARD_COUNT": str(self.shards),
            "CLUSTER_COUNT": str(self.size),
            "CLUSTER_ID": str(cluster_id),
            "IDENTIFY_INTERVAL": "0",
            **self.env,
        }
        proc = await spawn_bot(self.server, self.url, env=env)
        self.procs[cluster_id] = proc
        # Read what it logs: a full stderr pipe (a busy machine's heartbeat warnings) would
        # block the process.
        self._drains.append(asyncio.create_task(self._drain(cluster_id, proc)))

    async def _drain(self, cluster_id: int, proc: asyncio.subprocess.Process) -> None:
        assert proc.stderr is not None
        while line := await proc.stderr.readline():
            self.logs.setdefault(cluster_id, []).append(line.decode(errors="replace"))
            del self.logs[cluster_id][:-LOG_LINES_KEPT]

    async def start_all(self) -> None:
        for cluster_id in range(self.size):
            await self.start(cluster_id)

    def kill(self, cluster_id: int) -> None:
        self.procs[cluster_id].send_signal(signal.SIGKILL)

    async def stop(self) -> list[int]:
        codes = []
        for proc in self.procs.values():
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                codes.append(await asyncio.wait_for(proc.wait(), 20))
            except TimeoutError:
                proc.kill()
                codes.append(await proc.wait())
        return codes

    async def poll(self) -> int:
        """Read the server's new requests: messages posted, 429s answered. Total posted."""
        new = await self.server.requests(since=self._seen)
        self._seen += len(new)
        now = time.time()
        for r in new:
            if r["status"] == TOO_MANY_REQUESTS:
                self.rate_limited += 1
            elif (
                r["method"] == "POST"
                and r["path"].endswith(MESSAGES)
                and r["status"] < OK_BELOW
                and r["json"]
            ):
                channel = int(r["path"].split("/")[-2])
                content = r["json"].get("content") or ""
                self.sent.append(
                    Sent(announced(content), channel, now, late=content != announced(content))
                )
        return len(self.sent)

    async def wait_for(self, total: int, seconds: float, *, every: float = 0.2) -> float:
        """Poll until `total` messages are posted; the time it took (raises past `seconds`)."""
        started = time.monotonic()
        while await self.poll() < total:
            if time.monotonic() - started > seconds:
                raise TimeoutError(f"{len(self.sent)} of {total} after {seconds:.0f} s")
            await asyncio.sleep(every)
        return time.monotonic() - started


def due_in(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def channels_of(server: ServerProcess, name: str = "annonces") -> dict[int, int]:
    return {int(g["id"]): int(g["channels"][name]) for g in server.guilds}


async def start_server(guilds: Iterable[dict[str, Any]], **kw: Any) -> ServerProcess:
    return await spawn_server(seed=list(guilds), **kw)
