"""`/guide france-quebec` and `/guide quebec-france`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.i18n.commands import L
from cogs.guide.flows import GuideFlows
from cogs.guide.service import Direction

if TYPE_CHECKING:
    from bot.client import Passerelle


class GuideCog(commands.Cog):
    guide = app_commands.Group(name=L("cmd.guide.name"), description=L("cmd.guide.desc"))

    def __init__(self, bot: Passerelle, flows: GuideFlows) -> None:
        self.bot, self.flows = bot, flows

    @guide.command(
        name=L("cmd.guide.france-quebec.name"), description=L("cmd.guide.france-quebec.desc")
    )
    async def france_quebec(self, interaction: discord.Interaction[Passerelle]) -> None:
        await self.flows.show(interaction, Direction.FRANCE_QUEBEC, 0, edit=False)

    @guide.command(
        name=L("cmd.guide.quebec-france.name"), description=L("cmd.guide.quebec-france.desc")
    )
    async def quebec_france(self, interaction: discord.Interaction[Passerelle]) -> None:
        await self.flows.show(interaction, Direction.QUEBEC_FRANCE, 0, edit=False)
