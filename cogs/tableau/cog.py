"""Slash commands of Le tableau: read the interaction, hand it to the workflows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import MODERATOR_PERMISSIONS, moderator_only
from bot.discord_text import CHOICES_MAX, truncate
from bot.i18n import t
from bot.i18n.commands import L, interaction_lang, options
from bot.reference import places, professions
from bot.reference.places import country_name
from bot.reference.professions import label as profession_label
from bot.regions import REGIONS, Side
from cogs.tableau.flows import TableauFlows
from cogs.tableau.flows.config import Changes
from cogs.tableau.flows.posts import resolve_place
from cogs.tableau.service import MEMBER_NEWS_KINDS, SEARCH_WORDS_MAX, OfferKind, PostKind

if TYPE_CHECKING:
    from bot.client import Passerelle

Interaction = discord.Interaction["Passerelle"]
CHOICE_NAME_MAX = 100

OFFER_KINDS = [
    app_commands.Choice(name=L(f"tableau.category.{k}"), value=str(k)) for k in OfferKind
]
NEWS_KINDS = [
    app_commands.Choice(name=L(f"tableau.category.{k}"), value=str(k)) for k in MEMBER_NEWS_KINDS
]
SIDES = [app_commands.Choice(name=L(f"tableau.side.{s}"), value=str(s)) for s in Side]
WEEKDAYS = [app_commands.Choice(name=L(f"weekday.{d}"), value=d) for d in range(7)]
APPROVAL = [
    app_commands.Choice(name=L("tableau.config.approval.0"), value=0),
    app_commands.Choice(name=L("tableau.config.approval.1"), value=1),
]
STOP = [
    app_commands.Choice(name=L("tableau.alert.stop.offre"), value="offre"),
    app_commands.Choice(name=L("tableau.alert.stop.nouvelle"), value="nouvelle"),
    app_commands.Choice(name=L("tableau.alert.stop.tout"), value="tout"),
]


async def place_autocomplete(
    interaction: Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Countries first when they match, then départements, regions, provinces, cantons."""
    lang = interaction_lang(interaction)
    typed = current.strip().casefold()
    found = [
        app_commands.Choice(
            name=t("tableau.place.whole_country", lang, country=country_name(r, lang)), value=str(r)
        )
        for r in REGIONS
        if not typed or country_name(r, lang).casefold().startswith(typed) or typed == r.casefold()
    ]
    found += [
        app_commands.Choice(name=truncate(p.choice_label(lang), CHOICE_NAME_MAX), value=p.code)
        for p in places.search(current, limit=CHOICES_MAX)
    ]
    return found[:CHOICES_MAX]


async def profession_autocomplete(
    interaction: Interaction, current: str
) -> list[app_commands.Choice[str]]:
    lang = interaction_lang(interaction)
    return [
        app_commands.Choice(name=truncate(profession_label(p, lang), CHOICE_NAME_MAX), value=p.code)
        for p in professions.professions().search(current, limit=CHOICES_MAX)
    ]


