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


def dynamic_view(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """A view made only of `DynamicItem`s, sent without discord.py holding on to it.

    Clicks on dynamic items are dispatched by their registered class (`bot.add_dynamic_items`
    in `setup`), never through the view object. Yet discord.py keeps every view sent with an
    ephemeral answer for 15 minutes (a timer task and the view: ~5 KB each, thousands on a busy
    server). The view is built finished, so discord.py stores nothing when it is sent or edited
    in; its buttons keep working, after a restart too.
    """
    view = discord.ui.View(timeout=None)
    for item in items:
        if not isinstance(item, discord.ui.DynamicItem):
            raise TypeError(f"{item!r} is not a DynamicItem: it needs a view that is kept")
        view.add_item(item)
    view.stop()
    return view


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
