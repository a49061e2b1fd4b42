"""Buttons and the modal of the support space.

Every button is a `DynamicItem`, so it works after a restart. Custom ids carry a thread or
message id, a draft token or nothing: never a member id (the posts are anonymous).

The views never import the workflows: they declare what they call (`Actions`) and get the
object from `SoutienViews`, which binds the item classes to it (`bot.ui.bind`).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Protocol, TypeVar, cast

import discord

from bot.discord_text import (
    MODAL_TITLE_LIMIT,
    TEXT_INPUT_LABEL_LIMIT,
    TEXT_INPUT_PLACEHOLDER_LIMIT,
    TEXT_INPUT_VALUE_LIMIT,
    truncate,
)
from bot.errors import ErrorHandlingModal, ErrorHandlingView, GuardedItem
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.ui import bind, button
from bot.user_error import UserError
from cogs.soutien import render
from cogs.soutien.resources import REGIONS
from cogs.soutien.service import DRAFT_TTL, Draft, DraftAction, ModAction, Opening

Interaction = discord.Interaction[Any]


class ModerationActions(Protocol):
    async def report(self, interaction: Interaction, message_id: int) -> None: ...
    async def remove_post(self, interaction: Interaction, message_id: int) -> None: ...
    async def block_author(self, interaction: Interaction, message_id: int) -> None: ...


class Actions(Protocol):
    """What the support space's buttons and modal ask of its workflows."""

    @property
    def moderation(self) -> ModerationActions: ...

    async def open_private(self, interaction: Interaction) -> None: ...
    async def precheck_channel(self, interaction: Interaction) -> None: ...
    async def check_reply_thread(self, thread_id: int) -> None: ...
    async def submit(
        self,
        interaction: Interaction,
        thread_id: int | None,
        text: str | None,
        *,
        checked: bool = False,
    ) -> None: ...
    def take_draft(self, interaction: Interaction, token: str) -> Draft: ...
    async def toggle_notify(self, interaction: Interaction, thread_id: int) -> bool: ...


class AnonModal(ErrorHandlingModal):
    """The only way in for anonymous text: a modal has no attachments, by design."""

    def __init__(self, flows: Actions, lang: str, thread_id: int | None, text: str = "") -> None:
        key = "soutien.modal.reply_title" if thread_id else "soutien.modal.title"
        super().__init__(
            title=truncate(t(key, lang), MODAL_TITLE_LIMIT), timeout=DRAFT_TTL.total_seconds()
        )
        self.flows = flows
        self.thread_id = thread_id
        self.body: discord.ui.TextInput[AnonModal] = discord.ui.TextInput(
            label=truncate(t("soutien.modal.label", lang), TEXT_INPUT_LABEL_LIMIT),
            style=discord.TextStyle.paragraph,
            custom_id="body",
            placeholder=truncate(
                t("soutien.modal.placeholder", lang), TEXT_INPUT_PLACEHOLDER_LIMIT
            ),
            default=text[:TEXT_INPUT_VALUE_LIMIT] or None,
            # Discord's limit; our own (service.TEXT_MAX) is checked and explained server-side.
            max_length=TEXT_INPUT_VALUE_LIMIT,
        )
        self.add_item(self.body)

    async def on_submit(self, interaction: Interaction) -> None:
        await self.flows.submit(interaction, self.thread_id, self.body.value)


class OpenButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"sout:open:(?P<what>private|anon)",
):
    flows: ClassVar[Actions]

    def __init__(self, what: Opening, label: str = "…") -> None:
        style = (
            discord.ButtonStyle.primary
            if what is Opening.PRIVATE
            else discord.ButtonStyle.secondary
        )
        super().__init__(button(label, f"sout:open:{what}", style))
        self.what = what

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: Any, match: re.Match[str]):
        return cls(Opening(match["what"]))

    async def run(self, interaction: Interaction) -> None:
        if self.what is Opening.PRIVATE:
            await self.flows.open_private(interaction)
            return
        await self.flows.precheck_channel(interaction)
        await interaction.response.send_modal(
            AnonModal(self.flows, interaction_lang(interaction), None)
        )


class ReplyButton(GuardedItem, discord.ui.DynamicItem[discord.ui.Button], template=r"sout:reply"):
    """On every anonymous post; the thread is the one the button sits in."""

    flows: ClassVar[Actions]

    def __init__(self, label: str = "…") -> None:
        super().__init__(button(label, "sout:reply", discord.ButtonStyle.primary, "✉️"))

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: Any, match: re.Match[str]):
        return cls()

    async def run(self, interaction: Interaction) -> None:
        thread_id = interaction.channel_id
        if thread_id is None:
            raise UserError("soutien.error.unknown_thread")
        # Refuse a closed thread before the member writes anything.
        await self.flows.check_reply_thread(thread_id)
        await interaction.response.send_modal(
            AnonModal(self.flows, interaction_lang(interaction), thread_id)
        )


