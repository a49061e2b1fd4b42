"""What Réseau's buttons, selects and forms call on the workflows object: declared here, so
that the views never import flows.py (the workflows object is handed over by `bot.ui.bind`, or
by a form's constructor)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Protocol

import discord

from cogs.reseau.service import DirectoryFilters
from cogs.reseau.service.consent import CheckinAnswer, RequestKind

Interaction = discord.Interaction[Any]


class ChoiceKind(StrEnum):
    FIELDS = "fields"
    OPEN_TO = "open"
    LANGUAGES = "langs"
    STRUCTURE = "structure"


class AnswerAction(StrEnum):
    """The recipient's buttons under a contact request."""

    ACCEPT = "accept"
    REFUSE = "refuse"
    BLOCK = "block"
    REPORT = "report"


class DraftAction(StrEnum):
    """After the secrecy guard's warning."""

    SEND = "send"
    DROP = "drop"


class CardAction(StrEnum):
    """The buttons of the owner's profile card."""

    SHOW = "show"
    HIDE = "hide"
    DELETE = "delete"


class ProfileForm(Protocol):
    """What the profile form hands to the workflows."""

    guild_id: int
    profession: str
    place: str
    target_place: str | None
    presentation: str
    city: str
    years: str
    move_month: str


class RequestForm(Protocol):
    guild_id: int
    recipient_id: int
    kind: RequestKind
    arrival: str | None
    message: str


class ProfileActions(Protocol):
    async def submit(self, interaction: Interaction, form: ProfileForm) -> None: ...
    async def choose(
        self, interaction: Interaction, owner: int, kind: str, values: Sequence[str]
    ) -> None: ...
    async def set_visible(self, interaction: Interaction, owner: int, visible: bool) -> None: ...
    async def delete(self, interaction: Interaction, owner: int) -> None: ...


class ContactActions(Protocol):
    async def show_directory(
        self, interaction: Interaction, filters: DirectoryFilters, page: int, *, edit: bool
    ) -> None: ...
    async def ask_form(self, interaction: Interaction, profile_id: int) -> None: ...
    async def submit_request(self, interaction: Interaction, form: RequestForm) -> None: ...
    async def answer(self, interaction: Interaction, request_id: int, action: str) -> None: ...
    async def accept_with_details(
        self, interaction: Interaction, request_id: int, details: str
    ) -> None: ...
    async def details_form(self, interaction: Interaction, request_id: int) -> None: ...
    async def give_details(
        self, interaction: Interaction, request_id: int, details: str
    ) -> None: ...


class MentoringActions(Protocol):
    async def ask_form(self, interaction: Interaction, mentor_id: int, arrival: str) -> None: ...
    async def checkin(
        self, interaction: Interaction, pairing_id: int, step: int, answer: CheckinAnswer
    ) -> None: ...


class Actions(Protocol):
    """What Réseau's items call on the workflows object."""

    profiles: ProfileActions
    contacts: ContactActions
    mentoring: MentoringActions

    async def draft(self, interaction: Interaction, draft_id: int, send: bool) -> None: ...


# -- the directory -----------------------------------------------------------------------------
