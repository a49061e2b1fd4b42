"""Le tableau's buttons: `DynamicItem`s bound to ids (they work after a restart and keep no
view alive); they reach the workflows through `flows`, set per bot by `bot.ui.bind`."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, ClassVar

import discord

from bot.errors import GuardedItem
from bot.i18n import t
from bot.ui import ActionButton, button
from cogs.tableau.service import PostAction
from cogs.tableau.views.actions import Actions, Interaction

_POST_STYLES = {
    PostAction.FILLED: discord.ButtonStyle.success,
    PostAction.EDIT: discord.ButtonStyle.secondary,
    PostAction.REPORT: discord.ButtonStyle.danger,
}


class DraftAction(StrEnum):
    SEND = "send"
    DROP = "drop"


_DRAFT_STYLES = {
    DraftAction.SEND: discord.ButtonStyle.secondary,
    DraftAction.DROP: discord.ButtonStyle.danger,
}


class PostButton(
    ActionButton[PostAction],
    prefix="tableau",
    actions=PostAction,
    labels="tableau.button",
    styles=_POST_STYLES,
):
    """Under a post: « Pourvue » (offers), « Modifier », « Signaler »."""

    flows: ClassVar[Actions]

    async def run(self, interaction: Interaction) -> None:
        await self.flows.post_action(interaction, self.target_id, self.action)


class RemoveButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"tableau:(?P<id>\d+):remove",
):
    """On a report in the moderators' channel: remove the post."""

    flows: ClassVar[Actions]

    def __init__(self, post_id: int, lang: str = "fr") -> None:
        super().__init__(
            button(
                t("tableau.button.remove", lang),
                f"tableau:{post_id}:remove",
                discord.ButtonStyle.danger,
            )
        )
        self.post_id = post_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> RemoveButton:
        return cls(int(match["id"]))

    async def run(self, interaction: Interaction) -> None:
        await self.flows.remove(interaction, self.post_id)


class DraftButton(
    ActionButton[DraftAction],
    prefix="tableau:draft",
    actions=DraftAction,
    labels="tableau.guard",
    styles=_DRAFT_STYLES,
):
    """After the secrecy guard's question: « Publier quand même » / « Annuler »."""

    flows: ClassVar[Actions]

    async def run(self, interaction: Interaction) -> None:
        await self.flows.draft(interaction, self.target_id, self.action is DraftAction.SEND)


class PageButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"tb:s:(?P<state>.{1,94})",
):
    """Paging through `/offre chercher`: the filters ride in the custom_id."""

    flows: ClassVar[Actions]

    def __init__(self, state: str, label: str = "…", disabled: bool = False) -> None:
        item = button(label, f"tb:s:{state}"[:100], discord.ButtonStyle.secondary)
        item.disabled = disabled
        super().__init__(item)
        self.state = state

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> PageButton:
        return cls(match["state"])

    async def run(self, interaction: Interaction) -> None:
        await self.flows.search_page(interaction, self.state)


ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    PostButton,
    RemoveButton,
    DraftButton,
    PageButton,
)
