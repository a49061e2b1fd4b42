"""Slash commands of the support space: `/soutien …`, `/ressources`; the reply listener."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import moderator_only, require_guild
from bot.i18n import t
from bot.i18n.commands import L, interaction_lang, options
from bot.regions import REGIONS
from bot.user_error import UserError
from cogs.soutien import render, service
from cogs.soutien.flows import ALERT_PERMS, require_permissions
from cogs.soutien.service import ConfigField
from cogs.soutien.views import lines_view

if TYPE_CHECKING:
    from bot.client import Passerelle
    from cogs.soutien.flows import SoutienFlows

REGION_CHOICES = [app_commands.Choice(name=L(f"region.{code}"), value=code) for code in REGIONS]


class SoutienCog(commands.Cog):
    soutien = app_commands.Group(
        name=L("cmd.soutien.name"), description=L("cmd.soutien.desc"), guild_only=True
    )
    config = app_commands.Group(
        name=L("cmd.soutien.config.name"), description=L("cmd.soutien.config.desc"), parent=soutien
    )

    def __init__(self, bot: Passerelle, flows: SoutienFlows) -> None:
        self.bot = bot
        self.flows = flows

    async def cog_load(self) -> None:
        await self.flows.start()

    # -- members --------------------------------------------------------------------------------
    @soutien.command(name=L("cmd.soutien.ouvrir.name"), description=L("cmd.soutien.ouvrir.desc"))
    async def open(self, interaction: discord.Interaction[Passerelle]) -> None:
        await self.flows.offer_choice(interaction)

    @soutien.command(name=L("cmd.soutien.clore.name"), description=L("cmd.soutien.clore.desc"))
    async def close_command(self, interaction: discord.Interaction[Passerelle]) -> None:
        await self.flows.close(interaction)

    @app_commands.command(name=L("cmd.ressources.name"), description=L("cmd.ressources.desc"))
    @options("cmd.ressources", "region")
    @app_commands.choices(region=REGION_CHOICES)
    async def resources(
        self,
        interaction: discord.Interaction[Passerelle],
        region: app_commands.Choice[str] | None = None,
    ) -> None:
        lang = interaction_lang(interaction)
        if region is not None:
            code = region.value
        else:
            code = await self.flows.region_for(interaction.guild_id)
        await interaction.response.send_message(
            embed=render.lines_page(code, 0, lang),
            view=lines_view(code, 0, lang),
            ephemeral=True,
        )

    # -- moderators -----------------------------------------------------------------------------
    @config.command(
        name=L("cmd.soutien.config.salon.name"), description=L("cmd.soutien.config.salon.desc")
    )
    @options("cmd.soutien.config", channel="salon")
    @moderator_only()
    async def set_channel(
        self,
        interaction: discord.Interaction[Passerelle],
        channel: discord.TextChannel | discord.ForumChannel,
    ) -> None:
        self.flows.check_support_channel(channel, require_guild(interaction).me)
        await self.flows.save_config(
            interaction, ConfigField.CHANNEL, channel.mention, channel_id=channel.id
        )

    @config.command(
        name=L("cmd.soutien.config.role.name"), description=L("cmd.soutien.config.role.desc")
    )
    @options("cmd.soutien.config", "role")
    @moderator_only()
    async def set_role(
        self, interaction: discord.Interaction[Passerelle], role: discord.Role
    ) -> None:
        if role.is_default():
            raise UserError("soutien.error.everyone_role")
        await self.flows.save_config(
            interaction, ConfigField.ROLE, role.mention, supporter_role_id=role.id
        )

    @config.command(
        name=L("cmd.soutien.config.alertes.name"), description=L("cmd.soutien.config.alertes.desc")
    )
    @options("cmd.soutien.config", channel="alertes")
    @moderator_only()
    async def set_alerts(
        self, interaction: discord.Interaction[Passerelle], channel: discord.TextChannel
    ) -> None:
        require_permissions(channel, require_guild(interaction).me, *ALERT_PERMS)
        await self.flows.save_config(
            interaction, ConfigField.ALERTS, channel.mention, alert_channel_id=channel.id
        )

    @config.command(
        name=L("cmd.soutien.config.region.name"), description=L("cmd.soutien.config.region.desc")
    )
    @options("cmd.soutien.config", "region")
    @app_commands.choices(region=REGION_CHOICES)
    @moderator_only()
    async def set_region(
        self, interaction: discord.Interaction[Passerelle], region: app_commands.Choice[str]
    ) -> None:
        code = service.validate_region(region.value)
        lang = interaction_lang(interaction)
        await self.flows.save_config(
            interaction, ConfigField.REGION, t(f"region.{code}", lang), region=code
        )

    @config.command(
        name=L("cmd.soutien.config.conservation.name"),
        description=L("cmd.soutien.config.conservation.desc"),
    )
    @options("cmd.soutien.config", days="jours")
    @moderator_only()
    async def set_retention(self, interaction: discord.Interaction[Passerelle], days: int) -> None:
        value = service.validate_retention(days)
        lang = interaction_lang(interaction)
        await self.flows.save_config(
            interaction,
            ConfigField.RETENTION,
            t("soutien.config.days", lang, n=value),
            retention_days=value,
        )
        await self.flows.retention.purge(self.bot.clock.now())  # a shorter period applies at once

    # -- replies in support threads -------------------------------------------------------------
    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        await self.flows.on_reply(message)