class ReportButton(GuardedItem, discord.ui.DynamicItem[discord.ui.Button], template=r"sout:report"):
    flows: ClassVar[Actions]

    def __init__(self, label: str = "…") -> None:
        super().__init__(button(label, "sout:report", discord.ButtonStyle.secondary, "🚩"))

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: Any, match: re.Match[str]):
        return cls()

    async def run(self, interaction: Interaction) -> None:
        if interaction.message is None:
            raise UserError("soutien.error.unknown_post")
        await self.flows.moderation.report(interaction, interaction.message.id)


DRAFT_STYLES = {
    DraftAction.EDIT: discord.ButtonStyle.primary,
    DraftAction.POST: discord.ButtonStyle.danger,
    DraftAction.CANCEL: discord.ButtonStyle.secondary,
}


class DraftButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"sout:draft:(?P<token>[0-9a-f]{16}):(?P<action>edit|post|cancel)",
):
    """The guard's three choices: Modifier, Publier quand même, Annuler."""

    flows: ClassVar[Actions]

    def __init__(self, token: str, action: DraftAction, label: str = "…") -> None:
        super().__init__(button(label, f"sout:draft:{token}:{action}", DRAFT_STYLES[action]))
        self.token, self.action = token, action

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: Any, match: re.Match[str]):
        return cls(match["token"], DraftAction(match["action"]))

    async def run(self, interaction: Interaction) -> None:
        lang = interaction_lang(interaction)
        draft = self.flows.take_draft(interaction, self.token)
        if self.action is DraftAction.EDIT:
            await interaction.response.send_modal(
                AnonModal(self.flows, lang, draft.thread_id, draft.text)
            )
        elif self.action is DraftAction.POST:
            await self.flows.submit(interaction, draft.thread_id, draft.text, checked=True)
        else:
            await interaction.response.edit_message(
                content=t("soutien.guard.cancelled", lang), view=None
            )


class NotifyButton(
    GuardedItem, discord.ui.DynamicItem[discord.ui.Button], template=r"sout:notify:(?P<thread>\d+)"
):
    flows: ClassVar[Actions]

    def __init__(self, thread_id: int, label: str = "…") -> None:
        super().__init__(
            button(label, f"sout:notify:{thread_id}", discord.ButtonStyle.secondary, "🔔")
        )
        self.thread_id = thread_id

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: Any, match: re.Match[str]):
        return cls(int(match["thread"]))

    async def run(self, interaction: Interaction) -> None:
        lang = interaction_lang(interaction)
        on = await self.flows.toggle_notify(interaction, self.thread_id)
        # type(self) is the class bound to this bot's workflows (see SoutienViews).
        view = ErrorHandlingView(timeout=None)
        view.add_item(type(self)(self.thread_id, notify_label(on, lang)))
        await interaction.response.edit_message(view=view)
        await interaction.followup.send(
            t("soutien.notify.on" if on else "soutien.notify.off", lang), ephemeral=True
        )


def notify_label(on: bool, lang: str) -> str:
    return t("soutien.notify.button_off" if on else "soutien.notify.button_on", lang)


class ModButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"sout:mod:(?P<msg>\d+):(?P<action>remove|block)",
):
    flows: ClassVar[Actions]

    def __init__(self, message_id: int, action: ModAction, label: str = "…") -> None:
        style = (
            discord.ButtonStyle.danger
            if action is ModAction.BLOCK
            else discord.ButtonStyle.secondary
        )
        super().__init__(button(label, f"sout:mod:{message_id}:{action}", style))
        self.message_id, self.action = message_id, action

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: Any, match: re.Match[str]):
        return cls(int(match["msg"]), ModAction(match["action"]))

    async def run(self, interaction: Interaction) -> None:
        if self.action is ModAction.REMOVE:
            await self.flows.moderation.remove_post(interaction, self.message_id)
        else:
            await self.flows.moderation.block_author(interaction, self.message_id)


_REGION = "|".join(REGIONS)
SELECT_PLACEHOLDER_LIMIT = 150  # Discord's limit for a select menu's placeholder


class LinesPageButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"sout:lines:(?P<region>{_REGION}):(?P<page>\d+):(?P<way>prev|next)",
):
    """Previous/next page of `/ressources`; the custom id carries the page it leads to."""

    def __init__(self, region: str, page: int, way: str, label: str = "…") -> None:
        emoji = "◀️" if way == "prev" else "▶️"
        item = button(label, f"sout:lines:{region}:{page}:{way}", discord.ButtonStyle.secondary)
        item.emoji = emoji
        super().__init__(item)
        self.region, self.page = region, page

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: Any, match: re.Match[str]):
        return cls(match["region"], int(match["page"]), match["way"])

    async def run(self, interaction: Interaction) -> None:
        await show_lines(interaction, self.region, self.page)


