"""Talking to the bot's web side in end-to-end tests (`web_world`: WEB_PORT=0, a free port)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from discord_server import Harness
from multidict import CIMultiDict
from prometheus_client.parser import text_string_to_metric_families

TOKEN_IN_URL = re.compile(r"https://agenda\.example\.org/feed/([A-Za-z0-9_-]+)\.ics")


def url(world: Harness, path: str) -> str:
    return world.bot.web.url + path


@asynccontextmanager
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(trust_env=False) as session:
        yield session


async def get(
    world: Harness, path: str, *, method: str = "GET", **kw: Any
) -> tuple[int, CIMultiDict[str], bytes]:
    async with client() as session, session.request(method, url(world, path), **kw) as answer:
        return answer.status, answer.headers.copy(), await answer.read()


def token_in(text: str) -> str:
    found = TOKEN_IN_URL.search(text)
    assert found is not None, text
    return found[1]


def metric(text: str, name: str, *labels: str) -> float:
    """The value of the sample `name` whose label values are `labels` (in order), else 0."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            values = tuple(sample.labels.values())
            if sample.name == name and values[: len(labels)] == labels:
                return float(sample.value)
    return 0.0
