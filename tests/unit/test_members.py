"""bot.members.display_names: the cache first, then Discord, bounded, a few at a time."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import discord

from bot.members import FETCHED_AT_ONCE, UNKNOWN_MEMBER, display_names, has_left


class Guild:
    """What display_names uses of a discord.Guild: a cache and a REST look-up."""

    id = 1

    def __init__(self, cached: dict[int, str], known: dict[int, str]) -> None:
        self.cached, self.known = cached, known
        self.asked: list[int] = []
        self.in_flight = self.most_in_flight = 0

    def get_member(self, user_id: int) -> Any:
        name = self.cached.get(user_id)
        return None if name is None else SimpleNamespace(display_name=name)

    async def fetch_member(self, user_id: int) -> Any:
        self.asked.append(user_id)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0)
        self.in_flight -= 1
        if user_id not in self.known:
            raise discord.NotFound(SimpleNamespace(status=404, reason="Not Found"), "gone")
        return SimpleNamespace(display_name=self.known[user_id])


async def test_cache_then_discord_then_the_id() -> None:
    guild = Guild(cached={1: "Alice"}, known={2: "Bob", 3: "Caro"})
    names = await display_names(guild, [1, 2, 3, 4, 2])  # type: ignore[arg-type]
    assert names == {1: "Alice", 2: "Bob", 3: "Caro", 4: "4"}
    assert sorted(guild.asked) == [2, 3, 4]  # each missing member asked once


async def test_bounded_and_a_few_at_a_time() -> None:
    guild = Guild(cached={}, known={u: f"m{u}" for u in range(50)})
    names = await display_names(guild, list(range(50)), fetched_max=20)  # type: ignore[arg-type]
    assert len(guild.asked) == 20 and guild.most_in_flight <= FETCHED_AT_ONCE
    assert [names[u] for u in (0, 19, 20, 49)] == ["m0", "m19", "20", "49"]


class Gone:
    """A server where fetching a member fails as Discord would."""

    id = 1

    def __init__(self, status: int, code: int) -> None:
        self.status, self.code = status, code

    async def fetch_member(self, user_id: int) -> Any:
        response = SimpleNamespace(status=self.status, reason="")
        error = {"code": self.code, "message": "…"}
        if self.status == 404:
            raise discord.NotFound(response, error)
        raise discord.HTTPException(response, error)


async def test_has_left_only_when_discord_says_unknown_member() -> None:
    assert await has_left(Gone(404, UNKNOWN_MEMBER), 7)  # type: ignore[arg-type]
    assert not await has_left(Gone(404, 10004), 7)  # type: ignore[arg-type]  # unknown server
    assert not await has_left(Gone(503, 0), 7)  # type: ignore[arg-type]  # Discord unavailable
    still_here = Guild(cached={}, known={7: "Bob"})
    assert not await has_left(still_here, 7)  # type: ignore[arg-type]
    assert still_here.asked == [7]  # the cache is never trusted: Discord is asked
