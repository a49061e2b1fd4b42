"""`/mes-donnees`: what Passerelle keeps about the member, with a file and an erase button."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.i18n.commands import L

if TYPE_CHECKING:
    from bot.client import Passerelle
    from cogs.mes_donnees.flows import MesDonneesFlows


class MesDonneesCog(commands.Cog):
    def __init__(self, bot: Passerelle, flows: MesDonneesFlows) -> None:
        self.bot = bot
        self.flows = flows

    @app_commands.command(name=L("cmd.mes-donnees.name"), description=L("cmd.mes-donnees.desc"))
    async def mine(self, interaction: discord.Interaction[Passerelle]) -> None:
        await self.flows.show(interaction)
