"""`/aide` on Discord: every command in the tree, in the member's language (moderators' ones
to moderators only), paged when the features bring more than one embed holds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.checks import is_moderator, is_moderator_command
from bot.i18n import has, t
from bot.i18n.commands import interaction_lang
from cogs.aide import render
from cogs.aide.service import Line, Section, pages
from cogs.aide.views import page_view

if TYPE_CHECKING:
    from bot.client import Passerelle

Interaction = discord.Interaction[Any]
Command = app_commands.Command[Any, ..., Any]


def command_key(command: Command | app_commands.Group) -> str:
    """Catalog key prefix of a command: `cmd.<French path>` (the project's naming rule)."""
    return "cmd." + command.qualified_name.replace(" ", ".")


def _text(command: Command | app_commands.Group, what: str, lang: str) -> str:
    """The command's name or description in `lang`; its own text if the catalogs lack it."""
    key = f"{command_key(command)}.{what}"
    if has(key, lang) or has(key):
        return t(key, lang)
    return command.name if what == "name" else command.description


def localized_path(command: Command | app_commands.Group, lang: str) -> str:
    parts: list[str] = []
    node: Any = command
    while node is not None:
        parts.append(_text(node, "name", lang))
        node = node.parent
    return "/" + " ".join(reversed(parts))


class AideFlows:
    def __init__(self, bot: Passerelle) -> None:
        self.bot = bot

    def sections(self, lang: str, *, moderator: bool) -> list[Section]:
        """One section per top-level command the reader may use (new features' included: the
        tree is read at each call)."""
        found = []
        for top in self.bot.tree.get_commands():
            if isinstance(top, app_commands.Group):
                leaves = [c for c in top.walk_commands() if isinstance(c, app_commands.Command)]
                visible = [c for c in leaves if moderator or not is_moderator_command(c)]
                if not visible:
                    continue
                lines = tuple(
                    Line(localized_path(c, lang), _text(c, "desc", lang)) for c in visible
                )
                found.append(Section(localized_path(top, lang), _text(top, "desc", lang), lines))
            elif isinstance(top, app_commands.Command) and (
                moderator or not is_moderator_command(top)
            ):
                found.append(Section(localized_path(top, lang), _text(top, "desc", lang)))
        return found

    async def show(self, interaction: Interaction) -> None:
        embed, view = self._page(interaction, 0)
        extra = {"view": view} if view is not None else {}
        await interaction.response.send_message(embed=embed, ephemeral=True, **extra)

    async def turn(self, interaction: Interaction, page: int) -> None:
        embed, view = self._page(interaction, page)
        await interaction.response.edit_message(embed=embed, view=view)

    def _page(self, interaction: Interaction, page: int) -> tuple[discord.Embed, Any]:
        lang = interaction_lang(interaction)
        moderator = is_moderator(interaction)
        limits = render.limits(lang, moderator=moderator)
        book = pages(self.sections(lang, moderator=moderator), limits, render.continued(lang))
        page = min(page, len(book) - 1)  # the commands changed since the buttons were drawn
        embed = render.page_embed(book[page], lang, moderator=moderator, page=page, count=len(book))
        return embed, page_view(page, len(book), lang)
