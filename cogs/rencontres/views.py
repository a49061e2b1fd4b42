"""Buttons and forms of Rencontres. Buttons bound to an id are `DynamicItem`s: they keep working
after a restart because everything they need is in their custom_id and the database."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.discord_text import BUTTON_LABEL_LIMIT, MODAL_TITLE_LIMIT, truncate
from bot.errors import ErrorHandlingModal, GuardedItem
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.user_error import UserError
from cogs.rencontres import service

if TYPE_CHECKING:
    from bot.client import Passerelle
    from cogs.rencontres.flows import Flows

_STYLES = {
    "go": discord.ButtonStyle.success,
    "maybe": discord.ButtonStyle.secondary,
    "leave": discord.ButtonStyle.danger,
}


def flows_of(interaction: discord.Interaction[Any]) -> Flows:
    bot: Passerelle = interaction.client
    cog = bot.get_cog("RencontresCog")
    assert cog is not None
    return cog.flows  # type: ignore[attr-defined]


class RsvpButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"rencontre:(?P<id>\d+):(?P<choice>go|maybe|leave)",
):
    def __init__(self, event_id: int, choice: str, lang: str = "fr") -> None:
        super().__init__(
            discord.ui.Button(
                label=truncate(t(f"rencontre.button.{choice}", lang), BUTTON_LABEL_LIMIT),
                style=_STYLES[choice],
                custom_id=f"rencontre:{event_id}:{choice}",
            )
        )
        self.event_id, self.choice = event_id, choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Button, match: re.Match[str]
    ) -> RsvpButton:
        return cls(int(match["id"]), match["choice"])

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        await flows_of(interaction).rsvp(interaction, self.event_id, self.choice)


class DraftButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"rencontre:draft:(?P<id>\d+):(?P<action>publish|edit|drop)",
):
    def __init__(self, event_id: int, action: str, lang: str = "fr") -> None:
        style = {
            "publish": discord.ButtonStyle.success,
            "edit": discord.ButtonStyle.primary,
            "drop": discord.ButtonStyle.danger,
        }[action]
        super().__init__(
            discord.ui.Button(
                label=truncate(t(f"rencontre.preview.{action}", lang), BUTTON_LABEL_LIMIT),
                style=style,
                custom_id=f"rencontre:draft:{event_id}:{action}",
            )
        )
        self.event_id, self.action = event_id, action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Button, match: re.Match[str]
    ) -> DraftButton:
        return cls(int(match["id"]), match["action"])

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        await flows_of(interaction).draft_action(interaction, self.event_id, self.action)


class PageButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"rencontre:page:(?P<page>\d+)(?::(?P<dir>p|n))?",
):
    def __init__(self, page: int, direction: str, lang: str, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=t(f"rencontre.list.{direction}", lang),
                style=discord.ButtonStyle.secondary,
                custom_id=f"rencontre:page:{page}:{direction}",
                disabled=disabled,
            )
        )
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Button, match: re.Match[str]
    ) -> PageButton:
        return cls(int(match["page"]), match["dir"] or "n", interaction_lang(interaction))

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        await flows_of(interaction).show_page(interaction, self.page, edit=True)


def draft_view(event_id: int, lang: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action in ("publish", "edit", "drop"):
        view.add_item(DraftButton(event_id, action, lang))
    return view


class EditModal(ErrorHandlingModal):
    """Title, date, place or link, seats and the long description of a draft or an event."""

    def __init__(self, event: service.Rencontre, lang: str) -> None:
        super().__init__(
            title=truncate(t("rencontre.modal.title", lang), MODAL_TITLE_LIMIT),
            custom_id=f"rencontre:modal:{event.id}",
        )
        self.event_id = event.id
        local = event.starts_at.astimezone(event.tz)
        self.titre = discord.ui.TextInput(
            label=t("rencontre.modal.titre", lang),
            default=event.title,
            max_length=service.TITLE_MAX,
        )
        # Sent back untouched, the start is kept as it is, not read again: it may have begun
        # (a link fixed during the event) or fall on a repeated hour of a DST change.
        self.shown_start = f"{local:%Y-%m-%d %H:%M}"
        self.quand = discord.ui.TextInput(
            label=t("rencontre.modal.quand", lang),
            default=self.shown_start,
            max_length=100,
        )
        where_key = "lieu" if event.format == "presentiel" else "lien"
        self.ou = discord.ui.TextInput(
            label=t(f"rencontre.modal.{where_key}", lang),
            default=event.place or event.link or "",
            max_length=service.LINK_MAX if where_key == "lien" else service.PLACE_MAX,
        )
        self.places = discord.ui.TextInput(
            label=t("rencontre.modal.places", lang),
            default="" if event.capacity is None else str(event.capacity),
            required=False,
            max_length=3,
        )
        self.description = discord.ui.TextInput(
            label=t("rencontre.modal.description", lang),
            style=discord.TextStyle.paragraph,
            default=event.description,
            required=False,
            max_length=service.DESCRIPTION_MAX,
        )
        for field in (self.titre, self.quand, self.ou, self.places, self.description):
            self.add_item(field)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        raw = self.places.value.strip()
        if raw and not raw.isdigit():
            raise UserError("rencontre.error.capacity_text", value=raw[:10])
        await flows_of(interaction).submit_edit(
            interaction,
            self.event_id,
            title=self.titre.value,
            when="" if self.quand.value.strip() == self.shown_start else self.quand.value,
            where=self.ou.value,
            capacity=int(raw) if raw else None,
            description=self.description.value,
        )


def page_view(page: int, pages: int, lang: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(PageButton(max(0, page - 1), "p", lang, disabled=page <= 0))
    view.add_item(PageButton(page + 1, "n", lang, disabled=page + 1 >= pages))
    return view
