"""Buttons and the welcome-message form; everything bound to an id survives a restart."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

import discord

from bot.checks import require_guild, require_moderator
from bot.discord_text import BUTTON_LABEL_LIMIT, MODAL_TITLE_LIMIT, truncate
from bot.errors import ErrorHandlingModal, GuardedItem
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from cogs.apero.service import WELCOME_MAX, AperoService

if TYPE_CHECKING:
    from bot.client import Passerelle


def service_of(interaction: discord.Interaction[Passerelle]) -> AperoService:
    cog: Any = interaction.client.get_cog("AperoCog")
    return cog.service


def go_label(count: int, lang: str) -> str:
    return truncate(t("apero.go.label", lang, count=count), BUTTON_LABEL_LIMIT)


GO = r"apero:go:(?P<series>\d+):(?P<day>\d{8})"
DRAFT = r"apero:draft:(?P<id>\d+):(?P<action>save|welcome|cancel)"
DELETE = r"apero:del:(?P<id>\d+):(?P<action>yes|no)"


class GoButton(GuardedItem, discord.ui.DynamicItem[discord.ui.Button], template=GO):
    """« Je serai là » for one (series, occurrence): its count starts at zero each week."""

    def __init__(self, series_id: int, day: date, label: str) -> None:
        self.series_id, self.day = series_id, day
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.success,
                emoji="🥂",
                custom_id=f"apero:go:{series_id}:{day:%Y%m%d}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Button, match: re.Match[str]
    ) -> GoButton:
        day = date(int(match["day"][:4]), int(match["day"][4:6]), int(match["day"][6:]))
        return cls(int(match["series"]), day, item.label or "")

    async def run(self, interaction: discord.Interaction[Passerelle]) -> None:
        guild = require_guild(interaction)
        bot = interaction.client
        series, attending, count = await service_of(interaction).toggle_attendance(
            guild.id, self.series_id, self.day, interaction.user.id, bot.clock.now()
        )
        # The public count is redrawn off the click, coalesced: a burst of clicks gives a few
        # edits within the channel's budget, the last one showing the last count.
        await interaction.response.defer()
        if interaction.message is not None:
            redraw = self._redraw(bot, guild.id, interaction.message, service_of(interaction))
            bot.redraws.request(("apero", interaction.message.id), redraw)
        lang = interaction_lang(interaction)
        key = "apero.go.added" if attending else "apero.go.removed"
        await interaction.followup.send(t(key, lang, name=series.name, count=count), ephemeral=True)

    def _redraw(
        self, bot: Passerelle, guild_id: int, message: discord.Message, service: AperoService
    ) -> Callable[[], Awaitable[None]]:
        series_id, day = self.series_id, self.day
        channel_id, message_id = message.channel.id, message.id

        async def draw() -> None:
            count = await service.store.attendance_count(series_id, day)
            label = go_label(count, bot.settings_store.lang_of(guild_id))
            partial = bot.get_partial_messageable(channel_id, guild_id=guild_id)
            await partial.get_partial_message(message_id).edit(view=go_view(series_id, day, label))

        return draw


def go_view(series_id: int, day: date, label: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(GoButton(series_id, day, label))
    return view


class DraftButton(GuardedItem, discord.ui.DynamicItem[discord.ui.Button], template=DRAFT):
    """The preview's buttons: save the series, add a welcome message, or give up."""

    STYLES: ClassVar[dict[str, discord.ButtonStyle]] = {
        "save": discord.ButtonStyle.success,
        "welcome": discord.ButtonStyle.secondary,
        "cancel": discord.ButtonStyle.danger,
    }

    def __init__(self, draft_id: int, action: str, label: str = "") -> None:
        self.draft_id, self.action = draft_id, action
        super().__init__(
            discord.ui.Button(
                label=label or action,
                style=self.STYLES[action],
                custom_id=f"apero:draft:{draft_id}:{action}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Button, match: re.Match[str]
    ) -> DraftButton:
        return cls(int(match["id"]), match["action"], item.label or "")

    async def run(self, interaction: discord.Interaction[Passerelle]) -> None:
        require_moderator(interaction)
        guild = require_guild(interaction)
        cog: Any = interaction.client.get_cog("AperoCog")
        if self.action == "save":
            await cog.confirm_draft(interaction, guild, self.draft_id)
        elif self.action == "welcome":
            draft = await cog.service.get_draft(guild.id, self.draft_id)
            lang = interaction_lang(interaction)
            await interaction.response.send_modal(
                WelcomeModal(self.draft_id, draft.fields.welcome or "", lang)
            )
        else:
            await cog.service.discard(guild.id, self.draft_id)
            lang = interaction_lang(interaction)
            await interaction.response.edit_message(
                content=t("apero.create.cancelled", lang), embed=None, view=None
            )


def draft_view(draft_id: int, lang: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action in ("save", "welcome", "cancel"):
        label = truncate(t(f"apero.draft.{action}", lang), BUTTON_LABEL_LIMIT)
        view.add_item(DraftButton(draft_id, action, label))
    return view


class WelcomeModal(ErrorHandlingModal):
    def __init__(self, draft_id: int, current: str, lang: str) -> None:
        super().__init__(
            title=truncate(t("apero.welcome.title", lang), MODAL_TITLE_LIMIT),
            custom_id=f"apero:welcome:{draft_id}",
        )
        self.draft_id = draft_id
        self.text: discord.ui.TextInput[WelcomeModal] = discord.ui.TextInput(
            label=truncate(t("apero.welcome.label", lang), 45),
            style=discord.TextStyle.paragraph,
            default=current or None,
            required=False,
            max_length=WELCOME_MAX,
        )
        self.add_item(self.text)

    async def on_submit(self, interaction: discord.Interaction[Passerelle]) -> None:  # type: ignore[override]
        require_moderator(interaction)
        guild = require_guild(interaction)
        cog: Any = interaction.client.get_cog("AperoCog")
        draft = await cog.service.set_draft_welcome(guild.id, self.draft_id, self.text.value)
        await cog.show_draft(interaction, draft, edit=True)


class DeleteButton(GuardedItem, discord.ui.DynamicItem[discord.ui.Button], template=DELETE):
    def __init__(self, series_id: int, action: str, label: str = "") -> None:
        self.series_id, self.action = series_id, action
        style = discord.ButtonStyle.danger if action == "yes" else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=label or action, style=style, custom_id=f"apero:del:{series_id}:{action}"
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Button, match: re.Match[str]
    ) -> DeleteButton:
        return cls(int(match["id"]), match["action"], item.label or "")

    async def run(self, interaction: discord.Interaction[Passerelle]) -> None:
        require_moderator(interaction)
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        service = service_of(interaction)
        series = await service.series(guild.id, self.series_id)
        if self.action == "no":
            text = t("apero.delete.kept", lang, name=series.name)
        else:
            await service.delete(series)
            text = t("apero.delete.done", lang, name=series.name)
        await interaction.response.edit_message(content=text, embed=None, view=None)


def delete_view(series_id: int, lang: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(DeleteButton(series_id, "yes", t("apero.delete.yes", lang)))
    view.add_item(DeleteButton(series_id, "no", t("apero.delete.no", lang)))
    return view
