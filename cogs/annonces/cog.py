"""`/annonce`: moderators schedule a message for a set time; the engine posts it exactly once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import MODERATOR_PERMISSIONS, moderator_only, require_guild
from bot.i18n import t
from bot.i18n.commands import L, interaction_lang, options
from cogs.annonces import render
from cogs.annonces.flows import AnnoncesFlows

if TYPE_CHECKING:
    from bot.client import Passerelle


class AnnoncesCog(commands.Cog):
    annonce = app_commands.Group(
        name=L("cmd.annonce.name"),
        description=L("cmd.annonce.desc"),
        guild_only=True,
        default_permissions=MODERATOR_PERMISSIONS,
    )

    def __init__(self, flows: AnnoncesFlows) -> None:
        self.flows = flows

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
        announcement = await self.flows.schedule(
            guild, interaction.user.id, channel, when, text, str(interaction.locale)
        )
        await interaction.response.send_message(
            render.scheduled(announcement, interaction_lang(interaction)), ephemeral=True
        )

    @annonce.command(name=L("cmd.annonce.liste.name"), description=L("cmd.annonce.liste.desc"))
    @moderator_only()
    async def list_(self, interaction: discord.Interaction[Passerelle]) -> None:
        guild = require_guild(interaction)
        embed = render.pending_list(
            await self.flows.pending(guild.id), interaction_lang(interaction)
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @annonce.command(name=L("cmd.annonce.annuler.name"), description=L("cmd.annonce.annuler.desc"))
    @options("cmd.annonce.annuler", number="numero")
    @moderator_only()
    async def cancel(self, interaction: discord.Interaction[Passerelle], number: int) -> None:
        guild = require_guild(interaction)
        await self.flows.cancel(guild.id, number)
        await interaction.response.send_message(
            t("annonce.cancelled", interaction_lang(interaction), id=number), ephemeral=True
        )
