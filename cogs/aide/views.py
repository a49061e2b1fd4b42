"""The page buttons of `/aide`: `DynamicItem`s, so they work after a restart too."""

from __future__ import annotations

import re
from typing import Any, ClassVar, Protocol

import discord

from bot.errors import GuardedItem
from bot.i18n import t
from bot.ui import button, dynamic_view

Interaction = discord.Interaction[Any]


class Pager(Protocol):
    async def turn(self, interaction: Interaction, page: int) -> None: ...


class PageButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"aide:page:(?P<page>\d+):(?P<way>prev|next)",
):
    """Shows page `page` of `/aide` to whoever clicks (their language, their rights)."""

    flows: ClassVar[Pager]

    def __init__(self, page: int, way: str, label: str = "…", *, disabled: bool = False) -> None:
        item = button(label, f"aide:page:{page}:{way}", discord.ButtonStyle.secondary)
        item.disabled = disabled
        super().__init__(item)
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: Any, match: re.Match[str]
    ) -> PageButton:
        return cls(int(match["page"]), match["way"])

    async def run(self, interaction: Interaction) -> None:
        await self.flows.turn(interaction, self.page)


def page_view(page: int, count: int, lang: str) -> discord.ui.View | None:
    """Previous and next, when there is more than one page."""
    if count <= 1:
        return None
    return dynamic_view(
        PageButton(max(page - 1, 0), "prev", t("aide.previous", lang), disabled=page == 0),
        PageButton(
            min(page + 1, count - 1), "next", t("aide.next", lang), disabled=page == count - 1
        ),
    )
