"""The Discord-side workflows of announcements: schedule, list, cancel (one object, built in
`setup` and handed to the cog)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.checks import require_channel_permissions
from bot.reminders import Schedule
from cogs.annonces import service
from cogs.annonces.service import KIND, USEFUL_FOR, Announcement, Status, ref_for
from cogs.annonces.store import AnnouncementStore

if TYPE_CHECKING:
    from bot.client import Passerelle


class AnnoncesFlows:
    def __init__(self, bot: Passerelle, store: AnnouncementStore) -> None:
        self.bot = bot
        self.store = store

    async def schedule(
        self,
        guild: discord.Guild,
        author_id: int,
        channel: discord.TextChannel,
        when: str,
        text: str,
        locale: str,
    ) -> Announcement:
        """Validate everything, then store the announcement and hand it to the engine."""
        # Dates are read in the moderator's own zone (/rappels fuseau), else the server's.
        zone = await self.bot.settings_store.zone_of(guild.id, member=author_id)
        now = self.bot.clock.now()
        body = service.validate_text(text)
        due = service.understand_when(when, zone, now, locale)
        require_channel_permissions(channel, guild.me, "view_channel", "send_messages")
        number = await self.store.add(guild.id, channel.id, author_id, body, due, zone.key, now)
        await self.bot.reminders.schedule(
            KIND,
            ref_for(number),
            guild.id,
            Schedule(occurrence=due.isoformat(), due_at=due, expires_at=due + USEFUL_FOR),
        )
        announcement = await self.store.get(number)
        assert announcement is not None  # just written
        return announcement

    async def pending(self, guild_id: int) -> list[Announcement]:
        return await self.store.pending(guild_id)

    async def cancel(self, guild_id: int, number: int) -> None:
        service.require_cancellable(await self.store.get(number), guild_id, number)
        await self.store.set_status(number, Status.CANCELLED)
        await self.bot.reminders.cancel(KIND, ref_for(number))
