"""Réseau's `DynamicItem`s: everything bound to an id (a page, a profile, a request, a draft,
a pairing's check-in). They work after a restart, and no view is kept alive in memory: each is
found again from its custom_id and reaches the workflows through `flows` (`bot.ui.bind`)."""

from __future__ import annotations

import re
from typing import ClassVar

import discord

from bot.discord_text import truncate
from bot.errors import GuardedItem
from bot.i18n import t
from bot.reference.practice import (
    Field,
    Language,
    StructureType,
    field_label,
    language_label,
    structure_label,
)
from bot.regions import Side
from bot.ui import ActionButton, button
from cogs.reseau.service import DirectoryFilters, OpenTo, Profile
from cogs.reseau.service.consent import CheckinAnswer
from cogs.reseau.views.actions import (
    Actions,
    AnswerAction,
    CardAction,
    ChoiceKind,
    DraftAction,
    Interaction,
)

SELECT_LABEL_LIMIT = 100


def encode_filters(filters: DirectoryFilters) -> str:
    return ":".join(
        value or ""
        for value in (
            filters.profession,
            filters.side,
            filters.place,
            filters.practice,
            filters.open_to,
        )
    )


def decode_filters(match: re.Match[str]) -> DirectoryFilters:
    return DirectoryFilters(
        profession=match["prof"] or None,
        side=Side(match["side"]) if match["side"] else None,
        place=match["place"] or None,
        practice=Field(match["field"]) if match["field"] else None,
        open_to=OpenTo(match["open"]) if match["open"] else None,
    )


class PageButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"reseau:dir:(?P<page>\d+):(?P<prof>[a-z-]*):(?P<side>[a-z]*):(?P<place>[A-Z0-9-]*)"
    r":(?P<field>[a-z_]*):(?P<open>[a-z_]*):(?P<dir>p|n)",
):
    flows: ClassVar[Actions]

    def __init__(
        self,
        page: int,
        filters: DirectoryFilters,
        direction: str,
        lang: str = "fr",
        *,
        disabled: bool = False,
    ) -> None:
        item = button(
            t(f"reseau.directory.{direction}", lang),
            f"reseau:dir:{page}:{encode_filters(filters)}:{direction}",
            discord.ButtonStyle.secondary,
        )
        item.disabled = disabled
        super().__init__(item)
        self.page, self.filters = page, filters

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> PageButton:
        return cls(int(match["page"]), decode_filters(match), match["dir"])

    async def run(self, interaction: Interaction) -> None:
        await self.flows.contacts.show_directory(interaction, self.filters, self.page, edit=True)


class AskButton(
    GuardedItem, discord.ui.DynamicItem[discord.ui.Button], template=r"reseau:ask:(?P<id>\d+)"
):
    """« Demander un contact » for one profile of the directory."""

    flows: ClassVar[Actions]

    def __init__(self, profile_id: int, name: str = "", lang: str = "fr") -> None:
        label = (
            t("reseau.directory.ask", lang, name=name)
            if name
            else t("reseau.directory.ask_short", lang)
        )
        super().__init__(button(label, f"reseau:ask:{profile_id}", discord.ButtonStyle.primary))
        self.profile_id = profile_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> AskButton:
        return cls(int(match["id"]))

    async def run(self, interaction: Interaction) -> None:
        await self.flows.contacts.ask_form(interaction, self.profile_id)


# -- requests ----------------------------------------------------------------------------------
_ANSWER_STYLES = {
    AnswerAction.ACCEPT: discord.ButtonStyle.success,
    AnswerAction.REFUSE: discord.ButtonStyle.secondary,
    AnswerAction.BLOCK: discord.ButtonStyle.danger,
    AnswerAction.REPORT: discord.ButtonStyle.secondary,
}


class AnswerButton(
    ActionButton[AnswerAction],
    prefix="reseau:req",
    actions=AnswerAction,
    labels="reseau.answer",
    styles=_ANSWER_STYLES,
):
    """Accepter / Refuser / Bloquer / Signaler, in the recipient's DM or in /contacts."""

    flows: ClassVar[Actions]

    async def run(self, interaction: Interaction) -> None:
        await self.flows.contacts.answer(interaction, self.target_id, self.action)


class DetailsButton(
    GuardedItem, discord.ui.DynamicItem[discord.ui.Button], template=r"reseau:details:(?P<id>\d+)"
):
    """« Donner mes coordonnées » once a request is accepted (no thread channel)."""

    flows: ClassVar[Actions]

    def __init__(self, request_id: int, lang: str = "fr") -> None:
        super().__init__(
            button(
                t("reseau.details.button", lang),
                f"reseau:details:{request_id}",
                discord.ButtonStyle.primary,
            )
        )
        self.request_id = request_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> DetailsButton:
        return cls(int(match["id"]))

    async def run(self, interaction: Interaction) -> None:
        await self.flows.contacts.details_form(interaction, self.request_id)


_DRAFT_STYLES = {
    DraftAction.SEND: discord.ButtonStyle.danger,
    DraftAction.DROP: discord.ButtonStyle.secondary,
}


class DraftButton(
    ActionButton[DraftAction],
    prefix="reseau:draft",
    actions=DraftAction,
    labels="reseau.guard",
    styles=_DRAFT_STYLES,
):
    """After the secrecy guard's warning: « Envoyer quand même » or « Annuler »."""

    flows: ClassVar[Actions]

    async def run(self, interaction: Interaction) -> None:
        await self.flows.draft(interaction, self.target_id, self.action is DraftAction.SEND)


