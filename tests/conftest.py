"""Shared fixtures: `world` runs the real Passerelle against the loopback Discord."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import pytest
from discord_server import Harness
from discord_server.validation import load_spec

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in Paris
# Rate-limit windows in tests: Discord's counts, windows × this (see tests/README.md). A test
# that needs Discord's real windows says `@pytest.mark.time_scale(1)`; the whole suite runs
# with them with PASSERELLE_TEST_TIME_SCALE=1.
TEST_TIME_SCALE = float(os.environ.get("PASSERELLE_TEST_TIME_SCALE", "0.05"))
# 429s the loopback Discord answered, per test (printed at the end of the session)
RATE_LIMITED: list[tuple[str, int, int]] = []  # (test, 429s, of them global)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if RATE_LIMITED:
        terminalreporter.section("429s answered by the loopback Discord")
        for test, hits, global_hits in RATE_LIMITED:
            terminalreporter.write_line(f"{hits:4d} ({global_hits} global)  {test}")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "time_scale(scale): rate-limit windows of the loopback Discord × scale"
    )


@pytest.fixture
def time_scale(request: pytest.FixtureRequest) -> float:
    """The loopback Discord's rate-limit time scale for this test (marker `time_scale`)."""
    marker = request.node.get_closest_marker("time_scale")
    return float(marker.args[0]) if marker is not None else TEST_TIME_SCALE


@pytest.fixture(scope="session", autouse=True)
def _openapi_spec() -> None:
    """Load Discord's OpenAPI description once (fails the session in CI when it is missing)."""
    load_spec()


@pytest.fixture(scope="session", autouse=True)
def _guard_model(request: pytest.FixtureRequest) -> None:
    """The secrecy guard's spaCy model, loaded once before the first test that may use it.

    A bot loads it in a thread once it is ready; loaded here first, no test runs beside that
    thread (it would slow the start-up timings some tests assert). Sessions without end-to-end or
    guard tests do not pay for it.
    """
    paths = {str(item.path) for item in request.session.items}
    if any("e2e" in p or "secrecy" in p or "soutien" in p for p in paths):
        from bot.secrecy.model import active

        active().load(timeout=600)


def passerelle_factory(
    db_path: Path,
    *,
    limits: object = None,
    redraw_interval: float | None = None,
    **settings: object,
) -> Callable[[], discord.Client]:
    """`limits`: the bot's `bot.pacing.DiscordLimits` (Discord's figures by default; the tests
    scale them with the loopback Discord's windows). `redraw_interval`: seconds between two
    redraws of one message, overriding the one in `limits`."""
    from bot.client import Passerelle
    from bot.clock import FakeClock
    from bot.settings import Settings

    clock = FakeClock(START)  # shared by every bot of the test, like wall time across restarts

    def make() -> discord.Client:
        conf = Settings(discord_token="unused", database_path=db_path, **settings)  # type: ignore[arg-type]
        return Passerelle(
            conf,
            clock=clock,
            limits=limits,  # type: ignore[arg-type]
            redraw_interval=redraw_interval,
        )

    return make


@pytest.fixture
async def world(
    tmp_path: Path, time_scale: float, request: pytest.FixtureRequest
) -> AsyncIterator[Harness]:
    """The fake Discord with its default guild, and Passerelle running on a fresh database.
    The bot paces itself by Discord's figures (redraws included) on the same time scale as the
    server's limits."""
    from bot.pacing import DiscordLimits

    limits = DiscordLimits().scaled(time_scale)
    factory = passerelle_factory(tmp_path / "passerelle.db", limits=limits)
    # discord.py's rate-limit waits happen inside the bot's work: idle waits for them too
    harness = Harness(factory, time_scale=time_scale, idle_timeout=10.0 + 60.0 * time_scale)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
        hits = harness.ratelimits.hits
        if hits:
            global_hits = sum(h.is_global for h in hits)
            RATE_LIMITED.append((request.node.nodeid, len(hits), global_hits))
    harness.check()


# The web side's public address in tests (links the bot gives); it serves on a free port.
WEB_BASE = "https://agenda.example.org"


@pytest.fixture
async def web_world(tmp_path: Path) -> AsyncIterator[Harness]:
    """`world` with the web side on (WEB_PORT=0: a free port, `world.bot.web.url`)."""
    factory = passerelle_factory(tmp_path / "passerelle.db", web_port=0, public_base_url=WEB_BASE)
    harness = Harness(factory)
    await harness.start()
    # Every request reads the database, so a test sees an edit at once (the reuse of reads
    # for a few seconds, and of stale ones while a new read runs, have their own tests).
    harness.bot.web.ctx.reads.fresh_for = 0.0
    harness.bot.web.ctx.reads.stale_for = 0.0
    try:
        yield harness
    finally:
        await harness.stop()
    harness.check()


@pytest.fixture
def alice(world: Harness) -> discord.abc.Snowflake:
    return world.alice  # type: ignore[return-value]


@pytest.fixture
def bob(world: Harness) -> discord.abc.Snowflake:
    return world.bob  # type: ignore[return-value]


@pytest.fixture
def carol(world: Harness) -> discord.abc.Snowflake:
    return world.carol  # type: ignore[return-value]
