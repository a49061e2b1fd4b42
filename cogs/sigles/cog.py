"""Slash commands of Sigles: `/sigle` for everyone, `/glossaire …` for moderators."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import MODERATOR_PERMISSIONS, moderator_only
from bot.i18n.commands import L, options
from bot.regions import REGIONS
from cogs.sigles import service
from cogs.sigles.flows import SiglesFlows
from cogs.sigles.glossary import DOMAINES
from cogs.sigles.service import ExportFormat

if TYPE_CHECKING:
    from bot.client import Passerelle

Interaction = discord.Interaction["Passerelle"]
WEEKDAYS = range(7)  # 0 = lundi … 6 = dimanche
REGION_CHOICES = [app_commands.Choice(name=L(f"region.{code}"), value=code) for code in REGIONS]
DOMAIN_CHOICES = [app_commands.Choice(name=L(f"sigles.domaine.{d}"), value=d) for d in DOMAINES]
WEEKDAY_CHOICES = [app_commands.Choice(name=L(f"weekday.{i}"), value=i) for i in WEEKDAYS]
FORMAT_CHOICES = [
    app_commands.Choice(name=L(f"sigles.format.{f}"), value=f.value) for f in ExportFormat
]


def typed_fields(
    sigle: str | None,
    region: app_commands.Choice[str] | None,
    domaine: app_commands.Choice[str] | None,
    developpe: str | None,
    explication: str | None,
    source: str | None,
    alias: str | None,
    equivalents: str | None,
) -> dict[str, Any]:
    """What a moderator typed in `/glossaire ajouter` or `modifier`; options left out are absent."""
    typed = {
        "sigle": sigle,
        "region": region.value if region else None,
        "domaine": domaine.value if domaine else None,
        "developpe": developpe,
        "explication": explication,
        "source": source,
        "alias": service.split_list(alias) if alias is not None else None,
        "equivalents": service.split_list(equivalents) if equivalents is not None else None,
    }
    return {k: v for k, v in typed.items() if v is not None}


class SiglesCog(commands.Cog):
    glossaire = app_commands.Group(
        name=L("cmd.glossaire.name"),
        description=L("cmd.glossaire.desc"),
        guild_only=True,
        default_permissions=MODERATOR_PERMISSIONS,
    )

    def __init__(self, bot: Passerelle, flows: SiglesFlows) -> None:
        self.bot = bot
        self.flows = flows

    # -- /sigle ---------------------------------------------------------------------------------
    @app_commands.command(name=L("cmd.sigle.name"), description=L("cmd.sigle.desc"))
    @options("cmd.sigle", "terme", "region")
    @app_commands.choices(region=REGION_CHOICES)
    async def sigle(
        self,
        interaction: Interaction,
        terme: str,
        region: app_commands.Choice[str] | None = None,
    ) -> None:
        await self.flows.look_up(interaction, terme, region.value if region else None)

    @sigle.autocomplete("terme")
    async def _terme(self, interaction: Interaction, current: str) -> list[app_commands.Choice]:
        chosen = getattr(interaction.namespace, "region", None)
        region = chosen if isinstance(chosen, str) else None
        return await self.flows.suggest_terms(interaction, current, region)

    # -- /glossaire (moderators) ----------------------------------------------------------------
    @glossaire.command(
        name=L("cmd.glossaire.ajouter.name"), description=L("cmd.glossaire.ajouter.desc")
    )
    @options(
        "cmd.glossaire",
        "sigle",
        "region",
        "domaine",
        "developpe",
        "explication",
        "source",
        "alias",
        "equivalents",
        "historique",
    )
    @app_commands.choices(region=REGION_CHOICES, domaine=DOMAIN_CHOICES)
    @moderator_only()
    async def add(
        self,
        interaction: Interaction,
        sigle: str,
        region: app_commands.Choice[str],
        domaine: app_commands.Choice[str],
        developpe: str,
        explication: str,
        source: str,
        alias: str | None = None,
        equivalents: str | None = None,
        historique: bool = False,
    ) -> None:
        data = typed_fields(
            sigle, region, domaine, developpe, explication, source, alias, equivalents
        ) | {"historique": historique}
        await self.flows.add_entry(interaction, data)

    @glossaire.command(
        name=L("cmd.glossaire.modifier.name"), description=L("cmd.glossaire.modifier.desc")
    )
    @options(
        "cmd.glossaire",
        "entree",
        "sigle",
        "region",
        "domaine",
        "developpe",
        "explication",
        "source",
        "alias",
        "equivalents",
    )
    @app_commands.choices(region=REGION_CHOICES, domaine=DOMAIN_CHOICES)
    @moderator_only()
    async def edit(
        self,
        interaction: Interaction,
        entree: str,
        sigle: str | None = None,
        region: app_commands.Choice[str] | None = None,
        domaine: app_commands.Choice[str] | None = None,
        developpe: str | None = None,
        explication: str | None = None,
        source: str | None = None,
        alias: str | None = None,
        equivalents: str | None = None,
    ) -> None:
        data = typed_fields(
            sigle, region, domaine, developpe, explication, source, alias, equivalents
        )
        await self.flows.edit_entry(interaction, entree, data)

    @glossaire.command(
        name=L("cmd.glossaire.supprimer.name"), description=L("cmd.glossaire.supprimer.desc")
    )
    @options("cmd.glossaire", "entree")
    @moderator_only()
    async def remove(self, interaction: Interaction, entree: str) -> None:
        await self.flows.remove_entry(interaction, entree)

    @edit.autocomplete("entree")
    @remove.autocomplete("entree")
    async def _entree(self, interaction: Interaction, current: str) -> list[app_commands.Choice]:
        return await self.flows.pick_entries(interaction, current)

    @glossaire.command(
        name=L("cmd.glossaire.importer.name"), description=L("cmd.glossaire.importer.desc")
    )
    @options("cmd.glossaire", "fichier")
    @moderator_only()
    async def import_(self, interaction: Interaction, fichier: discord.Attachment) -> None:
        await self.flows.import_entries(interaction, fichier)

    @glossaire.command(
        name=L("cmd.glossaire.exporter.name"), description=L("cmd.glossaire.exporter.desc")
    )
    @options("cmd.glossaire", "format")
    @app_commands.choices(format=FORMAT_CHOICES)
    @moderator_only()
    async def export(self, interaction: Interaction, format: app_commands.Choice[str]) -> None:
        await self.flows.export_entries(interaction, ExportFormat(format.value))

    # -- /glossaire semaine, /glossaire semaine-arreter ------------------------------------------
    @glossaire.command(
        name=L("cmd.glossaire.semaine.name"), description=L("cmd.glossaire.semaine.desc")
    )
    @options("cmd.glossaire", "salon", "jour", "heure")
    @app_commands.choices(jour=WEEKDAY_CHOICES)
    @moderator_only()
    async def weekly_start(
        self,
        interaction: Interaction,
        salon: discord.TextChannel,
        jour: app_commands.Choice[int],
        heure: str,
    ) -> None:
        await self.flows.start_weekly(interaction, salon, jour.value, heure)

    @glossaire.command(
        name=L("cmd.glossaire.semaine-arreter.name"),
        description=L("cmd.glossaire.semaine-arreter.desc"),
    )
    @moderator_only()
    async def weekly_stop(self, interaction: Interaction) -> None:
        await self.flows.stop_weekly(interaction)
