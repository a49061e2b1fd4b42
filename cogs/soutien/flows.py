"""The support space's Discord side: threads, anonymous posts, closing, purge.

Reports, removal and blocks are in `moderation.py`, under the same rules.

Anonymity rules kept here (tested end to end):
- the author's id goes into no request to Discord: no mention, no custom_id (buttons carry the
  thread or message id only), no embed, no audit-log reason; anonymous authors are never added
  to the thread (its member list would name them);
- nothing here logs a member's id or text;
- the author <-> pseudonym link lives in `soutien_links` until the retention period has passed.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.checks import is_moderator, missing_channel_permissions, require_guild
from bot.discord_text import NO_MENTIONS
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.reminders import Schedule
from bot.user_error import UserError
from cogs.soutien import render, service
from cogs.soutien.service import SoutienConfig
from cogs.soutien.store import SoutienStore

if TYPE_CHECKING:
    from bot.client import Passerelle

log = logging.getLogger(__name__)

REPLY_KIND = "soutien.reply"
PURGE_KIND = "soutien.purge"
NOTIFY_DELAY = timedelta(minutes=2)  # replies arriving together make one DM
DRAFT_TTL = timedelta(minutes=15)  # an interaction token's life: the warning is useless after
TEXT_PERMS = (
    "view_channel",
    "send_messages",
    "send_messages_in_threads",
    "create_private_threads",
    "create_public_threads",
    "manage_threads",
    "embed_links",
)
FORUM_PERMS = ("view_channel", "send_messages", "send_messages_in_threads", "manage_threads")
ALERT_PERMS = ("view_channel", "send_messages", "embed_links")


def require_permissions(
    channel: discord.abc.GuildChannel, me: discord.Member, *needed: str
) -> None:
    """The bot must hold `needed` in a channel the support space uses, else say which it lacks."""
    missing = missing_channel_permissions(channel, me, *needed)
    if missing:
        raise UserError("soutien.error.permissions", channel=channel.mention, permissions=missing)


@dataclass(frozen=True)
class Draft:
    """A text the guard questioned. Kept in memory only: unpublished support texts never reach
    the database; a restart drops them (the member is told to write again)."""

    user_id: int
    guild_id: int
    thread_id: int | None
    text: str
    created: datetime


class Flows:
    bot: Passerelle
    store: SoutienStore
    drafts: dict[str, Draft]
    thread_ids: set[int]

    # -- configuration --------------------------------------------------------------------------
    def guild_lang(self, guild_id: int) -> str:
        return self.bot.settings_store.lang_of(guild_id)

    async def region_for(self, guild_id: int, config: SoutienConfig | None = None) -> str:
        config = config or await self.store.config(guild_id)
        return config.region or self.bot.settings_store.region_of(guild_id)

    def check_support_channel(self, channel: discord.abc.GuildChannel, me: discord.Member) -> None:
        if isinstance(channel, discord.ForumChannel):
            needed = FORUM_PERMS
        elif isinstance(channel, discord.TextChannel):
            needed = TEXT_PERMS
        else:
            raise UserError("soutien.error.channel_type")
        require_permissions(channel, me, *needed)

    async def support_channel(
        self, guild: discord.Guild, config: SoutienConfig
    ) -> discord.TextChannel | discord.ForumChannel:
        if config.channel_id is None:
            raise UserError("soutien.error.not_configured")
        channel = guild.get_channel(config.channel_id)
        if not isinstance(channel, discord.TextChannel | discord.ForumChannel):
            raise UserError("soutien.error.channel_gone")
        self.check_support_channel(channel, guild.me)
        return channel

    # -- private thread -------------------------------------------------------------------------
    async def open_private(self, interaction: discord.Interaction[Passerelle]) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        config = await self.store.config(guild.id)
        channel = await self.support_channel(guild, config)
        if not isinstance(channel, discord.TextChannel):
            raise UserError("soutien.error.private_needs_text")
        member = interaction.user
        now = self.bot.clock.now()
        await interaction.response.defer(ephemeral=True, thinking=True)
        glang = self.guild_lang(guild.id)
        thread = await channel.create_thread(
            name=service.thread_title(t("soutien.private.thread_name", glang), member.display_name),
            type=discord.ChannelType.private_thread,
            invitable=False,
            auto_archive_duration=10080,
        )
        await thread.add_user(member)
        role = guild.get_role(config.supporter_role_id) if config.supporter_role_id else None
        # Only the member and the configured role may be pinged: never anything from user text.
        mentions = discord.AllowedMentions(
            everyone=False, users=[member], roles=[role] if role else False, replied_user=False
        )
        content = t(
            "soutien.private.welcome",
            glang,
            member=member.mention,
            supporters=role.mention if role else t("soutien.private.no_role", glang),
        )
        region = await self.region_for(guild.id, config)
        await thread.send(
            content=content,
            embeds=[render.frame_embed(glang, anonymous=False), render.lines_embed(region, glang)],
            allowed_mentions=mentions,
        )
        await self.store.add_thread(thread.id, guild.id, "private", now, opener_id=member.id)
        self.thread_ids.add(thread.id)
        await interaction.followup.send(
            t("soutien.private.opened", lang, thread=thread.mention), ephemeral=True
        )

    # -- anonymous posts ------------------------------------------------------------------------
    async def precheck_channel(self, interaction: discord.Interaction[Passerelle]) -> None:
        """Before the modal opens: the space is configured and usable."""
        guild = require_guild(interaction)
        await self.support_channel(guild, await self.store.config(guild.id))

    async def check_reply_thread(self, thread_id: int) -> None:
        await self._anonymous_thread(thread_id)

    async def _anonymous_thread(self, thread_id: int) -> None:
        known = await self.store.thread(thread_id)
        if known is None or known.kind != "anonymous":
            raise UserError("soutien.error.unknown_thread")
        if known.closed:
            raise UserError("soutien.error.closed")

    async def precheck(
        self, interaction: discord.Interaction[Passerelle], thread_id: int | None, text: str | None
    ) -> tuple[str, SoutienConfig]:
        """Everything that can refuse a post, before anything is written or sent."""
        guild = require_guild(interaction)
        config = await self.store.config(guild.id)
        await self.support_channel(guild, config)
        value = service.clean_text(text)
        if thread_id is not None:
            await self._anonymous_thread(thread_id)
        secret = await self.store.secret()
        key = service.author_key(secret, interaction.user.id)
        if await self.store.is_blocked(guild.id, key):
            raise UserError("soutien.error.blocked")
        now = self.bot.clock.now()
        service.check_rate(await self.store.recent_posts(key, now - service.RATE_WINDOW), now)
        return value, config

    async def submit(
        self,
        interaction: discord.Interaction[Passerelle],
        thread_id: int | None,
        text: str | None,
        *,
        checked: bool = False,
    ) -> None:
        """A modal or "Publier quand même": validate, ask the guard, then publish."""
        from cogs.soutien.views import guard_view  # views import this module

        value, config = await self.precheck(interaction, thread_id, text)
        lang = interaction_lang(interaction)
        now = self.bot.clock.now()
        kinds = [] if checked else service.guard_findings(value, now)
        if kinds:
            self._drop_stale_drafts(now)
            token = secrets.token_hex(8)
            guild = require_guild(interaction)
            self.drafts[token] = Draft(interaction.user.id, guild.id, thread_id, value, now)
            await self._answer(
                interaction,
                t("soutien.guard.warning", lang, kinds=render.kinds_text(kinds, lang)),
                view=guard_view(token, lang),
            )
            return
        if not interaction.response.is_done():
            await interaction.response.defer(ephemeral=True, thinking=True)
        await self.publish(interaction, thread_id, value, config)

    async def publish(
        self,
        interaction: discord.Interaction[Passerelle],
        thread_id: int | None,
        text: str,
        config: SoutienConfig,
    ) -> None:
        from cogs.soutien.views import post_view, posted_view

        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        glang = self.guild_lang(guild.id)
        now = self.bot.clock.now()
        author = interaction.user.id
        secret = await self.store.secret()
        if thread_id is None:
            thread = await self._new_anonymous_thread(guild, config, glang, now)
            taken: set[str] = set()
        else:
            thread = await self._fetch_thread(guild, thread_id)
            taken = await self.store.pseudonyms_of_others(thread.id, author)
        code = service.pick_pseudonym(secret, author, thread.id, taken)
        message = await thread.send(
            embed=render.post_embed(code, text, glang, reply=thread_id is not None),
            view=post_view(glang),
            allowed_mentions=NO_MENTIONS,
        )
        if thread_id is None:
            await self.store.add_thread(thread.id, guild.id, "anonymous", now, opener_pseudo=code)
            self.thread_ids.add(thread.id)
        else:
            await self.store.touch_thread(thread.id, now)
        await self.store.use_link(thread.id, code, author, guild.id, now)
        await self.store.add_post(message.id, thread.id, guild.id, code, now)
        await self.store.record_post(service.author_key(secret, author), now)
        await self.notify_thread(thread.id, guild.id, now, exclude_author=author)
        link = await self.store.link(thread.id, author)
        await self._answer(
            interaction,
            t(
                "soutien.anon.posted",
                lang,
                pseudo=render.pseudo_label(code, lang),
                url=message.jump_url,
                days=config.retention_days,
            ),
            view=posted_view(thread.id, bool(link and link.notify), lang),
        )
        await self.purge(now)

    async def _new_anonymous_thread(
        self, guild: discord.Guild, config: SoutienConfig, glang: str, now: datetime
    ) -> discord.Thread:
        channel = await self.support_channel(guild, config)
        zone = self.bot.settings_store.guild_zone(guild.id)
        stamp = now.astimezone(zone).strftime("%d/%m %H:%M")
        name = service.thread_title(t("soutien.anon.thread_name", glang), stamp)
        region = await self.region_for(guild.id, config)
        embeds = [render.frame_embed(glang, anonymous=True), render.lines_embed(region, glang)]
        if isinstance(channel, discord.ForumChannel):
            created = await channel.create_thread(
                name=name, embeds=embeds, auto_archive_duration=10080
            )
            return created.thread
        thread = await channel.create_thread(
            name=name, type=discord.ChannelType.public_thread, auto_archive_duration=10080
        )
        await thread.send(embeds=embeds)
        return thread

    async def _fetch_thread(self, guild: discord.Guild, thread_id: int) -> discord.Thread:
        thread = guild.get_thread(thread_id)
        if thread is None:
            try:
                fetched = await self.bot.fetch_channel(thread_id)
            except (discord.NotFound, discord.Forbidden):
                raise UserError("soutien.error.thread_gone") from None
            if not isinstance(fetched, discord.Thread):
                raise UserError("soutien.error.thread_gone")
            thread = fetched
        return thread

    async def _answer(
        self, interaction: discord.Interaction[Passerelle], text: str, **kw: Any
    ) -> None:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, **kw)
        else:
            await interaction.response.send_message(text, ephemeral=True, **kw)

    def _drop_stale_drafts(self, now: datetime) -> None:
        for token in [k for k, d in self.drafts.items() if now - d.created > DRAFT_TTL]:
            del self.drafts[token]

    def take_draft(self, interaction: discord.Interaction[Passerelle], token: str) -> Draft:
        draft = self.drafts.get(token)
        now = self.bot.clock.now()
        if draft is None or now - draft.created > DRAFT_TTL:
            self.drafts.pop(token, None)
            raise UserError("soutien.error.draft_gone")
        if draft.user_id != interaction.user.id:
            raise UserError("soutien.error.not_yours")
        return self.drafts.pop(token)

    # -- notifications of replies ---------------------------------------------------------------
    async def notify_thread(
        self, thread_id: int, guild_id: int, now: datetime, *, exclude_author: int | None
    ) -> None:
        for author_id, ref in await self.store.notify_targets(thread_id):
            if author_id == exclude_author or not ref:
                continue
            await self.bot.reminders.schedule(
                REPLY_KIND,
                ref,
                guild_id,
                Schedule(
                    occurrence=now.isoformat(),
                    due_at=now + NOTIFY_DELAY,
                    expires_at=now + timedelta(days=1),
                    payload={"thread_id": thread_id},
                ),
            )

    async def toggle_notify(
        self, interaction: discord.Interaction[Passerelle], thread_id: int
    ) -> bool:
        link = await self.store.link(thread_id, interaction.user.id)
        if link is None:
            raise UserError("soutien.error.no_link")
        on = not link.notify
        ref = secrets.token_hex(12) if on else None
        if not on and link.notify_ref:
            await self.bot.reminders.cancel(REPLY_KIND, link.notify_ref)
        await self.store.set_notify(thread_id, interaction.user.id, on, ref)
        return on

    # -- closing --------------------------------------------------------------------------------
    async def close(self, interaction: discord.Interaction[Passerelle]) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        channel = interaction.channel
        known = await self.store.thread(channel.id) if channel is not None else None
        if known is None or not isinstance(channel, discord.Thread):
            raise UserError("soutien.error.not_a_thread")
        if known.closed:
            raise UserError("soutien.error.closed")
        if not is_moderator(interaction) and not await self._is_opener(known, interaction.user.id):
            raise UserError("soutien.error.not_opener")
        await interaction.response.send_message(t("soutien.close.done", lang), ephemeral=True)
        await channel.send(t("soutien.close.notice", self.guild_lang(guild.id)))
        await channel.edit(archived=True, locked=True)
        await self.store.close_thread(channel.id, self.bot.clock.now())

    async def _is_opener(self, known: Any, user_id: int) -> bool:
        if known.kind == "private":
            return known.opener_id == user_id
        secret = await self.store.secret()
        return service.pseudonym(secret, user_id, known.thread_id) == known.opener_pseudo

    # -- retention ------------------------------------------------------------------------------
    async def purge(self, now: datetime) -> None:
        """The retention purge (`forget`), then archive the threads left inactive."""
        await self.forget(now)
        for thread_id in await self.store.inactive_threads(now - service.INACTIVE_AFTER):
            await self._archive_inactive(thread_id, now)

    async def forget(self, now: datetime) -> None:
        """Drop expired anonymity links (and their pending notices), old rate records and the
        delivery records of reply notices. Database only: also run at start, before login."""
        retention = await self.store.retention_by_guild()
        default = service.retention_cutoff(now, service.RETENTION_DEFAULT)
        cutoffs = {g: service.retention_cutoff(now, d) for g, d in retention.items()}
        for ref in await self.store.purge_links(cutoffs, default):
            await self.bot.reminders.cancel(REPLY_KIND, ref)
        await self.store.purge_rate(now - service.RATE_WINDOW)
        # Delivery records of reply notices name their recipient: keep them no longer than the
        # anonymity links they came from.
        await self.bot.reminders.forget_deliveries(REPLY_KIND, min([default, *cutoffs.values()]))

    async def _archive_inactive(self, thread_id: int, now: datetime) -> None:
        try:
            channel = self.bot.get_channel(thread_id) or await self.bot.fetch_channel(thread_id)
            if isinstance(channel, discord.Thread) and not channel.archived:
                await channel.edit(archived=True)
        except discord.NotFound:
            await self.store.close_thread(thread_id, now)  # deleted: nothing left to archive
            return
        except discord.HTTPException:
            log.warning("could not archive an inactive support thread")
            return
        # Archived, not closed: a new message reopens it, as Discord does.
        await self.store.mark_dormant(thread_id)
