"""`/mes-donnees`: show a member what every provider holds about them; erase it on request.

Everything goes to the member only (ephemeral). The buttons carry no id: the member who clicks
is the one whose data is shown or erased, so nobody can act on someone else's data.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord

from bot.i18n import t, tn
from bot.i18n.commands import interaction_lang
from cogs.mes_donnees import render
from cogs.mes_donnees.views import MesDonneesViews

if TYPE_CHECKING:
    from bot.client import Passerelle


class MesDonneesFlows:
    def __init__(self, bot: Passerelle) -> None:
        self.bot = bot
        self.views = MesDonneesViews(self)

    async def show(self, interaction: discord.Interaction[Passerelle]) -> None:
        lang = interaction_lang(interaction)
        found = await self.bot.personal_data.export(interaction.user.id)
        if not found:
            await interaction.response.send_message(t("mes_donnees.nothing", lang), ephemeral=True)
            return
        upload = discord.File(io.BytesIO(render.export_bytes(found, lang)), render.EXPORT_NAME)
        await interaction.response.send_message(
            embed=render.summary_embed(found, lang),
            file=upload,
            view=self.views.erase(lang),
            ephemeral=True,
        )

    async def ask_erase(self, interaction: discord.Interaction[Passerelle]) -> None:
        lang = interaction_lang(interaction)
        await interaction.response.send_message(
            t("mes_donnees.erase.ask", lang), view=self.views.confirm(lang), ephemeral=True
        )

    async def erase(self, interaction: discord.Interaction[Passerelle]) -> None:
        lang = interaction_lang(interaction)
        counts = await self.bot.personal_data.erase(interaction.user.id)
        await interaction.response.edit_message(
            content=tn("mes_donnees.erase.done", sum(counts.values()), lang), view=None
        )
