"""Building blocks for the features' views: components that always fit Discord's limits."""

from __future__ import annotations

from typing import Any

import discord

from bot.discord_text import BUTTON_LABEL_LIMIT, truncate


def button(
    label: str, custom_id: str, style: discord.ButtonStyle, emoji: str | None = None
) -> discord.ui.Button[Any]:
    """A button for a `DynamicItem`; a label longer than Discord allows is cut with an ellipsis."""
    return discord.ui.Button(
        label=truncate(label, BUTTON_LABEL_LIMIT), custom_id=custom_id, style=style, emoji=emoji
    )
