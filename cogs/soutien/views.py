"""Buttons and the modal of the support space.

Every button is a `DynamicItem`, so it works after a restart. Custom ids carry a thread or
message id, a draft token or nothing: never a member id (the posts are anonymous).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.discord_text import MODAL_TITLE_LIMIT, truncate
from bot.errors import ErrorHandlingModal, ErrorHandlingView, GuardedItem
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.ui import button
from bot.user_error import UserError
from cogs.soutien import render
from cogs.soutien.resources import REGIONS

if TYPE_CHECKING:
    from cogs.soutien.cog import SoutienCog

Interaction = discord.Interaction[Any]


def flows(interaction: Interaction) -> SoutienCog:
    cog = interaction.client.get_cog("SoutienCog")
    if cog is None:  # the feature failed to load: say so rather than fail silently
        raise UserError("soutien.error.unavailable")
    return cast("SoutienCog", cog)


class AnonModal(ErrorHandlingModal):
    """The only way in for anonymous text: a modal has no attachments, by design."""

    def __init__(self, lang: str, thread_id: int | None, text: str = "") -> None:
        key = "soutien.modal.reply_title" if thread_id else "soutien.modal.title"
        super().__init__(title=truncate(t(key, lang), MODAL_TITLE_LIMIT), timeout=900)
        self.thread_id = thread_id
        self.body: discord.ui.TextInput[AnonModal] = discord.ui.TextInput(
            label=truncate(t("soutien.modal.label", lang), 45),
            style=discord.TextStyle.paragraph,
            custom_id="body",
            placeholder=truncate(t("soutien.modal.placeholder", lang), 100),
            default=text[:4000] or None,
            max_length=4000,  # our own limit (TEXT_MAX) is checked and explained server-side
        )
        self.add_item(self.body)

    async def on_submit(self, interaction: Interaction) -> None:
        await flows(interaction).submit(interaction, self.thread_id, self.body.value)


class OpenButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"sout:open:(?P<what>private|anon)",
):
    def __init__(self, what: str, label: str = "…") -> None:
        style = discord.ButtonStyle.primary if what == "private" else discord.ButtonStyle.secondary
        super().__init__(button(label, f"sout:open:{what}", style))
        self.what = what

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: Any, match: re.Match[str]):
        return cls(match["what"])

    async def run(self, interaction: Interaction) -> None:
        if self.what == "private":
            await flows(interaction).open_private(interaction)
            return
        await flows(interaction).precheck_channel(interaction)
        await interaction.response.send_modal(AnonModal(interaction_lang(interaction), None))


class ReplyButton(GuardedItem, discord.ui.DynamicItem[discord.ui.Button], template=r"sout:reply"):
    """On every anonymous post; the thread is the one the button sits in."""

    def __init__(self, label: str = "…") -> None:
        super().__init__(button(label, "sout:reply", discord.ButtonStyle.primary, "✉️"))

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: Any, match: re.Match[str]):
        return cls()

    async def run(self, interaction: Interaction) -> None:
        thread_id = interaction.channel_id
        assert thread_id is not None
        # Refuse a closed thread before the member writes anything.
        await flows(interaction).check_reply_thread(thread_id)
        await interaction.response.send_modal(AnonModal(interaction_lang(interaction), thread_id))


class ReportButton(GuardedItem, discord.ui.DynamicItem[discord.ui.Button], template=r"sout:report"):
    def __init__(self, label: str = "…") -> None:
        super().__init__(button(label, "sout:report", discord.ButtonStyle.secondary, "🚩"))

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: Any, match: re.Match[str]):
        return cls()

    async def run(self, interaction: Interaction) -> None:
        if interaction.message is None:
            raise UserError("soutien.error.unknown_post")
        await flows(interaction).report(interaction, interaction.message.id)


class DraftButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"sout:draft:(?P<token>[0-9a-f]{16}):(?P<action>edit|post|cancel)",
):
    """The guard's three choices: Modifier, Publier quand même, Annuler."""

    def __init__(self, token: str, action: str, label: str = "…") -> None:
        style = {
            "edit": discord.ButtonStyle.primary,
            "post": discord.ButtonStyle.danger,
            "cancel": discord.ButtonStyle.secondary,
        }[action]
        super().__init__(button(label, f"sout:draft:{token}:{action}", style))
        self.token, self.action = token, action

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: Any, match: re.Match[str]):
        return cls(match["token"], match["action"])

    async def run(self, interaction: Interaction) -> None:
        cog = flows(interaction)
        lang = interaction_lang(interaction)
        draft = cog.take_draft(interaction, self.token)
        if self.action == "edit":
            await interaction.response.send_modal(AnonModal(lang, draft.thread_id, draft.text))
        elif self.action == "post":
            await cog.submit(interaction, draft.thread_id, draft.text, checked=True)
        else:
            await interaction.response.edit_message(
                content=t("soutien.guard.cancelled", lang), view=None
            )


