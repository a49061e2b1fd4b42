"""Shared fixtures: `world` runs the real Passerelle against the loopback Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import discord
import pytest
from discord_server import Harness
from discord_server.validation import load_spec

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in Paris


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
    db_path: Path, *, limits: object = None, **settings: object
) -> Callable[[], discord.Client]:
    """`limits`: the bot's `bot.pacing.DiscordLimits` (Discord's figures by default)."""
    from bot.client import Passerelle
    from bot.clock import FakeClock
    from bot.settings import Settings

    clock = FakeClock(START)  # shared by every bot of the test, like wall time across restarts

    def make() -> discord.Client:
        conf = Settings(discord_token="unused", database_path=db_path, **settings)  # type: ignore[arg-type]
        return Passerelle(conf, clock=clock, limits=limits)  # type: ignore[arg-type]

    return make


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[Harness]:
    """The fake Discord with its default guild, and Passerelle running on a fresh database."""
    harness = Harness(passerelle_factory(tmp_path / "passerelle.db"))
    await harness.start()
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
