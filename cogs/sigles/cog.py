"""Slash commands of Sigles: `/sigle` for everyone, `/glossaire …` for moderators."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import (
    MODERATOR_PERMISSIONS,
    moderator_only,
    require_channel_permissions,
    require_guild,
)
from bot.discord_text import CHOICES_MAX, escape, truncate, ts
from bot.i18n import t
from bot.i18n.commands import L, interaction_lang, options
from bot.regions import REGIONS
from bot.user_error import UserError
from cogs.sigles import render, rotation, service
from cogs.sigles.export import to_csv, to_json
from cogs.sigles.flows import SuggestionFlows
from cogs.sigles.glossary import DOMAINES, Entry, Glossary, normalise
from cogs.sigles.matcher import Matcher
from cogs.sigles.store import SiglesStore
from cogs.sigles.views import propose_view
from cogs.sigles.weekly import POST_PERMISSIONS, WeeklySigle

if TYPE_CHECKING:
    from bot.client import Passerelle

Interaction = discord.Interaction["Passerelle"]
REGION_CHOICES = [app_commands.Choice(name=L(f"region.{code}"), value=code) for code in REGIONS]
DOMAIN_CHOICES = [app_commands.Choice(name=L(f"sigles.domaine.{d}"), value=d) for d in DOMAINES]
WEEKDAY_CHOICES = [app_commands.Choice(name=L(f"weekday.{i}"), value=i) for i in range(7)]
FORMAT_CHOICES = [
    app_commands.Choice(name=L(f"sigles.format.{f}"), value=f) for f in ("csv", "json")
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


@dataclass
class Library:
    """One server's view of the glossary: the shipped entries with its own on top."""

    matcher: Matcher
    rows: list[service.GuildEntry] = field(default_factory=list)

    @property
    def credits(self) -> dict[tuple[str, str, str], int | None]:
        return {row.entry.identity: row.contributor_id for row in self.rows}


