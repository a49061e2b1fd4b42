"""The Discord side of `/agenda`: hand out, replace and explain calendar links; turn the public
page on and off. One object, built in `setup`, given to the cog and to the button."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.checks import require_guild
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.user_error import UserError
from bot.web import page_url
from bot.web.store import LinkScope, WebStore
from cogs.agenda import render

if TYPE_CHECKING:
    from bot.client import Passerelle
    from cogs.agenda.views import AgendaViews


class AgendaFlows:
    views: AgendaViews  # set in setup (the views need the flows first)

    def __init__(self, bot: Passerelle, store: WebStore) -> None:
        self.bot = bot
        self.store = store

    def _base(self) -> str:
        """Links need the public address of the web side; without it there is nothing to give."""
        base = self.bot.settings.public_base_url
        if not base or self.bot.settings.web_port is None:
            raise UserError("agenda.error.no_web")
        return base

    async def _reply(self, interaction: discord.Interaction[Any], text: str, **kw: Any) -> None:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, **kw)
        else:
            await interaction.response.send_message(text, ephemeral=True, **kw)

    # -- the server's feed (moderators) ---------------------------------------------------------
    async def guild_link(self, interaction: discord.Interaction[Any], *, renew: bool) -> None:
        base = self._base()
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        existing = await self.store.link(LinkScope.GUILD, guild.id)
        if existing is not None and not renew:
            # Only its hash is kept: it cannot be shown again, only replaced.
            await self._reply(interaction, render.guild_link_exists(existing.created_at, lang))
            return
        token = await self.store.issue(
            LinkScope.GUILD,
            guild.id,
            lang=self.bot.settings_store.lang_of(guild.id),
            label=guild.name,
            now=self.bot.clock.now(),
        )
        intro = "agenda.guild.renewed" if existing is not None else "agenda.guild.intro"
        await self._reply(interaction, render.links(base, token, lang, intro=intro))

    # -- a member's own feed --------------------------------------------------------------------
    async def member_link(self, interaction: discord.Interaction[Any]) -> None:
        base = self._base()
        lang = interaction_lang(interaction)
        existing = await self.store.link(LinkScope.MEMBER, interaction.user.id)
        if existing is not None:
            await self._reply(
                interaction,
                render.member_link_exists(existing.created_at, lang),
                view=self.views.renew_member(lang),
            )
            return
        await self._issue_member(interaction, base, lang, intro="agenda.member.intro")

    async def renew_member_link(self, interaction: discord.Interaction[Any]) -> None:
        base = self._base()
        lang = interaction_lang(interaction)
        await self._issue_member(interaction, base, lang, intro="agenda.member.renewed")

    async def _issue_member(
        self, interaction: discord.Interaction[Any], base: str, lang: str, *, intro: str
    ) -> None:
        token = await self.store.issue(
            LinkScope.MEMBER,
            interaction.user.id,
            lang=lang,
            label="",
            now=self.bot.clock.now(),
        )
        await self._reply(interaction, render.links(base, token, lang, intro=intro))

    # -- the public page (moderators) -----------------------------------------------------------
    async def page(self, interaction: discord.Interaction[Any], *, on: bool) -> None:
        base = self._base()
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        if on:
            await self.store.enable_page(guild.id, guild.name, self.bot.clock.now())
            await self._reply(interaction, render.page_on(page_url(base, guild.id), lang))
            return
        was_on = await self.store.disable_page(guild.id)
        key = "agenda.page_off" if was_on else "agenda.page_was_off"
        await self._reply(interaction, t(key, lang))
