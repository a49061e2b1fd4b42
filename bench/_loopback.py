"""Shared by the benchmarks: the loopback Discord from tests/, real bot processes on it (Passerelle
and the bare discord.py bot of `bare_bot.py`), members acting on them, figures side by side.

The bot runs in its own process; this process plays Discord. Members act by sending
interactions over the gateway; an answer is known when the bot's callback reaches the server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from discord import ComponentType, InteractionType  # noqa: E402
from discord_server import DiscordServer  # noqa: E402
from discord_server.interactions import (  # noqa: E402
    command_data,
    find_component,
    new_interaction,
)
from discord_server.process import peak_rss_mb  # noqa: E402
from discord_server.world import Channel, Interaction, Message, User  # noqa: E402

BARE_BOT = Path(__file__).with_name("bare_bot.py")
READY_MARKERS = (b"Passerelle ready", b"bare ready")
COMPONENT, COMMAND = InteractionType.component, InteractionType.application_command
BUTTON = ComponentType.button
GLOBAL_PER_SECOND = 50  # Discord's global limit per bot
TOO_MANY_REQUESTS = 429
OK_BELOW = 300  # HTTP statuses below this are successes
# Discord's per-channel limits that the strict loopback plays (tests/README.md).
CHANNEL_EDITS = (5, 5.0)

__all__ = [
    "ROOT",
    "Bench",
    "DiscordServer",
    "args",
    "peak_rss_mb",
    "percentile",
    "ratio",
]

# Bytecode of the bots' own modules, cached between starts as an installed bot's would be (the
# environment may forbid writing it next to the sources).
PYCACHE = Path(os.environ.get("TMPDIR", "/tmp")) / "passerelle-bench-pycache"


def bot_env(server: DiscordServer, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DISCORD_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(
        DISCORD_TOKEN=server.world.token,
        DISCORD_API_BASE=server.api_base,
        DISCORD_GATEWAY_URL=server.gateway_url,
        PYTHONPYCACHEPREFIX=str(PYCACHE),
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def args(doc: str | None, **extra: Any) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, seconds (CI)")
    for name, default in extra.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(default), default=default)
    return parser.parse_args()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def ratio(label: str, bare: float, ours: float, unit: str, goal: str = "") -> str:
    """One line: the bare bot's figure, Passerelle's, and Passerelle / bare."""
    r = ours / bare if bare else float("nan")
    line = f"{label:<44} bare {bare:>9.2f} {unit:<6} passerelle {ours:>9.2f} {unit:<6} ×{r:.2f}"
    return f"{line}  ({goal})" if goal else line


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used so far: a start-up figure that a busy
    machine stretches less than wall time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_note() -> str:
    load = os.getloadavg()
    return f"machine: {os.cpu_count()} cores, load {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"


class Bench:
    """The loopback Discord, one guild, and members acting on a bot running in another process."""

    def __init__(self, server: DiscordServer | None = None) -> None:
        warnings.filterwarnings("ignore", message="Discord OpenAPI spec not found")
        self.server = server or DiscordServer()
        self.state = self.server.world
        self.owner = self.state.add_user("dominique")
        self.guild = self.state.add_guild("Bench", self.owner)
        self.channel = self.state.add_channel(self.guild, "rencontres")
        self.proc: asyncio.subprocess.Process | None = None
        self.stamps: dict[int, float] = {}  # id(recorded request) -> when it arrived (monotonic)
        self._stamper: asyncio.Task[None] | None = None
        self._seen = 0

    # -- the server ------------------------------------------------------------------------
    async def start(self) -> None:
        await self.server.start()
        self._stamper = asyncio.get_running_loop().create_task(self._stamp())

    async def stop(self) -> None:
        await self.stop_bot()
        if self._stamper is not None:
            self._stamper.cancel()
        await self.server.stop()

    async def _stamp(self) -> None:
        """Note when each request arrived (the server records no time): every millisecond."""
        while True:
            now = time.monotonic()
            requests = self.server.requests
            for request in requests[self._seen :]:
                self.stamps[id(request)] = now
            self._seen = len(requests)
            await asyncio.sleep(0.001)

    def when(self, request: Any) -> float:
        return self.stamps.get(id(request), float("nan"))

    def add_members(self, count: int, prefix: str = "membre") -> list[User]:
        users = []
        for i in range(count):
            user = self.state.add_user(f"{prefix}{i}")
            self.state.add_member(self.guild, user)
            users.append(user)
        return users

    # -- the bot ---------------------------------------------------------------------------
    async def start_passerelle(
        self, db_path: Path, log_level: str = "INFO", health: float = 0
    ) -> float:
        """Start Passerelle (`python -m bot run`); seconds from process start to « ready ».
        `health`: seconds between its `health:` log lines (0: none)."""
        env = bot_env(
            self.server,
            DATABASE_PATH=str(db_path),
            LOG_LEVEL=log_level,
            HEALTH_LOG_SECONDS=str(health),
        )
        return await self._spawn([sys.executable, "-m", "bot", "run"], env, db_path.parent)

    async def start_bare(self) -> float:
        """Start the bare bot; seconds from process start to « ready »."""
        return await self._spawn([sys.executable, str(BARE_BOT)], bot_env(self.server), ROOT)

    async def _spawn(self, argv: list[str], env: dict[str, str], cwd: Path) -> float:
        t0 = time.perf_counter()
        self.proc = await asyncio.create_subprocess_exec(
            *argv,
            cwd=cwd,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        await self._ready()
        return time.perf_counter() - t0

    async def _ready(self, within: float = 60) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        async with asyncio.timeout(within):
            while True:
                line = await self.proc.stderr.readline()
                if not line:
                    raise RuntimeError("the bot stopped before it was ready")
                if any(marker in line for marker in READY_MARKERS):
                    break
        self.log: list[str] = []
        self._drain_task = asyncio.get_running_loop().create_task(self._drain_stderr())

    async def _drain_stderr(self) -> None:
        """Keep reading the bot's log (a full pipe would block it)."""
        assert self.proc is not None and self.proc.stderr is not None
        while line := await self.proc.stderr.readline():
            self.log.append(line.decode(errors="replace").rstrip())

    async def settled(self, within: float = 120) -> None:
        """After « ready », Passerelle loads the secrecy guard's language model in a thread:
        wait for it (loaded or given up) so the figures measure the bot in its steady state."""
        await self.until(
            lambda: any("secrecy guard: language model" in line for line in self.log), within
        )

    async def stop_bot(self) -> int | None:
        """SIGTERM, then wait (killed after 30 s); the exit code."""
        if self.proc is None:
            return None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(30):
                    await self.proc.wait()
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        code = self.proc.returncode
        self.proc = None
        return code

    # -- members act -----------------------------------------------------------------------
    def send(
        self,
        kind: InteractionType,
        user: User,
        channel: Channel,
        data: dict[str, Any],
        message: Message | None = None,
    ) -> tuple[Interaction, float]:
        inter, payload = new_interaction(self.state, kind, user, channel, data, message=message)
        sent = time.monotonic()
        self.server.gateway.dispatch("INTERACTION_CREATE", payload)
        return inter, sent

    async def answered(self, inter: Interaction, sent: float, within: float = 30) -> float:
        """Seconds from sending the interaction to the bot's answer reaching the server."""
        deadline = sent + within
        while inter.response_type is None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"interaction {inter.id} not answered within {within} s")
            await asyncio.sleep(0.001)
        return time.monotonic() - sent

    async def slash(self, user: User, path: str, **options: Any) -> Interaction:
        data = command_data(self.state, self.guild.id, path, options)
        inter, sent = self.send(COMMAND, user, self.channel, data)
        await self.answered(inter, sent)
        return inter

    def click_data(self, message: Message, label_or_id: str) -> dict[str, Any]:
        button = find_component(message, label_or_id, (BUTTON,))
        return {"custom_id": button["custom_id"], "component_type": BUTTON.value}

    async def clicks(
        self, users: list[User], message: Message, data: dict[str, Any], spread: float
    ) -> list[float]:
        """Each user clicks once, spread evenly over `spread` seconds; the answer latencies."""
        channel = self.state.channels[message.channel_id]
        waits = []
        start = time.monotonic()
        for i, user in enumerate(users):
            delay = start + spread * i / max(1, len(users)) - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            inter, sent = self.send(COMPONENT, user, channel, data, message)
            waits.append(asyncio.ensure_future(self.answered(inter, sent)))
        return list(await asyncio.gather(*waits))

    async def until(
        self, predicate: Callable[[], bool], within: float = 60, every: float = 0.01
    ) -> None:
        """Poll `predicate` (keep it cheap: this process plays Discord meanwhile)."""
        deadline = time.monotonic() + within
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError("condition not reached")
            await asyncio.sleep(every)

    # -- what the server saw ---------------------------------------------------------------
    def requests(self, method: str, route: str) -> list[Any]:
        return [r for r in self.server.requests if r.method == method and r.route == route]

    def limited_routes(self) -> str:
        """Which limits answered 429 (route, scope), for a figure that is not 0."""
        hits = Counter(f"{h.route} ({h.scope})" for h in self.server.ratelimits.hits)
        return ", ".join(f"{route} ×{n}" for route, n in hits.most_common()) or "none"

    def too_many(self, since: int = 0) -> int:
        return sum(1 for r in self.server.requests[since:] if r.status == TOO_MANY_REQUESTS)


def summary(latencies: list[float]) -> str:
    ms = [x * 1000 for x in latencies]
    return (
        f"p50 {statistics.median(ms):.0f} ms, p99 {percentile(ms, 99):.0f} ms, max {max(ms):.0f} ms"
    )
