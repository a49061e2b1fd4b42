"""Réseau's views: buttons, selects and forms. `ReseauViews` builds the views the workflows
send from the item classes bound to one bot's workflows (`bot.ui.bind`): discord.py registers
again the class of every dynamic item a sent view holds, so a view built from an unbound class
would take the binding away."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import discord

from bot.ui import bind
from cogs.reseau.service import DirectoryFilters, Profile
from cogs.reseau.service.consent import CheckinAnswer
from cogs.reseau.views.actions import (
    Actions,
    AnswerAction,
    CardAction,
    ChoiceKind,
    ContactActions,
    DraftAction,
    MentoringActions,
    ProfileActions,
    ProfileForm,
    RequestForm,
)
from cogs.reseau.views.forms import DetailsModal, ProfileModal, RequestModal
from cogs.reseau.views.items import (
    AnswerButton,
    AskButton,
    CheckinButton,
    ChoiceSelect,
    DetailsButton,
    DraftButton,
    MentorButton,
    PageButton,
    ProfileButton,
)

__all__ = [
    "ITEMS",
    "Actions",
    "ChoiceKind",
    "ContactActions",
    "DetailsModal",
    "MentoringActions",
    "ProfileActions",
    "ProfileForm",
    "ProfileModal",
    "RequestForm",
    "RequestModal",
    "ReseauViews",
]

Item = TypeVar("Item", bound=discord.ui.DynamicItem[Any])

ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    PageButton,
    AskButton,
    AnswerButton,
    DetailsButton,
    DraftButton,
    ProfileButton,
    ChoiceSelect,
    MentorButton,
    CheckinButton,
)


class ReseauViews:
    """The views Réseau sends, built from the item classes bound to one bot's workflows."""

    def __init__(self, flows: Actions) -> None:
        self._classes = {
            base: bound for base, bound in zip(ITEMS, bind(flows, *ITEMS), strict=True)
        }

    @property
    def items(self) -> list[type[discord.ui.DynamicItem[Any]]]:
        """To register with `bot.add_dynamic_items` in `setup`."""
        return list(self._classes.values())

    def __getitem__(self, base: type[Item]) -> type[Item]:
        return self._classes[base]  # type: ignore[return-value]

    def directory_view(
        self,
        filters: DirectoryFilters,
        page: int,
        pages: int,
        asks: Sequence[tuple[int, str]],
        lang: str,
    ) -> discord.ui.View:
        """Paging and one « Demander un contact » per profile shown. The view itself is not kept:
        every item is a DynamicItem found again from its custom_id."""
        view = discord.ui.View(timeout=None)
        for profile_id, name in asks:
            view.add_item(self[AskButton](profile_id, name, lang))
        view.add_item(self[PageButton](max(page - 1, 0), filters, "p", lang, disabled=page <= 0))
        view.add_item(self[PageButton](page + 1, filters, "n", lang, disabled=page + 1 >= pages))
        return view

    def answer_view(self, request_id: int, lang: str, *, reported: bool = False) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        for action in AnswerAction:
            if reported and action is AnswerAction.REPORT:
                continue
            view.add_item(self[AnswerButton](request_id, action, lang))
        return view

    def details_view(self, request_id: int, lang: str) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        view.add_item(self[DetailsButton](request_id, lang))
        return view

    def draft_view(self, draft_id: int, lang: str) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        for action in DraftAction:
            view.add_item(self[DraftButton](draft_id, action, lang))
        return view

    def profile_card_view(self, profile: Profile, lang: str) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        for kind in (
            ChoiceKind.FIELDS,
            ChoiceKind.OPEN_TO,
            ChoiceKind.LANGUAGES,
            ChoiceKind.STRUCTURE,
        ):
            view.add_item(self[ChoiceSelect](profile.user_id, kind, profile, lang))
        view.add_item(
            self[ProfileButton](
                profile.user_id, CardAction.HIDE if profile.visible else CardAction.SHOW, lang
            )
        )
        return view

    def delete_view(self, owner: int, lang: str) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        view.add_item(self[ProfileButton](owner, CardAction.DELETE, lang))
        return view

    def ask_view(self, profile_id: int, name: str, lang: str) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        view.add_item(self[AskButton](profile_id, name, lang))
        return view

    def mentors_view(
        self, mentors: Sequence[tuple[int, str]], arrival: str, lang: str
    ) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        for mentor_id, name in mentors:
            view.add_item(self[MentorButton](mentor_id, arrival, name, lang))
        return view

    def checkin_view(self, pairing_id: int, step: int, lang: str) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        for answer in CheckinAnswer:
            view.add_item(self[CheckinButton](pairing_id, step, answer, lang))
        return view
