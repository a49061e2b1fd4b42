"""Réseau's Discord-side workflows: ONE object (`ReseauFlows`), built in `setup` and handed to
the cog, the views (through `bot.ui.bind`) and the handlers. It is composed of its parts —
profiles, contacts (directory, requests, inbox), mentoring — which share `Common` (membership
cache, secrecy guard, direct messages)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.checks import require_guild
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.user_error import UserError
from cogs.reseau import render
from cogs.reseau.flows.common import Common, Guard
from cogs.reseau.flows.contacts import EXPIRY_KIND, ContactFlows, expiry_ref
from cogs.reseau.flows.mentoring import CHECKIN_KIND, MentoringFlows, checkin_ref
from cogs.reseau.flows.profiles import ProfileFlows
from cogs.reseau.service import DraftKind, ReseauConfig
from cogs.reseau.store import ReseauStore
from cogs.reseau.views import ReseauViews

if TYPE_CHECKING:
    from bot.client import Passerelle

__all__ = ["CHECKIN_KIND", "EXPIRY_KIND", "ReseauFlows", "checkin_ref", "expiry_ref"]


class ReseauFlows:
    def __init__(self, bot: Passerelle, store: ReseauStore, guard: Guard) -> None:
        self.bot, self.store = bot, store
        self.common = Common(bot, store, guard)
        self.common.ui = ReseauViews(self)
        self.profiles = ProfileFlows(self.common)
        self.contacts = ContactFlows(self.common, self._start_pairing)
        self.mentoring = MentoringFlows(self.common, self.contacts)

    async def _start_pairing(self, request: Any) -> None:
        await self.mentoring.start(request)

    async def draft(self, interaction: discord.Interaction[Any], draft_id: int, send: bool) -> None:
        """« Envoyer quand même » / « Annuler » after the secrecy guard's warning."""
        lang = interaction_lang(interaction)
        if not send:
            await self.store.requests.drop_draft(draft_id, interaction.user.id)
            await self.common.respond(
                interaction, edit=True, content=t("reseau.guard.dropped", lang), view=None
            )
            return
        draft = await self.store.requests.take_draft(
            draft_id, interaction.user.id, self.common.now()
        )
        if draft is None:
            raise UserError("reseau.error.draft_gone")
        if draft.kind == DraftKind.PROFILE:
            await self.profiles.save_draft(interaction, draft.guild_id, draft.payload)
        else:
            await self.contacts.send_draft(interaction, draft.guild_id, draft.payload)

    async def configure(
        self,
        interaction: discord.Interaction[Any],
        *,
        channel: discord.TextChannel | None,
        role: discord.Role | None,
        reset: str | None,
    ) -> None:
        """`/reseau config` (moderators): the channel for private threads, the directory kept to
        a role or open to all; then the settings and the counts (never any content)."""
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        config = await self.store.profiles.config(guild.id)
        changed = ReseauConfig(
            guild.id,
            thread_channel_id=None
            if reset == "salon"
            else (channel.id if channel else config.thread_channel_id),
            directory_role_id=None
            if reset == "role"
            else (role.id if role else config.directory_role_id),
        )
        if channel is not None:
            me = guild.me
            missing = [
                p
                for p in ("view_channel", "create_private_threads", "send_messages_in_threads")
                if not getattr(channel.permissions_for(me), p)
            ]
            if missing:
                raise UserError("reseau.error.thread_permissions", channel=channel.mention)
        if changed != config:
            await self.store.profiles.save_config(changed)
        counts = await self.store.profiles.counts(guild.id, self.common.now())
        await self.common.respond(interaction, embed=render.config_embed(changed, counts, lang))
