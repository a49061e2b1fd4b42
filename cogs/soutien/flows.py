"""The support space's Discord side: one workflows object, `SoutienFlows`, built in `setup`.

It owns the space's state (drafts waiting for the member's choice, the ids of support threads)
and holds two parts: `moderation` (reports, removal, blocks) and `retention` (the purge, the
archiving of inactive threads). The cog, the views and the engine handlers are handed it.

Anonymity rules kept here (tested end to end):
- the author's id goes into no request to Discord: no mention, no custom_id (buttons carry the
  thread or message id only), no embed, no audit-log reason; anonymous authors are never added
  to the thread (its member list would name them);
- nothing here logs a member's id or text;
- the author <-> pseudonym link lives in `soutien_links` until the retention period has passed;
- reports name neither the reporter nor the author; a block records a keyed hash, not the id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord

from bot.checks import is_moderator, missing_channel_permissions, require_guild, require_moderator
from bot.discord_text import NO_MENTIONS
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.reminders import Schedule
from bot.user_error import UserError
from cogs.soutien import render, service
from cogs.soutien.service import (
    PURGE_KIND,
    REPLY_KIND,
    Audience,
    ConfigField,
    Draft,
    SoutienConfig,
    ThreadKind,
)
from cogs.soutien.store import SoutienStore, SupportThread
from cogs.soutien.views import SoutienViews

if TYPE_CHECKING:
    from bot.client import Passerelle

log = logging.getLogger(__name__)

ARCHIVE_AFTER_A_WEEK = 10080  # minutes: the longest auto-archive Discord offers
STAMP = "%d/%m %H:%M"  # anonymous threads are named after their time, never their author
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

Interaction = discord.Interaction["Passerelle"]


def require_permissions(
    channel: discord.abc.GuildChannel, me: discord.Member, *needed: str
) -> None:
    """The bot must hold `needed` in a channel the support space uses, else say which it lacks."""
    missing = missing_channel_permissions(channel, me, *needed)
    if missing:
        raise UserError("soutien.error.permissions", channel=channel.mention, permissions=missing)


async def answer(interaction: Interaction, text: str, **kw: Any) -> None:
    """An ephemeral answer, whether or not the interaction was already answered or deferred."""
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, **kw)
    else:
        await interaction.response.send_message(text, ephemeral=True, **kw)


async def fetch_thread(bot: Passerelle, guild: discord.Guild, thread_id: int) -> discord.Thread:
    thread = guild.get_thread(thread_id)
    if thread is not None:
        return thread
    try:
        fetched = await bot.fetch_channel(thread_id)
    except (discord.NotFound, discord.Forbidden):
        raise UserError("soutien.error.thread_gone") from None
    if not isinstance(fetched, discord.Thread):
        raise UserError("soutien.error.thread_gone")
    return fetched


class Moderation:
    """A member reports a post; moderators remove it or block its author."""

    def __init__(self, bot: Passerelle, store: SoutienStore, views: SoutienViews) -> None:
        self.bot, self.store, self.views = bot, store, views

    async def report(self, interaction: Interaction, message_id: int) -> None:
        guild = require_guild(interaction)
        post = await self.store.post(message_id)
        if post is None or post.removed:
            raise UserError("soutien.error.unknown_post")
        config = await self.store.config(guild.id)
        channel = guild.get_channel(config.alert_channel_id) if config.alert_channel_id else None
        if not isinstance(channel, discord.TextChannel):
            raise UserError("soutien.error.no_alert_channel")
        glang = self.bot.settings_store.lang_of(guild.id)
        url = f"{render.thread_url(guild.id, post.thread_id)}/{post.message_id}"
        # The reporter is not named either: reporting must feel safe too.
        await channel.send(
            embed=render.alert_embed(post.pseudonym, url, glang),
            view=self.views.alert(post.message_id, glang),
            allowed_mentions=NO_MENTIONS,
        )
        await answer(interaction, t("soutien.report.sent", interaction_lang(interaction)))

    async def remove_post(self, interaction: Interaction, message_id: int) -> None:
        require_moderator(interaction)
        guild = require_guild(interaction)
        post = await self.store.post(message_id)
        if post is None:
            raise UserError("soutien.error.unknown_post")
        if post.removed:
            raise UserError("soutien.error.already_removed")
        glang = self.bot.settings_store.lang_of(guild.id)
        thread = await fetch_thread(self.bot, guild, post.thread_id)
        with contextlib.suppress(discord.NotFound):  # deleted by hand: still record it removed
            await thread.get_partial_message(message_id).edit(
                embed=render.removed_embed(glang), view=None
            )
        await self.store.mark_removed(message_id)
        await answer(interaction, t("soutien.mod.removed", interaction_lang(interaction)))

    async def block_author(self, interaction: Interaction, message_id: int) -> None:
        require_moderator(interaction)
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        post = await self.store.post(message_id)
        if post is None:
            raise UserError("soutien.error.unknown_post")
        author = await self.store.link_author(post.thread_id, post.pseudonym)
        if author is None:
            raise UserError("soutien.error.link_purged")
        key = service.author_key(await self.store.secret(), author)
        new = await self.store.block(guild.id, key, post.pseudonym, self.bot.clock.now())
        pseudo = render.pseudo_label(post.pseudonym, lang)
        await answer(
            interaction,
            t("soutien.mod.blocked" if new else "soutien.mod.already", lang, pseudo=pseudo),
        )


class Retention:
    """Forgetting on time: anonymity links, rate records, notices' delivery records; archiving
    threads left inactive. Runs at start, after every post and once a day (engine item)."""

    def __init__(self, bot: Passerelle, store: SoutienStore) -> None:
        self.bot, self.store = bot, store

    async def schedule(self, now: datetime) -> None:
        due = now + service.PURGE_EVERY
        await self.bot.reminders.schedule(
            PURGE_KIND, "daily", None, Schedule(occurrence=due.isoformat(), due_at=due)
        )

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


class SoutienFlows:
    """Configuration, private threads, anonymous posts and their drafts, reply notices, closing."""

    def __init__(self, bot: Passerelle, store: SoutienStore) -> None:
        self.bot = bot
        self.store = store
        self.drafts = service.Drafts()  # texts the guard questioned: memory only, by design
        self.thread_ids: set[int] = set()  # support threads, to notice replies in them
        self.views = SoutienViews(self)
        self.moderation = Moderation(bot, store, self.views)
        self.retention = Retention(bot, store)

    async def start(self) -> None:
        """At load: know the threads, make sure the secret exists, purge, schedule the purge."""
        self.thread_ids = await self.store.thread_ids()
        await self.store.secret()
        now = self.bot.clock.now()
        await self.retention.forget(now)
        await self.retention.schedule(now)

    # -- configuration --------------------------------------------------------------------------
    async def region_for(self, guild_id: int | None, config: SoutienConfig | None = None) -> str:
        """The help lines' region: the space's own, else the server's (the default in DMs)."""
        if guild_id is not None:
            config = config or await self.store.config(guild_id)
            if config.region:
                return config.region
        return self.bot.settings_store.region_of(guild_id)

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

    async def save_config(
        self, interaction: Interaction, field: ConfigField, value: str, **changes: Any
    ) -> None:
        """Save one setting, then tell the moderator what still keeps the space from working."""
        guild = require_guild(interaction)
        config = replace(await self.store.config(guild.id), **changes)
        await self.store.save_config(config)
        role = guild.get_role(config.supporter_role_id) if config.supporter_role_id else None
        gaps = service.config_gaps(
            config,
            role_exists=role is not None,
            role_members=await self._role_members(guild, role) if role is not None else None,
        )
        text = render.config_saved(
            field, value, gaps, role.mention if role else None, interaction_lang(interaction)
        )
        await interaction.response.send_message(text, ephemeral=True)

    async def _role_members(self, guild: discord.Guild, role: discord.Role) -> int | None:
        """How many members have `role`. Without the members intent the guild's member list is
        out of reach, but Discord counts a role's members for a bot with Manage Roles; without
        that, the members the bot has met are all it knows (None when it has met none)."""
        try:
            counts = await guild.role_member_counts()
        except discord.HTTPException:
            return len(role.members) or None
        return next((n for counted, n in counts.items() if counted.id == role.id), 0)

    @staticmethod
    def audience(channel: discord.TextChannel, role: discord.Role | None) -> Audience:
        """Who sees a private thread of `channel` besides its opener: `role`'s members (brought
        in by the welcome message's mention) and whoever may manage its threads."""
        managers = any(
            channel.permissions_for(other).manage_threads
            for other in channel.guild.roles
            if other != role and not other.is_bot_managed()
        )
        return service.audience(role=role is not None, moderators=managers)

    # -- private thread -------------------------------------------------------------------------
    async def offer_choice(self, interaction: Interaction) -> None:
        """`/soutien ouvrir`: the two ways in, once the space is usable."""
        guild = require_guild(interaction)
        await self.support_channel(guild, await self.store.config(guild.id))
        lang = interaction_lang(interaction)
        await interaction.response.send_message(
            t("soutien.choice.text", lang), view=self.views.choice(lang), ephemeral=True
        )

    async def open_private(self, interaction: Interaction) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        config = await self.store.config(guild.id)
        channel = await self.support_channel(guild, config)
        if not isinstance(channel, discord.TextChannel):
            raise UserError("soutien.error.private_needs_text")
        member = interaction.user
        now = self.bot.clock.now()
        await interaction.response.defer(ephemeral=True, thinking=True)
        glang = self.bot.settings_store.lang_of(guild.id)
        thread = await channel.create_thread(
            name=service.thread_title(t("soutien.private.thread_name", glang), member.display_name),
            type=discord.ChannelType.private_thread,
            invitable=False,
            auto_archive_duration=ARCHIVE_AFTER_A_WEEK,
        )
        await thread.add_user(member)
        role = guild.get_role(config.supporter_role_id) if config.supporter_role_id else None
        # Only the member and the configured role may be pinged: never anything from user text.
        mentions = discord.AllowedMentions(
            everyone=False, users=[member], roles=[role] if role else False, replied_user=False
        )
        region = await self.region_for(guild.id, config)
        await thread.send(
            content=render.welcome(member.mention, role.mention if role else None, glang),
            embeds=[render.frame_embed(glang, anonymous=False), render.lines_embed(region, glang)],
            allowed_mentions=mentions,
        )
        await self.store.add_thread(
            thread.id, guild.id, ThreadKind.PRIVATE, now, opener_id=member.id
        )
        self.thread_ids.add(thread.id)
        who = self.audience(channel, role)
        await interaction.followup.send(
            render.opened(thread.mention, who, role.mention if role else None, lang), ephemeral=True
        )

    # -- anonymous posts ------------------------------------------------------------------------
    async def precheck_channel(self, interaction: Interaction) -> None:
        """Before the modal opens: the space is configured and usable."""
        guild = require_guild(interaction)
        await self.support_channel(guild, await self.store.config(guild.id))

    async def check_reply_thread(self, thread_id: int) -> None:
        known = await self.store.thread(thread_id)
        if known is None or known.kind is not ThreadKind.ANONYMOUS:
            raise UserError("soutien.error.unknown_thread")
        if known.closed:
            raise UserError("soutien.error.closed")

    async def precheck(
        self, interaction: Interaction, thread_id: int | None, text: str | None
    ) -> tuple[str, SoutienConfig]:
        """Everything that can refuse a post, before anything is written or sent."""
        guild = require_guild(interaction)
        config = await self.store.config(guild.id)
        await self.support_channel(guild, config)
        value = service.clean_text(text)
        if thread_id is not None:
            await self.check_reply_thread(thread_id)
        key = service.author_key(await self.store.secret(), interaction.user.id)
        if await self.store.is_blocked(guild.id, key):
            raise UserError("soutien.error.blocked")
        now = self.bot.clock.now()
        service.check_rate(await self.store.recent_posts(key, now - service.RATE_WINDOW), now)
        return value, config

    async def submit(
        self,
        interaction: Interaction,
        thread_id: int | None,
        text: str | None,
        *,
        checked: bool = False,
    ) -> None:
        """A modal or "Publier quand même": validate, ask the guard, then publish."""
        value, config = await self.precheck(interaction, thread_id, text)
        lang = interaction_lang(interaction)
        now = self.bot.clock.now()
        # the guard runs spaCy (a few ms, longer while the model loads): off the event loop
        kinds = [] if checked else await asyncio.to_thread(service.guard_findings, value, now)
        if kinds:
            guild = require_guild(interaction)
            token = self.drafts.keep(Draft(interaction.user.id, guild.id, thread_id, value, now))
            await answer(
                interaction,
                t("soutien.guard.warning", lang, kinds=render.kinds_text(kinds, lang)),
                view=self.views.guard(token, lang),
            )
            return
        if not interaction.response.is_done():
            await interaction.response.defer(ephemeral=True, thinking=True)
        await self.publish(interaction, thread_id, value, config)

    def take_draft(self, interaction: Interaction, token: str) -> Draft:
        return self.drafts.take(token, interaction.user.id, self.bot.clock.now())

    async def publish(
        self, interaction: Interaction, thread_id: int | None, text: str, config: SoutienConfig
    ) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        glang = self.bot.settings_store.lang_of(guild.id)
        now = self.bot.clock.now()
        author = interaction.user.id
        secret = await self.store.secret()
        if thread_id is None:
            thread = await self._new_anonymous_thread(guild, config, glang, now)
            taken: set[str] = set()
        else:
            thread = await fetch_thread(self.bot, guild, thread_id)
            taken = await self.store.pseudonyms_of_others(thread.id, author)
        code = service.pick_pseudonym(secret, author, thread.id, taken)
        message = await thread.send(
            embed=render.post_embed(code, text, glang, reply=thread_id is not None),
            view=self.views.post(glang),
            allowed_mentions=NO_MENTIONS,
        )
        if thread_id is None:
            await self.store.add_thread(
                thread.id, guild.id, ThreadKind.ANONYMOUS, now, opener_pseudo=code
            )
            self.thread_ids.add(thread.id)
        else:
            await self.store.touch_thread(thread.id, now)
        await self.store.use_link(thread.id, code, author, guild.id, now)
        await self.store.add_post(message.id, thread.id, guild.id, code, now)
        await self.store.record_post(service.author_key(secret, author), now)
        await self.notify_thread(thread.id, guild.id, now, exclude_author=author)
        link = await self.store.link(thread.id, author)
        await answer(
            interaction,
            t(
                "soutien.anon.posted",
                lang,
                pseudo=render.pseudo_label(code, lang),
                url=message.jump_url,
                n=config.retention_days,
            ),
            view=self.views.posted(thread.id, bool(link and link.notify), lang),
        )
        await self.retention.purge(now)

    async def _new_anonymous_thread(
        self, guild: discord.Guild, config: SoutienConfig, glang: str, now: datetime
    ) -> discord.Thread:
        channel = await self.support_channel(guild, config)
        stamp = now.astimezone(self.bot.settings_store.guild_zone(guild.id)).strftime(STAMP)
        name = service.thread_title(t("soutien.anon.thread_name", glang), stamp)
        region = await self.region_for(guild.id, config)
        embeds = [render.frame_embed(glang, anonymous=True), render.lines_embed(region, glang)]
        if isinstance(channel, discord.ForumChannel):
            created = await channel.create_thread(
                name=name, embeds=embeds, auto_archive_duration=ARCHIVE_AFTER_A_WEEK
            )
            return created.thread
        thread = await channel.create_thread(
            name=name,
            type=discord.ChannelType.public_thread,
            auto_archive_duration=ARCHIVE_AFTER_A_WEEK,
        )
        await thread.send(embeds=embeds)
        return thread

    # -- notifications of replies ---------------------------------------------------------------
    async def on_reply(self, message: discord.Message) -> None:
        """Someone wrote in a support thread (the content is never read: no such intent)."""
        if message.guild is None or message.channel.id not in self.thread_ids:
            return
        if self.bot.user is not None and message.author.id == self.bot.user.id:
            return
        now = self.bot.clock.now()
        await self.store.touch_thread(message.channel.id, now)
        await self.notify_thread(
            message.channel.id, message.guild.id, now, exclude_author=message.author.id
        )

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
                    due_at=now + service.NOTIFY_DELAY,
                    expires_at=now + service.NOTIFY_EXPIRES,
                    payload={"thread_id": thread_id},
                ),
            )

    async def toggle_notify(self, interaction: Interaction, thread_id: int) -> bool:
        link = await self.store.link(thread_id, interaction.user.id)
        if link is None:
            raise UserError("soutien.error.no_link")
        on = not link.notify
        ref = secrets.token_hex(service.NOTIFY_REF_BYTES) if on else None
        if not on and link.notify_ref:
            await self.bot.reminders.cancel(REPLY_KIND, link.notify_ref)
        await self.store.set_notify(thread_id, interaction.user.id, on, ref)
        return on

    # -- closing --------------------------------------------------------------------------------
    async def close(self, interaction: Interaction) -> None:
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
        await channel.send(t("soutien.close.notice", self.bot.settings_store.lang_of(guild.id)))
        await channel.edit(archived=True, locked=True)
        await self.store.close_thread(channel.id, self.bot.clock.now())

    async def _is_opener(self, known: SupportThread, user_id: int) -> bool:
        if known.kind is ThreadKind.PRIVATE:
            return known.opener_id == user_id
        secret = await self.store.secret()
        return service.pseudonym(secret, user_id, known.thread_id) == known.opener_pseudo
