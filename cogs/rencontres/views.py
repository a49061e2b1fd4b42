"""Buttons and forms of Rencontres.

Buttons are `DynamicItem`s bound to ids: everything they need is in their custom_id and the
database, so they work after a restart and no view object is kept alive for them (ephemeral
answers `stop()` their view once sent: discord.py would otherwise keep it for 15 minutes).
They reach the workflows through `flows`, set per bot by `bot.ui.bind`; they never import them.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, ClassVar, Protocol, TypeVar, cast

import discord

from bot.discord_text import MODAL_TITLE_LIMIT, truncate
from bot.errors import ErrorHandlingModal, GuardedItem
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.ui import ActionButton, bind, button, dynamic_view
from cogs.rencontres import service
from cogs.rencontres.service import Choice, DraftAction, Format, Rencontre

Interaction = discord.Interaction[Any]
WHEN_FIELD_MAX = 100

_RSVP_STYLES = {
    Choice.GO: discord.ButtonStyle.success,
    Choice.MAYBE: discord.ButtonStyle.secondary,
    Choice.LEAVE: discord.ButtonStyle.danger,
}
_DRAFT_STYLES = {
    DraftAction.PUBLISH: discord.ButtonStyle.success,
    DraftAction.EDIT: discord.ButtonStyle.primary,
    DraftAction.DROP: discord.ButtonStyle.danger,
}


class PageDirection(StrEnum):
    PREVIOUS = "p"
    NEXT = "n"


class Actions(Protocol):
    """What the buttons and the form ask of the workflows."""

    async def rsvp(self, interaction: Interaction, event_id: int, choice: Choice) -> None: ...

    async def draft_action(
        self, interaction: Interaction, event_id: int, action: DraftAction
    ) -> None: ...

    async def show_page(self, interaction: Interaction, page: int, *, edit: bool) -> None: ...

    async def submit_edit(
        self,
        interaction: Interaction,
        event_id: int,
        *,
        title: str,
        when: str,
        where: str,
        capacity: int | None,
        description: str,
    ) -> None: ...


class RsvpButton(
    ActionButton[Choice],
    prefix="rencontre",
    actions=Choice,
    labels="rencontre.button",
    styles=_RSVP_STYLES,
):
    flows: ClassVar[Actions]

    async def run(self, interaction: Interaction) -> None:
        await self.flows.rsvp(interaction, self.target_id, self.action)


class DraftButton(
    ActionButton[DraftAction],
    prefix="rencontre:draft",
    actions=DraftAction,
    labels="rencontre.preview",
    styles=_DRAFT_STYLES,
):
    flows: ClassVar[Actions]

    async def run(self, interaction: Interaction) -> None:
        await self.flows.draft_action(interaction, self.target_id, self.action)


class PageButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"rencontre:page:(?P<page>\d+)(?::(?P<dir>p|n))?",
):
    flows: ClassVar[Actions]

    def __init__(
        self, page: int, direction: PageDirection, lang: str, disabled: bool = False
    ) -> None:
        item = button(
            t(f"rencontre.list.{direction}", lang),
            f"rencontre:page:{page}:{direction}",
            discord.ButtonStyle.secondary,
        )
        item.disabled = disabled
        super().__init__(item)
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> PageButton:
        direction = PageDirection(match["dir"] or PageDirection.NEXT)
        return cls(int(match["page"]), direction, interaction_lang(interaction))

    async def run(self, interaction: Interaction) -> None:
        await self.flows.show_page(interaction, self.page, edit=True)


class EditModal(ErrorHandlingModal):
    """Title, date, place or link, seats and the long description of a draft or an event."""

    def __init__(self, flows: Actions, event: Rencontre, lang: str) -> None:
        super().__init__(
            title=truncate(t("rencontre.modal.title", lang), MODAL_TITLE_LIMIT),
            custom_id=f"rencontre:modal:{event.id}",
        )
        self.flows = flows
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
            max_length=WHEN_FIELD_MAX,
        )
        in_person = event.format is Format.PRESENTIEL
        self.ou = discord.ui.TextInput(
            label=t("rencontre.modal.lieu" if in_person else "rencontre.modal.lien", lang),
            default=event.place or event.link or "",
            max_length=service.PLACE_MAX if in_person else service.LINK_MAX,
        )
        self.places = discord.ui.TextInput(
            label=t("rencontre.modal.places", lang),
            default="" if event.capacity is None else str(event.capacity),
            required=False,
            max_length=service.CAPACITY_DIGITS,
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

    async def on_submit(self, interaction: Interaction) -> None:
        capacity = service.parse_capacity(self.places.value)
        await self.flows.submit_edit(
            interaction,
            self.event_id,
            title=self.titre.value,
            when="" if self.quand.value.strip() == self.shown_start else self.quand.value,
            where=self.ou.value,
            capacity=capacity,
            description=self.description.value,
        )


Item = TypeVar("Item", bound=discord.ui.DynamicItem[Any])


def _bound(flows: Actions, item: type[Item]) -> type[Item]:
    [bound] = bind(flows, item)
    return cast("type[Item]", bound)


class RencontresViews:
    """The views of Rencontres, built from the item classes bound to one bot's workflows.

    Views must be built from the bound classes: discord.py registers again the class of every
    dynamic item of a view it sends, so an unbound one would replace the bound registration.
    """

    def __init__(self, flows: Actions) -> None:
        self.flows = flows
        self._rsvp = _bound(flows, RsvpButton)
        self._draft = _bound(flows, DraftButton)
        self._page = _bound(flows, PageButton)

    @property
    def items(self) -> list[type[discord.ui.DynamicItem[Any]]]:
        """To register with `bot.add_dynamic_items` in `setup`."""
        return [self._rsvp, self._draft, self._page]

    def rsvp(self, event: Rencontre, lang: str) -> discord.ui.View:
        return dynamic_view(*(self._rsvp(event.id, choice, lang) for choice in Choice))

    def draft(self, event_id: int, lang: str) -> discord.ui.View:
        return dynamic_view(*(self._draft(event_id, action, lang) for action in DraftAction))

    def page(self, page: int, pages: int, lang: str) -> discord.ui.View:
        return dynamic_view(
            self._page(max(0, page - 1), PageDirection.PREVIOUS, lang, disabled=page <= 0),
            self._page(page + 1, PageDirection.NEXT, lang, disabled=page + 1 >= pages),
        )

    def edit_form(self, event: Rencontre, lang: str) -> EditModal:
        return EditModal(self.flows, event, lang)
