"""`/rappels`: a member's own settings for Rencontres (DM reminders on/off, their zone)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.guild_settings.model import validate_zone, zone_suggestions
from bot.i18n import t
from bot.i18n.commands import L, interaction_lang

if TYPE_CHECKING:
    from bot.client import Passerelle


class RappelsCog(commands.Cog):
    def __init__(self, bot: Passerelle) -> None:
        self.bot = bot

    @app_commands.command(name=L("cmd.rappels.name"), description=L("cmd.rappels.desc"))
    @app_commands.rename(
        messages_prives=L("cmd.rappels.opt.mp.name"), fuseau=L("cmd.rappels.opt.fuseau.name")
    )
    @app_commands.describe(
        messages_prives=L("cmd.rappels.opt.mp.desc"), fuseau=L("cmd.rappels.opt.fuseau.desc")
    )
    @app_commands.choices(
        messages_prives=[
            app_commands.Choice(name=L("rappels.on"), value="on"),
            app_commands.Choice(name=L("rappels.off"), value="off"),
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
            changed = replace(changed, dm_reminders=messages_prives.value == "on")
            if changed.dm_reminders:
                changed = replace(changed, dm_closed=False)  # they opened them: knock again
        if changed != member:
            await store.save_member(changed)
        await interaction.response.send_message(
            t(
                "rappels.status",
                lang,
                dm=t("rappels.on" if changed.dm_reminders else "rappels.off", lang),
                zone=changed.timezone or t("rappels.zone_default", lang),
            ),
            ephemeral=True,
        )

    @rappels.autocomplete("fuseau")
    async def _zone(
        self, interaction: discord.Interaction[Passerelle], current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in zone_suggestions(current)]
