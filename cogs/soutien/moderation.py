"""The support space's moderation: a member reports a post, moderators remove it or block
its author. The anonymity rules of `flows.py` hold here too: the reporter is named nowhere,
and a block records a keyed hash of the author, never their id.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import discord

from bot.checks import require_guild, require_moderator
from bot.discord_text import NO_MENTIONS
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.user_error import UserError
from cogs.soutien import render, service
from cogs.soutien.flows import Flows

if TYPE_CHECKING:
    from bot.client import Passerelle


class Moderation(Flows):
    """Reports, removal and blocks, on top of the threads and posts of `Flows`."""

    async def report(self, interaction: discord.Interaction[Passerelle], message_id: int) -> None:
        from cogs.soutien.views import alert_view

        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        post = await self.store.post(message_id)
        if post is None or post.removed:
            raise UserError("soutien.error.unknown_post")
        config = await self.store.config(guild.id)
        channel = guild.get_channel(config.alert_channel_id) if config.alert_channel_id else None
        if not isinstance(channel, discord.TextChannel):
            raise UserError("soutien.error.no_alert_channel")
        glang = self.guild_lang(guild.id)
        url = f"https://discord.com/channels/{guild.id}/{post.thread_id}/{post.message_id}"
        # The reporter is not named either: reporting must feel safe too.
        await channel.send(
            embed=render.alert_embed(post.pseudonym, url, glang),
            view=alert_view(post.message_id, glang),
            allowed_mentions=NO_MENTIONS,
        )
        await self._answer(interaction, t("soutien.report.sent", lang))

    async def remove_post(
        self, interaction: discord.Interaction[Passerelle], message_id: int
    ) -> None:
        require_moderator(interaction)
        guild = require_guild(interaction)
        post = await self.store.post(message_id)
        if post is None:
            raise UserError("soutien.error.unknown_post")
        if post.removed:
            raise UserError("soutien.error.already_removed")
        glang = self.guild_lang(guild.id)
        thread = await self._fetch_thread(guild, post.thread_id)
        with contextlib.suppress(discord.NotFound):  # deleted by hand: still record it removed
            await thread.get_partial_message(message_id).edit(
                embed=render.removed_embed(glang), view=None
            )
        await self.store.mark_removed(message_id)
        await self._answer(interaction, t("soutien.mod.removed", interaction_lang(interaction)))

    async def block_author(
        self, interaction: discord.Interaction[Passerelle], message_id: int
    ) -> None:
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
        await self._answer(
            interaction,
            t("soutien.mod.blocked" if new else "soutien.mod.already", lang, pseudo=pseudo),
        )
