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
from bot.discord_text import ts
from bot.guild_settings.model import validate_zone, zone_suggestions
from bot.i18n import t
from bot.i18n.commands import L, interaction_lang, options
from bot.regions import REGIONS
from bot.user_error import UserError

if TYPE_CHECKING:
    from bot.client import Passerelle

POST_PERMISSIONS = ("view_channel", "send_messages", "embed_links")
# What a moderator may set back to "not set" (the bot's default), by field name → column.
CLEARABLE = {
    "language": "language",
    "timezone": "timezone",
    "region": "region",
    "moderator_role": "moderator_role_id",
    "announce_channel": "announce_channel_id",
    "mod_channel": "mod_channel_id",
}


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
    def _settings(self, interaction: discord.Interaction[Passerelle]):
        guild = require_guild(interaction)
        return self.bot.settings_store.guild(guild.id)

    async def _saved(
        self, interaction: discord.Interaction[Passerelle], what: str, value: str
    ) -> None:
        lang = interaction_lang(interaction)
        await interaction.response.send_message(
            t("config.saved", lang, what=t(f"config.field.{what}", lang), value=value),
            ephemeral=True,
        )

    # -- commands -------------------------------------------------------------------------------
    @config.command(name=L("cmd.config.voir.name"), description=L("cmd.config.voir.desc"))
    @moderator_only()
    async def show(self, interaction: discord.Interaction[Passerelle]) -> None:
        settings = self._settings(interaction)
        lang = interaction_lang(interaction)
        default = self.bot.settings
        store = self.bot.settings_store
        unset = t("config.unset", lang)

        def channel(cid: int | None) -> str:
            return f"<#{cid}>" if cid else unset

        embed = discord.Embed(title=t("config.show.title", lang), colour=discord.Colour.blurple())
        rows = {
            "language": t(f"config.language.{store.lang_of(settings.guild_id)}", lang),
            "timezone": settings.timezone
            or f"{default.default_timezone} ({t('config.default', lang)})",
            "region": t(f"region.{store.region_of(settings.guild_id)}", lang),
            "moderator_role": f"<@&{settings.moderator_role_id}>"
            if settings.moderator_role_id
            else unset,
            "announce_channel": channel(settings.announce_channel_id),
            "mod_channel": channel(settings.mod_channel_id),
        }
        for key, value in rows.items():
            embed.add_field(name=t(f"config.field.{key}", lang), value=value, inline=True)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @config.command(name=L("cmd.config.langue.name"), description=L("cmd.config.langue.desc"))
    @options("cmd.config.langue", language="langue")
    @app_commands.choices(
        language=[
            app_commands.Choice(name=L("config.language.fr"), value="fr"),
            app_commands.Choice(name=L("config.language.en"), value="en"),
        ]
    )
    @moderator_only()
    async def language(
        self, interaction: discord.Interaction[Passerelle], language: app_commands.Choice[str]
    ) -> None:
        settings = self._settings(interaction)
        await self.bot.settings_store.save_guild(settings.with_(language=language.value))
        await self._saved(
            interaction, "language", t(f"config.language.{language.value}", language.value)
        )

    @config.command(name=L("cmd.config.fuseau.name"), description=L("cmd.config.fuseau.desc"))
    @options("cmd.config.fuseau", "zone")
    @moderator_only()
    async def timezone(self, interaction: discord.Interaction[Passerelle], zone: str) -> None:
        settings = self._settings(interaction)
        name = validate_zone(zone)
        await self.bot.settings_store.save_guild(settings.with_(timezone=name))
        await self._saved(interaction, "timezone", name)

    @timezone.autocomplete("zone")
    async def timezone_autocomplete(
        self, interaction: discord.Interaction[Passerelle], current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in zone_suggestions(current)]

    @config.command(name=L("cmd.config.region.name"), description=L("cmd.config.region.desc"))
    @options("cmd.config.region", "region")
    @app_commands.choices(
        region=[app_commands.Choice(name=L(f"region.{code}"), value=code) for code in REGIONS]
    )
    @moderator_only()
    async def region(
        self, interaction: discord.Interaction[Passerelle], region: app_commands.Choice[str]
    ) -> None:
        settings = self._settings(interaction)
        await self.bot.settings_store.save_guild(settings.with_(region=region.value))
        await self._saved(
            interaction, "region", t(f"region.{region.value}", interaction_lang(interaction))
        )

    @config.command(name=L("cmd.config.role.name"), description=L("cmd.config.role.desc"))
    @options("cmd.config.role", "role")
    @moderator_only()
    async def moderator_role(
        self, interaction: discord.Interaction[Passerelle], role: discord.Role
    ) -> None:
        settings = self._settings(interaction)
        if role.is_default():
            raise UserError("config.error.everyone_role")
        await self.bot.settings_store.save_guild(settings.with_(moderator_role_id=role.id))
        await self._saved(interaction, "moderator_role", role.mention)

    @config.command(name=L("cmd.config.annonces.name"), description=L("cmd.config.annonces.desc"))
    @options("cmd.config", channel="salon")
    @moderator_only()
    async def announce_channel(
        self, interaction: discord.Interaction[Passerelle], channel: discord.TextChannel
    ) -> None:
        settings = self._settings(interaction)
        require_channel_permissions(channel, require_guild(interaction).me, *POST_PERMISSIONS)
        await self.bot.settings_store.save_guild(settings.with_(announce_channel_id=channel.id))
        await self.bot.reminders.clear_reports(channel.guild.id, channel.id)
        await self._saved(interaction, "announce_channel", channel.mention)

    @config.command(
        name=L("cmd.config.moderation.name"), description=L("cmd.config.moderation.desc")
    )
    @options("cmd.config", channel="salon")
    @moderator_only()
    async def mod_channel(
        self, interaction: discord.Interaction[Passerelle], channel: discord.TextChannel
    ) -> None:
        settings = self._settings(interaction)
        require_channel_permissions(channel, require_guild(interaction).me, *POST_PERMISSIONS)
        await self.bot.settings_store.save_guild(settings.with_(mod_channel_id=channel.id))
        await self._saved(interaction, "mod_channel", channel.mention)

    @config.command(name=L("cmd.config.effacer.name"), description=L("cmd.config.effacer.desc"))
    @options("cmd.config.effacer", field="reglage")
    @app_commands.choices(
        field=[
            app_commands.Choice(name=L(f"config.field.{name}"), value=name) for name in CLEARABLE
        ]
    )
    @moderator_only()
    async def clear(
        self, interaction: discord.Interaction[Passerelle], field: app_commands.Choice[str]
    ) -> None:
        settings = self._settings(interaction)
        column = CLEARABLE[field.value]
        await self.bot.settings_store.save_guild(settings.with_(**{column: None}))
        lang = interaction_lang(interaction)
        await interaction.response.send_message(
            t("config.cleared", lang, what=t(f"config.field.{field.value}", lang)), ephemeral=True
        )

    @config.command(name=L("cmd.config.rappels.name"), description=L("cmd.config.rappels.desc"))
    @moderator_only()
    async def reminders(self, interaction: discord.Interaction[Passerelle]) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        engine = self.bot.reminders
        pending = await engine.pending(guild.id, 10)
        total = await engine.count_pending(guild.id)
        problems = await engine.recent_problems(guild.id, 10)
        embed = discord.Embed(
            title=t("config.reminders.title", lang), colour=discord.Colour.blurple()
        )
        lines = [
            t(
                "config.reminders.item",
                lang,
                when=ts(item.due_at, "f"),
                rel=ts(item.due_at, "R"),
                kind=t(f"reminders.kind.{item.kind}", lang),
            )
            for item in pending
        ]
        embed.add_field(
            name=t("config.reminders.pending", lang, count=total),
            value="\n".join(lines) or t("config.reminders.none", lang),
            inline=False,
        )
        failure_lines = [
            t(
                "config.reminders.problem",
                lang,
                status=t(f"config.reminders.status.{problem.status}", lang),
                kind=t(f"reminders.kind.{problem.kind}", lang),
                code=problem.error or "-",
                when=ts(problem.at, "f"),
            )
            for problem in problems
        ]
        embed.add_field(
            name=t("config.reminders.problems", lang),
            value="\n".join(failure_lines) or t("config.reminders.none", lang),
            inline=False,
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)