class SiglesCog(commands.Cog):
    glossaire = app_commands.Group(
        name=L("cmd.glossaire.name"),
        description=L("cmd.glossaire.desc"),
        guild_only=True,
        default_permissions=MODERATOR_PERMISSIONS,
    )

    def __init__(self, bot: Passerelle, shipped: Glossary) -> None:
        self.bot = bot
        self.shipped = shipped
        self.shipped_library = Library(Matcher(shipped))
        self._libraries: dict[int, Library] = {}
        self.store = SiglesStore(bot.db)
        self.flows = SuggestionFlows(self)
        self.weekly = WeeklySigle(self)

    # -- the per-server glossary, built once and rebuilt on change -------------------------------
    async def library(self, guild_id: int | None) -> Library:
        if guild_id is None:
            return self.shipped_library
        cached = self._libraries.get(guild_id)
        if cached is None:
            rows = await self.store.entries(guild_id)
            if rows:
                glossary = self.shipped.with_extra(r.entry for r in rows)
                cached = Library(Matcher(glossary), rows)
            else:
                cached = self.shipped_library
            self._libraries[guild_id] = cached
        return cached

    def _checked_entry(
        self, guild_id: int, library: Library, data: dict[str, Any], *, except_id: int | None = None
    ) -> Entry:
        """A server entry from a moderator's fields, valid and not already in the server's list."""
        entry = service.build_entry(data, guild_id=guild_id, known=library.matcher.glossary)
        service.require_new(entry, library.rows, except_id=except_id)
        return entry

    def invalidate(self, guild_id: int) -> None:
        self._libraries.pop(guild_id, None)

    def region_of(self, guild_id: int | None) -> str:
        return self.bot.settings_store.region_of(guild_id)

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
        lang = interaction_lang(interaction)
        library = await self.library(interaction.guild_id)
        answer = service.answer(library.matcher, terme, region.value if region else None)
        if answer.kind == "not_found":
            can_propose = answer.can_propose and interaction.guild_id is not None
            await interaction.response.send_message(
                render.not_found_text(answer, lang, can_propose=can_propose),
                view=propose_view(answer.query, lang) if can_propose else discord.utils.MISSING,
                ephemeral=True,
            )
            return
        embed = render.answer_embed(answer, library.matcher.glossary, lang, library.credits)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @sigle.autocomplete("terme")
    async def _terme(self, interaction: Interaction, current: str) -> list[app_commands.Choice]:
        if len(current) > service.MAX_QUERY:
            return []
        library = await self.library(interaction.guild_id)
        chosen = getattr(interaction.namespace, "region", None)
        first = chosen if isinstance(chosen, str) and chosen in REGIONS else None
        matches = library.matcher.suggest(
            current, region_first=first or self.region_of(interaction.guild_id), limit=CHOICES_MAX
        )
        return [app_commands.Choice(name=m.label(100), value=m.entry.sigle) for m in matches]

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
        guild = require_guild(interaction)
        library = await self.library(guild.id)
        data = typed_fields(
            sigle, region, domaine, developpe, explication, source, alias, equivalents
        ) | {"historique": historique}
        entry = self._checked_entry(guild.id, library, data)
        await self.store.add(guild.id, entry, interaction.user.id, self.bot.clock.now())
        self.invalidate(guild.id)
        await self._done(interaction, "sigles.admin.added", entry.sigle, entry.region)

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
        guild = require_guild(interaction)
        library = await self.library(guild.id)
        row = service.find(library.rows, service.parse_entry_id(entree))
        data = service.entry_fields(row.entry) | typed_fields(
            sigle, region, domaine, developpe, explication, source, alias, equivalents
        )
        entry = self._checked_entry(guild.id, library, data, except_id=row.id)
        await self.store.update(guild.id, row.id, entry, self.bot.clock.now())
        self.invalidate(guild.id)
        await self._done(interaction, "sigles.admin.edited", entry.sigle, entry.region)

    @glossaire.command(
        name=L("cmd.glossaire.supprimer.name"), description=L("cmd.glossaire.supprimer.desc")
    )
    @options("cmd.glossaire", "entree")
    @moderator_only()
    async def remove(self, interaction: Interaction, entree: str) -> None:
        guild = require_guild(interaction)
        row = service.find((await self.library(guild.id)).rows, service.parse_entry_id(entree))
        await self.store.delete(guild.id, row.id)
        self.invalidate(guild.id)
        await self._done(interaction, "sigles.admin.removed", row.entry.sigle, row.entry.region)

    @edit.autocomplete("entree")
    @remove.autocomplete("entree")
    async def _entree(self, interaction: Interaction, current: str) -> list[app_commands.Choice]:
        if interaction.guild_id is None:
            return []
        wanted = normalise(current)
        rows = (await self.library(interaction.guild_id)).rows
        return [
            app_commands.Choice(
                name=truncate(f"{r.entry.sigle} ({r.entry.region}) — {r.entry.developpe}", 100),
                value=str(r.id),
            )
            for r in rows
            if wanted in normalise(f"{r.entry.sigle} {r.entry.developpe}")
        ][:CHOICES_MAX]

    @glossaire.command(
        name=L("cmd.glossaire.importer.name"), description=L("cmd.glossaire.importer.desc")
    )
    @options("cmd.glossaire", "fichier")
    @moderator_only()
    async def import_(self, interaction: Interaction, fichier: discord.Attachment) -> None:
        guild = require_guild(interaction)
        if fichier.size > service.MAX_IMPORT_BYTES:
            raise UserError("sigles.error.import_too_big", max=service.MAX_IMPORT_BYTES // 1000)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            data = await fichier.read()
        except discord.HTTPException:
            raise UserError("sigles.error.import_unreadable") from None
        library = await self.library(guild.id)
        entries = service.parse_import(
            data, fichier.filename, guild_id=guild.id, known=library.matcher.glossary
        )
        added, updated = await self.store.import_entries(
            guild.id, entries, interaction.user.id, self.bot.clock.now()
        )
        self.invalidate(guild.id)
        lang = interaction_lang(interaction)
        await interaction.followup.send(
            t("sigles.admin.imported", lang, n=added, updated=updated), ephemeral=True
        )

    @glossaire.command(
        name=L("cmd.glossaire.exporter.name"), description=L("cmd.glossaire.exporter.desc")
    )
    @options("cmd.glossaire", "format")
    @app_commands.choices(format=FORMAT_CHOICES)
    @moderator_only()
    async def export(self, interaction: Interaction, format: app_commands.Choice[str]) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        entries = [r.entry for r in (await self.library(guild.id)).rows]
        text = to_json(entries) if format.value == "json" else to_csv(entries)
        day = self.bot.clock.now().astimezone(UTC).date().isoformat()
        upload = discord.File(
            io.BytesIO(text.encode("utf-8")), filename=f"sigles-{guild.id}-{day}.{format.value}"
        )
        await interaction.response.send_message(
            t("sigles.admin.exported", lang, n=len(entries)), file=upload, ephemeral=True
        )

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
        guild = require_guild(interaction)
        at = rotation.parse_hour(heure)
        require_channel_permissions(salon, guild.me, *POST_PERMISSIONS)
        settings = rotation.WeeklySettings(guild.id, salon.id, jour.value, at)
        occ = await self.weekly.start(settings, self.bot.clock.now())
        lang = interaction_lang(interaction)
        text = t(
            "sigles.semaine.started",
            lang,
            channel=salon.mention,
            weekday=t(f"weekday.{jour.value}", lang),
            time=f"{at:%H:%M}",
            zone=self.weekly.zone(guild.id).key,
            next=ts(occ.start, "F"),
            relative=ts(occ.start, "R"),
        )
        rule = t("sigles.semaine.rule", lang)
        await interaction.response.send_message(f"{text}\n{rule}", ephemeral=True)

    @glossaire.command(
        name=L("cmd.glossaire.semaine-arreter.name"),
        description=L("cmd.glossaire.semaine-arreter.desc"),
    )
    @moderator_only()
    async def weekly_stop(self, interaction: Interaction) -> None:
        guild = require_guild(interaction)
        stopped = await self.weekly.stop(guild.id)
        key = "sigles.semaine.stopped" if stopped else "sigles.semaine.not_started"
        await interaction.response.send_message(
            t(key, interaction_lang(interaction)), ephemeral=True
        )

    async def _done(self, interaction: Interaction, key: str, sigle: str, region: str) -> None:
        lang = interaction_lang(interaction)
        text = t(key, lang, sigle=escape(sigle), region=region)
        await interaction.response.send_message(text, ephemeral=True)
