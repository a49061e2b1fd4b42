"""Mentoring France ↔ Québec: offers, the three best mentors, pairings and their check-ins."""

from __future__ import annotations

from typing import Any

import discord

from bot.checks import require_guild
from bot.discord_text import NO_MENTIONS
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.reference import places, professions
from bot.reference.practice import Language
from bot.reminders import Schedule
from bot.user_error import UserError
from cogs.reseau import render
from cogs.reseau.flows.common import Common
from cogs.reseau.service import (
    MENTOR_SUGGESTIONS,
    MentorOffer,
    mentor_search,
    validate_capacity,
)
from cogs.reseau.service.consent import (
    CHECKIN_GRACE,
    CheckinAnswer,
    ContactRequest,
    Pairing,
    RequestKind,
    checkin_due,
)
from cogs.reseau.views import ContactActions, RequestModal

CHECKIN_KIND = "reseau.checkin"
CANDIDATES = MENTOR_SUGGESTIONS * 2  # read a few more, in case some left the server


def checkin_ref(pairing_id: int) -> str:
    return f"pairing:{pairing_id}"


def checkin_schedule(pairing: Pairing, step: int) -> Schedule:
    due = checkin_due(pairing.started_at, step)
    return Schedule(
        occurrence=f"step-{step}",
        due_at=due,
        expires_at=due + CHECKIN_GRACE,
        payload={"pairing": pairing.id, "step": step},
    )


