"""`/aide`: every command with its translated description; moderator ones to moderators only."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.i18n.commands import L
from cogs.aide.flows import AideFlows

if TYPE_CHECKING:
    from bot.client import Passerelle


class AideCog(commands.Cog):
    def __init__(self, bot: Passerelle, flows: AideFlows) -> None:
        self.bot = bot
        self.flows = flows

    @app_commands.command(name=L("cmd.aide.name"), description=L("cmd.aide.desc"))
    async def aide(self, interaction: discord.Interaction[Passerelle]) -> None:
        await self.flows.show(interaction)
