"""`/rappels`: a member's own preferences, kept by the core (`member_settings`): reminders by
direct message on or off, and their time zone (read by the engine, meet-ups, announcements…)."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.guild_settings.choices import zone_autocomplete
from bot.guild_settings.model import validate_zone
from bot.i18n import t
from bot.i18n.commands import L, interaction_lang, options

if TYPE_CHECKING:
    from bot.client import Passerelle


class Toggle(StrEnum):
    ON = "on"
    OFF = "off"


class RappelsCog(commands.Cog):
    def __init__(self, bot: Passerelle) -> None:
        self.bot = bot

    @app_commands.command(name=L("cmd.rappels.name"), description=L("cmd.rappels.desc"))
    @options("cmd.rappels", "fuseau", messages_prives="mp")
    @app_commands.choices(
        messages_prives=[
            app_commands.Choice(name=L(f"rappels.{toggle}"), value=str(toggle)) for toggle in Toggle
        ]
    )
    async def rappels(
        self,
        interaction: discord.Interaction[Passerelle],
        messages_prives: app_commands.Choice[str] | None = None,
        fuseau: str | None = None,
    ) -> None:
        lang = interaction_lang(interaction)
        store = self.bot.settings_store
        member = await store.member(interaction.user.id)
        zone = validate_zone(fuseau) if fuseau is not None else member.timezone
        changed = replace(member, timezone=zone)
        if messages_prives is not None:
            changed = replace(changed, dm_reminders=messages_prives.value == Toggle.ON)
            if changed.dm_reminders:
                changed = replace(changed, dm_closed=False)  # they opened them: knock again
        if changed != member:
            await store.save_member(changed)
        await interaction.response.send_message(
            t(
                "rappels.status",
                lang,
                dm=t(f"rappels.{Toggle.ON if changed.dm_reminders else Toggle.OFF}", lang),
                zone=changed.timezone or t("rappels.zone_default", lang),
            ),
            ephemeral=True,
        )

    rappels.autocomplete("fuseau")(zone_autocomplete)