class NotifyButton(
    GuardedItem, discord.ui.DynamicItem[discord.ui.Button], template=r"sout:notify:(?P<thread>\d+)"
):
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
        on = await flows(interaction).toggle_notify(interaction, self.thread_id)
        await interaction.response.edit_message(view=posted_view(self.thread_id, on, lang))
        await interaction.followup.send(
            t("soutien.notify.on" if on else "soutien.notify.off", lang), ephemeral=True
        )


class ModButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"sout:mod:(?P<msg>\d+):(?P<action>remove|block)",
):
    def __init__(self, message_id: int, action: str, label: str = "…") -> None:
        style = discord.ButtonStyle.danger if action == "block" else discord.ButtonStyle.secondary
        super().__init__(button(label, f"sout:mod:{message_id}:{action}", style))
        self.message_id, self.action = message_id, action

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: Any, match: re.Match[str]):
        return cls(int(match["msg"]), match["action"])

    async def run(self, interaction: Interaction) -> None:
        cog = flows(interaction)
        if self.action == "remove":
            await cog.remove_post(interaction, self.message_id)
        else:
            await cog.block_author(interaction, self.message_id)


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


DYNAMIC_ITEMS = (
    OpenButton,
    ReplyButton,
    ReportButton,
    DraftButton,
    NotifyButton,
    ModButton,
    LinesPageButton,
    LinesRegionSelect,
)


def choice_view(lang: str) -> ErrorHandlingView:
    view = ErrorHandlingView(timeout=None)
    view.add_item(OpenButton("private", t("soutien.choice.private", lang)))
    view.add_item(OpenButton("anon", t("soutien.choice.anonymous", lang)))
    return view


def post_view(lang: str) -> ErrorHandlingView:
    view = ErrorHandlingView(timeout=None)
    view.add_item(ReplyButton(t("soutien.post.reply_button", lang)))
    view.add_item(ReportButton(t("soutien.post.report_button", lang)))
    return view


def guard_view(token: str, lang: str) -> ErrorHandlingView:
    view = ErrorHandlingView(timeout=None)
    for action in ("edit", "post", "cancel"):
        view.add_item(DraftButton(token, action, t(f"soutien.guard.{action}", lang)))
    return view


def posted_view(thread_id: int, notify: bool, lang: str) -> ErrorHandlingView:
    view = ErrorHandlingView(timeout=None)
    key = "soutien.notify.button_off" if notify else "soutien.notify.button_on"
    view.add_item(NotifyButton(thread_id, t(key, lang)))
    return view


def alert_view(message_id: int, lang: str) -> ErrorHandlingView:
    view = ErrorHandlingView(timeout=None)
    view.add_item(ModButton(message_id, "remove", t("soutien.alert.remove", lang)))
    view.add_item(ModButton(message_id, "block", t("soutien.alert.block", lang)))
    return view


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


__all__ = [
    "DYNAMIC_ITEMS",
    "AnonModal",
    "alert_view",
    "choice_view",
    "guard_view",
    "lines_view",
    "post_view",
    "posted_view",
]
