"""The sigle of the week on Discord: turning it on or off, and the engine's handler that posts it.

One engine item per server (kind ``sigles.semaine``, ref = the server id), due at the next post;
after each post the engine asks `next_schedule` for the following week. The sigle is chosen when
the post is rendered (see `rotation`), and remembered for that post so a retried send shows the
same one.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord

from bot.discord_text import NO_MENTIONS
from bot.recurrence import Occurrence
from bot.reminders import DueItem, Outgoing, Schedule
from cogs.sigles import render, rotation
from cogs.sigles.glossary import Entry
from cogs.sigles.rotation import KIND, Shown, WeeklySettings
from cogs.sigles.service import ident

if TYPE_CHECKING:
    from cogs.sigles.cog import SiglesCog

POST_PERMISSIONS = ("view_channel", "send_messages", "embed_links")


class WeeklySigle:
    """Settings changes from `/glossaire semaine…`, and the engine's handler for the posts."""

    def __init__(self, cog: SiglesCog) -> None:
        self.cog = cog
        self.bot = cog.bot
        self.store = cog.store

    def zone(self, guild_id: int) -> ZoneInfo:
        return self.bot.settings_store.guild_zone(guild_id)

    def _lang(self, guild_id: int) -> str:
        return self.bot.settings_store.lang_of(guild_id)

    # -- moderators -----------------------------------------------------------------------------
    async def start(self, settings: WeeklySettings, now: datetime) -> Occurrence:
        """Save (or resume) the server's weekly post; the first one after `now`."""
        await self.store.save_weekly(settings, now)
        occ = rotation.next_post(settings, self.zone(settings.guild_id), now)
        guild_id = settings.guild_id
        await self.bot.reminders.schedule(KIND, str(guild_id), guild_id, rotation.schedule_for(occ))
        # A channel that failed before and was fixed may be reported again if it fails again.
        await self.bot.reminders.clear_reports(guild_id, settings.channel_id)
        return occ

    async def stop(self, guild_id: int) -> bool:
        stopped = await self.store.delete_weekly(guild_id)
        await self.bot.reminders.cancel(KIND, str(guild_id))
        return stopped

    # -- the engine's handler -------------------------------------------------------------------
    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        guild_id = int(item.ref)
        settings = await self.store.weekly(guild_id)
        if settings is None or settings.paused:
            return []
        library = await self.cog.library(guild_id)
        entry = await self._pick(guild_id, item.occurrence, library.matcher.glossary.entries)
        if entry is None:
            return []
        lang = self._lang(guild_id)
        embed = render.weekly_embed(
            entry, library.matcher.glossary, lang, library.credits.get(entry.identity)
        )
        return [
            Outgoing(
                target=f"channel:{settings.channel_id}",
                embeds=[embed],
                allowed_mentions=NO_MENTIONS,
            )
        ]

    async def _pick(
        self, guild_id: int, occurrence: str, entries: tuple[Entry, ...]
    ) -> Entry | None:
        candidates = rotation.pool(entries)
        already = await self.store.shown_for(guild_id, occurrence)
        for entry in candidates:
            if already is not None and ident(entry) == already:
                return entry
        history = await self.store.shown_this_round(guild_id, occurrence)
        pick = rotation.choose(candidates, guild_id, history)
        if pick is None:
            return None
        shown = Shown(ident(pick.entry), pick.entry.region, pick.round)
        await self.store.record_shown(guild_id, occurrence, shown)
        return pick.entry

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        guild_id = int(item.ref)
        settings = await self.store.weekly(guild_id)
        if settings is None or settings.paused:
            return None
        after = datetime.fromisoformat(item.occurrence)
        return rotation.schedule_for(rotation.next_post(settings, self.zone(guild_id), after))

    async def on_permanent_failure(self, item: DueItem, target: str, code: str) -> bool:
        """Channel deleted or permission lost: pause (a moderator resumes with /glossaire
        semaine); the engine tells the moderators, once."""
        await self.store.pause_weekly(int(item.ref), f"failure:{code}")
        return False

    async def on_delivered(self, item: DueItem, target: str, message: discord.Message) -> None:
        return None
