"""Réseau's forms (modals): a profile's texts, a request's message, the contact details each
member chooses to give. They get the workflows through their constructor."""

from __future__ import annotations

import discord

from bot.discord_text import MODAL_TITLE_LIMIT, truncate
from bot.errors import ErrorHandlingModal
from bot.i18n import t
from cogs.reseau.service import CITY_MAX, PRESENTATION_MAX, Profile
from cogs.reseau.service.consent import DETAILS_MAX, MESSAGE_MAX, RequestKind
from cogs.reseau.views.actions import ContactActions, Interaction, ProfileActions

HINT_LIMIT = 100  # a text input's placeholder
MONTH_FIELD_MAX = 20
YEARS_FIELD_MAX = 2


class ProfileModal(ErrorHandlingModal):
    """The texts of a profile; profession and places come from the command's options."""

    def __init__(
        self,
        actions: ProfileActions,
        guild_id: int,
        profession: str,
        place: str,
        target_place: str | None,
        lang: str,
        existing: Profile | None = None,
    ) -> None:
        super().__init__(
            title=truncate(t("reseau.form.profile_title", lang), MODAL_TITLE_LIMIT), timeout=900
        )
        self.actions, self.guild_id = actions, guild_id
        self.profession, self.place, self.target_place = profession, place, target_place
        self.presentation_input = discord.ui.TextInput(
            custom_id="presentation",
            label=t("reseau.form.presentation", lang),
            style=discord.TextStyle.paragraph,
            max_length=PRESENTATION_MAX,
            required=False,
            default=existing.presentation if existing else None,
            placeholder=truncate(t("reseau.form.presentation_hint", lang), HINT_LIMIT),
        )
        self.city_input = discord.ui.TextInput(
            custom_id="city",
            label=t("reseau.form.city", lang),
            max_length=CITY_MAX,
            required=False,
            default=existing.city if existing else None,
        )
        self.years_input = discord.ui.TextInput(
            custom_id="years",
            label=t("reseau.form.years", lang),
            max_length=YEARS_FIELD_MAX,
            required=False,
            default=str(existing.years) if existing and existing.years is not None else None,
        )
        self.month_input = discord.ui.TextInput(
            custom_id="move_month",
            label=t("reseau.form.move_month", lang),
            max_length=MONTH_FIELD_MAX,
            required=False,
            placeholder=t("reseau.form.move_month_hint", lang),
            default=_month_default(existing, target_place),
        )
        for item in (self.presentation_input, self.city_input, self.years_input):
            self.add_item(item)
        if target_place:
            self.add_item(self.month_input)

    @property
    def presentation(self) -> str:
        return self.presentation_input.value

    @property
    def city(self) -> str:
        return self.city_input.value

    @property
    def years(self) -> str:
        return self.years_input.value

    @property
    def move_month(self) -> str:
        return self.month_input.value if self.target_place else ""

    async def on_submit(self, interaction: Interaction) -> None:
        await self.actions.submit(interaction, self)


def _month_default(profile: Profile | None, target_place: str | None) -> str | None:
    if profile is None or not profile.move_month or target_place != profile.target_place:
        return None
    year, month = profile.move_month.split("-")
    return f"{month}/{year}"


class RequestModal(ErrorHandlingModal):
    """The short message of a contact or mentoring request (≤ 500 characters)."""

    def __init__(
        self,
        actions: ContactActions,
        guild_id: int,
        recipient_id: int,
        name: str,
        lang: str,
        kind: RequestKind = RequestKind.CONTACT,
        arrival: str | None = None,
    ) -> None:
        key = (
            "reseau.form.mentoring_title"
            if kind == RequestKind.MENTORING
            else "reseau.form.request_title"
        )
        super().__init__(title=truncate(t(key, lang, name=name), MODAL_TITLE_LIMIT), timeout=900)
        self.actions, self.guild_id, self.recipient_id = actions, guild_id, recipient_id
        self.kind, self.arrival = kind, arrival
        self.message_input = discord.ui.TextInput(
            custom_id="message",
            label=t("reseau.form.message", lang),
            style=discord.TextStyle.paragraph,
            max_length=MESSAGE_MAX,
            placeholder=truncate(t("reseau.form.message_hint", lang), HINT_LIMIT),
        )
        self.add_item(self.message_input)

    @property
    def message(self) -> str:
        return self.message_input.value

    async def on_submit(self, interaction: Interaction) -> None:
        await self.actions.submit_request(interaction, self)


class DetailsModal(ErrorHandlingModal):
    """The contact details a member chooses to give, once a request is accepted."""

    def __init__(
        self, actions: ContactActions, request_id: int, lang: str, *, accepting: bool
    ) -> None:
        key = "reseau.form.accept_title" if accepting else "reseau.form.details_title"
        super().__init__(title=truncate(t(key, lang), MODAL_TITLE_LIMIT), timeout=900)
        self.actions, self.request_id, self.accepting = actions, request_id, accepting
        self.details_input = discord.ui.TextInput(
            custom_id="details",
            label=t("reseau.form.details", lang),
            style=discord.TextStyle.paragraph,
            max_length=DETAILS_MAX,
            placeholder=truncate(t("reseau.form.details_hint", lang), HINT_LIMIT),
        )
        self.add_item(self.details_input)

    async def on_submit(self, interaction: Interaction) -> None:
        if self.accepting:
            await self.actions.accept_with_details(
                interaction, self.request_id, self.details_input.value
            )
        else:
            await self.actions.give_details(interaction, self.request_id, self.details_input.value)
