"""`/aide`: every command with its translated description; moderator ones to moderators only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import is_moderator, is_moderator_command
from bot.discord_text import (
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_FIELDS_MAX,
    EMBED_TOTAL_LIMIT,
    truncate,
)
from bot.i18n import t
from bot.i18n.commands import L, interaction_lang

if TYPE_CHECKING:
    from bot.client import Passerelle


def command_key(command: app_commands.Command[Any, ..., Any] | app_commands.Group) -> str:
    """Catalog key prefix of a command: `cmd.<French path>` (the project's naming rule)."""
    return "cmd." + command.qualified_name.replace(" ", ".")


def localized_path(command: app_commands.Command[Any, ..., Any], lang: str) -> str:
    parts: list[str] = []
    node: Any = command
    while node is not None:
        parts.append(t(command_key(node) + ".name", lang))
        node = node.parent
    return "/" + " ".join(reversed(parts))


CONTINUED = "\u200b"  # the name of a field that goes on with the group above


def _chunks(lines: list[str]) -> list[str]:
    """The lines in values of at most 1024 characters (a line longer than that is cut)."""
    chunks: list[str] = []
    for whole in lines:
        line = truncate(whole, EMBED_FIELD_VALUE_LIMIT)
        if chunks and len(chunks[-1]) + 1 + len(line) <= EMBED_FIELD_VALUE_LIMIT:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line)
    return chunks


class AideCog(commands.Cog):
    def __init__(self, bot: Passerelle) -> None:
        self.bot = bot

    @app_commands.command(name=L("cmd.aide.name"), description=L("cmd.aide.desc"))
    async def aide(self, interaction: discord.Interaction[Passerelle]) -> None:
        lang = interaction_lang(interaction)
        moderator = is_moderator(interaction)
        embed = discord.Embed(
            title=t("aide.title", lang),
            description=t("aide.intro", lang),
            colour=discord.Colour.green(),
        )
        for top in sorted(self.bot.tree.get_commands(), key=lambda c: c.name):
            leaves = (
                [c for c in top.walk_commands() if isinstance(c, app_commands.Command)]
                if isinstance(top, app_commands.Group)
                else [top]
            )
            lines = [
                f"`{localized_path(c, lang)}` — {t(command_key(c) + '.desc', lang)}"
                for c in leaves
                if isinstance(c, app_commands.Command)
                and (moderator or not is_moderator_command(c))
            ]
            if not lines:
                continue
            name = truncate(t(command_key(top) + ".desc", lang), 256)
            # A group with many commands goes on in further fields (1024 characters each).
            if not all(
                self._add(embed, name if n == 0 else CONTINUED, value, lang)
                for n, value in enumerate(_chunks(lines))
            ):
                break
        if not moderator:
            embed.set_footer(text=t("aide.footer_member", lang))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @staticmethod
    def _add(embed: discord.Embed, name: str, value: str, lang: str) -> bool:
        """Add a field if the embed keeps within Discord's 6000 characters and 25 fields;
        else say the list is cut and return False."""
        if len(embed.fields) >= EMBED_FIELDS_MAX - 1 or len(embed) + len(name) + len(value) > (
            EMBED_TOTAL_LIMIT - 300
        ):
            embed.add_field(name="…", value=t("aide.truncated", lang), inline=False)
            return False
        embed.add_field(name=name, value=value, inline=False)
        return True
