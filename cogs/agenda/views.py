"""The « new link » button under `/agenda mon-lien` (dynamic: it works after a restart)."""

from __future__ import annotations

import re
from typing import Any, ClassVar, Protocol

import discord

from bot.errors import ErrorHandlingView, GuardedItem
from bot.i18n import t
from bot.ui import bind, button


class Actions(Protocol):
    async def renew_member_link(self, interaction: discord.Interaction[Any]) -> None: ...


class RenewMemberLink(
    GuardedItem, discord.ui.DynamicItem[discord.ui.Button], template=r"agenda:member:renew"
):
    flows: ClassVar[Actions]

    def __init__(self, label: str = "…") -> None:
        super().__init__(button(label, "agenda:member:renew", discord.ButtonStyle.secondary))

    @classmethod
    async def from_custom_id(
        cls, interaction: Any, item: Any, match: re.Match[str]
    ) -> RenewMemberLink:
        return cls()

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        await self.flows.renew_member_link(interaction)


class AgendaViews:
    """Views built from the button class bound to one bot's workflows (`bot.ui.bind`)."""

    def __init__(self, flows: Actions) -> None:
        [self.renew] = bind(flows, RenewMemberLink)

    @property
    def items(self) -> list[type[discord.ui.DynamicItem[Any]]]:
        return [self.renew]

    def renew_member(self, lang: str) -> ErrorHandlingView:
        view = ErrorHandlingView(timeout=None)
        view.add_item(self.renew(t("agenda.member.renew", lang)))  # type: ignore[call-arg]
        return view
