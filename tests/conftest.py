"""Shared fixtures: `world` runs the real Passerelle against the loopback Discord."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

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


# Set (by .ci/run, or scripts/pg_cluster.sh by hand): every test's database is on PostgreSQL, in
# a schema of its own on that server; unset: an SQLite file in the test's temporary directory.
TEST_DATABASE_URL = os.environ.get("PASSERELLE_TEST_DATABASE_URL", "")


def with_schema(url: str, schema: str) -> str:
    """The URL with `search_path` set to `schema` (asyncpg passes it as a server setting)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=urlencode({"search_path": schema})))


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


@pytest.fixture
def no_background_loader() -> None:
    """Waits for model loaders that bots of earlier tests left running (a loader outlives its
    bot): until they end, the collector is paused and the switch interval is short."""
    for thread in threading.enumerate():
        if thread.name.startswith("secrecy-model-"):
            thread.join(300)


@pytest.fixture
async def databases(tmp_path: Path) -> AsyncIterator[Callable[[], Awaitable[Path | str]]]:
    """Make fresh, empty databases: SQLite files, or PostgreSQL schemas (dropped after)."""
    made: list[str] = []
    count = 0

    async def make() -> Path | str:
        nonlocal count
        count += 1
        if not TEST_DATABASE_URL:
            return tmp_path / f"passerelle-{count}.db"
        import asyncpg

        schema = f"t_{uuid.uuid4().hex[:16]}"
        conn = await asyncpg.connect(TEST_DATABASE_URL)
        try:
            await conn.execute(f"CREATE SCHEMA {schema}")
        finally:
            await conn.close()
        made.append(schema)
        return with_schema(TEST_DATABASE_URL, schema)

    yield make
    if made:
        import asyncpg

        conn = await asyncpg.connect(TEST_DATABASE_URL)
        try:
            for schema in made:
                await conn.execute(f"DROP SCHEMA {schema} CASCADE")
        finally:
            await conn.close()


@pytest.fixture
async def database(databases: Callable[[], Awaitable[Path | str]]) -> Path | str:
    """A fresh, empty database for the test: an SQLite file, or a PostgreSQL schema (URL)."""
    return await databases()


def database_settings(database: Path | str) -> dict[str, object]:
    """Settings(...) arguments for a database given as a file or a PostgreSQL URL."""
    if isinstance(database, str) and database.startswith("postgres"):
        return {"database_url": database}
    return {"database_path": Path(database)}


def passerelle_factory(
    database: Path | str,
    *,
    limits: object = None,
    redraw_interval: float | None = None,
    **settings: object,
) -> Callable[[], discord.Client]:
    """Bots on `database` (a file or a PostgreSQL URL). `limits`: the bot's
    `bot.pacing.DiscordLimits` (Discord's figures by default; the tests scale them with the
    loopback Discord's windows). `redraw_interval`: seconds between two redraws of one message,
    overriding the one in `limits`."""
    from bot.client import make_bot
    from bot.clock import FakeClock
    from bot.settings import Settings

    clock = FakeClock(START)  # shared by every bot of the test, like wall time across restarts

    def make() -> discord.Client:
        conf = Settings(discord_token="unused", **database_settings(database), **settings)  # type: ignore[arg-type]
        return make_bot(
            conf,
            clock=clock,
            limits=limits,
            redraw_interval=redraw_interval,
        )

    return make


@pytest.fixture
def passerelle(database: Path | str) -> Callable[..., Callable[[], discord.Client]]:
    """`passerelle(**settings)`: a factory of Passerelle bots on the test's database (for a
    Harness of one's own, e.g. a bot over shards)."""
    return lambda **settings: passerelle_factory(database, **settings)


@pytest.fixture
async def world(
    database: Path | str, time_scale: float, request: pytest.FixtureRequest
) -> AsyncIterator[Harness]:
    """The fake Discord with its default guild, and Passerelle running on a fresh database.
    The bot paces itself by Discord's figures (redraws included) on the same time scale as the
    server's limits."""
    from bot.pacing import DiscordLimits

    limits = DiscordLimits().scaled(time_scale)
    factory = passerelle_factory(database, limits=limits)
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
async def web_world(database: Path | str) -> AsyncIterator[Harness]:
    """`world` with the web side on (WEB_PORT=0: a free port, `world.bot.web.url`), on the run's
    back-end."""
    factory = passerelle_factory(database, web_port=0, public_base_url=WEB_BASE)
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
