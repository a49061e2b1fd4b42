"""Réseau's slash commands: /profil, /annuaire, /contacts, /mentorat, /reseau config. Each reads
the interaction and hands it to the workflows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import MODERATOR_PERMISSIONS, moderator_only
from bot.discord_text import CHOICES_MAX, truncate
from bot.i18n.commands import L, interaction_lang, options
from bot.reference import places, professions
from bot.reference.practice import Field, Language
from bot.regions import REGIONS, Side
from cogs.reseau.flows import ReseauFlows
from cogs.reseau.flows.profiles import place_choices
from cogs.reseau.service import DirectoryFilters, OpenTo

if TYPE_CHECKING:
    from bot.client import Passerelle

Interaction = discord.Interaction[Any]
CHOICE_NAME_LIMIT = 100

SIDES = [app_commands.Choice(name=L(f"reseau.side.{s}"), value=s.value) for s in Side]
FIELDS = [app_commands.Choice(name=L(f"reference.field.{f}"), value=f.value) for f in Field]
OPEN_TO = [app_commands.Choice(name=L(f"reseau.open_to.{o}"), value=o.value) for o in OpenTo]
LANGUAGES = [
    app_commands.Choice(name=L(f"reference.language.{x}"), value=x.value) for x in Language
]
RESETS = [
    app_commands.Choice(name=L("cmd.reseau.config.choice.salon"), value="salon"),
    app_commands.Choice(name=L("cmd.reseau.config.choice.role"), value="role"),
]


def _country_typed(interaction: Interaction, *names: str) -> str | None:
    """The country of a place already chosen in another option, to suggest its professions."""
    for name in names:
        place = places.get(getattr(interaction.namespace, name, None))
        if place is not None:
            return place.country
    return None


async def profession_choices(
    interaction: Interaction, current: str
) -> list[app_commands.Choice[str]]:
    lang = interaction_lang(interaction)
    country = _country_typed(interaction, "lieu", "destination", "region")
    found = professions.professions().search(
        current, country=country if country in REGIONS else None
    )
    return [
        app_commands.Choice(
            name=truncate(professions.label(p, lang), CHOICE_NAME_LIMIT), value=p.code
        )
        for p in found[:CHOICES_MAX]
    ]


async def place_autocomplete(
    interaction: Interaction, current: str
) -> list[app_commands.Choice[str]]:
    lang = interaction_lang(interaction)
    return [
        app_commands.Choice(name=truncate(label, CHOICE_NAME_LIMIT), value=code)
        for label, code in place_choices(current, lang)
    ]


async def target_autocomplete(
    interaction: Interaction, current: str
) -> list[app_commands.Choice[str]]:
    lang = interaction_lang(interaction)
    return [
        app_commands.Choice(name=truncate(label, CHOICE_NAME_LIMIT), value=code)
        for label, code in place_choices(current, lang, allow_none=True)
    ]


class ReseauCog(commands.Cog):
    profil = app_commands.Group(
        name=L("cmd.profil.name"), description=L("cmd.profil.desc"), guild_only=True
    )
    mentorat = app_commands.Group(
        name=L("cmd.mentorat.name"), description=L("cmd.mentorat.desc"), guild_only=True
    )
    reseau = app_commands.Group(
        name=L("cmd.reseau.name"),
        description=L("cmd.reseau.desc"),
        guild_only=True,
        default_permissions=MODERATOR_PERMISSIONS,
    )

    def __init__(self, bot: Passerelle, flows: ReseauFlows) -> None:
        self.bot, self.flows = bot, flows

    # -- /profil ---------------------------------------------------------------------------------
    @profil.command(name=L("cmd.profil.creer.name"), description=L("cmd.profil.creer.desc"))
    @options("cmd.profil.creer", "profession", "lieu", "destination")
    @app_commands.autocomplete(
        profession=profession_choices, lieu=place_autocomplete, destination=target_autocomplete
    )
    async def create(
        self, interaction: Interaction, profession: str, lieu: str, destination: str | None = None
    ) -> None:
        await self.flows.profiles.open_form(
            interaction, profession=profession, place=lieu, target=destination, creating=True
        )

    @profil.command(name=L("cmd.profil.modifier.name"), description=L("cmd.profil.modifier.desc"))
    @options("cmd.profil.modifier", "profession", "lieu", "destination")
    @app_commands.autocomplete(
        profession=profession_choices, lieu=place_autocomplete, destination=target_autocomplete
    )
    async def edit(
        self,
        interaction: Interaction,
        profession: str | None = None,
        lieu: str | None = None,
        destination: str | None = None,
    ) -> None:
        await self.flows.profiles.open_form(
            interaction, profession=profession, place=lieu, target=destination, creating=False
        )

    @profil.command(name=L("cmd.profil.voir.name"), description=L("cmd.profil.voir.desc"))
    @options("cmd.profil.voir", "membre")
    async def show(self, interaction: Interaction, membre: discord.User | None = None) -> None:
        await self.flows.profiles.show(interaction, membre)

    @profil.command(name=L("cmd.profil.masquer.name"), description=L("cmd.profil.masquer.desc"))
    async def hide(self, interaction: Interaction) -> None:
        await self.flows.profiles.hide_command(interaction)

    @profil.command(name=L("cmd.profil.supprimer.name"), description=L("cmd.profil.supprimer.desc"))
    async def delete(self, interaction: Interaction) -> None:
        await self.flows.profiles.delete_command(interaction)

    # -- /annuaire, /contacts --------------------------------------------------------------------
    @app_commands.command(name=L("cmd.annuaire.name"), description=L("cmd.annuaire.desc"))
    @app_commands.guild_only()
    @options("cmd.annuaire", "profession", "cote", "region", "domaine", "ouvert_a")
    @app_commands.autocomplete(profession=profession_choices, region=place_autocomplete)
    @app_commands.choices(cote=SIDES, domaine=FIELDS, ouvert_a=OPEN_TO)
    async def directory(
        self,
        interaction: Interaction,
        profession: str | None = None,
        cote: str | None = None,
        region: str | None = None,
        domaine: str | None = None,
        ouvert_a: str | None = None,
    ) -> None:
        filters = DirectoryFilters(
            profession=profession if professions.get(profession) else None,
            side=Side(cote) if cote else None,
            place=region if places.get(region) else None,
            practice=Field(domaine) if domaine else None,
            open_to=OpenTo(ouvert_a) if ouvert_a else None,
        )
        await self.flows.contacts.show_directory(interaction, filters, 0, edit=False)

    @app_commands.command(name=L("cmd.contacts.name"), description=L("cmd.contacts.desc"))
    @app_commands.guild_only()
    async def contacts(self, interaction: Interaction) -> None:
        await self.flows.contacts.inbox(interaction)

    # -- /mentorat -------------------------------------------------------------------------------
    @mentorat.command(
        name=L("cmd.mentorat.proposer.name"), description=L("cmd.mentorat.proposer.desc")
    )
    @options("cmd.mentorat.proposer", "capacite", "lieu", "profession")
    @app_commands.autocomplete(lieu=place_autocomplete, profession=profession_choices)
    async def offer(
        self,
        interaction: Interaction,
        capacite: app_commands.Range[int, 1, 10],
        lieu: str | None = None,
        profession: str | None = None,
    ) -> None:
        await self.flows.mentoring.offer(
            interaction, place=lieu, profession=profession, capacity=capacite
        )

    @mentorat.command(
        name=L("cmd.mentorat.chercher.name"), description=L("cmd.mentorat.chercher.desc")
    )
    @options("cmd.mentorat.chercher", "destination", "arrivee", "profession", "domaine", "langue")
    @app_commands.autocomplete(destination=place_autocomplete, profession=profession_choices)
    @app_commands.choices(domaine=FIELDS, langue=LANGUAGES)
    async def search(
        self,
        interaction: Interaction,
        destination: str,
        arrivee: str,
        profession: str | None = None,
        domaine: str | None = None,
        langue: str | None = None,
    ) -> None:
        await self.flows.mentoring.search(
            interaction,
            destination=destination,
            profession=profession,
            arrival=arrivee,
            practice=domaine,
            language=langue,
        )

    @mentorat.command(name=L("cmd.mentorat.fin.name"), description=L("cmd.mentorat.fin.desc"))
    @options("cmd.mentorat.fin", "avec")
    async def end(self, interaction: Interaction, avec: discord.User | None = None) -> None:
        await self.flows.mentoring.end_command(interaction, avec)

    # -- /reseau config (moderators) -------------------------------------------------------------
    @reseau.command(name=L("cmd.reseau.config.name"), description=L("cmd.reseau.config.desc"))
    @options("cmd.reseau.config", "salon", "role", "effacer")
    @app_commands.choices(effacer=RESETS)
    @moderator_only()
    async def configure(
        self,
        interaction: Interaction,
        salon: discord.TextChannel | None = None,
        role: discord.Role | None = None,
        effacer: str | None = None,
    ) -> None:
        await self.flows.configure(interaction, channel=salon, role=role, reset=effacer)