class LinesRegionSelect(
    GuardedItem, discord.ui.DynamicItem[discord.ui.Select], template=r"sout:lines:region"
):
    """The region of `/ressources`: the server's first, the others one choice away."""

    def __init__(self, region: str = REGIONS[0], lang: str = "fr") -> None:
        options = [
            discord.SelectOption(
                label=t(f"region.{code}", lang), value=code, default=code == region
            )
            for code in REGIONS
        ]
        super().__init__(
            discord.ui.Select(
                custom_id="sout:lines:region",
                placeholder=truncate(
                    t("soutien.lines.region_placeholder", lang), SELECT_PLACEHOLDER_LIMIT
                ),
                options=options,
            )
        )

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: Any, match: re.Match[str]):
        return cls()

    async def run(self, interaction: Interaction) -> None:
        values = (interaction.data or {}).get("values") or []
        region = values[0] if values and values[0] in REGIONS else REGIONS[0]
        await show_lines(interaction, region, 0)


async def show_lines(interaction: Interaction, region: str, page: int) -> None:
    """Turn the `/ressources` message to `page` of `region`."""
    lang = interaction_lang(interaction)
    page = min(max(page, 0), render.lines_page_count(region, lang) - 1)
    await interaction.response.edit_message(
        embed=render.lines_page(region, page, lang), view=lines_view(region, page, lang)
    )


Item = TypeVar("Item", bound=discord.ui.DynamicItem[Any])


def _bound(flows: Actions, item: type[Item]) -> type[Item]:
    [bound] = bind(flows, item)
    return cast("type[Item]", bound)


class SoutienViews:
    """The support space's views, built from the item classes bound to one bot's workflows.

    Views must be built from the bound classes: discord.py re-registers the class of every
    dynamic item of a view it sends, so an unbound one would replace the bound registration.
    """

    def __init__(self, flows: Actions) -> None:
        self._open = _bound(flows, OpenButton)
        self._reply = _bound(flows, ReplyButton)
        self._report = _bound(flows, ReportButton)
        self._draft = _bound(flows, DraftButton)
        self._notify = _bound(flows, NotifyButton)
        self._mod = _bound(flows, ModButton)
        self.items: list[type[discord.ui.DynamicItem[Any]]] = [
            self._open,
            self._reply,
            self._report,
            self._draft,
            self._notify,
            self._mod,
        ]

    @staticmethod
    def _of(*items: discord.ui.Item[Any]) -> ErrorHandlingView:
        view = ErrorHandlingView(timeout=None)
        for item in items:
            view.add_item(item)
        return view

    def choice(self, lang: str) -> ErrorHandlingView:
        return self._of(
            self._open(Opening.PRIVATE, t("soutien.choice.private", lang)),
            self._open(Opening.ANONYMOUS, t("soutien.choice.anonymous", lang)),
        )

    def post(self, lang: str) -> ErrorHandlingView:
        return self._of(
            self._reply(t("soutien.post.reply_button", lang)),
            self._report(t("soutien.post.report_button", lang)),
        )

    def guard(self, token: str, lang: str) -> ErrorHandlingView:
        return self._of(
            *(
                self._draft(token, action, t(f"soutien.guard.{action}", lang))
                for action in DraftAction
            )
        )

    def posted(self, thread_id: int, notify: bool, lang: str) -> ErrorHandlingView:
        return self._of(self._notify(thread_id, notify_label(notify, lang)))

    def alert(self, message_id: int, lang: str) -> ErrorHandlingView:
        return self._of(
            self._mod(message_id, ModAction.REMOVE, t("soutien.alert.remove", lang)),
            self._mod(message_id, ModAction.BLOCK, t("soutien.alert.block", lang)),
        )


def lines_view(region: str, page: int, lang: str) -> ErrorHandlingView:
    """Pages of `/ressources` (when there are several) and the choice of another region."""
    view = ErrorHandlingView(timeout=None)
    pages = render.lines_page_count(region, lang)
    if pages > 1:
        previous = LinesPageButton(
            region, max(page - 1, 0), "prev", t("soutien.lines.previous", lang)
        )
        following = LinesPageButton(
            region, min(page + 1, pages - 1), "next", t("soutien.lines.next", lang)
        )
        previous.item.disabled = page == 0
        following.item.disabled = page >= pages - 1
        view.add_item(previous)
        view.add_item(following)
    view.add_item(LinesRegionSelect(region, lang))
    return view
