"""Buttons and forms of Sigles. Buttons are `DynamicItem`s: everything they need is in their
custom_id and the database, so they keep working after a restart. They reach the feature's
workflows through `Actions`, bound per bot in `setup` (`bot.ui.bind`); forms get it from their
constructor."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, ClassVar, Protocol

import discord

from bot.discord_text import MODAL_TITLE_LIMIT, truncate
from bot.errors import ErrorHandlingModal, GuardedItem
from bot.i18n import t
from bot.regions import REGIONS
from bot.ui import ActionButton, button, dynamic_view
from cogs.sigles.glossary import DOMAINES, MAX_DEVELOPPE, MAX_EXPLICATION, MAX_SIGLE
from cogs.sigles.service import MAX_SOURCE, Decision, Suggestion

Interaction = discord.Interaction[Any]
LABEL_LIMIT = 45  # a form field's label
SELECT_LABEL_LIMIT = 100
# A form left open is dropped after this (discord.py would otherwise keep it for ever).
FORM_TIMEOUT = timedelta(minutes=30)
# What a "propose" button carries of the sigle that was not found (custom_id ≤ 100).
PROPOSE_QUERY_LIMIT = 40
DECISION_STYLES = {
    Decision.APPROVE: discord.ButtonStyle.success,
    Decision.EDIT: discord.ButtonStyle.primary,
    Decision.REJECT: discord.ButtonStyle.danger,
}


class Actions(Protocol):
    """What the buttons and forms of Sigles ask the workflows to do."""

    async def open_suggestion(self, interaction: Interaction, query: str) -> None: ...

    async def submit_suggestion(
        self,
        interaction: Interaction,
        *,
        sigle: str,
        region: str,
        domaine: str,
        developpe: str,
        explication: str,
    ) -> None: ...

    async def decide(
        self, interaction: Interaction, suggestion_id: int, action: Decision
    ) -> None: ...

    async def save_edit(
        self,
        interaction: Interaction,
        suggestion_id: int,
        *,
        sigle: str,
        domaine: str,
        developpe: str,
        explication: str,
        source: str,
    ) -> None: ...


def _label(key: str, lang: str, component: discord.ui.Item[Any]) -> discord.ui.Label[Any]:
    return discord.ui.Label(text=truncate(t(key, lang), LABEL_LIMIT), component=component)


def _text(
    custom_id: str, maximum: int, default: str = "", *, long: bool = False, required: bool = True
) -> discord.ui.TextInput[Any]:
    return discord.ui.TextInput(
        custom_id=custom_id,
        style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
        default=default[:maximum] or None,
        max_length=maximum,
        required=required,
    )


def _select(
    custom_id: str, options: list[tuple[str, str]], chosen: str | None
) -> discord.ui.Select[Any]:
    return discord.ui.Select(
        custom_id=custom_id,
        options=[
            discord.SelectOption(
                label=truncate(label, SELECT_LABEL_LIMIT), value=value, default=value == chosen
            )
            for value, label in options
        ],
    )


def _chosen(select: discord.ui.Select[Any]) -> str:
    return (select.values or [""])[0]


def _domains(lang: str) -> list[tuple[str, str]]:
    return [(d, t(f"sigles.domaine.{d}", lang)) for d in DOMAINES]


def _title(key: str, lang: str) -> str:
    return truncate(t(key, lang), MODAL_TITLE_LIMIT)


class SuggestModal(ErrorHandlingModal):
    """A member proposes a sigle the glossary does not know."""

    def __init__(self, actions: Actions, lang: str, sigle: str, region: str) -> None:
        super().__init__(
            title=_title("sigles.propose.title", lang), timeout=FORM_TIMEOUT.total_seconds()
        )
        self.actions = actions
        self.sigle = _text("sigle", MAX_SIGLE, sigle)
        self.region = _select("region", [(r, t(f"region.{r}", lang)) for r in REGIONS], region)
        self.domaine = _select("domaine", _domains(lang), None)
        self.developpe = _text("developpe", MAX_DEVELOPPE)
        self.explication = _text("explication", MAX_EXPLICATION, long=True)
        self.add_item(_label("sigles.field.sigle", lang, self.sigle))
        self.add_item(_label("sigles.field.region", lang, self.region))
        self.add_item(_label("sigles.field.domaine", lang, self.domaine))
        self.add_item(_label("sigles.field.developpe", lang, self.developpe))
        self.add_item(_label("sigles.field.explication", lang, self.explication))

    async def on_submit(self, interaction: Interaction) -> None:
        await self.actions.submit_suggestion(
            interaction,
            sigle=self.sigle.value,
            region=_chosen(self.region),
            domaine=_chosen(self.domaine),
            developpe=self.developpe.value,
            explication=self.explication.value,
        )


class EditSuggestionModal(ErrorHandlingModal):
    """A moderator corrects a suggestion (and may add its source) before deciding."""

    def __init__(self, actions: Actions, lang: str, s: Suggestion) -> None:
        super().__init__(
            title=_title("sigles.edit.title", lang), timeout=FORM_TIMEOUT.total_seconds()
        )
        self.actions = actions
        self.suggestion_id = s.id
        self.sigle = _text("sigle", MAX_SIGLE, s.sigle)
        self.domaine = _select("domaine", _domains(lang), s.domaine)
        self.developpe = _text("developpe", MAX_DEVELOPPE, s.developpe)
        self.explication = _text("explication", MAX_EXPLICATION, s.explication, long=True)
        self.source = _text("source", MAX_SOURCE, s.source or "", required=False)
        self.add_item(_label("sigles.field.sigle", lang, self.sigle))
        self.add_item(_label("sigles.field.domaine", lang, self.domaine))
        self.add_item(_label("sigles.field.developpe", lang, self.developpe))
        self.add_item(_label("sigles.field.explication", lang, self.explication))
        self.add_item(_label("sigles.field.source", lang, self.source))

    async def on_submit(self, interaction: Interaction) -> None:
        await self.actions.save_edit(
            interaction,
            self.suggestion_id,
            sigle=self.sigle.value,
            domaine=_chosen(self.domaine),
            developpe=self.developpe.value,
            explication=self.explication.value,
            source=self.source.value,
        )


class ProposeButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"sigles:propose:(?P<q>.{{0,{PROPOSE_QUERY_LIMIT}}})",
):
    """Under "not found": opens the suggestion form with the sigle already typed."""

    flows: ClassVar[Actions]

    def __init__(self, query: str, label: str = "…") -> None:
        custom_id = f"sigles:propose:{query[:PROPOSE_QUERY_LIMIT]}"
        super().__init__(button(label, custom_id, discord.ButtonStyle.primary, "✍️"))
        self.query = query

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: Any, match: re.Match[str]
    ) -> ProposeButton:
        return cls(match["q"])

    async def run(self, interaction: Interaction) -> None:
        await self.flows.open_suggestion(interaction, self.query)


class DecisionButton(
    ActionButton[Decision],
    prefix="sigles:sug",
    actions=Decision,
    labels="sigles.decision",
    styles=DECISION_STYLES,
):
    """Approve, edit or reject, under a suggestion in the moderators' channel."""

    flows: ClassVar[Actions]

    async def run(self, interaction: Interaction) -> None:
        await self.flows.decide(interaction, self.target_id, self.action)


DYNAMIC_ITEMS = (ProposeButton, DecisionButton)


def propose_view(query: str, lang: str) -> discord.ui.View:
    return dynamic_view(ProposeButton(query, t("sigles.propose.button", lang)))


def decision_view(suggestion_id: int, lang: str) -> discord.ui.View:
    return dynamic_view(*(DecisionButton(suggestion_id, action, lang) for action in Decision))
