"""`/mes-donnees`: a summary and a JSON export of every provider's data; erase after confirming.

Everything goes to the member only (ephemeral). The buttons carry no id: the member who
clicks is the one whose data is shown or erased, so nobody can act on someone else's data.
"""

from __future__ import annotations

import io
import json
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_text import EMBED_FIELD_VALUE_LIMIT, EMBED_FIELDS_MAX, truncate
from bot.errors import ErrorHandlingView, GuardedItem
from bot.i18n import has, t
from bot.i18n.commands import L, interaction_lang

if TYPE_CHECKING:
    from bot.client import Passerelle

EXPORT_NAME = "mes-donnees.json"


def section_name(name: str, lang: str) -> str:
    key = f"mes_donnees.section.{name}"
    return t(key, lang) if has(key, lang) else name


def summary(name: str, data: dict[str, Any], lang: str) -> str:
    parts = []
    for key, value in data.items():
        count = len(value) if isinstance(value, list | dict) else value
        parts.append(f"• `{key}` : {count}" if lang == "fr" else f"• `{key}`: {count}")
    return truncate("\n".join(parts), EMBED_FIELD_VALUE_LIMIT)


class EraseButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"mesdonnees:erase:(?P<step>ask|yes)",
):
    def __init__(self, step: str, label: str = "…") -> None:
        style = discord.ButtonStyle.danger
        super().__init__(
            discord.ui.Button(label=label[:80], style=style, custom_id=f"mesdonnees:erase:{step}")
        )
        self.step = step

    @classmethod
    async def from_custom_id(cls, interaction: Any, item: Any, match: re.Match[str]) -> EraseButton:
        return cls(match["step"])

    async def run(self, interaction: discord.Interaction[Passerelle]) -> None:
        lang = interaction_lang(interaction)
        if self.step == "ask":
            view = ErrorHandlingView(timeout=None)
            view.add_item(EraseButton("yes", t("mes_donnees.erase.confirm", lang)))
            await interaction.response.send_message(
                t("mes_donnees.erase.ask", lang), view=view, ephemeral=True
            )
            return
        counts = await interaction.client.personal_data.erase(interaction.user.id)
        total = sum(counts.values())
        await interaction.response.edit_message(
            content=t("mes_donnees.erase.done", lang, count=total), view=None
        )


class MesDonneesCog(commands.Cog):
    def __init__(self, bot: Passerelle) -> None:
        self.bot = bot

    @app_commands.command(name=L("cmd.mes-donnees.name"), description=L("cmd.mes-donnees.desc"))
    async def mine(self, interaction: discord.Interaction[Passerelle]) -> None:
        lang = interaction_lang(interaction)
        found = await self.bot.personal_data.export(interaction.user.id)
        if not found:
            await interaction.response.send_message(t("mes_donnees.nothing", lang), ephemeral=True)
            return
        embed = discord.Embed(
            title=t("mes_donnees.title", lang),
            description=t("mes_donnees.intro", lang, file=EXPORT_NAME),
            colour=discord.Colour.blurple(),
        )
        for name, data in list(found.items())[:EMBED_FIELDS_MAX]:
            embed.add_field(
                name=section_name(name, lang), value=summary(name, data, lang), inline=False
            )
        export = json.dumps(found, ensure_ascii=False, indent=2, default=str).encode()
        view = ErrorHandlingView(timeout=None)
        view.add_item(EraseButton("ask", t("mes_donnees.erase.button", lang)))
        await interaction.response.send_message(
            embed=embed,
            file=discord.File(io.BytesIO(export), filename=EXPORT_NAME),
            view=view,
            ephemeral=True,
        )