class TableauCog(commands.Cog):
    tableau = app_commands.Group(
        name=L("cmd.tableau.name"),
        description=L("cmd.tableau.desc"),
        guild_only=True,
        default_permissions=MODERATOR_PERMISSIONS,
    )
    flux = app_commands.Group(
        name=L("cmd.tableau.flux.name"), description=L("cmd.tableau.flux.desc"), parent=tableau
    )
    offre = app_commands.Group(
        name=L("cmd.offre.name"), description=L("cmd.offre.desc"), guild_only=True
    )
    nouvelle = app_commands.Group(
        name=L("cmd.nouvelle.name"), description=L("cmd.nouvelle.desc"), guild_only=True
    )
    alertes = app_commands.Group(
        name=L("cmd.alertes.name"), description=L("cmd.alertes.desc"), guild_only=True
    )

    def __init__(self, bot: Passerelle, flows: TableauFlows) -> None:
        self.bot = bot
        self.flows = flows

    async def cog_unload(self) -> None:
        await self.flows.feeds.close()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        await self.flows.board.recover()

    # -- /tableau config ------------------------------------------------------------------------
    @tableau.command(name=L("cmd.tableau.config.name"), description=L("cmd.tableau.config.desc"))
    @options(
        "cmd.tableau.config",
        "offres",
        "nouvelles",
        "validation",
        "resume",
        "resume_jour",
        "resume_heure",
        "resume_arret",
    )
    @app_commands.choices(validation=APPROVAL, resume_jour=WEEKDAYS)
    @moderator_only()
    async def config(
        self,
        interaction: Interaction,
        offres: discord.ForumChannel | None = None,
        nouvelles: discord.ForumChannel | None = None,
        validation: app_commands.Choice[int] | None = None,
        resume: discord.TextChannel | None = None,
        resume_jour: app_commands.Choice[int] | None = None,
        resume_heure: str | None = None,
        resume_arret: bool = False,
    ) -> None:
        changes = Changes(
            offers=offres,
            news=nouvelles,
            approval=None if validation is None else bool(validation.value),
            digest_channel=resume,
            digest_weekday=None if resume_jour is None else resume_jour.value,
            digest_time=resume_heure,
            digest_off=resume_arret,
        )
        if changes == Changes():
            await self.flows.config.show(interaction)
            return
        await self.flows.config.configure(interaction, changes)

    # -- /tableau flux --------------------------------------------------------------------------
    @flux.command(
        name=L("cmd.tableau.flux.ajouter.name"), description=L("cmd.tableau.flux.ajouter.desc")
    )
    @options("cmd.tableau.flux.ajouter", "adresse", "nom", "lieu")
    @moderator_only()
    async def flux_ajouter(
        self,
        interaction: Interaction,
        adresse: str,
        nom: str | None = None,
        lieu: str | None = None,
    ) -> None:
        where = resolve_place(lieu) if lieu else None
        await self.flows.feeds.add(interaction, adresse, nom, where)

    flux_ajouter.autocomplete("lieu")(place_autocomplete)

    @flux.command(
        name=L("cmd.tableau.flux.liste.name"), description=L("cmd.tableau.flux.liste.desc")
    )
    @moderator_only()
    async def flux_liste(self, interaction: Interaction) -> None:
        await self.flows.feeds.show(interaction)

    @flux.command(
        name=L("cmd.tableau.flux.retirer.name"), description=L("cmd.tableau.flux.retirer.desc")
    )
    @options("cmd.tableau.flux.retirer", "flux")
    @moderator_only()
    async def flux_retirer(self, interaction: Interaction, flux: int) -> None:
        await self.flows.feeds.remove(interaction, flux)

    @flux_retirer.autocomplete("flux")
    async def _feed_autocomplete(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        typed = current.casefold()
        return [
            app_commands.Choice(name=truncate(f"#{f.id} {f.title}", CHOICE_NAME_MAX), value=f.id)
            for f in await self.flows.store.feeds.of_guild(interaction.guild_id)
            if typed in f.title.casefold() or typed in str(f.id)
        ][:CHOICES_MAX]

    # -- /offre ---------------------------------------------------------------------------------
    @offre.command(name=L("cmd.offre.publier.name"), description=L("cmd.offre.publier.desc"))
    @options(
        "cmd.offre.publier", "type", "lieu", "ville", "profession", "profession2", "profession3"
    )
    @app_commands.choices(type=OFFER_KINDS)
    async def offre_publier(
        self,
        interaction: Interaction,
        type: app_commands.Choice[str],
        lieu: str,
        ville: str | None = None,
        profession: str | None = None,
        profession2: str | None = None,
        profession3: str | None = None,
    ) -> None:
        context = self.flows.posts.context(
            PostKind.OFFER, type.value, lieu, ville, [profession, profession2, profession3]
        )
        await self.flows.posts.open_form(interaction, context)

    offre_publier.autocomplete("lieu")(place_autocomplete)
    offre_publier.autocomplete("profession")(profession_autocomplete)
    offre_publier.autocomplete("profession2")(profession_autocomplete)
    offre_publier.autocomplete("profession3")(profession_autocomplete)

    @offre.command(name=L("cmd.offre.chercher.name"), description=L("cmd.offre.chercher.desc"))
    @options("cmd.offre.chercher", "type", "lieu", "cote", "profession", "mots")
    @app_commands.choices(type=OFFER_KINDS, cote=SIDES)
    async def offre_chercher(
        self,
        interaction: Interaction,
        type: app_commands.Choice[str] | None = None,
        lieu: str | None = None,
        cote: app_commands.Choice[str] | None = None,
        profession: str | None = None,
        mots: app_commands.Range[str, 1, SEARCH_WORDS_MAX] | None = None,
    ) -> None:
        await self.flows.posts.search(
            interaction,
            category=type.value if type else None,
            place=lieu,
            side=cote.value if cote else None,
            profession=profession,
            words=mots,
        )

    offre_chercher.autocomplete("lieu")(place_autocomplete)
    offre_chercher.autocomplete("profession")(profession_autocomplete)

    # -- /nouvelle ------------------------------------------------------------------------------
    @nouvelle.command(
        name=L("cmd.nouvelle.publier.name"), description=L("cmd.nouvelle.publier.desc")
    )
    @options("cmd.nouvelle.publier", "type", "lieu", "ville")
    @app_commands.choices(type=NEWS_KINDS)
    async def nouvelle_publier(
        self,
        interaction: Interaction,
        type: app_commands.Choice[str],
        lieu: str,
        ville: str | None = None,
    ) -> None:
        context = self.flows.posts.context(PostKind.NEWS, type.value, lieu, ville, [])
        await self.flows.posts.open_form(interaction, context)

    nouvelle_publier.autocomplete("lieu")(place_autocomplete)

    # -- /alertes -------------------------------------------------------------------------------
    @alertes.command(name=L("cmd.alertes.offres.name"), description=L("cmd.alertes.offres.desc"))
    async def alertes_offres(self, interaction: Interaction) -> None:
        await self.flows.alerts.open_form(interaction, PostKind.OFFER)

    @alertes.command(
        name=L("cmd.alertes.nouvelles.name"), description=L("cmd.alertes.nouvelles.desc")
    )
    async def alertes_nouvelles(self, interaction: Interaction) -> None:
        await self.flows.alerts.open_form(interaction, PostKind.NEWS)

    @alertes.command(name=L("cmd.alertes.voir.name"), description=L("cmd.alertes.voir.desc"))
    async def alertes_voir(self, interaction: Interaction) -> None:
        await self.flows.alerts.show(interaction)

    @alertes.command(name=L("cmd.alertes.arreter.name"), description=L("cmd.alertes.arreter.desc"))
    @options("cmd.alertes.arreter", "quoi")
    @app_commands.choices(quoi=STOP)
    async def alertes_arreter(
        self, interaction: Interaction, quoi: app_commands.Choice[str]
    ) -> None:
        await self.flows.alerts.stop(interaction, quoi.value)
