"""Slash commands of Rencontres: read the interaction, call the service, answer."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import is_moderator, moderator_only, require_guild
from bot.db.timestamps import from_ts
from bot.discord_text import CHOICES_MAX, escape, truncate
from bot.guild_settings.model import zone_suggestions
from bot.i18n import t
from bot.i18n.commands import L, interaction_lang, options
from bot.user_error import UserError
from cogs.rencontres import ics, render, service
from cogs.rencontres.actions import Actions, rsvp_view
from cogs.rencontres.flows import Flows
from cogs.rencontres.store import RencontreStore
from cogs.rencontres.views import EditModal, draft_view

if TYPE_CHECKING:
    from bot.client import Passerelle

Interaction = discord.Interaction["Passerelle"]


def event_id_of(value: str) -> int:
    value = value.strip().lstrip("#")
    if not value.isdigit() or len(value) > 18:
        raise UserError("rencontre.error.unknown")
    return int(value)


def zone_choices(current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=z, value=z) for z in zone_suggestions(current)]


class RencontresCog(commands.Cog):
    rencontre = app_commands.Group(
        name=L("cmd.rencontre.name"), description=L("cmd.rencontre.desc"), guild_only=True
    )

    def __init__(self, bot: Passerelle, store: RencontreStore, actions: Actions) -> None:
        self.bot = bot
        self.store = store
        self.actions = actions
        self.flows = Flows(bot, store, actions)

    # -- /rencontre creer -----------------------------------------------------------------------
    @rencontre.command(
        name=L("cmd.rencontre.creer.name"), description=L("cmd.rencontre.creer.desc")
    )
    @options("cmd.rencontre", "titre", "quand", "format", "lieu", "lien", "places", "duree", "zone")
    @app_commands.choices(
        format=[
            app_commands.Choice(name=L("rencontre.format.presentiel"), value="presentiel"),
            app_commands.Choice(name=L("rencontre.format.visio"), value="visio"),
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
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        now = self.bot.clock.now()
        own = await self.bot.settings_store.zone_of(guild.id, member=interaction.user.id)
        chosen = service.choose_zone(zone, own.key)
        details = service.validate_details(
            title=titre,
            starts_at=service.parse_start(quand, chosen, now, str(interaction.locale)),
            duration_min=service.parse_duration(duree),
            zone=chosen,
            format=format.value,
            place=lieu,
            link=lien,
            capacity=places,
            description="",
        )
        draft = await self.store.create_draft(guild.id, interaction.user.id, details, lang, now)
        await interaction.response.send_message(
            t("rencontre.preview.intro", lang),
            embed=render.preview_embed(draft, lang),
            view=draft_view(draft.id, lang),
            ephemeral=True,
        )

    @creer.autocomplete("zone")
    async def _zone_autocomplete(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return zone_choices(current)

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
        lang = interaction_lang(interaction)
        event = await self.actions.managed_event(interaction, event_id_of(evenement))
        if all(v is None for v in (titre, quand, lieu, lien, places, duree)):
            await interaction.response.send_modal(EditModal(event, lang))  # the long description
            return
        if (lieu is not None and event.format != "presentiel") or (
            lien is not None and event.format != "visio"
        ):
            raise UserError("rencontre.error.wrong_where")
        details = self.flows.details(
            interaction,
            event,
            title=titre,
            when=quand,
            place=lieu,
            link=lien,
            capacity=places,
            duration=duree,
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        changed = await self.actions.apply_edit(event, details)
        await self.flows.edited(interaction, changed, lang)

    @rencontre.command(
        name=L("cmd.rencontre.annuler.name"), description=L("cmd.rencontre.annuler.desc")
    )
    @options("cmd.rencontre", "evenement", "raison")
    async def annuler(
        self, interaction: Interaction, evenement: str, raison: str | None = None
    ) -> None:
        lang = interaction_lang(interaction)
        event = await self.actions.managed_event(interaction, event_id_of(evenement))
        reason = service.clean_text(raison)
        if len(reason) > 500:
            raise UserError("rencontre.error.reason_too_long", limit=500)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.actions.cancel(event, reason)
        await interaction.followup.send(
            t("rencontre.cancel.done", lang, title=escape(event.title)), ephemeral=True
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
        event = await self.actions.event_for(interaction, event_id_of(evenement))
        attendance = await self.store.attendance(event.id)
        open_ = event.status == "published" and not event.ended(self.bot.clock.now())
        await interaction.response.send_message(
            embed=render.event_embed(event, attendance, lang),
            view=rsvp_view(event, lang) if open_ else discord.utils.MISSING,
            ephemeral=True,
        )

    # -- /rencontre participants, ics -----------------------------------------------------------
    @rencontre.command(
        name=L("cmd.rencontre.participants.name"), description=L("cmd.rencontre.participants.desc")
    )
    @options("cmd.rencontre", "evenement")
    async def participants(self, interaction: Interaction, evenement: str) -> None:
        lang = interaction_lang(interaction)
        guild = require_guild(interaction)
        event = await self.actions.event_for(interaction, event_id_of(evenement))
        service.require_manager(event, interaction.user.id, is_moderator(interaction))
        rows = await self.store.answers_with_time(event.id)
        csv_rows = []
        for row in rows:
            member = guild.get_member(row["user_id"])
            name = member.display_name if member else str(row["user_id"])
            at = from_ts(row["at"]).isoformat()
            csv_rows.append((name, row["user_id"], row["status"], at))
        attendance = await self.store.attendance(event.id)
        embed = render.event_embed(event, attendance, lang)
        embed.description = None
        data = ics.participants_csv(csv_rows)
        await interaction.response.send_message(
            t("rencontre.participants.intro", lang, title=escape(event.title), n=len(rows)),
            embed=embed,
            file=discord.File(io.BytesIO(data), filename=f"rencontre-{event.id}.csv"),
            ephemeral=True,
        )

    @rencontre.command(name=L("cmd.rencontre.ics.name"), description=L("cmd.rencontre.ics.desc"))
    @app_commands.rename(evenement=L("cmd.rencontre.opt.evenement.name"))
    @app_commands.describe(evenement=L("cmd.rencontre.opt.evenement_ics.desc"))
    async def calendrier(self, interaction: Interaction, evenement: str | None = None) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        now = self.bot.clock.now()
        if evenement:
            events = [await self.actions.event_for(interaction, event_id_of(evenement))]
            filename = f"rencontre-{events[0].id}.ics"
        else:
            events = await self.store.upcoming(guild.id, now, limit=500)
            filename = "rencontres.ics"
        data = ics.calendar(events, host="passerelle.discord", now=now, name=guild.name[:100])
        await interaction.response.send_message(
            t("rencontre.ics.intro", lang, n=len(events)),
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
        events = await self.store.upcoming(interaction.guild_id, self.bot.clock.now(), limit=500)
        manager = None if not managed or is_moderator(interaction) else interaction.user.id
        return [
            app_commands.Choice(
                name=truncate(
                    f"#{e.id} {e.title} — {e.starts_at.astimezone(e.tz):%d/%m %H:%M}", 100
                ),
                value=str(e.id),
            )
            for e in service.pick_events(events, current, CHOICES_MAX, may_manage=manager)
        ]

    @modifier.autocomplete("evenement")
    @annuler.autocomplete("evenement")
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
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        channel_id, offsets = await self.store.settings(guild.id)
        if rappels is not None:
            offsets = service.parse_offsets(rappels)
        if salon is not None:
            self.actions.check_channel(salon, guild)
            channel_id = salon.id
        await self.store.save_settings(guild.id, channel_id, offsets)
        await interaction.response.send_message(
            t(
                "rencontre.settings.saved",
                lang,
                channel=f"<#{channel_id}>" if channel_id else t("rencontre.settings.default", lang),
                offsets=", ".join(service.format_duration(o) for o in offsets),
            ),
            ephemeral=True,
        )
