"""`/agenda`: calendar links and the public page.

`lien`, `nouveau-lien` and `page` are for moderators (checked on every call). Discord hides a
command only as a whole (`default_member_permissions` is per top-level command), and
`mon-lien` is for every member, so the group stays visible and the server refuses the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import moderator_only
from bot.i18n.commands import L
from cogs.agenda.flows import AgendaFlows

if TYPE_CHECKING:
    from bot.client import Passerelle


class AgendaCog(commands.Cog):
    agenda = app_commands.Group(
        name=L("cmd.agenda.name"), description=L("cmd.agenda.desc"), guild_only=True
    )
    page = app_commands.Group(
        name=L("cmd.agenda.page.name"), description=L("cmd.agenda.page.desc"), parent=agenda
    )

    def __init__(self, flows: AgendaFlows) -> None:
        self.flows = flows

    @agenda.command(name=L("cmd.agenda.lien.name"), description=L("cmd.agenda.lien.desc"))
    @moderator_only()
    async def link(self, interaction: discord.Interaction[Passerelle]) -> None:
        await self.flows.guild_link(interaction, renew=False)

    @agenda.command(
        name=L("cmd.agenda.nouveau-lien.name"), description=L("cmd.agenda.nouveau-lien.desc")
    )
    @moderator_only()
    async def new_link(self, interaction: discord.Interaction[Passerelle]) -> None:
        await self.flows.guild_link(interaction, renew=True)

    @agenda.command(name=L("cmd.agenda.mon-lien.name"), description=L("cmd.agenda.mon-lien.desc"))
    async def my_link(self, interaction: discord.Interaction[Passerelle]) -> None:
        await self.flows.member_link(interaction)

    @page.command(
        name=L("cmd.agenda.page.activer.name"), description=L("cmd.agenda.page.activer.desc")
    )
    @moderator_only()
    async def page_on(self, interaction: discord.Interaction[Passerelle]) -> None:
        await self.flows.page(interaction, on=True)

    @page.command(
        name=L("cmd.agenda.page.desactiver.name"),
        description=L("cmd.agenda.page.desactiver.desc"),
    )
    @moderator_only()
    async def page_off(self, interaction: discord.Interaction[Passerelle]) -> None:
        await self.flows.page(interaction, on=False)