class MentoringFlows:
    def __init__(self, common: Common, contacts: ContactActions) -> None:
        self.c = common
        self.store = common.store.mentoring
        self.contacts = contacts  # a mentoring request is a contact request of its kind

    async def offer(
        self,
        interaction: discord.Interaction[Any],
        *,
        place: str | None,
        profession: str | None,
        capacity: int,
    ) -> None:
        """`/mentorat proposer`: where the mentor is, their profession, how many they follow;
        fields and languages come from their profile, if they have one."""
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        profile = await self.c.store.profiles.profile(guild.id, interaction.user.id)
        place = place or (profile.place if profile else None)
        profession = profession or (profile.profession if profile else None)
        if place is None or places.get(place) is None:
            raise UserError("reseau.error.mentor_place")
        if profession is None or professions.get(profession) is None:
            raise UserError("reseau.error.unknown_profession", value=(profession or "")[:40])
        offer = MentorOffer(
            id=0,
            guild_id=guild.id,
            user_id=interaction.user.id,
            place=place,
            profession=profession,
            capacity=validate_capacity(capacity),
            fields=profile.fields if profile else frozenset(),
            languages=profile.languages if profile else frozenset({Language.FRENCH}),
        )
        await self.store.save_mentor(offer, self.c.now())
        await self.c.respond(
            interaction,
            content=t(
                "reseau.mentoring.offered",
                lang,
                place=render.place_text(place, lang),
                profession=render.profession_text(profession, lang),
                n=offer.capacity,
            ),
        )

    async def search(
        self,
        interaction: discord.Interaction[Any],
        *,
        destination: str,
        profession: str | None,
        arrival: str,
        practice: str | None,
        language: str | None,
    ) -> None:
        """`/mentorat chercher`: the three best mentors who are still members."""
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        profile = await self.c.store.profiles.profile(guild.id, interaction.user.id)
        profession = profession or (profile.profession if profile else None)
        if profession is None:
            raise UserError("reseau.error.mentor_profession")
        search = mentor_search(
            guild.id,
            interaction.user.id,
            destination=destination,
            profession=profession,
            arrival=arrival,
            now=self.c.now(),
            practice=practice,
            language=language,
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        offers = await self.store.best_mentors(search, CANDIDATES)
        seen = await self.c.presence.check_many(guild, [o.user_id for o in offers])
        for offer in offers:
            if seen[offer.user_id] is None:  # they left the server
                await self.c.store.profiles.forget_member(guild.id, offer.user_id)
        kept = [(o, seen[o.user_id].name) for o in offers if seen[o.user_id] is not None]  # type: ignore[union-attr]
        kept = kept[:MENTOR_SUGGESTIONS]
        await self.c.respond(
            interaction,
            embed=render.mentors_embed(kept, lang),
            view=self.c.ui.mentors_view([(o.user_id, n) for o, n in kept], search.arrival, lang),
        )

    async def ask_form(
        self, interaction: discord.Interaction[Any], mentor_id: int, arrival: str
    ) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        seen = await self.c.presence.check(guild, mentor_id)
        await interaction.response.send_modal(
            RequestModal(
                self.contacts,
                guild.id,
                mentor_id,
                seen.name if seen else "…",
                lang,
                kind=RequestKind.MENTORING,
                arrival=arrival,
            )
        )

    # -- pairings --------------------------------------------------------------------------------
    async def start(self, request: ContactRequest) -> None:
        """An accepted mentoring request: the pairing, and its first check-in."""
        pairing = await self.store.start_pairing(request, self.c.now())
        await self.c.bot.reminders.schedule(
            CHECKIN_KIND, checkin_ref(pairing.id), pairing.guild_id, checkin_schedule(pairing, 0)
        )

    async def end_command(
        self, interaction: discord.Interaction[Any], other: discord.abc.User | None
    ) -> None:
        """`/mentorat fin`: ends the member's pairing (with `other` if they have several), for
        both; without a pairing, withdraws their mentor offer."""
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        pairings = await self.store.pairings_of(guild.id, interaction.user.id)
        if other is not None:
            pairings = [p for p in pairings if other.id in (p.mentor_id, p.mentee_id)]
        if not pairings:
            if other is None and await self.store.stop_mentoring(guild.id, interaction.user.id):
                await self.c.respond(interaction, content=t("reseau.mentoring.withdrawn", lang))
                return
            raise UserError("reseau.error.no_pairing")
        if len(pairings) > 1:
            raise UserError("reseau.error.several_pairings", n=len(pairings))
        await self.end(pairings[0], interaction.user.id)
        await self.c.respond(
            interaction,
            content=t(
                "reseau.mentoring.ended", lang, other=f"<@{pairings[0].other(interaction.user.id)}>"
            ),
        )

    async def end(self, pairing: Pairing, by: int) -> bool:
        if not await self.store.end_pairing(pairing.id, self.c.now()):
            return False
        await self.c.bot.reminders.cancel(CHECKIN_KIND, checkin_ref(pairing.id))
        other = pairing.other(by)
        if other:
            await self.c.dm(
                other,
                content=t(
                    "reseau.mentoring.ended_by_other",
                    self.c.server_lang(pairing.guild_id),
                    other=f"<@{by}>",
                ),
            )
        return True

    async def checkin(
        self,
        interaction: discord.Interaction[Any],
        pairing_id: int,
        step: int,
        answer: CheckinAnswer,
    ) -> None:
        """« Ça va » / « Besoin d'un coup de main » (the moderators are alerted, with no detail
        but who asks) / « Terminer »."""
        lang = interaction_lang(interaction)
        pairing = await self.store.pairing(pairing_id)
        if pairing is None or interaction.user.id not in (pairing.mentor_id, pairing.mentee_id):
            raise UserError("reseau.error.not_yours")
        if not pairing.active:
            raise UserError("reseau.error.pairing_ended")
        if answer is CheckinAnswer.END:
            await self.end(pairing, interaction.user.id)
            await self.c.respond(
                interaction, edit=True, content=t("reseau.checkin.ended", lang), view=None
            )
            return
        if answer is CheckinAnswer.HELP:
            await self._alert(pairing, interaction.user.id)
            await self.c.respond(
                interaction, edit=True, content=t("reseau.checkin.help_sent", lang), view=None
            )
            return
        await self.c.respond(
            interaction, edit=True, content=t("reseau.checkin.thanks", lang), view=None
        )

    async def _alert(self, pairing: Pairing, who: int) -> None:
        settings = self.c.bot.settings_store.guild(pairing.guild_id)
        if settings.mod_channel_id is None:
            raise UserError("reseau.error.no_mod_channel")
        channel = self.c.bot.get_partial_messageable(
            settings.mod_channel_id, guild_id=pairing.guild_id
        )
        try:
            await channel.send(
                t("reseau.checkin.alert", self.c.server_lang(pairing.guild_id), member=f"<@{who}>"),
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException:
            raise UserError("reseau.error.no_mod_channel") from None
