"""The moderators' buttons and the refusal form: `DynamicItem`s bound to a request's id, so
they work after a restart; they reach `Approvals` through `bot.ui.bind`."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, cast

import discord

from bot.approval.model import Action
from bot.discord_text import MODAL_TITLE_LIMIT, TEXT_INPUT_LABEL_LIMIT, truncate
from bot.errors import ErrorHandlingModal, ErrorHandlingView
from bot.i18n import t
from bot.ui import ActionButton, bind

Interaction = discord.Interaction[Any]
REASON_MAX = 300

_STYLES = {Action.APPROVE: discord.ButtonStyle.success, Action.REFUSE: discord.ButtonStyle.danger}


class Actions(Protocol):
    async def approve(self, interaction: Interaction, request_id: int) -> None: ...

    async def ask_reason(self, interaction: Interaction, request_id: int) -> None: ...

    async def refuse(self, interaction: Interaction, request_id: int, reason: str) -> None: ...


class DecisionButton(
    ActionButton[Action],
    prefix="approval",
    actions=Action,
    labels="approval.button",
    styles=_STYLES,
):
    flows: ClassVar[Actions]

    async def run(self, interaction: Interaction) -> None:
        if self.action is Action.APPROVE:
            await self.flows.approve(interaction, self.target_id)
        else:
            await self.flows.ask_reason(interaction, self.target_id)


class RefuseModal(ErrorHandlingModal):
    def __init__(self, flows: Actions, request_id: int, lang: str) -> None:
        super().__init__(
            title=truncate(t("approval.refuse.title", lang), MODAL_TITLE_LIMIT),
            custom_id=f"approval:{request_id}:reason",
        )
        self.flows, self.request_id = flows, request_id
        self.reason = discord.ui.TextInput(
            custom_id="reason",
            label=truncate(t("approval.refuse.reason", lang), TEXT_INPUT_LABEL_LIMIT),
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=REASON_MAX,
        )
        self.add_item(self.reason)

    async def on_submit(self, interaction: Interaction) -> None:
        await self.flows.refuse(interaction, self.request_id, self.reason.value)


class ApprovalViews:
    """Views built from the item class bound to this bot's `Approvals` (see `bot.ui.bind`)."""

    def __init__(self, flows: Actions) -> None:
        self.flows = flows
        [bound] = bind(flows, DecisionButton)
        self._button = cast("type[DecisionButton]", bound)

    @property
    def items(self) -> list[type[discord.ui.DynamicItem[Any]]]:
        return [self._button]

    def card(
        self, request_id: int, lang: str, extra: list[discord.ui.Item[Any]] | None = None
    ) -> ErrorHandlingView:
        view = ErrorHandlingView(timeout=None)
        view.add_item(self._button(request_id, Action.APPROVE, lang))
        for item in extra or []:
            view.add_item(item)
        view.add_item(self._button(request_id, Action.REFUSE, lang))
        return view

    def refusal_form(self, request_id: int, lang: str) -> RefuseModal:
        return RefuseModal(self.flows, request_id, lang)
