"""`/tableau config` (moderators) and the weekly digest « Les nouvelles de la semaine »: one
engine item per server, at the server's wall-clock time in its zone (DST-correct through
`bot.recurrence`), exactly once; a digest too long for one message continues in further
engine items (one message each, in order)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import discord

from bot.checks import missing_channel_permissions, require_guild
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.recurrence import WeeklySpec, next_occurrence, parse_wall_time, start_on
from bot.reminders import Outgoing, Schedule
from bot.text import fold
from bot.user_error import UserError
from cogs.tableau import render, service
from cogs.tableau.flows.common import FORUM_PERMISSIONS, Board, require_tag_room
from cogs.tableau.service import MINUTES_PER_HOUR, BoardConfig, PostKind

Interaction = discord.Interaction[Any]
WEEKLY_KIND = "tableau.semaine"
WEEKLY_PART_KIND = "tableau.semaine.suite"
DIGEST_PERMISSIONS = ("view_channel", "send_messages", "embed_links")
WEEK = timedelta(days=7)
PART_USEFUL_FOR = timedelta(days=2)


@dataclass(frozen=True)
class Changes:
    offers: discord.ForumChannel | None = None
    news: discord.ForumChannel | None = None
    approval: bool | None = None
    digest_channel: discord.TextChannel | None = None
    digest_weekday: int | None = None
    digest_time: str | None = None
    digest_off: bool = False


class ConfigFlows:
    def __init__(self, board: Board) -> None:
        self.board = board
        self.bot = board.bot
        self.store = board.store

    async def configure(self, interaction: Interaction, changes: Changes) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        config = await self.store.config.get(guild.id)
        updated = config.with_(
            offers_forum_id=changes.offers.id if changes.offers else config.offers_forum_id,
            news_forum_id=changes.news.id if changes.news else config.news_forum_id,
            approval=config.approval if changes.approval is None else changes.approval,
            digest_channel_id=None
            if changes.digest_off
            else changes.digest_channel.id
            if changes.digest_channel
            else config.digest_channel_id,
            digest_weekday=config.digest_weekday
            if changes.digest_weekday is None
            else changes.digest_weekday,
            digest_minute=self._minute(changes.digest_time, config.digest_minute),
            problem=None,
        )
        forums = [guild.get_channel(f) for f in updated.forums]
        for forum in forums:
            if not isinstance(forum, discord.ForumChannel):
                raise UserError("tableau.error.forum_gone")
            missing = missing_channel_permissions(forum, guild.me, *FORUM_PERMISSIONS)
            if missing:
                raise UserError(
                    "errors.bot_missing_permissions", channel=forum.mention, permissions=missing
                )
            self._check_room(forum, updated)
        if changes.digest_channel is not None:
            missing = missing_channel_permissions(
                changes.digest_channel, guild.me, *DIGEST_PERMISSIONS
            )
            if missing:
                raise UserError(
                    "errors.bot_missing_permissions",
                    channel=changes.digest_channel.mention,
                    permissions=missing,
                )
        if updated.approval:
            self.bot.approvals.mod_channel(guild)  # approval needs the moderators' channel
        await interaction.response.defer(ephemeral=True, thinking=True)
        for forum in forums:
            assert isinstance(forum, discord.ForumChannel)
            await self.board.ensure_tags(forum, updated)
        await self.store.config.save(updated, self.board.now())
        await self.schedule_weekly(updated)
        published = await self.board.publish_queued(guild.id)
        zone = self.bot.settings_store.guild_zone(guild.id)
        text = render.config_summary(updated, lang, zone)
        if published:
            text += "\n" + t("tableau.config.published_queued", lang, n=published)
        await interaction.followup.send(text, ephemeral=True)

    async def show(self, interaction: Interaction) -> None:
        guild = require_guild(interaction)
        config = await self.store.config.get(guild.id)
        zone = self.bot.settings_store.guild_zone(guild.id)
        await interaction.response.send_message(
            render.config_summary(config, interaction_lang(interaction), zone), ephemeral=True
        )

    @staticmethod
    def _minute(text: str | None, current: int) -> int:
        if text is None:
            return current
        at = parse_wall_time(text)
        if at is None:
            raise UserError("tableau.error.digest_time", text=text[:40])
        return at.hour * MINUTES_PER_HOUR + at.minute

    def _check_room(self, forum: discord.ForumChannel, config: BoardConfig) -> None:
        """Refuse before anything is created when the tags would not fit or cannot be made."""
        offers, news = config.holds(forum.id)
        lang = self.board.lang(forum.guild.id)
        names = {fold(tag.name) for tag in forum.available_tags}
        wanted = service.forum_tag_keys(offers=offers, news=news, shared=config.shared)
        missing = [k for k in wanted if fold(render.tag_name(k, lang)) not in names]
        if missing:
            require_tag_room(forum, missing, lang)

    # -- the weekly digest ----------------------------------------------------------------------
    def spec(self, config: BoardConfig) -> WeeklySpec:
        minutes = config.digest_minute
        return WeeklySpec(
            config.digest_weekday,
            time(minutes // MINUTES_PER_HOUR, minutes % MINUTES_PER_HOUR),
            self.bot.settings_store.guild_zone(config.guild_id),
        )

    async def schedule_weekly(self, config: BoardConfig, after: datetime | None = None) -> None:
        engine = self.bot.reminders
        if config.digest_channel_id is None:
            await engine.cancel(WEEKLY_KIND, str(config.guild_id))
            return
        when = self.next_weekly(config, after or self.board.now())
        await engine.schedule(WEEKLY_KIND, str(config.guild_id), config.guild_id, when)

    def next_weekly(self, config: BoardConfig, after: datetime) -> Schedule:
        occurrence = next_occurrence(self.spec(config), after)
        return Schedule(
            occurrence=occurrence.day.isoformat(),
            due_at=occurrence.start,
            payload={"day": occurrence.day.isoformat()},
        )

    async def weekly_parts(
        self, config: BoardConfig, day: date
    ) -> list[tuple[str, list[discord.Embed]]]:
        """The week that ends at the occurrence of `day`: from the same wall time a week
        earlier (in the server's zone: 7 × 24 h, or 23 h more or less across a change of time)."""
        spec = self.spec(config)
        start, end = start_on(spec, day - WEEK), start_on(spec, day)
        news = await self.store.posts.news_between(config.guild_id, start, end)
        if not news:
            return []
        lang = self.board.lang(config.guild_id)
        return render.weekly_parts(news, day - WEEK, day, lang)

    async def weekly_outgoing(self, guild_id: int, day: date, part: int) -> list[Outgoing]:
        """Message `part` of the week's digest (none when the week was empty)."""
        config = await self.store.config.get(guild_id)
        if config.digest_channel_id is None:
            return []
        parts = await self.weekly_parts(config, day)
        if part >= len(parts):
            return []
        content, embeds = parts[part]
        return [
            Outgoing(
                target=f"channel:{config.digest_channel_id}",
                content=content or None,
                embeds=embeds,
            )
        ]

    async def weekly_next_part(self, guild_id: int, day: date, part: int) -> None:
        """Once message `part` is delivered, the next one is due (one engine item each, so each
        is sent exactly once, and in order)."""
        config = await self.store.config.get(guild_id)
        if part + 1 >= len(await self.weekly_parts(config, day)):
            return
        now = self.board.now()
        await self.bot.reminders.schedule(
            WEEKLY_PART_KIND,
            f"{guild_id}:{day.isoformat()}:{part + 1:03d}",
            guild_id,
            Schedule(
                occurrence=day.isoformat(),
                due_at=now,
                expires_at=now + PART_USEFUL_FOR,
                payload={"day": day.isoformat(), "part": part + 1},
            ),
        )


__all__ = ["WEEKLY_KIND", "WEEKLY_PART_KIND", "Changes", "ConfigFlows", "PostKind"]
