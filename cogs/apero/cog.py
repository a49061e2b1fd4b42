"""Slash commands of `/apero`: read the interaction, hand it to the workflows, answer.

`/apero` is visible to every member: `prochaines` is for all, and a series' host uses `modifier`,
`pause`, `reprendre`, `sauter`, `annuler-saut` and `annoncer` on their series. Who may act is
checked server-side on every call (`moderator_only`, or the workflows for a host).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import recurrence as weekly
from bot.checks import moderator_only, require_guild
from bot.discord_text import CHOICES_MAX, NO_MENTIONS, escape, truncate
from bot.guild_settings.choices import zone_autocomplete
from bot.i18n import format_datetime, t
from bot.i18n.commands import L, interaction_lang, options
from cogs.apero import render, service
from cogs.apero.flows import AperoFlows

if TYPE_CHECKING:
    from bot.client import Passerelle

Interaction = discord.Interaction["Passerelle"]
Channelish = discord.VoiceChannel | discord.StageChannel
CHOICE_NAME_MAX = 100  # Discord's limit on an autocomplete choice's name and value
SUGGESTIONS = 6  # apero.suggestion.1 … 6: reminder settings offered as examples
WEEKDAY_CHOICES = [
    app_commands.Choice(name=L(f"weekday.{i}"), value=i) for i in range(len(weekly.WEEKDAYS))
]


class AperoCog(commands.Cog):
    apero = app_commands.Group(
        name=L("cmd.apero.name"), description=L("cmd.apero.desc"), guild_only=True
    )

    def __init__(self, bot: Passerelle, flows: AperoFlows) -> None:
        self.bot = bot
        self.flows = flows

    # -- /apero creer (moderators) --------------------------------------------------------------
    @apero.command(name=L("cmd.apero.creer.name"), description=L("cmd.apero.creer.desc"))
    @options(
        "cmd.apero", "nom", "jour", "heure", "salon", "lien", "vocal", "role", "rappels", "zone"
    )
    @app_commands.choices(jour=WEEKDAY_CHOICES)
    @moderator_only()
    async def create(
        self,
        interaction: Interaction,
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
        await self.flows.create(
            interaction,
            channel=salon,
            role=role,
            zone=zone,
            name=nom,
            weekday=jour.value,
            hour=heure,
            link=lien,
            voice_channel_id=vocal.id if vocal else None,
            reminders=rappels,
        )

    # -- /apero liste (moderators), /apero prochaines (everyone) --------------------------------
    @apero.command(name=L("cmd.apero.liste.name"), description=L("cmd.apero.liste.desc"))
    @moderator_only()
    async def list_series(self, interaction: Interaction) -> None:
        lang = interaction_lang(interaction)
        found = await self.flows.listing(require_guild(interaction).id)
        lines = [render.series_line(series, lang, nxt) for series, nxt in found]
        await interaction.response.send_message(
            embed=render.list_embed(lines, lang), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @apero.command(name=L("cmd.apero.prochaines.name"), description=L("cmd.apero.prochaines.desc"))
    @options("cmd.apero.prochaines", "nombre")
    async def upcoming(
        self,
        interaction: Interaction,
        nombre: app_commands.Range[int, 1, service.UPCOMING_MAX] = service.UPCOMING_DEFAULT,
    ) -> None:
        found = await self.flows.upcoming(require_guild(interaction).id, nombre)
        embed = render.upcoming_embed(found, interaction_lang(interaction))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    # -- /apero modifier (moderators, or the series' host) --------------------------------------
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
    async def modify(
        self,
        interaction: Interaction,
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
        updated = await self.flows.modify(
            interaction,
            serie,
            name=nom,
            weekday=jour.value if jour is not None else None,
            hour=heure,
            zone=zone,
            channel_id=salon.id if salon else None,
            link=lien,
            voice_channel_id=vocal.id if vocal else None,
            role_id=role.id if role else None,
            no_role=sans_role,
            reminders=rappels,
            welcome=accueil,
        )
        await self._done(interaction, "apero.modify.done", updated)

    # -- pause, resume, skip (moderators, or the series' host) ----------------------------------
    @apero.command(name=L("cmd.apero.pause.name"), description=L("cmd.apero.pause.desc"))
    @options("cmd.apero", "serie")
    async def pause(self, interaction: Interaction, serie: str) -> None:
        series = await self.flows.pause(interaction, serie)
        text = t("apero.pause.done", interaction_lang(interaction), name=escape(series.name))
        await interaction.response.send_message(text, ephemeral=True)

    @apero.command(name=L("cmd.apero.reprendre.name"), description=L("cmd.apero.reprendre.desc"))
    @options("cmd.apero", "serie")
    async def resume(self, interaction: Interaction, serie: str) -> None:
        await self._done(
            interaction, "apero.resume.done", await self.flows.resume(interaction, serie)
        )

    @apero.command(name=L("cmd.apero.sauter.name"), description=L("cmd.apero.sauter.desc"))
    @options("cmd.apero", "serie", "date")
    async def skip(self, interaction: Interaction, serie: str, date: str) -> None:
        await self._skipped(interaction, "apero.skip.done", serie, date, restore=False)

    @apero.command(
        name=L("cmd.apero.annuler-saut.name"), description=L("cmd.apero.annuler-saut.desc")
    )
    @options("cmd.apero", "serie", "date")
    async def unskip(self, interaction: Interaction, serie: str, date: str) -> None:
        await self._skipped(interaction, "apero.unskip.done", serie, date, restore=True)

    async def _skipped(
        self, interaction: Interaction, key: str, serie: str, date: str, *, restore: bool
    ) -> None:
        series, occ = await self.flows.skip(interaction, serie, date, restore=restore)
        lang = interaction_lang(interaction)
        when = format_datetime(occ.start, lang, series.spec.zone)
        text = t(key, lang, name=escape(series.name), date=when)
        await interaction.response.send_message(text, ephemeral=True)

    async def _done(self, interaction: Interaction, key: str, series: service.Series) -> None:
        lang = interaction_lang(interaction)
        await interaction.response.send_message(
            t(key, lang, name=escape(series.name)),
            embed=await self.flows.card(series, lang),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    # -- /apero annoncer (moderators, or the series' host) --------------------------------------
    @apero.command(name=L("cmd.apero.annoncer.name"), description=L("cmd.apero.annoncer.desc"))
    @options("cmd.apero", "serie", "message")
    async def announce(
        self, interaction: Interaction, serie: str, message: str | None = None
    ) -> None:
        series = await self.flows.announce(interaction, serie, message)
        lang = interaction_lang(interaction)
        text = t(
            "apero.announce.done",
            lang,
            name=escape(series.name),
            channel=f"<#{series.fields.channel_id}>",
        )
        await interaction.response.send_message(text, ephemeral=True)

    # -- delete, hosts (moderators) -------------------------------------------------------------
    @apero.command(name=L("cmd.apero.supprimer.name"), description=L("cmd.apero.supprimer.desc"))
    @options("cmd.apero", "serie")
    @moderator_only()
    async def delete(self, interaction: Interaction, serie: str) -> None:
        await self.flows.ask_delete(interaction, serie)

    @apero.command(name=L("cmd.apero.confier.name"), description=L("cmd.apero.confier.desc"))
    @options("cmd.apero", "serie", "membre")
    @moderator_only()
    async def give_host(
        self, interaction: Interaction, serie: str, membre: discord.Member | discord.User
    ) -> None:
        series = await self.flows.give_host(interaction, serie, membre)
        text = t(
            "apero.host.given",
            interaction_lang(interaction),
            name=escape(series.name),
            host=render.mention(membre.id),
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @apero.command(
        name=L("cmd.apero.retirer-animation.name"),
        description=L("cmd.apero.retirer-animation.desc"),
    )
    @options("cmd.apero", "serie")
    @moderator_only()
    async def take_host(self, interaction: Interaction, serie: str) -> None:
        series = await self.flows.take_host(interaction, serie)
        text = t("apero.host.taken", interaction_lang(interaction), name=escape(series.name))
        await interaction.response.send_message(text, ephemeral=True)

    # -- autocomplete ---------------------------------------------------------------------------
    @modify.autocomplete("serie")
    @pause.autocomplete("serie")
    @resume.autocomplete("serie")
    @skip.autocomplete("serie")
    @unskip.autocomplete("serie")
    @announce.autocomplete("serie")
    @delete.autocomplete("serie")
    @give_host.autocomplete("serie")
    @take_host.autocomplete("serie")
    async def _series_autocomplete(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The series this member may act on (moderators: all)."""
        return [
            app_commands.Choice(name=truncate(s.name, CHOICE_NAME_MAX), value=str(s.id))
            for s in await self.flows.series_choices(interaction, current)
        ][:CHOICES_MAX]

    @create.autocomplete("rappels")
    @modify.autocomplete("rappels")
    async def _reminders_autocomplete(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        lang = interaction_lang(interaction)
        offered = [t(f"apero.suggestion.{i}", lang) for i in range(1, SUGGESTIONS + 1)]
        typed = current.strip()
        texts = [typed] if typed and typed not in offered else []
        return [
            app_commands.Choice(name=truncate(o, CHOICE_NAME_MAX), value=o[:CHOICE_NAME_MAX])
            for o in texts + offered
        ]

    @skip.autocomplete("date")
    async def _date_autocomplete(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._dates(interaction, current, skipped=False)

    @unskip.autocomplete("date")
    async def _skipped_autocomplete(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._dates(interaction, current, skipped=True)

    async def _dates(
        self, interaction: Interaction, current: str, *, skipped: bool
    ) -> list[app_commands.Choice[str]]:
        found = await self.flows.dates(interaction, interaction.namespace.serie, skipped=skipped)
        if found is None:
            return []
        series, occurrences = found
        lang = interaction_lang(interaction)
        words = [
            (format_datetime(o.start, lang, series.spec.zone), o.day.isoformat())
            for o in occurrences
        ]
        return [
            app_commands.Choice(name=truncate(name, CHOICE_NAME_MAX), value=value)
            for name, value in words
            if service.name_matches(f"{name} {value}", current)
        ][:CHOICES_MAX]

    create.autocomplete("zone")(zone_autocomplete)
    modify.autocomplete("zone")(zone_autocomplete)
