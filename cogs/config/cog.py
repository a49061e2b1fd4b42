"""Slash commands of `/config`: read the interaction, validate, save, answer."""

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
from bot.guild_settings import GuildSettings
from bot.guild_settings.choices import zone_autocomplete
from bot.guild_settings.model import validate_zone
from bot.i18n import t
from bot.i18n.commands import L, interaction_lang, options
from bot.regions import REGIONS
from bot.user_error import UserError
from cogs.config import render
from cogs.config.service import LANGUAGES, PENDING_SHOWN, PROBLEMS_SHOWN, Setting

if TYPE_CHECKING:
    from bot.client import Passerelle

Interaction = discord.Interaction["Passerelle"]
POST_PERMISSIONS = ("view_channel", "send_messages", "embed_links")


class ConfigCog(commands.Cog):
    config = app_commands.Group(
        name=L("cmd.config.name"),
        description=L("cmd.config.desc"),
        guild_only=True,
        default_permissions=MODERATOR_PERMISSIONS,
    )

    def __init__(self, bot: Passerelle) -> None:
        self.bot = bot

    # -- helpers --------------------------------------------------------------------------------
    def _settings(self, interaction: Interaction) -> GuildSettings:
        return self.bot.settings_store.guild(require_guild(interaction).id)

    async def _save(
        self, interaction: Interaction, setting: Setting, value: object, shown: str
    ) -> None:
        """Save one setting (`value`, or None: back to the default) and say so (`shown`)."""
        settings = self._settings(interaction).with_(**{setting.column: value})
        await self.bot.settings_store.save_guild(settings)
        lang = interaction_lang(interaction)
        await interaction.response.send_message(render.saved(setting, shown, lang), ephemeral=True)

    # -- commands -------------------------------------------------------------------------------
    @config.command(name=L("cmd.config.voir.name"), description=L("cmd.config.voir.desc"))
    @moderator_only()
    async def show(self, interaction: Interaction) -> None:
        settings = self._settings(interaction)
        store = self.bot.settings_store
        embed = render.settings_embed(
            settings,
            language=store.lang_of(settings.guild_id),
            zone=store.guild_zone(settings.guild_id).key,
            region=store.region_of(settings.guild_id),
            lang=interaction_lang(interaction),
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @config.command(name=L("cmd.config.langue.name"), description=L("cmd.config.langue.desc"))
    @options("cmd.config.langue", language="langue")
    @app_commands.choices(
        language=[
            app_commands.Choice(name=L(f"config.language.{code}"), value=code) for code in LANGUAGES
        ]
    )
    @moderator_only()
    async def language(self, interaction: Interaction, language: app_commands.Choice[str]) -> None:
        # said in the language chosen: the moderator sees at once what members will read
        shown = t(f"config.language.{language.value}", language.value)
        await self._save(interaction, Setting.LANGUAGE, language.value, shown)

    @config.command(name=L("cmd.config.fuseau.name"), description=L("cmd.config.fuseau.desc"))
    @options("cmd.config.fuseau", "zone")
    @moderator_only()
    async def timezone(self, interaction: Interaction, zone: str) -> None:
        name = validate_zone(zone)
        await self._save(interaction, Setting.TIMEZONE, name, name)

    timezone.autocomplete("zone")(zone_autocomplete)

    @config.command(name=L("cmd.config.region.name"), description=L("cmd.config.region.desc"))
    @options("cmd.config.region", "region")
    @app_commands.choices(
        region=[app_commands.Choice(name=L(f"region.{code}"), value=code) for code in REGIONS]
    )
    @moderator_only()
    async def region(self, interaction: Interaction, region: app_commands.Choice[str]) -> None:
        shown = t(f"region.{region.value}", interaction_lang(interaction))
        await self._save(interaction, Setting.REGION, region.value, shown)

    @config.command(name=L("cmd.config.role.name"), description=L("cmd.config.role.desc"))
    @options("cmd.config.role", "role")
    @moderator_only()
    async def moderator_role(self, interaction: Interaction, role: discord.Role) -> None:
        if role.is_default():
            raise UserError("config.error.everyone_role")
        await self._save(interaction, Setting.MODERATOR_ROLE, role.id, role.mention)

    @config.command(name=L("cmd.config.annonces.name"), description=L("cmd.config.annonces.desc"))
    @options("cmd.config", channel="salon")
    @moderator_only()
    async def announce_channel(
        self, interaction: Interaction, channel: discord.TextChannel
    ) -> None:
        guild = require_guild(interaction)
        require_channel_permissions(channel, guild.me, *POST_PERMISSIONS)
        # a channel that failed before and was fixed may be reported again if it fails again
        await self.bot.reminders.clear_reports(guild.id, channel.id)
        await self._save(interaction, Setting.ANNOUNCE_CHANNEL, channel.id, channel.mention)

    @config.command(
        name=L("cmd.config.moderation.name"), description=L("cmd.config.moderation.desc")
    )
    @options("cmd.config", channel="salon")
    @moderator_only()
    async def mod_channel(self, interaction: Interaction, channel: discord.TextChannel) -> None:
        require_channel_permissions(channel, require_guild(interaction).me, *POST_PERMISSIONS)
        await self._save(interaction, Setting.MOD_CHANNEL, channel.id, channel.mention)

    @config.command(name=L("cmd.config.effacer.name"), description=L("cmd.config.effacer.desc"))
    @options("cmd.config.effacer", field="reglage")
    @app_commands.choices(
        field=[
            app_commands.Choice(name=L(f"config.field.{setting}"), value=str(setting))
            for setting in Setting
        ]
    )
    @moderator_only()
    async def clear(self, interaction: Interaction, field: app_commands.Choice[str]) -> None:
        setting = Setting(field.value)
        settings = self._settings(interaction).with_(**{setting.column: None})
        await self.bot.settings_store.save_guild(settings)
        lang = interaction_lang(interaction)
        await interaction.response.send_message(
            t("config.cleared", lang, what=render.setting_name(setting, lang)), ephemeral=True
        )

    @config.command(name=L("cmd.config.rappels.name"), description=L("cmd.config.rappels.desc"))
    @moderator_only()
    async def reminders(self, interaction: Interaction) -> None:
        guild = require_guild(interaction)
        engine = self.bot.reminders
        embed = render.reminders_embed(
            await engine.pending(guild.id, PENDING_SHOWN),
            await engine.count_pending(guild.id),
            await engine.recent_problems(guild.id, PROBLEMS_SHOWN),
            interaction_lang(interaction),
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)
