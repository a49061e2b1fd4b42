"""Profiles: create, edit, show, hide, delete; the choices on the owner's card."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import discord

from bot.checks import require_guild
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.reference import places
from bot.reference.practice import Field, Language, StructureType
from bot.user_error import UserError
from cogs.reseau import render
from cogs.reseau.flows.common import Common
from cogs.reseau.service import (
    DraftKind,
    OpenTo,
    Profile,
    ProfileFields,
    needs_confirmation,
    parse_month,
    parse_years,
    validate_profile,
)
from cogs.reseau.views import (
    ChoiceKind,
    ProfileForm,
    ProfileModal,
)

NO_MOVE = "-"  # the autocomplete value « no move planned any more »


class ProfileFlows:
    def __init__(self, common: Common) -> None:
        self.c = common
        self.store = common.store.profiles

    # -- commands --------------------------------------------------------------------------------
    async def open_form(
        self,
        interaction: discord.Interaction[Any],
        *,
        profession: str | None,
        place: str | None,
        target: str | None,
        creating: bool,
    ) -> None:
        """`/profil creer` and `/profil modifier`: the options, then the form for the texts."""
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        existing = await self.store.profile(guild.id, interaction.user.id)
        if creating and existing is not None:
            raise UserError("reseau.error.profile_exists")
        if not creating and existing is None:
            raise UserError("reseau.error.no_profile")
        profession = profession or (existing.profession if existing else None)
        place = place or (existing.place if existing else None)
        if target is None and existing is not None:
            target = existing.target_place
        target = None if target == NO_MOVE else target
        # the codes are checked now, so that nobody types a presentation for nothing
        validate_profile(profession=profession or "", place=place or "", target_place=target)
        assert profession is not None and place is not None
        await interaction.response.send_modal(
            ProfileModal(self, guild.id, profession, place, target, lang, existing)
        )

    async def show(
        self, interaction: discord.Interaction[Any], member: discord.abc.User | None
    ) -> None:
        """`/profil voir`: one's own card (with its controls), or another member's profile if it
        is visible in this server."""
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        if member is None or member.id == interaction.user.id:
            profile = await self.store.profile(guild.id, interaction.user.id)
            if profile is None:
                raise UserError("reseau.error.no_profile")
            await self._card(interaction, profile, lang)
            return
        await self.c.require_directory(interaction)
        profile = await self.store.profile(guild.id, member.id)
        seen = await self.c.presence.check(guild, member.id) if profile else None
        if profile is None or not profile.visible or seen is None:
            raise UserError("reseau.error.no_visible_profile")
        await self.c.respond(
            interaction,
            embed=render.profile_embed(profile, seen.name, lang, own=False),
            view=self.c.ui.ask_view(profile.id, seen.name, lang),
        )

    async def hide_command(self, interaction: discord.Interaction[Any]) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        if not await self.store.set_visible(guild.id, interaction.user.id, False, self.c.now()):
            raise UserError("reseau.error.no_profile")
        await self.c.respond(interaction, content=t("reseau.profile.hidden_now", lang))

    async def delete_command(self, interaction: discord.Interaction[Any]) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        if await self.store.profile(guild.id, interaction.user.id) is None:
            raise UserError("reseau.error.no_profile")
        await self.c.respond(
            interaction,
            content=t("reseau.profile.delete_ask", lang),
            view=self.c.ui.delete_view(interaction.user.id, lang),
        )

    # -- the form and the card -------------------------------------------------------------------
    async def submit(self, interaction: discord.Interaction[Any], form: ProfileForm) -> None:
        lang = interaction_lang(interaction)
        now = self.c.now()
        await interaction.response.defer(ephemeral=True, thinking=True)  # the guard may wait
        existing = await self.store.profile(form.guild_id, interaction.user.id)
        payload = {
            "profession": form.profession,
            "place": form.place,
            "target_place": form.target_place,
            "move_month": parse_month(form.move_month, now) if form.move_month.strip() else None,
            "city": form.city,
            "years": parse_years(form.years),
            "presentation": form.presentation,
        }
        fields = self._fields(payload, existing)  # everything but the guard, first
        kinds = await self.c.guard(fields.presentation)
        if needs_confirmation(kinds):
            draft_id = await self.c.store.requests.save_draft(
                form.guild_id, interaction.user.id, DraftKind.PROFILE, payload, now
            )
            await self.c.respond(
                interaction,
                content=t(
                    "reseau.guard.warning_profile", lang, kinds=self.c.secrecy.describe(kinds, lang)
                ),
                view=self.c.ui.draft_view(draft_id, lang),
            )
            return
        await self.save(interaction, form.guild_id, fields, edit=False)

    def _fields(
        self,
        payload: dict[str, Any],
        existing: Profile | None,
        kinds: Sequence[str] = (),
    ) -> ProfileFields:
        """Validate the form's values, keeping the choices made on the card; `kinds` found by
        the guard were confirmed by the member."""
        return validate_profile(
            **payload,
            structure=existing.structure if existing else None,
            fields=existing.fields if existing else (),
            languages=existing.languages if existing else (Language.FRENCH,),
            open_to=existing.open_to if existing else (),
            guard_findings=kinds,
            guard_accepted=True,
        )

    async def save(
        self,
        interaction: discord.Interaction[Any],
        guild_id: int,
        fields: ProfileFields,
        *,
        edit: bool,
    ) -> None:
        lang = interaction_lang(interaction)
        profile = await self.store.save_profile(guild_id, interaction.user.id, fields, self.c.now())
        await self._card(interaction, profile, lang, edit=edit, saved=True)

    async def save_draft(
        self, interaction: discord.Interaction[Any], guild_id: int, payload: dict[str, Any]
    ) -> None:
        """« Enregistrer quand même » after the guard's warning."""
        existing = await self.store.profile(guild_id, interaction.user.id)
        kinds = await self.c.guard(str(payload.get("presentation", "")))
        fields = self._fields(payload, existing, kinds)
        await self.save(interaction, guild_id, fields, edit=True)

    async def _card(
        self,
        interaction: discord.Interaction[Any],
        profile: Profile,
        lang: str,
        *,
        edit: bool = False,
        saved: bool = False,
    ) -> None:
        name = getattr(interaction.user, "display_name", interaction.user.name)
        content = t("reseau.profile.saved" if saved else "reseau.profile.yours", lang)
        if not profile.visible:
            content += "\n" + t("reseau.profile.hidden_hint", lang)
        await self.c.respond(
            interaction,
            edit=edit,
            content=content,
            embed=render.profile_embed(profile, name, lang, own=True),
            view=self.c.ui.profile_card_view(profile, lang),
        )

    async def _own(self, interaction: discord.Interaction[Any], owner: int) -> Profile:
        if interaction.user.id != owner:
            raise UserError("reseau.error.not_yours")
        guild = require_guild(interaction)
        profile = await self.store.profile(guild.id, owner)
        if profile is None:
            raise UserError("reseau.error.no_profile")
        return profile

    async def choose(
        self, interaction: discord.Interaction[Any], owner: int, kind: str, values: Sequence[str]
    ) -> None:
        profile = await self._own(interaction, owner)
        try:
            if kind == ChoiceKind.FIELDS:
                changes: dict[str, Any] = {"fields": frozenset(Field(v) for v in values)}
            elif kind == ChoiceKind.OPEN_TO:
                changes = {"open_to": frozenset(OpenTo(v) for v in values)}
            elif kind == ChoiceKind.LANGUAGES:
                changes = {"languages": frozenset(Language(v) for v in values) or profile.languages}
            else:
                changes = {"structure": StructureType(values[0]) if values else None}
        except ValueError:
            raise UserError("reseau.error.bad_choice") from None
        updated = await self.store.update_choices(profile, self.c.now(), **changes)
        await self._card(interaction, updated, interaction_lang(interaction), edit=True)

    async def set_visible(
        self, interaction: discord.Interaction[Any], owner: int, visible: bool
    ) -> None:
        profile = await self._own(interaction, owner)
        await self.store.set_visible(profile.guild_id, owner, visible, self.c.now())
        updated = replace(profile, visible=visible)
        await self._card(interaction, updated, interaction_lang(interaction), edit=True)

    async def delete(self, interaction: discord.Interaction[Any], owner: int) -> None:
        profile = await self._own(interaction, owner)
        await self.store.delete_profile(profile.guild_id, owner)
        await self.c.respond(
            interaction,
            edit=True,
            content=t("reseau.profile.deleted", interaction_lang(interaction)),
            embed=None,
            view=None,
        )


def place_choices(typed: str, lang: str, *, allow_none: bool = False) -> list[tuple[str, str]]:
    """Autocomplete of a place: (label, code)."""
    found = [(p.choice_label(lang), p.code) for p in places.search(typed)]
    if allow_none:
        found = [(t("reseau.form.no_move", lang), NO_MOVE), *found][: places.SEARCH_LIMIT]
    return found
