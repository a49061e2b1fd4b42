"""`/annonce`: moderators schedule a message for a set time; the engine posts it exactly once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import (
    MODERATOR_PERMISSIONS,
    moderator_only,
    require_channel_permissions,
    require_guild,
)
from bot.discord_text import truncate, ts
from bot.i18n import t
from bot.i18n.commands import L, interaction_lang, options
from bot.reminders import Schedule
from bot.user_error import UserError
from cogs.annonces.service import KIND, USEFUL_FOR, ref_for, understand_when, validate_text
from cogs.annonces.store import AnnouncementStore

if TYPE_CHECKING:
    from bot.client import Passerelle


class AnnoncesCog(commands.Cog):
    annonce = app_commands.Group(
        name=L("cmd.annonce.name"),
        description=L("cmd.annonce.desc"),
        guild_only=True,
        default_permissions=MODERATOR_PERMISSIONS,
    )

    def __init__(self, bot: Passerelle, store: AnnouncementStore) -> None:
        self.bot = bot
        self.store = store

    @annonce.command(
        name=L("cmd.annonce.programmer.name"), description=L("cmd.annonce.programmer.desc")
    )
    @options("cmd.annonce.programmer", channel="salon", when="quand", text="texte")
    @moderator_only()
    async def schedule(
        self,
        interaction: discord.Interaction[Passerelle],
        channel: discord.TextChannel,
        when: str,
        text: str,
    ) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        # Dates are read in the moderator's own zone (/rappels fuseau), else the server's.
        zone = await self.bot.settings_store.zone_of(guild.id, member=interaction.user.id)
        now = self.bot.clock.now()
        body = validate_text(text)
        due = understand_when(when, zone, now, str(interaction.locale))
        require_channel_permissions(channel, guild.me, "view_channel", "send_messages")
        announcement_id = await self.store.add(
            guild.id, channel.id, interaction.user.id, body, due, zone.key, now
        )
        await self.bot.reminders.schedule(
            KIND,
            ref_for(announcement_id),
            guild.id,
            Schedule(occurrence=due.isoformat(), due_at=due, expires_at=due + USEFUL_FOR),
        )
        await interaction.response.send_message(
            t(
                "annonce.scheduled",
                lang,
                id=announcement_id,
                channel=channel.mention,
                when=ts(due, "F"),
                rel=ts(due, "R"),
            ),
            ephemeral=True,
        )

    @annonce.command(name=L("cmd.annonce.liste.name"), description=L("cmd.annonce.liste.desc"))
    @moderator_only()
    async def list_(self, interaction: discord.Interaction[Passerelle]) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        pending = await self.store.pending(guild.id)
        lines = [
            t(
                "annonce.list.item",
                lang,
                id=a.id,
                when=ts(a.due_at, "f"),
                channel=f"<#{a.channel_id}>",
                text=truncate(a.text.replace("\n", " "), 60),
            )
            for a in pending
        ]
        embed = discord.Embed(
            title=t("annonce.list.title", lang),
            description=truncate("\n".join(lines), 4000) or t("annonce.list.empty", lang),
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @annonce.command(name=L("cmd.annonce.annuler.name"), description=L("cmd.annonce.annuler.desc"))
    @options("cmd.annonce.annuler", number="numero")
    @moderator_only()
    async def cancel(self, interaction: discord.Interaction[Passerelle], number: int) -> None:
        guild = require_guild(interaction)
        announcement = await self.store.get(number)
        if announcement is None or announcement.guild_id != guild.id:
            raise UserError("annonce.error.unknown", id=number)
        if announcement.status != "pending":
            raise UserError("annonce.error.not_pending", id=number)
        await self.store.set_status(number, "cancelled")
        await self.bot.reminders.cancel(KIND, ref_for(number))
        await interaction.response.send_message(
            t("annonce.cancelled", interaction_lang(interaction), id=number), ephemeral=True
        )
