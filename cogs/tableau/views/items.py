"""Le tableau's buttons: `DynamicItem`s bound to ids (they work after a restart and keep no
view alive); they reach the workflows through `flows`, set per bot by `bot.ui.bind`."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, ClassVar

import discord

from bot.errors import GuardedItem
from bot.i18n import t
from bot.ui import button
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


class PostButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"tableau:(?P<id>\d+):(?P<action>filled|edit|report)",
):
    """Under a post: « Pourvue » (offers), « Modifier », « Signaler »."""

    flows: ClassVar[Actions]

    def __init__(self, post_id: int, action: PostAction, lang: str = "fr") -> None:
        super().__init__(
            button(
                t(f"tableau.button.{action}", lang),
                f"tableau:{post_id}:{action}",
                _POST_STYLES[action],
            )
        )
        self.post_id, self.action = post_id, action

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> PostButton:
        return cls(int(match["id"]), PostAction(match["action"]))

    async def run(self, interaction: Interaction) -> None:
        await self.flows.post_action(interaction, self.post_id, self.action)


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
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"tableau:draft:(?P<id>\d+):(?P<action>send|drop)",
):
    """After the secrecy guard's question: « Publier quand même » / « Annuler »."""

    flows: ClassVar[Actions]

    def __init__(self, post_id: int, action: DraftAction, lang: str = "fr") -> None:
        style = (
            discord.ButtonStyle.danger
            if action is DraftAction.DROP
            else discord.ButtonStyle.secondary
        )
        super().__init__(
            button(t(f"tableau.guard.{action}", lang), f"tableau:draft:{post_id}:{action}", style)
        )
        self.post_id, self.action = post_id, action

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> DraftButton:
        return cls(int(match["id"]), DraftAction(match["action"]))

    async def run(self, interaction: Interaction) -> None:
        await self.flows.draft(interaction, self.post_id, self.action is DraftAction.SEND)


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
