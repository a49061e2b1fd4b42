"""Processes against the loopback Discord: the real bot (`python -m bot run`), a probe bot with
some shards, and the loopback Discord itself as a separate process with its control API.

    server = await spawn_server(seed=[{"name": "Lyon", "shard": [0, 2], "members": [...]}])
    bots = [await spawn_bot(server, db, env={"SHARD_IDS": "0", "SHARD_COUNT": "2"}), ...]
    reply = await server.slash(guild["channels"]["général"], user_id, "ping")
    messages = await server.messages(channel_id)
    await server.stop()

`spawn_bot` and `spawn_probe` take either a `DiscordServer` running in the test's own process
or a `ServerProcess`.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from .server import DiscordServer

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"


def _token(server: DiscordServer | ServerProcess) -> str:
    return server.world.token if isinstance(server, DiscordServer) else server.token


def _env(server: DiscordServer | ServerProcess, extra: dict[str, str] | None) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")},
        "DISCORD_TOKEN": _token(server),
        "DISCORD_API_BASE": server.api_base,
        "DISCORD_GATEWAY_URL": server.gateway_url,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)]),
        **(extra or {}),
    }


def database_env(database: Path | str) -> dict[str, str]:
    """Environment variables that point `python -m bot …` at this database (a file or a
    PostgreSQL URL, as the `database` fixture gives)."""
    if isinstance(database, str) and database.startswith("postgres"):
        return {"DATABASE_URL": database, "DATABASE_PATH": ""}
    return {"DATABASE_PATH": str(database), "DATABASE_URL": ""}


async def spawn_bot(
    server: DiscordServer | ServerProcess,
    database: Path | str,
    *,
    log_level: str = "WARNING",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> asyncio.subprocess.Process:
    """`python -m bot run` on `database` (a file or a PostgreSQL URL), pointed at `server`
    (`env` adds settings, e.g. the shards a process runs)."""
    extra = {**database_env(database), "LOG_LEVEL": log_level, **(env or {})}
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        # never where a developer's .env would be read
        cwd=cwd or (database.parent if isinstance(database, Path) else Path(tempfile.gettempdir())),
        env=_env(server, extra),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def spawn_probe(
    server: DiscordServer | ServerProcess,
    shard_ids: list[int],
    shard_count: int,
    *,
    sync: bool = False,
) -> tuple[asyncio.subprocess.Process, dict[str, Any]]:
    """A probe bot process (discord_server/probe.py) running `shard_ids` of `shard_count`;
    returns it once ready with what it saw: {"shards": [...], "guilds": [...]}."""
    args = ["--shard-ids", *map(str, shard_ids), "--shard-count", str(shard_count)]
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "discord_server.probe",
        *args,
        *(["--sync"] if sync else []),
        cwd=TESTS,
        env=_env(server, None),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        limit=SERVER_INFO_LIMIT,
    )
    line = await _first_line(proc, "probe")
    return proc, json.loads(line)


@dataclass
class ServerProcess:
    """The loopback Discord in its own process (`python -m discord_server`), driven through
    its control API."""

    proc: asyncio.subprocess.Process
    info: dict[str, Any]
    session: aiohttp.ClientSession

    @property
    def api_base(self) -> str:
        return str(self.info["api_base"])

    @property
    def gateway_url(self) -> str:
        return str(self.info["gateway_url"])

    @property
    def token(self) -> str:
        return str(self.info["token"])

    @property
    def guilds(self) -> list[dict[str, Any]]:
        """The seeded guilds' ids: {"id", "owner_id", "members", "channels", "roles"}."""
        return list(self.info["guilds"])

    async def _get(self, path: str) -> Any:
        async with self.session.get(self.info["control"] + path) as resp:
            resp.raise_for_status()
            return await resp.json()

    async def _post(self, path: str, body: dict[str, Any]) -> Any:
        async with self.session.post(self.info["control"] + path, json=body) as resp:
            resp.raise_for_status()
            return await resp.json()

    async def add_guild(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Seed one more guild (GUILD_CREATE reaches the shard that owns it)."""
        return await self._post("/guilds", spec)  # type: ignore[no-any-return]

    async def messages(self, channel_id: str | int) -> list[dict[str, Any]]:
        return await self._get(f"/channels/{channel_id}/messages")  # type: ignore[no-any-return]

    async def requests(self, since: int = 0) -> list[dict[str, Any]]:
        return await self._get(f"/requests?since={since}")  # type: ignore[no-any-return]

    async def gateway(self) -> dict[str, Any]:
        """Sessions (shard, intents, live, events, guilds), identifies, close codes."""
        return await self._get("/gateway")  # type: ignore[no-any-return]

    async def ratelimits(self) -> dict[str, Any]:
        return await self._get("/ratelimits")  # type: ignore[no-any-return]

    async def post(self, channel_id: str | int, user_id: str | int, content: str) -> str:
        body = {"channel_id": str(channel_id), "user_id": str(user_id), "content": content}
        return str((await self._post("/messages", body))["id"])

    async def slash(
        self, channel_id: str | int, user_id: str | int, command: str, **options: Any
    ) -> dict[str, Any]:
        """Run `/command` as the user and wait (polling, `timeout` 10 s) for the answer:
        {"answered", "content", "ephemeral", "followups"}."""
        body = {"channel_id": str(channel_id), "user_id": str(user_id), "command": command}
        body["options"] = options  # type: ignore[assignment]
        inter = await self._post("/interactions", body)
        deadline = time.monotonic() + 10
        while True:
            reply = await self._get(f"/interactions/{inter['id']}")
            if reply["answered"] or time.monotonic() > deadline:
                return reply  # type: ignore[no-any-return]
            await asyncio.sleep(0.02)

    async def stop(self) -> None:
        if self.proc.returncode is None:
            self.proc.terminate()
            try:
                await asyncio.wait_for(self.proc.wait(), 10)
            except TimeoutError:  # never leave a server behind
                self.proc.kill()
                await self.proc.wait()
        await self.session.close()


# The server's first line describes every seeded guild: hundreds of them exceed asyncio's 64 KiB.
SERVER_INFO_LIMIT = 64 * 1024 * 1024


async def spawn_server(
    *,
    seed: list[dict[str, Any]] | None = None,
    time_scale: float = 1.0,
    recommended_shards: int | None = None,
    privileged_intents: int = 0,
) -> ServerProcess:
    """Start `python -m discord_server` with `seed` (guild specs, see seed.seed_from_spec)."""
    args = ["--time-scale", str(time_scale), "--privileged-intents", str(privileged_intents)]
    if recommended_shards is not None:
        args += ["--recommended-shards", str(recommended_shards)]
    args += ["--seed-json", json.dumps(seed or [])]
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "discord_server",
        *args,
        cwd=TESTS,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)])},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        limit=SERVER_INFO_LIMIT,
    )
    line = await _first_line(proc, "server")
    return ServerProcess(proc, json.loads(line), aiohttp.ClientSession())


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _first_line(proc: asyncio.subprocess.Process, what: str) -> bytes:
    """The child's first line on stdout (what it says once ready); a child that dies first
    fails with the end of its stderr, and one that says nothing in 30 s is killed."""
    assert proc.stdout is not None
    try:
        line = await asyncio.wait_for(proc.stdout.readline(), 30)
    except BaseException:
        proc.kill()
        await proc.wait()
        raise
    if not line:
        assert proc.stderr is not None
        raise RuntimeError(f"{what} died: " + (await proc.stderr.read()).decode()[-2000:])
    return line
