"""The Discord scheduled event that mirrors each published meet-up: created when it is
published (or the organiser told once that the bot lacks « Gérer les événements »), kept in
step with edits, cancelled with it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.checks import require_guild
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from cogs.rencontres import render
from cogs.rencontres.service import Rencontre, Status
from cogs.rencontres.store import RencontreStore

if TYPE_CHECKING:
    from bot.client import Passerelle

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]


class MirrorFlows:
    def __init__(self, bot: Passerelle, store: RencontreStore) -> None:
        self.bot = bot
        self.store = store

    async def create(self, interaction: Interaction, event: Rencontre) -> None:
        guild = require_guild(interaction)
        perms = guild.me.guild_permissions
        if not (perms.manage_events or perms.create_events):
            await self._warn(interaction, event)
            return
        try:
            mirror = await guild.create_scheduled_event(
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
                **render.mirror_fields(event),
            )
        except discord.Forbidden:
            await self._warn(interaction, event)
            return
        except discord.HTTPException as error:
            log.warning("rencontre %s: no scheduled event (%s)", event.id, error)
            return
        await self.store.set_fields(event.id, self.bot.clock.now(), scheduled_event_id=mirror.id)

    async def _warn(self, interaction: Interaction, event: Rencontre) -> None:
        if not await self.store.first_mirror_warning(
            event.guild_id, event.organiser_id, self.bot.clock.now()
        ):
            return
        text = t("rencontre.mirror.no_permission", interaction_lang(interaction))
        try:
            await interaction.followup.send(text, ephemeral=True)
        except discord.HTTPException:
            log.info("rencontre %s: could not tell the organiser about the mirror", event.id)

    async def sync(self, event: Rencontre) -> None:
        if not event.scheduled_event_id:
            return
        guild = self.bot.get_guild(event.guild_id)
        if guild is None:
            return
        try:
            mirror = await guild.fetch_scheduled_event(event.scheduled_event_id)
            if event.status is Status.CANCELLED:
                await mirror.cancel()
            else:
                await mirror.edit(**render.mirror_fields(event))
        except discord.HTTPException as error:
            log.warning("rencontre %s: scheduled event not updated (%s)", event.id, error)
