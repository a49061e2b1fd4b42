"""Buttons and the welcome-message form of Apéro.

Every button is a `DynamicItem` bound to ids (a series and a date, a draft, a series to delete),
so it works after a restart. They reach the workflows through `flows`, set per bot by
`bot.ui.bind`; they never import them: `Actions` says what they call.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, ClassVar, Protocol, TypeVar, cast

import discord

from bot.discord_text import MODAL_TITLE_LIMIT, TEXT_INPUT_LABEL_LIMIT, truncate
from bot.errors import ErrorHandlingModal, ErrorHandlingView, GuardedItem
from bot.i18n import t
from bot.ui import ActionButton, bind, button
from cogs.apero import render
from cogs.apero.service import WELCOME_MAX, DeleteAction, DraftAction

Interaction = discord.Interaction[Any]
DAY_FORMAT = "%Y%m%d"  # a date in a custom_id

_DRAFT_STYLES = {
    DraftAction.SAVE: discord.ButtonStyle.success,
    DraftAction.WELCOME: discord.ButtonStyle.secondary,
    DraftAction.CANCEL: discord.ButtonStyle.danger,
}
_DELETE_STYLES = {
    DeleteAction.YES: discord.ButtonStyle.danger,
    DeleteAction.NO: discord.ButtonStyle.secondary,
}


class Actions(Protocol):
    """What the buttons and the form ask of the workflows."""

    async def toggle_attendance(self, interaction: Interaction, series_id: int, day: date) -> None:
        """« Je serai là »: decide, then redraw the button with the final count."""
        ...

    async def draft_action(
        self, interaction: Interaction, draft_id: int, action: DraftAction
    ) -> None: ...

    async def submit_welcome(self, interaction: Interaction, draft_id: int, text: str) -> None: ...

    async def delete_action(
        self, interaction: Interaction, series_id: int, action: DeleteAction
    ) -> None: ...


class GoButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"apero:go:(?P<series>\d+):(?P<day>\d{8})",
):
    """« Je serai là » for one (series, occurrence): its count starts at zero each week."""

    flows: ClassVar[Actions]

    def __init__(self, series_id: int, day: date, label: str) -> None:
        super().__init__(
            button(
                label,
                f"apero:go:{series_id}:{day:{DAY_FORMAT}}",
                discord.ButtonStyle.success,
                emoji="🥂",
            )
        )
        self.series_id, self.day = series_id, day

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> GoButton:
        day = datetime.strptime(match["day"], DAY_FORMAT).date()
        return cls(int(match["series"]), day, item.label or "")

    async def run(self, interaction: Interaction) -> None:
        await self.flows.toggle_attendance(interaction, self.series_id, self.day)


class DraftButton(
    ActionButton[DraftAction],
    prefix="apero:draft",
    actions=DraftAction,
    labels="apero.draft",
    styles=_DRAFT_STYLES,
):
    """The preview's buttons: save the series, add a welcome message, or give up."""

    flows: ClassVar[Actions]

    async def run(self, interaction: Interaction) -> None:
        await self.flows.draft_action(interaction, self.target_id, self.action)


class DeleteButton(
    ActionButton[DeleteAction],
    prefix="apero:del",
    actions=DeleteAction,
    labels="apero.delete",
    styles=_DELETE_STYLES,
):
    flows: ClassVar[Actions]

    async def run(self, interaction: Interaction) -> None:
        await self.flows.delete_action(interaction, self.target_id, self.action)


class WelcomeModal(ErrorHandlingModal):
    """The welcome message shown in every reminder of a series being created."""

    def __init__(self, flows: Actions, draft_id: int, current: str, lang: str) -> None:
        super().__init__(
            title=truncate(t("apero.welcome.title", lang), MODAL_TITLE_LIMIT),
            custom_id=f"apero:welcome:{draft_id}",
        )
        self.flows = flows
        self.draft_id = draft_id
        self.text: discord.ui.TextInput[WelcomeModal] = discord.ui.TextInput(
            label=truncate(t("apero.welcome.label", lang), TEXT_INPUT_LABEL_LIMIT),
            style=discord.TextStyle.paragraph,
            default=current or None,
            required=False,
            max_length=WELCOME_MAX,
        )
        self.add_item(self.text)

    async def on_submit(self, interaction: Interaction) -> None:
        await self.flows.submit_welcome(interaction, self.draft_id, self.text.value)


Item = TypeVar("Item", bound=discord.ui.DynamicItem[Any])


def _bound(flows: Actions, item: type[Item]) -> type[Item]:
    [bound] = bind(flows, item)
    return cast("type[Item]", bound)


class AperoViews:
    """The views of Apéro, built from the item classes bound to one bot's workflows.

    Views must be built from the bound classes: discord.py registers again the class of every
    dynamic item of a view it sends, so an unbound one would replace the bound registration.
    """

    def __init__(self, flows: Actions) -> None:
        self.flows = flows
        self._go = _bound(flows, GoButton)
        self._draft = _bound(flows, DraftButton)
        self._delete = _bound(flows, DeleteButton)

    @property
    def items(self) -> list[type[discord.ui.DynamicItem[Any]]]:
        """To register with `bot.add_dynamic_items` in `setup`."""
        return [self._go, self._draft, self._delete]

    def go(self, series_id: int, day: date, count: int, lang: str) -> ErrorHandlingView:
        view = ErrorHandlingView(timeout=None)
        view.add_item(self._go(series_id, day, render.go_label(count, lang)))
        return view

    def draft(self, draft_id: int, lang: str) -> ErrorHandlingView:
        view = ErrorHandlingView(timeout=None)
        for action in DraftAction:
            view.add_item(self._draft(draft_id, action, lang))
        return view

    def delete(self, series_id: int, lang: str) -> ErrorHandlingView:
        view = ErrorHandlingView(timeout=None)
        for action in DeleteAction:
            view.add_item(self._delete(series_id, action, lang))
        return view

    def welcome_form(self, draft_id: int, current: str, lang: str) -> WelcomeModal:
        return WelcomeModal(self.flows, draft_id, current, lang)
