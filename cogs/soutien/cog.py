"""Slash commands of the support space: `/soutien …`, `/ressources`; the reply listener."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import moderator_only, require_guild
from bot.i18n import t
from bot.i18n.commands import L, interaction_lang, options
from bot.regions import REGIONS
from bot.reminders import Schedule
from bot.user_error import UserError
from cogs.soutien import render, service
from cogs.soutien.flows import ALERT_PERMS, PURGE_KIND, Draft, require_permissions
from cogs.soutien.moderation import Moderation
from cogs.soutien.store import SoutienStore
from cogs.soutien.views import choice_view, lines_view

if TYPE_CHECKING:
    from bot.client import Passerelle

REGION_CHOICES = [app_commands.Choice(name=L(f"region.{code}"), value=code) for code in REGIONS]


class SoutienCog(Moderation, commands.Cog):
    soutien = app_commands.Group(
        name=L("cmd.soutien.name"), description=L("cmd.soutien.desc"), guild_only=True
    )
    config = app_commands.Group(
        name=L("cmd.soutien.config.name"), description=L("cmd.soutien.config.desc"), parent=soutien
    )

    def __init__(self, bot: Passerelle) -> None:
        self.bot = bot
        self.store = SoutienStore(bot.db)
        self.drafts: dict[str, Draft] = {}
        self.thread_ids: set[int] = set()

    async def cog_load(self) -> None:
        self.thread_ids = await self.store.thread_ids()
        await self.store.secret()
        now = self.bot.clock.now()
        # Purge at start, after every post, and daily (the engine item below).
        await self.forget(now)
        await self.schedule_purge(now)

    async def schedule_purge(self, now: datetime) -> None:
        due = now + service.PURGE_EVERY
        await self.bot.reminders.schedule(
            PURGE_KIND, "daily", None, Schedule(occurrence=due.isoformat(), due_at=due)
        )

    # -- members --------------------------------------------------------------------------------
    @soutien.command(name=L("cmd.soutien.ouvrir.name"), description=L("cmd.soutien.ouvrir.desc"))
    async def open(self, interaction: discord.Interaction[Passerelle]) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        await self.support_channel(guild, await self.store.config(guild.id))
        await interaction.response.send_message(
            t("soutien.choice.text", lang), view=choice_view(lang), ephemeral=True
        )

    @soutien.command(name=L("cmd.soutien.clore.name"), description=L("cmd.soutien.clore.desc"))
    async def close_command(self, interaction: discord.Interaction[Passerelle]) -> None:
        await self.close(interaction)

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
        elif interaction.guild_id is not None:
            code = await self.region_for(interaction.guild_id)
        else:
            code = "FR"
        await interaction.response.send_message(
            embed=render.lines_page(code, 0, lang),
            view=lines_view(code, 0, lang),
            ephemeral=True,
        )

    # -- moderators -----------------------------------------------------------------------------
    async def _save(
        self, interaction: discord.Interaction[Passerelle], what: str, value: str, **changes: object
    ) -> None:
        guild = require_guild(interaction)
        config = await self.store.config(guild.id)
        await self.store.save_config(replace(config, **changes))  # type: ignore[arg-type]
        lang = interaction_lang(interaction)
        await interaction.response.send_message(
            t(
                "soutien.config.saved",
                lang,
                what=t(f"soutien.config.field.{what}", lang),
                value=value,
            ),
            ephemeral=True,
        )

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
        self.check_support_channel(channel, require_guild(interaction).me)
        await self._save(interaction, "channel", channel.mention, channel_id=channel.id)

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
        await self._save(interaction, "role", role.mention, supporter_role_id=role.id)

    @config.command(
        name=L("cmd.soutien.config.alertes.name"), description=L("cmd.soutien.config.alertes.desc")
    )
    @options("cmd.soutien.config", channel="alertes")
    @moderator_only()
    async def set_alerts(
        self, interaction: discord.Interaction[Passerelle], channel: discord.TextChannel
    ) -> None:
        require_permissions(channel, require_guild(interaction).me, *ALERT_PERMS)
        await self._save(interaction, "alerts", channel.mention, alert_channel_id=channel.id)

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
        await self._save(interaction, "region", t(f"region.{code}", lang), region=code)

    @config.command(
        name=L("cmd.soutien.config.conservation.name"),
        description=L("cmd.soutien.config.conservation.desc"),
    )
    @options("cmd.soutien.config", days="jours")
    @moderator_only()
    async def set_retention(self, interaction: discord.Interaction[Passerelle], days: int) -> None:
        value = service.validate_retention(days)
        lang = interaction_lang(interaction)
        await self._save(
            interaction,
            "retention",
            t("soutien.config.days", lang, days=value),
            retention_days=value,
        )
        await self.purge(self.bot.clock.now())  # a shorter period applies at once

    # -- replies in anonymous threads -----------------------------------------------------------
    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        # No message-content intent: the content is empty, and we never read it anyway. The
        # event tells us that someone replied, which is all a "new reply" notice needs.
        if message.guild is None or message.channel.id not in self.thread_ids:
            return
        if self.bot.user is not None and message.author.id == self.bot.user.id:
            return
        now = self.bot.clock.now()
        await self.store.touch_thread(message.channel.id, now)
        await self.notify_thread(
            message.channel.id, message.guild.id, now, exclude_author=message.author.id
        )
