"""Slash commands of Rencontres: read the interaction, hand it to the workflows."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import is_moderator, moderator_only, require_guild
from bot.discord_text import CHOICES_MAX, NO_MENTIONS, truncate
from bot.guild_settings.choices import zone_autocomplete
from bot.i18n import t
from bot.i18n.commands import L, interaction_lang, options
from cogs.rencontres import render, service
from cogs.rencontres.flows import RencontresFlows
from cogs.rencontres.groups.service import SIZE_MAX_DEFAULT, SIZE_MIN_DEFAULT
from cogs.rencontres.hosts import render as hosts_render
from cogs.rencontres.service import Format

if TYPE_CHECKING:
    from bot.client import Passerelle

Interaction = discord.Interaction["Passerelle"]
CHOICE_NAME_MAX = 100  # Discord's limit on an autocomplete choice's name
# Autocomplete looks through this many upcoming events of the server.
CHOICES_SEARCHED = 500
CALENDAR_MAX = 500  # events in one .ics file
CALENDAR_NAME_MAX = 100


class RencontresCog(commands.Cog):
    rencontre = app_commands.Group(
        name=L("cmd.rencontre.name"), description=L("cmd.rencontre.desc"), guild_only=True
    )

    def __init__(self, bot: Passerelle, flows: RencontresFlows) -> None:
        self.bot = bot
        self.flows = flows

    # -- /rencontre creer -----------------------------------------------------------------------
    @rencontre.command(
        name=L("cmd.rencontre.creer.name"), description=L("cmd.rencontre.creer.desc")
    )
    @options("cmd.rencontre", "titre", "quand", "format", "lieu", "lien", "places", "duree", "zone")
    @app_commands.choices(
        format=[
            app_commands.Choice(name=L(f"rencontre.format.{kind}"), value=str(kind))
            for kind in Format
        ]
    )
    async def creer(
        self,
        interaction: Interaction,
        titre: str,
        quand: str,
        format: app_commands.Choice[str],
        lieu: str | None = None,
        lien: str | None = None,
        places: int | None = None,
        duree: str | None = None,
        zone: str | None = None,
    ) -> None:
        await self.flows.create(
            interaction,
            title=titre,
            when=quand,
            format=format.value,
            place=lieu,
            link=lien,
            capacity=places,
            duration=duree,
            zone=zone,
        )

    creer.autocomplete("zone")(zone_autocomplete)

    # -- /rencontre modifier, annuler -----------------------------------------------------------
    @rencontre.command(
        name=L("cmd.rencontre.modifier.name"), description=L("cmd.rencontre.modifier.desc")
    )
    @options("cmd.rencontre", "evenement", "titre", "quand", "lieu", "lien", "places", "duree")
    async def modifier(
        self,
        interaction: Interaction,
        evenement: str,
        titre: str | None = None,
        quand: str | None = None,
        lieu: str | None = None,
        lien: str | None = None,
        places: int | None = None,
        duree: str | None = None,
    ) -> None:
        await self.flows.edit(
            interaction,
            service.parse_event_id(evenement),
            title=titre,
            when=quand,
            place=lieu,
            link=lien,
            capacity=places,
            duration=duree,
        )

    @rencontre.command(
        name=L("cmd.rencontre.annuler.name"), description=L("cmd.rencontre.annuler.desc")
    )
    @options("cmd.rencontre", "evenement", "raison")
    async def annuler(
        self, interaction: Interaction, evenement: str, raison: str | None = None
    ) -> None:
        await self.flows.cancel(interaction, service.parse_event_id(evenement), raison)

    # -- /rencontre sondage ---------------------------------------------------------------------
    @rencontre.command(
        name=L("cmd.rencontre.sondage.name"), description=L("cmd.rencontre.sondage.desc")
    )
    @options(
        "cmd.rencontre", "titre", "creneaux", "cloture", "format", "lieu", "lien", "duree", "zone"
    )
    @app_commands.choices(
        format=[
            app_commands.Choice(name=L(f"rencontre.format.{kind}"), value=str(kind))
            for kind in Format
        ]
    )
    async def sondage(
        self,
        interaction: Interaction,
        titre: str,
        creneaux: str,
        cloture: str | None = None,
        format: app_commands.Choice[str] | None = None,
        lieu: str | None = None,
        lien: str | None = None,
        duree: str | None = None,
        zone: str | None = None,
    ) -> None:
        await self.flows.polls.create(
            interaction,
            title=titre,
            slots=creneaux,
            closing=cloture,
            format=format.value if format else None,
            place=lieu,
            link=lien,
            duration=duree,
            zone=zone,
        )

    sondage.autocomplete("zone")(zone_autocomplete)

    # -- /rencontre groupes, preparer-groupes ---------------------------------------------------
    @rencontre.command(
        name=L("cmd.rencontre.groupes.name"), description=L("cmd.rencontre.groupes.desc")
    )
    @options("cmd.rencontre", "evenement", "taille_min", "taille_max")
    async def groupes(
        self,
        interaction: Interaction,
        evenement: str,
        taille_min: int = SIZE_MIN_DEFAULT,
        taille_max: int = SIZE_MAX_DEFAULT,
    ) -> None:
        await self.flows.groups.form(
            interaction, service.parse_event_id(evenement), taille_min, taille_max
        )

    @rencontre.command(
        name=L("cmd.rencontre.preparer-groupes.name"),
        description=L("cmd.rencontre.preparer-groupes.desc"),
    )
    @options("cmd.rencontre", "evenement", "presence", "villes", "cote")
    async def preparer_groupes(
        self,
        interaction: Interaction,
        evenement: str,
        presence: bool | None = None,
        villes: str | None = None,
        cote: bool | None = None,
    ) -> None:
        await self.flows.groups.ask(
            interaction,
            service.parse_event_id(evenement),
            mode=presence,
            cities=villes,
            region=cote,
        )

    # -- /rencontre confier (moderators) --------------------------------------------------------
    @rencontre.command(
        name=L("cmd.rencontre.confier.name"), description=L("cmd.rencontre.confier.desc")
    )
    @options("cmd.rencontre", "evenement", "membre")
    @moderator_only()
    async def confier(
        self,
        interaction: Interaction,
        evenement: str,
        membre: discord.Member | discord.User | None = None,
    ) -> None:
        event = await self.flows.hosts.entrust(
            interaction, service.parse_event_id(evenement), membre
        )
        await interaction.response.send_message(
            hosts_render.entrusted(event, interaction_lang(interaction)),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    # -- /rencontre liste, voir -----------------------------------------------------------------
    @rencontre.command(
        name=L("cmd.rencontre.liste.name"), description=L("cmd.rencontre.liste.desc")
    )
    async def liste(self, interaction: Interaction) -> None:
        await self.flows.show_page(interaction, 0, edit=False)

    @rencontre.command(name=L("cmd.rencontre.voir.name"), description=L("cmd.rencontre.voir.desc"))
    @options("cmd.rencontre", "evenement")
    async def voir(self, interaction: Interaction, evenement: str) -> None:
        lang = interaction_lang(interaction)
        event = await self.flows.event_for(interaction, service.parse_event_id(evenement))
        embed = render.event_embed(event, await self.flows.attendance(event), lang)
        if not event.takes_answers(self.bot.clock.now()):
            await interaction.response.send_message(embed=embed, ephemeral=True)
            return
        view = self.flows.views.rsvp(event, lang)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
        view.stop()  # its buttons are dynamic items: nothing to keep alive

    # -- /rencontre participants, ics -----------------------------------------------------------
    @rencontre.command(
        name=L("cmd.rencontre.participants.name"), description=L("cmd.rencontre.participants.desc")
    )
    @options("cmd.rencontre", "evenement")
    async def participants(self, interaction: Interaction, evenement: str) -> None:
        await self.flows.participants(interaction, service.parse_event_id(evenement))

    @rencontre.command(name=L("cmd.rencontre.ics.name"), description=L("cmd.rencontre.ics.desc"))
    @app_commands.rename(evenement=L("cmd.rencontre.opt.evenement.name"))
    @app_commands.describe(evenement=L("cmd.rencontre.opt.evenement_ics.desc"))
    async def calendrier(self, interaction: Interaction, evenement: str | None = None) -> None:
        guild = require_guild(interaction)
        if evenement:
            events = [await self.flows.event_for(interaction, service.parse_event_id(evenement))]
            filename = f"rencontre-{events[0].id}.ics"
        else:
            events = await self.flows.upcoming(guild.id, CALENDAR_MAX)
            filename = "rencontres.ics"
        # icalendar costs a tenth of a second to import: paid on the first calendar asked for,
        # not at every start-up (bench/startup.py).
        from cogs.rencontres import ics  # noqa: PLC0415

        data = ics.calendar(
            events,
            host="passerelle.discord",
            now=self.bot.clock.now(),
            name=guild.name[:CALENDAR_NAME_MAX],
        )
        await interaction.response.send_message(
            t("rencontre.ics.intro", interaction_lang(interaction), n=len(events)),
            file=discord.File(io.BytesIO(data), filename=filename),
            ephemeral=True,
        )

    # -- autocomplete ---------------------------------------------------------------------------
    async def _event_choices(
        self, interaction: Interaction, current: str, *, managed: bool
    ) -> list[app_commands.Choice[str]]:
        """Upcoming published events of this server (cancelled and ended ones never), best match
        first; for commands that manage an event, only those the member may manage."""
        if interaction.guild_id is None:
            return []
        events = await self.flows.upcoming(interaction.guild_id, CHOICES_SEARCHED)
        manager = None if not managed or is_moderator(interaction) else interaction.user.id
        return [
            app_commands.Choice(
                name=truncate(
                    f"#{e.id} {e.title} — {e.starts_at.astimezone(e.tz):%d/%m %H:%M}",
                    CHOICE_NAME_MAX,
                ),
                value=str(e.id),
            )
            for e in service.pick_events(events, current, CHOICES_MAX, may_manage=manager)
        ]

    @modifier.autocomplete("evenement")
    @annuler.autocomplete("evenement")
    @groupes.autocomplete("evenement")
    @preparer_groupes.autocomplete("evenement")
    @confier.autocomplete("evenement")
    @participants.autocomplete("evenement")
    async def _managed_event_autocomplete(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._event_choices(interaction, current, managed=True)

    @voir.autocomplete("evenement")
    @calendrier.autocomplete("evenement")
    async def _event_autocomplete(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._event_choices(interaction, current, managed=False)

    # -- /rencontre reglages (moderators) -------------------------------------------------------
    @rencontre.command(
        name=L("cmd.rencontre.reglages.name"), description=L("cmd.rencontre.reglages.desc")
    )
    @options("cmd.rencontre", "salon", "rappels")
    @moderator_only()
    async def reglages(
        self,
        interaction: Interaction,
        salon: discord.TextChannel | None = None,
        rappels: str | None = None,
    ) -> None:
        await self.flows.save_settings(interaction, salon, rappels)
