"""Slash commands of `/apero`: read the interaction, check Discord-side rights, call the service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import recurrence as weekly
from bot.checks import moderator_only, require_guild
from bot.discord_text import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELDS_MAX,
    EMBED_TOTAL_LIMIT,
    escape,
    fit_list,
    truncate,
)
from bot.guild_settings.model import zone_suggestions
from bot.i18n import format_datetime, t
from bot.i18n.commands import L, interaction_lang, options
from bot.user_error import UserError
from cogs.apero import render
from cogs.apero.choices import (
    PREVIEW_COUNT,
    REMINDER_SUGGESTIONS,
    WEEKDAY_CHOICES,
    Channelish,
    check_channel,
    date_choices,
    still_postable,
)
from cogs.apero.model import Draft, Series
from cogs.apero.service import AperoService, build_fields
from cogs.apero.store import AperoStore
from cogs.apero.views import delete_view, draft_view

if TYPE_CHECKING:
    from bot.client import Passerelle


class AperoCog(commands.Cog):
    apero = app_commands.Group(
        name=L("cmd.apero.name"), description=L("cmd.apero.desc"), guild_only=True
    )

    def __init__(self, bot: Passerelle) -> None:
        self.bot = bot
        self.service = AperoService(AperoStore(bot.db), bot.reminders)

    def _zone(self, guild_id: int) -> str:
        return self.bot.settings_store.guild_zone(guild_id).key

    # -- /apero creer ---------------------------------------------------------------------------
    @apero.command(name=L("cmd.apero.creer.name"), description=L("cmd.apero.creer.desc"))
    @options(
        "cmd.apero", "nom", "jour", "heure", "salon", "lien", "vocal", "role", "rappels", "zone"
    )
    @app_commands.choices(jour=WEEKDAY_CHOICES)
    @moderator_only()
    async def create(
        self,
        interaction: discord.Interaction[Passerelle],
        nom: str,
        jour: app_commands.Choice[int],
        heure: str,
        salon: discord.TextChannel,
        lien: str | None = None,
        vocal: Channelish | None = None,
        role: discord.Role | None = None,
        rappels: str | None = None,
        zone: str | None = None,
    ) -> None:
        guild = require_guild(interaction)
        fields = build_fields(
            name=nom,
            weekday=jour.value,
            hour=heure,
            zone=zone or self._zone(guild.id),
            channel_id=salon.id,
            link=lien,
            voice_channel_id=vocal.id if vocal else None,
            role_id=role.id if role else None,
            reminders=rappels,
        )
        check_channel(guild, salon, role)
        draft_id = await self.service.draft(
            guild.id, interaction.user.id, fields, self.bot.clock.now()
        )
        draft = await self.service.get_draft(guild.id, draft_id)
        await self.show_draft(interaction, draft, edit=False)

    async def show_draft(
        self, interaction: discord.Interaction[Passerelle], draft: Draft, *, edit: bool
    ) -> None:
        lang = interaction_lang(interaction)
        upcoming = weekly.next_occurrences(draft.fields.spec, self.bot.clock.now(), PREVIEW_COUNT)
        embed = render.describe(draft.fields, lang, upcoming, title=t("apero.preview.title", lang))
        content = t("apero.preview.intro", lang)
        view = draft_view(draft.id, lang)
        if edit:
            await interaction.response.edit_message(content=content, embed=embed, view=view)
        else:
            await interaction.response.send_message(content, embed=embed, view=view, ephemeral=True)

    async def confirm_draft(
        self, interaction: discord.Interaction[Passerelle], guild: discord.Guild, draft_id: int
    ) -> None:
        lang = interaction_lang(interaction)
        now = self.bot.clock.now()
        draft = await self.service.get_draft(guild.id, draft_id)
        # The channel or the bot's rights may have changed since the preview.
        channel = still_postable(guild, draft.fields)
        series = await self.service.confirm(guild.id, draft_id, interaction.user.id, now)
        await self.bot.reminders.clear_reports(guild.id, channel.id)
        await interaction.response.edit_message(
            content=t("apero.create.done", lang, name=series.name),
            embed=self._describe(series, lang),
            view=None,
        )

    def _describe(self, series: Series, lang: str, skips: set[Any] | None = None) -> discord.Embed:
        upcoming = weekly.next_occurrences(
            series.spec, self.bot.clock.now(), PREVIEW_COUNT, skips or ()
        )
        return render.describe(series.fields, lang, upcoming, title=series.name)

    # -- /apero liste, /apero prochaines --------------------------------------------------------
    @apero.command(name=L("cmd.apero.liste.name"), description=L("cmd.apero.liste.desc"))
    @moderator_only()
    async def list_series(self, interaction: discord.Interaction[Passerelle]) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        now = self.bot.clock.now()
        lines = []
        for series in await self.service.store.for_guild(guild.id):
            skips = await self.service.store.skips(series.id)
            nxt = weekly.next_occurrences(series.spec, now, 1, skips)
            lines.append(render.series_line(series, lang, nxt[0] if nxt else None))
        embed = discord.Embed(title=t("apero.list.title", lang), colour=render.COLOUR)
        embed.description = (
            fit_list(lines, EMBED_DESCRIPTION_LIMIT, t("apero.more", lang), sep="\n")
            if lines
            else t("apero.list.empty", lang)
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @apero.command(name=L("cmd.apero.prochaines.name"), description=L("cmd.apero.prochaines.desc"))
    @options("cmd.apero.prochaines", "nombre")
    async def upcoming(
        self,
        interaction: discord.Interaction[Passerelle],
        nombre: app_commands.Range[int, 1, 10] = 4,
    ) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        found = await self.service.upcoming(guild.id, self.bot.clock.now(), nombre)
        embed = discord.Embed(title=t("apero.upcoming.title", lang), colour=render.COLOUR)
        if not found:
            embed.description = t("apero.upcoming.empty", lang)
        shown = found[:EMBED_FIELDS_MAX]
        # Room kept for the footer that counts what did not fit (Discord: 6000 in all).
        budget = EMBED_TOTAL_LIMIT - len(embed) - len(t("apero.more", lang, n=len(shown)))
        for index, (series, occ) in enumerate(shown):
            place = render.place(series.fields, lang)
            name = truncate(series.name, 256)
            value = truncate(
                f"{render.occurrence_line(occ, lang, series.spec.zone)}\n{place}", 1024
            )
            if len(name) + len(value) > budget:
                embed.set_footer(text=t("apero.more", lang, n=len(shown) - index))
                break
            budget -= len(name) + len(value)
            embed.add_field(name=name, value=value, inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    # -- autocomplete ---------------------------------------------------------------------------
    async def series_autocomplete(
        self, interaction: discord.Interaction[Passerelle], current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        needle = current.strip().lower()
        return [
            app_commands.Choice(name=truncate(s.name, 100), value=str(s.id))
            for s in await self.service.store.for_guild(interaction.guild_id)
            if needle in s.name.lower()
        ][:25]

    async def reminders_autocomplete(
        self, interaction: discord.Interaction[Passerelle], current: str
    ) -> list[app_commands.Choice[str]]:
        lang = interaction_lang(interaction)
        options = REMINDER_SUGGESTIONS[lang]
        typed = [current.strip()] if current.strip() and current.strip() not in options else []
        return [app_commands.Choice(name=truncate(o, 100), value=o[:100]) for o in typed + options]

    async def zone_autocomplete(
        self, interaction: discord.Interaction[Passerelle], current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in zone_suggestions(current)]

    create.autocomplete("rappels")(reminders_autocomplete)
    create.autocomplete("zone")(zone_autocomplete)

    async def occurrence_autocomplete(
        self, interaction: discord.Interaction[Passerelle], current: str
    ) -> list[app_commands.Choice[str]]:
        return await date_choices(self.service, interaction, current, skipped=False)

    async def skipped_autocomplete(
        self, interaction: discord.Interaction[Passerelle], current: str
    ) -> list[app_commands.Choice[str]]:
        return await date_choices(self.service, interaction, current, skipped=True)

    # -- /apero modifier ------------------------------------------------------------------------
    @apero.command(name=L("cmd.apero.modifier.name"), description=L("cmd.apero.modifier.desc"))
    @options(
        "cmd.apero",
        "serie",
        "nom",
        "jour",
        "heure",
        "salon",
        "lien",
        "vocal",
        "role",
        "rappels",
        "zone",
        "accueil",
        "sans_role",
    )
    @app_commands.choices(jour=WEEKDAY_CHOICES)
    @moderator_only()
    async def modify(
        self,
        interaction: discord.Interaction[Passerelle],
        serie: str,
        nom: str | None = None,
        jour: app_commands.Choice[int] | None = None,
        heure: str | None = None,
        salon: discord.TextChannel | None = None,
        lien: str | None = None,
        vocal: Channelish | None = None,
        role: discord.Role | None = None,
        rappels: str | None = None,
        zone: str | None = None,
        accueil: str | None = None,
        sans_role: bool = False,
    ) -> None:
        guild = require_guild(interaction)
        series = await self.service.series(guild.id, serie)
        old = series.fields
        fields = build_fields(
            name=nom if nom is not None else old.name,
            weekday=jour.value if jour is not None else old.weekday,
            hour=heure if heure is not None else old.at_time,
            zone=zone or old.zone,
            channel_id=salon.id if salon else old.channel_id,
            link=lien if lien is not None else old.link,
            voice_channel_id=vocal.id if vocal else old.voice_channel_id,
            role_id=None if sans_role else (role.id if role else old.role_id),
            reminders=rappels,
            keep_offsets=old.offsets,
            welcome=(None if accueil.strip() == "-" else accueil)
            if accueil is not None
            else old.welcome,
        )
        channel = salon or guild.get_channel(fields.channel_id)
        if not isinstance(channel, discord.TextChannel):
            raise UserError("apero.error.channel_gone", channel=f"<#{fields.channel_id}>")
        role_obj = guild.get_role(fields.role_id) if fields.role_id else None
        if fields.role_id and role_obj is None:
            raise UserError("apero.error.role_gone")
        check_channel(guild, channel, role_obj)
        updated = await self.service.update(series, fields, self.bot.clock.now())
        lang = interaction_lang(interaction)
        skips = await self.service.store.skips(updated.id)
        await interaction.response.send_message(
            t("apero.modify.done", lang, name=updated.name),
            embed=self._describe(updated, lang, skips),
            ephemeral=True,
        )

    modify.autocomplete("serie")(series_autocomplete)
    modify.autocomplete("rappels")(reminders_autocomplete)
    modify.autocomplete("zone")(zone_autocomplete)

    # -- pause, resume, skip, delete ------------------------------------------------------------
    @apero.command(name=L("cmd.apero.pause.name"), description=L("cmd.apero.pause.desc"))
    @options("cmd.apero", "serie")
    @moderator_only()
    async def pause(self, interaction: discord.Interaction[Passerelle], serie: str) -> None:
        guild = require_guild(interaction)
        series = await self.service.series(guild.id, serie)
        if series.paused:
            raise UserError("apero.error.already_paused", name=series.name)
        await self.service.pause(series)
        await interaction.response.send_message(
            t("apero.pause.done", interaction_lang(interaction), name=series.name), ephemeral=True
        )

    @apero.command(name=L("cmd.apero.reprendre.name"), description=L("cmd.apero.reprendre.desc"))
    @options("cmd.apero", "serie")
    @moderator_only()
    async def resume(self, interaction: discord.Interaction[Passerelle], serie: str) -> None:
        guild = require_guild(interaction)
        series = await self.service.series(guild.id, serie)
        if not series.paused:
            raise UserError("apero.error.not_paused", name=series.name)
        # A series paused by a delivery failure resumes only once the bot can post again.
        channel = still_postable(guild, series.fields)
        resumed = await self.service.resume(series, self.bot.clock.now())
        await self.bot.reminders.clear_reports(guild.id, channel.id)
        lang = interaction_lang(interaction)
        skips = await self.service.store.skips(series.id)
        await interaction.response.send_message(
            t("apero.resume.done", lang, name=series.name),
            embed=self._describe(resumed, lang, skips),
            ephemeral=True,
        )

    @apero.command(name=L("cmd.apero.sauter.name"), description=L("cmd.apero.sauter.desc"))
    @options("cmd.apero", "serie", "date")
    @moderator_only()
    async def skip(
        self, interaction: discord.Interaction[Passerelle], serie: str, date: str
    ) -> None:
        guild = require_guild(interaction)
        series = await self.service.series(guild.id, serie)
        occ = await self.service.skip(series, date, self.bot.clock.now())
        lang = interaction_lang(interaction)
        when = format_datetime(occ.start, lang, series.spec.zone)
        await interaction.response.send_message(
            t("apero.skip.done", lang, name=series.name, date=when), ephemeral=True
        )

    @apero.command(
        name=L("cmd.apero.annuler-saut.name"), description=L("cmd.apero.annuler-saut.desc")
    )
    @options("cmd.apero", "serie", "date")
    @moderator_only()
    async def unskip(
        self, interaction: discord.Interaction[Passerelle], serie: str, date: str
    ) -> None:
        guild = require_guild(interaction)
        series = await self.service.series(guild.id, serie)
        occ = await self.service.unskip(series, date, self.bot.clock.now())
        lang = interaction_lang(interaction)
        when = format_datetime(occ.start, lang, series.spec.zone)
        await interaction.response.send_message(
            t("apero.unskip.done", lang, name=series.name, date=when), ephemeral=True
        )

    @apero.command(name=L("cmd.apero.supprimer.name"), description=L("cmd.apero.supprimer.desc"))
    @options("cmd.apero", "serie")
    @moderator_only()
    async def delete(self, interaction: discord.Interaction[Passerelle], serie: str) -> None:
        guild = require_guild(interaction)
        series = await self.service.series(guild.id, serie)
        lang = interaction_lang(interaction)
        await interaction.response.send_message(
            t("apero.delete.confirm", lang, name=escape(series.name)),
            view=delete_view(series.id, lang),
            ephemeral=True,
        )

    for _command in (pause, resume, skip, unskip, delete):
        _command.autocomplete("serie")(series_autocomplete)
    skip.autocomplete("date")(occurrence_autocomplete)
    unskip.autocomplete("date")(skipped_autocomplete)
    del _command
