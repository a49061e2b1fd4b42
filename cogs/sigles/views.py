"""Buttons and forms of Sigles. Buttons are `DynamicItem`s: everything they need is in their
custom_id and the database, so they keep working after a restart."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.discord_text import MODAL_TITLE_LIMIT, truncate
from bot.errors import ErrorHandlingModal, ErrorHandlingView, GuardedItem
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.regions import REGIONS
from bot.ui import button
from bot.user_error import UserError
from cogs.sigles.glossary import DOMAINES, MAX_DEVELOPPE, MAX_EXPLICATION, MAX_SIGLE
from cogs.sigles.service import MAX_SOURCE, Suggestion

if TYPE_CHECKING:
    from cogs.sigles.flows import SuggestionFlows

Interaction = discord.Interaction[Any]
LABEL_LIMIT = 45


def flows(interaction: Interaction) -> SuggestionFlows:
    cog = interaction.client.get_cog("SiglesCog")
    if cog is None:  # the feature failed to load: say so rather than fail silently
        raise UserError("sigles.error.unavailable")
    return cast("SuggestionFlows", cog.flows)  # type: ignore[attr-defined]


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


def _select(custom_id: str, options: list[tuple[str, str]], chosen: str | None):
    return discord.ui.Select(
        custom_id=custom_id,
        options=[
            discord.SelectOption(label=truncate(label, 100), value=value, default=value == chosen)
            for value, label in options
        ],
    )


def _domains(lang: str) -> list[tuple[str, str]]:
    return [(d, t(f"sigles.domaine.{d}", lang)) for d in DOMAINES]


class SuggestModal(ErrorHandlingModal):
    """A member proposes a sigle the glossary does not know."""

    def __init__(self, lang: str, sigle: str, region: str) -> None:
        super().__init__(title=truncate(t("sigles.propose.title", lang), MODAL_TITLE_LIMIT))
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
        await flows(interaction).submit_suggestion(
            interaction,
            sigle=self.sigle.value,
            region=(self.region.values or [""])[0],
            domaine=(self.domaine.values or [""])[0],
            developpe=self.developpe.value,
            explication=self.explication.value,
        )


class EditSuggestionModal(ErrorHandlingModal):
    """A moderator corrects a suggestion (and may add its source) before deciding."""

    def __init__(self, lang: str, s: Suggestion) -> None:
        super().__init__(title=truncate(t("sigles.edit.title", lang), MODAL_TITLE_LIMIT))
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
        await flows(interaction).save_edit(
            interaction,
            self.suggestion_id,
            sigle=self.sigle.value,
            domaine=(self.domaine.values or [""])[0],
            developpe=self.developpe.value,
            explication=self.explication.value,
            source=self.source.value,
        )


class ProposeButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"sigles:propose:(?P<q>.{0,40})",
):
    """Under "not found": opens the suggestion form with the sigle already typed."""

    def __init__(self, query: str, label: str = "…") -> None:
        super().__init__(
            button(label, f"sigles:propose:{query[:40]}", discord.ButtonStyle.primary, "✍️")
        )
        self.query = query

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: Any, match: re.Match[str]):
        return cls(match["q"])

    async def run(self, interaction: Interaction) -> None:
        await flows(interaction).open_suggestion(interaction, self.query)


class DecisionButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"sigles:sug:(?P<id>\d+):(?P<action>approve|edit|reject)",
):
    def __init__(self, suggestion_id: int, action: str, label: str = "…") -> None:
        style = {
            "approve": discord.ButtonStyle.success,
            "edit": discord.ButtonStyle.primary,
            "reject": discord.ButtonStyle.danger,
        }[action]
        super().__init__(button(label, f"sigles:sug:{suggestion_id}:{action}", style))
        self.suggestion_id, self.action = suggestion_id, action

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: Any, match: re.Match[str]):
        return cls(int(match["id"]), match["action"])

    async def run(self, interaction: Interaction) -> None:
        cog = flows(interaction)
        if self.action == "approve":
            await cog.approve(interaction, self.suggestion_id)
        elif self.action == "reject":
            await cog.reject(interaction, self.suggestion_id)
        else:
            suggestion = await cog.pending_for_moderator(interaction, self.suggestion_id)
            modal = EditSuggestionModal(interaction_lang(interaction), suggestion)
            await interaction.response.send_modal(modal)


DYNAMIC_ITEMS = (ProposeButton, DecisionButton)


def propose_view(query: str, lang: str) -> ErrorHandlingView:
    view = ErrorHandlingView(timeout=None)
    view.add_item(ProposeButton(query, t("sigles.propose.button", lang)))
    return view


def decision_view(suggestion_id: int, lang: str) -> ErrorHandlingView:
    view = ErrorHandlingView(timeout=None)
    for action in ("approve", "edit", "reject"):
        view.add_item(DecisionButton(suggestion_id, action, t(f"sigles.decision.{action}", lang)))
    return view
