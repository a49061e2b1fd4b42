"""bot.ui.bind: dynamic items reach the workflows object of the bot they were registered with."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import discord

from bot.ui import bind


class Ping(discord.ui.DynamicItem[discord.ui.Button], template=r"ping:(?P<id>\d+)"):
    flows: ClassVar[Any]

    def __init__(self, item_id: int) -> None:
        super().__init__(discord.ui.Button(label="ping", custom_id=f"ping:{item_id}"))
        self.item_id = item_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Any, item: discord.ui.Button, match: re.Match[str]
    ) -> Ping:
        return cls(int(match["id"]))


async def test_each_binding_carries_its_own_flows_and_the_same_template() -> None:
    first, second = object(), object()
    [one] = bind(first, Ping)
    [two] = bind(second, Ping)
    built = await one.from_custom_id(None, None, re.match(r"ping:(?P<id>\d+)", "ping:7"))  # type: ignore[arg-type]
    assert isinstance(built, Ping) and built.flows is first and built.item_id == 7
    assert two.flows is second and not hasattr(Ping, "flows")
    assert (
        one.__discord_ui_compiled_template__.pattern
        == Ping.__discord_ui_compiled_template__.pattern
    )
