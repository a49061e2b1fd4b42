"""Building blocks of the features' views: components that fit Discord's limits, and buttons
that reach their feature's workflows without looking anything up."""

from __future__ import annotations

from typing import Any

import discord

from bot.discord_text import BUTTON_LABEL_LIMIT, truncate


def button(
    label: str, custom_id: str, style: discord.ButtonStyle, emoji: str | None = None
) -> discord.ui.Button[Any]:
    """A button for a `DynamicItem`; a label longer than Discord allows is cut with an ellipsis."""
    return discord.ui.Button(
        label=truncate(label, BUTTON_LABEL_LIMIT), custom_id=custom_id, style=style, emoji=emoji
    )


DynamicItemClass = type[discord.ui.DynamicItem[Any]]


def bind(flows: object, *items: DynamicItemClass) -> list[DynamicItemClass]:
    """Subclasses of `items` whose `flows` class attribute is this feature's workflows object,
    to register with `bot.add_dynamic_items(*bind(flows, …))` in the feature's `setup`.

    discord.py builds a dynamic item itself from the clicked custom_id (after a restart too), so
    the workflows object cannot be passed to a constructor; binding per bot keeps two bots in one
    process (tests, shards) apart, with no global and no `get_cog` look-up. The item classes
    declare `flows: ClassVar[<a Protocol of what they call>]` so views never import flows.py.

    Build the views you send from the returned classes, not the originals: discord.py
    re-registers the class of every dynamic item in a view it sends (`ViewStore.add_view`), so an
    unbound item would replace the bound registration and the next click would find no `flows`.
    """
    return [
        type(
            item.__name__,
            (item,),
            {"flows": flows, "__module__": item.__module__},
            template=item.__discord_ui_compiled_template__,
        )
        for item in items
    ]


def dynamic_view(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """The components of a message whose items are all bound `DynamicItem`s (see `bind`).

    discord.py dispatches their clicks through the registered classes, so the view object is
    never needed again: it is returned stopped, which keeps discord.py from storing it. Stored,
    it would put the items' unbound class back in place of the bound one (the store is keyed by
    template), and keep a 15-minute timer alive for every ephemeral answer.
    """
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    view.stop()
    return view