# -- the profile card --------------------------------------------------------------------------
_CARD_STYLES = {
    CardAction.SHOW: discord.ButtonStyle.success,
    CardAction.HIDE: discord.ButtonStyle.secondary,
    CardAction.DELETE: discord.ButtonStyle.danger,
}


class ProfileButton(
    ActionButton[CardAction],
    prefix="reseau:profile",
    actions=CardAction,
    labels="reseau.profile",
    styles=_CARD_STYLES,
):
    """Bound to the owner's user id."""

    flows: ClassVar[Actions]

    async def run(self, interaction: Interaction) -> None:
        if self.action is CardAction.DELETE:
            await self.flows.profiles.delete(interaction, self.target_id)
        else:
            await self.flows.profiles.set_visible(
                interaction, self.target_id, self.action is CardAction.SHOW
            )


def _options(kind: str, profile: Profile, lang: str) -> tuple[list[discord.SelectOption], int]:
    """The options of one choice select, with what the profile already chose, and the maximum."""
    if kind == ChoiceKind.FIELDS:
        chosen, values = profile.fields, [(f, field_label(f, lang)) for f in Field]
    elif kind == ChoiceKind.OPEN_TO:
        chosen, values = profile.open_to, [(o, t(f"reseau.open_to.{o}", lang)) for o in OpenTo]
    elif kind == ChoiceKind.LANGUAGES:
        chosen, values = profile.languages, [(x, language_label(x, lang)) for x in Language]
    else:
        chosen = frozenset({profile.structure}) if profile.structure else frozenset()
        values = [(s, structure_label(s, lang)) for s in StructureType]
    options = [
        discord.SelectOption(
            label=truncate(label, SELECT_LABEL_LIMIT), value=value, default=value in chosen
        )
        for value, label in values
    ]
    return options, 1 if kind == ChoiceKind.STRUCTURE else len(options)


class ChoiceSelect(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Select],
    template=r"reseau:choice:(?P<user>\d+):(?P<kind>fields|open|langs|structure)",
):
    """A select of the owner's profile card: fields, « ouvert à », languages, structure."""

    flows: ClassVar[Actions]

    def __init__(
        self, owner: int, kind: str, profile: Profile | None = None, lang: str = "fr"
    ) -> None:
        options, most = (
            _options(kind, profile, lang)
            if profile
            else ([discord.SelectOption(label="…", value="_")], 1)
        )
        super().__init__(
            discord.ui.Select(
                custom_id=f"reseau:choice:{owner}:{kind}",
                placeholder=t(f"reseau.choice.{kind}", lang),
                options=options,
                min_values=0,
                max_values=most,
            )
        )
        self.owner, self.kind = owner, kind

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Select, match: re.Match[str]
    ) -> ChoiceSelect:
        return cls(int(match["user"]), match["kind"])

    async def run(self, interaction: Interaction) -> None:
        await self.flows.profiles.choose(interaction, self.owner, self.kind, list(self.item.values))


# -- mentoring ---------------------------------------------------------------------------------
class MentorButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"reseau:mentor:(?P<user>\d+):(?P<arrival>\d{4}-\d{2})",
):
    """« Demander un mentorat » to one of the mentors proposed."""

    flows: ClassVar[Actions]

    def __init__(self, mentor_id: int, arrival: str, name: str = "", lang: str = "fr") -> None:
        super().__init__(
            button(
                t("reseau.mentoring.ask", lang, name=name)
                if name
                else t("reseau.mentoring.ask_short", lang),
                f"reseau:mentor:{mentor_id}:{arrival}",
                discord.ButtonStyle.primary,
            )
        )
        self.mentor_id, self.arrival = mentor_id, arrival

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> MentorButton:
        return cls(int(match["user"]), match["arrival"])

    async def run(self, interaction: Interaction) -> None:
        await self.flows.mentoring.ask_form(interaction, self.mentor_id, self.arrival)


_CHECKIN_STYLES = {
    CheckinAnswer.OK: discord.ButtonStyle.success,
    CheckinAnswer.HELP: discord.ButtonStyle.primary,
    CheckinAnswer.END: discord.ButtonStyle.secondary,
}


class CheckinButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"reseau:checkin:(?P<id>\d+):(?P<step>\d):(?P<answer>ok|help|end)",
):
    """« Ça va » / « Besoin d'un coup de main » / « Terminer » under a check-in DM."""

    flows: ClassVar[Actions]

    def __init__(self, pairing_id: int, step: int, answer: CheckinAnswer, lang: str = "fr") -> None:
        super().__init__(
            button(
                t(f"reseau.checkin.{answer}", lang),
                f"reseau:checkin:{pairing_id}:{step}:{answer}",
                _CHECKIN_STYLES[answer],
            )
        )
        self.pairing_id, self.step, self.answer = pairing_id, step, answer

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> CheckinButton:
        return cls(int(match["id"]), int(match["step"]), CheckinAnswer(match["answer"]))

    async def run(self, interaction: Interaction) -> None:
        await self.flows.mentoring.checkin(interaction, self.pairing_id, self.step, self.answer)
