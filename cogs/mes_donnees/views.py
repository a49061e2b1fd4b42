"""The erase buttons of `/mes-donnees` (dynamic: they work after a restart)."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, ClassVar, Protocol

import discord

from bot.errors import GuardedItem
from bot.i18n import t
from bot.ui import bind, button, dynamic_view


class Actions(Protocol):
    async def ask_erase(self, interaction: discord.Interaction[Any]) -> None: ...
    async def erase(self, interaction: discord.Interaction[Any]) -> None: ...


class Step(StrEnum):
    ASK = "ask"
    YES = "yes"


class EraseButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"mesdonnees:erase:(?P<step>ask|yes)",
):
    flows: ClassVar[Actions]

    def __init__(self, step: Step, label: str = "…") -> None:
        super().__init__(button(label, f"mesdonnees:erase:{step}", discord.ButtonStyle.danger))
        self.step = step

    @classmethod
    async def from_custom_id(cls, interaction: Any, item: Any, match: re.Match[str]) -> EraseButton:
        return cls(Step(match["step"]))

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        if self.step is Step.ASK:
            await self.flows.ask_erase(interaction)
        else:
            await self.flows.erase(interaction)


class MesDonneesViews:
    """The views, built with the button class bound to one bot's workflows (see `bot.ui.bind`):
    a view sent with an unbound dynamic item would replace the bound one in discord.py's store."""

    def __init__(self, flows: Actions) -> None:
        [self.erase_button] = bind(flows, EraseButton)

    @property
    def items(self) -> list[type[discord.ui.DynamicItem[Any]]]:
        return [self.erase_button]

    def _one(self, step: Step, label: str) -> discord.ui.View:
        return dynamic_view(self.erase_button(step, label))  # type: ignore[call-arg]

    def erase(self, lang: str) -> discord.ui.View:
        return self._one(Step.ASK, t("mes_donnees.erase.button", lang))

    def confirm(self, lang: str) -> discord.ui.View:
        return self._one(Step.YES, t("mes_donnees.erase.confirm", lang))
