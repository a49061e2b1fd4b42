"""The guide's workflow: show a step of a guide, first as an answer, then by editing it."""

from __future__ import annotations

from typing import Any

import discord

from bot.i18n.commands import interaction_lang
from cogs.guide import render
from cogs.guide.service import Direction, guide
from cogs.guide.views import GuideViews


class GuideFlows:
    def __init__(self) -> None:
        self.ui = GuideViews(self)

    async def show(
        self, interaction: discord.Interaction[Any], direction: Direction, index: int, *, edit: bool
    ) -> None:
        lang = interaction_lang(interaction)
        loaded = guide(direction)
        index = min(max(index, 0), len(loaded.steps) - 1)
        message = {
            "content": render.intro_text(loaded, lang),
            "embed": render.step_embed(loaded, index, lang),
            "view": self.ui.step_view(loaded, index, lang),
        }
        if edit:
            await interaction.response.edit_message(**message)
        else:
            await interaction.response.send_message(ephemeral=True, **message)
