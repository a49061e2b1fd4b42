"""Talking to the bot's web side in end-to-end tests (`web_world`: WEB_PORT=0, a free port)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from discord_server import Harness

TOKEN_IN_URL = re.compile(r"https://agenda\.example\.org/feed/([A-Za-z0-9_-]+)\.ics")


def url(world: Harness, path: str) -> str:
    return world.bot.web.url + path


@asynccontextmanager
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(trust_env=False) as session:
        yield session


async def get(
    world: Harness, path: str, *, method: str = "GET", **kw: Any
) -> tuple[int, dict[str, str], bytes]:
    async with client() as session, session.request(method, url(world, path), **kw) as answer:
        return answer.status, dict(answer.headers), await answer.read()


def token_in(text: str) -> str:
    found = TOKEN_IN_URL.search(text)
    assert found is not None, text
    return found[1]
