"""End-to-end fixtures beyond `world`: a harness around any bot (for the server's own tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import discord
import pytest
from discord_server import Harness


@pytest.fixture
def harness_for(time_scale: float) -> Callable[..., object]:
    """`async with harness_for(make_bot) as world:` — the fake Discord around any discord.py bot."""

    @asynccontextmanager
    async def run(factory: Callable[[], discord.Client], **kw: object) -> AsyncIterator[Harness]:
        kw.setdefault("time_scale", time_scale)
        harness = Harness(factory, **kw)  # type: ignore[arg-type]
        await harness.start()
        try:
            yield harness
        finally:
            await harness.stop()
        harness.check()

    return run
