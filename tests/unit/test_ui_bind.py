"""bot.ui.bind: dynamic items reach the workflows object of the bot they were registered with."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import discord
from discord.ui.view import ViewStore

from bot.ui import bind, dynamic_view


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


async def test_a_dynamic_view_is_sent_but_never_stored() -> None:
    """discord.py stores a live view it sends by its items' templates: the item's unbound class
    would replace the bound one (its clicks would find no workflows) and an ephemeral answer
    would keep a 15-minute timer. A dynamic view is finished before it is sent, so discord.py
    sends its components and stores nothing (tests/e2e/test_sigles_suggestions.py clicks one)."""
    [bound] = bind(object(), Ping)
    template = Ping.__discord_ui_compiled_template__
    store = ViewStore(state=None)  # type: ignore[arg-type]
    store.add_dynamic_items(bound)
    live = discord.ui.View(timeout=None)
    live.add_item(Ping(3))
    store.add_view(live, 1)  # what discord.py does with a live view it has sent
    assert store._dynamic_items[template] is Ping  # the bound class is gone: the trap
    view = dynamic_view(Ping(3))
    assert view.is_finished() and view.timeout is None
    assert view.to_components()[0]["components"][0]["custom_id"] == "ping:3"
