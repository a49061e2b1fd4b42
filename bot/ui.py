"""Building blocks of the features' views: components that fit Discord's limits, and buttons
that reach their feature's workflows without looking anything up."""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar, Generic, Self, TypeVar

import discord

from bot.discord_text import BUTTON_LABEL_LIMIT, truncate
from bot.errors import GuardedItem
from bot.i18n import t

A = TypeVar("A", bound=StrEnum)


def button(
    label: str, custom_id: str, style: discord.ButtonStyle, emoji: str | None = None
) -> discord.ui.Button[Any]:
    """A button for a `DynamicItem`; a label longer than Discord allows is cut with an ellipsis."""
    return discord.ui.Button(
        label=truncate(label, BUTTON_LABEL_LIMIT), custom_id=custom_id, style=style, emoji=emoji
    )


class ActionButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    Generic[A],
    template=r"(?!)",  # the base itself matches nothing: only its subclasses are registered
):
    """A button bound to an id and one action of a `StrEnum`, the one way to declare one:

        class DraftButton(
            ActionButton[DraftAction],
            prefix="apero:draft", actions=DraftAction, labels="apero.draft", styles=_STYLES,
        ):
            flows: ClassVar[Actions]

            async def run(self, interaction: Interaction) -> None:
                await self.flows.draft_action(interaction, self.target_id, self.action)

    Its custom_id is `{prefix}:{id}:{action}` and its label the catalog entry
    `{labels}.{action}`. The custom_id is all discord.py hands back on a click, after a restart
    too, and a message already posted keeps its custom_ids for ever: that is why they are built
    in this one place, the same shape everywhere, and why a prefix or an action's value never
    changes once released (tests/unit/test_action_buttons.py pins them). A button that carries
    more than an id and an action (a date, a page, filters) stays a plain `DynamicItem`.
    """

    prefix: ClassVar[str]
    actions: ClassVar[type[StrEnum]]
    labels: ClassVar[str]
    styles: ClassVar[Mapping[Any, discord.ButtonStyle]]

    def __init_subclass__(
        cls,
        *,
        prefix: str | None = None,
        actions: type[A] | None = None,
        labels: str | None = None,
        styles: Mapping[A, discord.ButtonStyle] | None = None,
        template: str | re.Pattern[str] | None = None,
        **kwargs: Any,
    ) -> None:
        if prefix is None:
            # `bind` (or any further subclass): the parent's settings and template are kept.
            if not hasattr(cls, "prefix"):
                raise TypeError(f"{cls.__name__}: an ActionButton needs prefix, actions, …")
            inherited = template or cls.__discord_ui_compiled_template__
            super().__init_subclass__(template=inherited, **kwargs)
            return
        if actions is None or labels is None or styles is None:
            raise TypeError(f"{cls.__name__}: prefix, actions, labels and styles go together")
        if set(styles) != set(actions):
            raise TypeError(f"{cls.__name__}: every action of {actions.__name__} needs a style")
        cls.prefix, cls.actions, cls.labels, cls.styles = prefix, actions, labels, styles
        choices = "|".join(re.escape(action) for action in actions)
        super().__init_subclass__(
            template=rf"{re.escape(prefix)}:(?P<id>\d+):(?P<action>{choices})", **kwargs
        )

    def __init__(self, target_id: int, action: A, lang: str = "fr") -> None:
        # `id` is taken: discord.py's items have one (the component's number in its message).
        custom_id = f"{self.prefix}:{target_id}:{action}"
        label = t(f"{self.labels}.{action}", lang)
        super().__init__(button(label, custom_id, self.styles[action]))
        self.target_id, self.action = target_id, action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Any, match: re.Match[str]
    ) -> Self:
        # Only the custom_id is used: the label is never seen again (it is in the message).
        return cls(int(match["id"]), cls.actions(match["action"]))  # type: ignore[arg-type]


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
