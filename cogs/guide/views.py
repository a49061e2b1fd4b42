"""The guide's buttons and menu: `DynamicItem`s bound to a direction and a step, so they work
after a restart and nothing stays in memory."""

from __future__ import annotations

import re
from typing import Any, ClassVar, Protocol

import discord

from bot.discord_text import truncate
from bot.errors import GuardedItem
from bot.i18n import t
from bot.ui import bind, button
from cogs.guide.service import Direction, Guide

Interaction = discord.Interaction[Any]
OPTION_LABEL_LIMIT = 100
SHORT = {Direction.FRANCE_QUEBEC: "fq", Direction.QUEBEC_FRANCE: "qf"}
LONG = {v: k for k, v in SHORT.items()}


class Actions(Protocol):
    async def show(
        self, interaction: Interaction, direction: Direction, index: int, *, edit: bool
    ) -> None: ...


class StepButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"guide:(?P<dir>fq|qf):(?P<index>\d+):(?P<nav>p|n)",
):
    flows: ClassVar[Actions]

    def __init__(
        self,
        direction: Direction,
        index: int,
        nav: str,
        lang: str = "fr",
        *,
        disabled: bool = False,
    ) -> None:
        item = button(
            t(f"guide.{nav}", lang),
            f"guide:{SHORT[direction]}:{index}:{nav}",
            discord.ButtonStyle.secondary,
        )
        item.disabled = disabled
        super().__init__(item)
        self.direction, self.index = direction, index

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> StepButton:
        return cls(LONG[match["dir"]], int(match["index"]), match["nav"])

    async def run(self, interaction: Interaction) -> None:
        await self.flows.show(interaction, self.direction, self.index, edit=True)


class StepSelect(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Select],
    template=r"guide:(?P<dir>fq|qf):pick",
):
    flows: ClassVar[Actions]

    def __init__(self, guide: Guide | None, direction: Direction, lang: str = "fr") -> None:
        options = (
            [
                discord.SelectOption(
                    label=truncate(f"{i + 1}. {s.title_in(lang)}", OPTION_LABEL_LIMIT), value=str(i)
                )
                for i, s in enumerate(guide.steps)
            ]
            if guide
            else [discord.SelectOption(label="…", value="0")]
        )
        super().__init__(
            discord.ui.Select(
                custom_id=f"guide:{SHORT[direction]}:pick",
                placeholder=t("guide.pick", lang),
                options=options,
            )
        )
        self.direction = direction

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Select, match: re.Match[str]
    ) -> StepSelect:
        return cls(None, LONG[match["dir"]])

    async def run(self, interaction: Interaction) -> None:
        index = int(self.item.values[0]) if self.item.values else 0
        await self.flows.show(interaction, self.direction, index, edit=True)


ITEMS = (StepButton, StepSelect)


class GuideViews:
    """The guide's view, built from the item classes bound to one bot's workflows (`bot.ui.bind`):
    a view holding an unbound class would take the binding away when discord.py registers it."""

    def __init__(self, flows: Actions) -> None:
        self._classes = dict(zip(ITEMS, bind(flows, *ITEMS), strict=True))

    @property
    def items(self) -> list[type[discord.ui.DynamicItem[Any]]]:
        """To register with `bot.add_dynamic_items` in `setup`."""
        return list(self._classes.values())

    def step_view(self, guide: Guide, index: int, lang: str) -> discord.ui.View:
        select, step = self._classes[StepSelect], self._classes[StepButton]
        view = discord.ui.View(timeout=None)
        view.add_item(select(guide, guide.direction, lang))
        last = len(guide.steps) - 1
        view.add_item(step(guide.direction, max(index - 1, 0), "p", lang, disabled=index <= 0))
        view.add_item(
            step(guide.direction, min(index + 1, last), "n", lang, disabled=index >= last)
        )
        return view
