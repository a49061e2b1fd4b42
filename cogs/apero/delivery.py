"""What the reminder engine posts for an apéro, and what happens when a channel fails for good."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.discord_text import NO_MENTIONS
from bot.i18n import t
from bot.recurrence import Occurrence
from bot.reminders import DueItem, Outgoing, Schedule
from bot.reminders.engine import KNOWN_CODES
from cogs.apero.model import Series
from cogs.apero.render import reminder_embed
from cogs.apero.service import AperoService, parse_ref
from cogs.apero.views import go_label, go_view

if TYPE_CHECKING:
    from bot.client import Passerelle

log = logging.getLogger(__name__)


class AperoReminders:
    """The engine's handler for kind 'apero': one item per (series, reminder offset)."""

    def __init__(self, bot: Passerelle, service: AperoService) -> None:
        self.bot = bot
        self.service = service

    def _lang(self, guild_id: int) -> str:
        return self.bot.settings_store.lang_of(guild_id)

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        found = await self.service.due_series(item)
        if found is None:  # paused, deleted, skipped or offset removed meanwhile: nothing to say
            return []
        series, day = found
        lang = self._lang(series.guild_id)
        occ = Occurrence(day, datetime.fromisoformat(item.occurrence))
        count = await self.service.store.attendance_count(series.id, day)
        role_id = series.fields.role_id
        # Only the role the moderators configured may ping; nothing from the welcome text.
        mentions = (
            discord.AllowedMentions(
                everyone=False, users=False, roles=[discord.Object(role_id)], replied_user=False
            )
            if role_id
            else NO_MENTIONS
        )
        return [
            Outgoing(
                target=f"channel:{series.fields.channel_id}",
                content=f"<@&{role_id}>" if role_id else None,
                embeds=[reminder_embed(series, occ, lang, late=late)],
                view=go_view(series.id, day, go_label(count, lang)),
                allowed_mentions=mentions,
            )
        ]

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        return await self.service.following(item)

    async def on_permanent_failure(self, item: DueItem, target: str, code: str) -> bool:
        series_id, _ = parse_ref(item.ref)
        series = await self.service.failed(series_id, code)
        if series is not None:  # only the first failure pauses the series and tells moderators
            await self._tell_moderators(series, code)
        return True  # moderators hear it from the series, naming it: no second, generic report

    async def on_delivered(self, item: DueItem, target: str, message: discord.Message) -> None:
        return None

    async def _tell_moderators(self, series: Series, code: str) -> None:
        settings = self.bot.settings_store.guild(series.guild_id)
        lang = self._lang(series.guild_id)
        reason = (
            t(f"reminders.failure.{code}", lang)
            if code in KNOWN_CODES
            else t("reminders.failure.other", lang, code=code)
        )
        text = t(
            "apero.paused_failure",
            lang,
            name=series.name,
            channel=f"<#{series.fields.channel_id}>",
            reason=reason,
        )
        failing = series.fields.channel_id
        for channel_id in (settings.mod_channel_id, settings.announce_channel_id):
            if not channel_id or channel_id == failing:
                continue
            try:
                channel = self.bot.get_partial_messageable(channel_id, guild_id=series.guild_id)
                await channel.send(text, allowed_mentions=NO_MENTIONS)
                return
            except discord.HTTPException:
                log.warning("could not tell moderators of guild %s", series.guild_id)
        if series.created_by:  # no usable channel: tell whoever created the series
            try:
                user = await self.bot.create_dm(discord.Object(series.created_by))  # type: ignore[arg-type]
                await user.send(text, allowed_mentions=NO_MENTIONS)
                return
            except discord.HTTPException:
                pass
        log.warning("apero %s paused (%s): no moderator could be told", series.id, code)
