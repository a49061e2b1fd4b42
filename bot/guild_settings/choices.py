"""Autocomplete for settings' values: the one zone autocomplete every command uses.

Usable as is on any command, in a cog or not: ``@command.autocomplete("fuseau")`` then
``command.autocomplete("fuseau")(zone_autocomplete)``, or from a method that returns it.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.discord_text import CHOICES_MAX
from bot.guild_settings.model import zone_suggestions


async def zone_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """IANA zones matching what the member typed, France and Québec zones first."""
    return [
        app_commands.Choice(name=zone, value=zone)
        for zone in zone_suggestions(current, CHOICES_MAX)
    ]
