"""The selects members answer for the groups, and the button that opens them: `DynamicItem`s
bound to the meet-up's id, so they work after a restart and nothing is kept alive for them.
They reach the workflows through `flows` (set per bot by `bot.ui.bind`)."""

from __future__ import annotations

import re
from typing import Any, ClassVar, Protocol, TypeVar, cast

import discord

from bot.discord_text import truncate
from bot.errors import ErrorHandlingView, GuardedItem
from bot.i18n import t
from bot.regions import REGIONS
from bot.ui import bind, button
from cogs.rencontres.groups.service import OTHER_CITY
from cogs.rencontres.groups.store import Declaration, Declared, Questions
from cogs.rencontres.service import Format

Interaction = discord.Interaction[Any]
PLACEHOLDER_MAX = 150
OPTION_MAX = 100


class Actions(Protocol):
    async def declare(
        self, interaction: Interaction, event_id: int, what: Declared, value: str
    ) -> None: ...

    async def open_questions(self, interaction: Interaction, event_id: int) -> None: ...


class DeclareSelect(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Select],
    template=r"rencontre:groupes:(?P<id>\d+):(?P<what>mode|city|region)",
):
    """How the member comes, their city, their side of the Atlantic (one select each)."""

    flows: ClassVar[Actions]

    def __init__(self, item: discord.ui.Select, event_id: int, what: Declared) -> None:
        super().__init__(item)
        self.event_id, self.what = event_id, what

    @classmethod
    def build(
        cls, event_id: int, what: Declared, questions: Questions, current: str | None, lang: str
    ) -> DeclareSelect:
        if what is Declared.MODE:
            pairs = [(str(f), t(f"rencontre.format.{f}", lang)) for f in Format]
        elif what is Declared.CITY:
            pairs = [(c, c) for c in questions.cities]
            pairs.append((OTHER_CITY, t("rencontre.groups.city.other", lang)))
        else:
            pairs = [(str(r), t(f"rencontre.groups.region.{r}", lang)) for r in REGIONS]
        options = [
            discord.SelectOption(
                label=truncate(label, OPTION_MAX), value=value, default=value == current
            )
            for value, label in pairs
        ]
        item = discord.ui.Select(
            custom_id=f"rencontre:groupes:{event_id}:{what}",
            placeholder=truncate(t(f"rencontre.groups.select.{what}", lang), PLACEHOLDER_MAX),
            options=options,
        )
        return cls(item, event_id, what)

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Select, match: re.Match[str]
    ) -> DeclareSelect:
        return cls(item, int(match["id"]), Declared(match["what"]))

    async def run(self, interaction: Interaction) -> None:
        [value] = self.item.values
        await self.flows.declare(interaction, self.event_id, self.what, str(value))


class QuestionsButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"rencontre:groupes:(?P<id>\d+):ask",
):
    """In the meet-up's thread: opens the selects for those who signed up earlier."""

    flows: ClassVar[Actions]

    def __init__(self, event_id: int, lang: str = "fr") -> None:
        super().__init__(
            button(
                t("rencontre.groups.button.declare", lang),
                f"rencontre:groupes:{event_id}:ask",
                discord.ButtonStyle.primary,
            )
        )
        self.event_id = event_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> QuestionsButton:
        return cls(int(match["id"]))

    async def run(self, interaction: Interaction) -> None:
        await self.flows.open_questions(interaction, self.event_id)


Item = TypeVar("Item", bound=discord.ui.DynamicItem[Any])


def _bound(flows: Actions, item: type[Item]) -> type[Item]:
    [bound] = bind(flows, item)
    return cast("type[Item]", bound)


class GroupViews:
    """The views of groups, built from the item classes bound to one bot's workflows."""

    def __init__(self, flows: Actions) -> None:
        self._select = _bound(flows, DeclareSelect)
        self._button = _bound(flows, QuestionsButton)

    @property
    def items(self) -> list[type[discord.ui.DynamicItem[Any]]]:
        return [self._select, self._button]

    def questions(
        self, event_id: int, questions: Questions, declaration: Declaration, lang: str
    ) -> ErrorHandlingView | None:
        """A select per question the organiser asks, the member's answers shown."""
        asked = [
            (Declared.MODE, questions.ask_mode, declaration.mode),
            (Declared.CITY, bool(questions.cities), declaration.city),
            (Declared.REGION, questions.ask_region, declaration.region),
        ]
        if not any(on for _, on, _ in asked):
            return None
        view = ErrorHandlingView(timeout=None)
        for what, on, current in asked:
            if on:
                view.add_item(self._select.build(event_id, what, questions, current, lang))
        return view

    def ask(self, event_id: int, lang: str) -> ErrorHandlingView:
        view = ErrorHandlingView(timeout=None)
        view.add_item(self._button(event_id, lang))
        return view
