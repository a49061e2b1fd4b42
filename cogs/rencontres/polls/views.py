"""Buttons and selects of date polls: every one a `DynamicItem` bound to the poll's id (and a
slot, a page or an action), so they work after a restart and nothing is kept alive for them.
They reach the workflows through `flows`, set per bot by `bot.ui.bind`; they never import them.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Protocol, TypeVar, cast

import discord

from bot.discord_text import MODAL_TITLE_LIMIT, TEXT_INPUT_LABEL_LIMIT, truncate
from bot.errors import ErrorHandlingModal, ErrorHandlingView, GuardedItem
from bot.i18n import t
from bot.ui import ActionButton, bind, button
from cogs.rencontres.polls import render
from cogs.rencontres.polls.service import Availability, Poll, PollAction, PollStatus
from cogs.rencontres.service import LINK_MAX

Interaction = discord.Interaction[Any]

_STYLES = {
    PollAction.PUBLISH: discord.ButtonStyle.success,
    PollAction.DROP: discord.ButtonStyle.danger,
    PollAction.MINE: discord.ButtonStyle.primary,
    PollAction.CLOSE: discord.ButtonStyle.secondary,
}
_CHOICES = (Availability.YES, Availability.MAYBE)


class PageDirection:
    PREVIOUS = "p"
    NEXT = "n"


class Actions(Protocol):
    """What the items ask of the poll workflows."""

    async def act(self, interaction: Interaction, poll_id: int, action: PollAction) -> None: ...

    async def answer_page(
        self,
        interaction: Interaction,
        poll_id: int,
        choice: Availability,
        page: int,
        values: list[str],
    ) -> None: ...

    async def answer_slot(
        self, interaction: Interaction, poll_id: int, position: int, value: str
    ) -> None: ...

    async def show_grid(self, interaction: Interaction, poll_id: int, page: int) -> None: ...

    async def confirm(self, interaction: Interaction, poll_id: int, position: int) -> None: ...

    async def confirm_where(
        self, interaction: Interaction, poll_id: int, position: int, where: str
    ) -> None: ...


class PollButton(
    ActionButton[PollAction],
    prefix="rencontre:poll",
    actions=PollAction,
    labels="rencontre.poll.button",
    styles=_STYLES,
):
    flows: ClassVar[Actions]

    async def run(self, interaction: Interaction) -> None:
        await self.flows.act(interaction, self.target_id, self.action)


def _select(custom_id: str, placeholder: str, options: list[discord.SelectOption], most: int):
    return discord.ui.Select(
        custom_id=custom_id,
        placeholder=truncate(placeholder, 150),
        min_values=0,
        max_values=most,
        options=options,
    )


class PageSelect(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Select],
    template=r"rencontre:poll:(?P<id>\d+):(?P<choice>yes|maybe):(?P<page>\d+)",
):
    """On the public message: the slots of a page where the member answers Oui (or Si besoin)."""

    flows: ClassVar[Actions]

    def __init__(self, item: discord.ui.Select, poll_id: int, choice: Availability, page: int):
        super().__init__(item)
        self.poll_id, self.choice, self.page = poll_id, choice, page

    @classmethod
    def build(cls, poll: Poll, choice: Availability, page: int, lang: str) -> PageSelect:
        slots = poll.page(page)
        options = [
            discord.SelectOption(
                label=render.slot_label(s, poll, lang),
                value=str(s.position),
                description=render.slot_description(s, lang),
                emoji=render.MARKS[choice],
            )
            for s in slots
        ]
        first, last = slots[0].position, slots[-1].position
        placeholder = t(f"rencontre.poll.select.{choice}", lang, first=first, last=last)
        custom_id = f"rencontre:poll:{poll.id}:{choice}:{page}"
        return cls(_select(custom_id, placeholder, options, len(options)), poll.id, choice, page)

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Select, match: re.Match[str]
    ) -> PageSelect:
        return cls(item, int(match["id"]), Availability(match["choice"]), int(match["page"]))

    async def run(self, interaction: Interaction) -> None:
        values = list(self.item.values)
        await self.flows.answer_page(interaction, self.poll_id, self.choice, self.page, values)


class SlotSelect(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Select],
    template=r"rencontre:poll:(?P<id>\d+):slot:(?P<position>\d+)",
):
    """In « Mes disponibilités »: one slot, Oui / Si besoin / Non, the member's answer shown."""

    flows: ClassVar[Actions]

    def __init__(self, item: discord.ui.Select, poll_id: int, position: int) -> None:
        super().__init__(item)
        self.poll_id, self.position = poll_id, position

    @classmethod
    def build(
        cls, poll: Poll, position: int, current: Availability | None, lang: str
    ) -> SlotSelect:
        slot = poll.slot(position)
        label = render.slot_label(slot, poll, lang)
        options = [
            discord.SelectOption(
                label=truncate(f"{label} — {t(f'rencontre.poll.answer.{choice}', lang)}", 100),
                value=str(choice),
                emoji=render.MARKS[choice],
                default=choice is current,
            )
            for choice in Availability
        ]
        item = discord.ui.Select(
            custom_id=f"rencontre:poll:{poll.id}:slot:{position}",
            placeholder=truncate(f"{label} — {t('rencontre.poll.answer.none', lang)}", 150),
            options=options,
        )
        return cls(item, poll.id, position)

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Select, match: re.Match[str]
    ) -> SlotSelect:
        return cls(item, int(match["id"]), int(match["position"]))

    async def run(self, interaction: Interaction) -> None:
        [value] = self.item.values
        await self.flows.answer_slot(interaction, self.poll_id, self.position, str(value))


class GridPageButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"rencontre:poll:(?P<id>\d+):grid:(?P<page>\d+):(?P<dir>p|n)",
):
    flows: ClassVar[Actions]

    def __init__(
        self, poll_id: int, page: int, direction: str, lang: str = "fr", disabled: bool = False
    ) -> None:
        item = button(
            t(f"rencontre.list.{direction}", lang),
            f"rencontre:poll:{poll_id}:grid:{page}:{direction}",
            discord.ButtonStyle.secondary,
        )
        item.disabled = disabled
        super().__init__(item)
        self.poll_id, self.page = poll_id, page

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> GridPageButton:
        return cls(int(match["id"]), int(match["page"]), match["dir"])

    async def run(self, interaction: Interaction) -> None:
        await self.flows.show_grid(interaction, self.poll_id, self.page)


class ConfirmButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"rencontre:poll:(?P<id>\d+):confirm:(?P<position>\d+)",
):
    """Under the proposal: the best slot becomes a meet-up draft."""

    flows: ClassVar[Actions]

    def __init__(self, poll_id: int, position: int, lang: str = "fr") -> None:
        super().__init__(
            button(
                t("rencontre.poll.button.confirm", lang, number=position),
                f"rencontre:poll:{poll_id}:confirm:{position}",
                discord.ButtonStyle.success,
            )
        )
        self.poll_id, self.position = poll_id, position

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> ConfirmButton:
        return cls(int(match["id"]), int(match["position"]))

    async def run(self, interaction: Interaction) -> None:
        await self.flows.confirm(interaction, self.poll_id, self.position)


class PickSelect(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Select],
    template=r"rencontre:poll:(?P<id>\d+):pick:(?P<page>\d+)",
):
    """Under the proposal: another slot (a page of up to 25)."""

    flows: ClassVar[Actions]

    def __init__(self, item: discord.ui.Select, poll_id: int) -> None:
        super().__init__(item)
        self.poll_id = poll_id

    @classmethod
    def build(cls, poll: Poll, page: int, lang: str) -> PickSelect:
        slots = poll.page(page)
        options = [
            discord.SelectOption(
                label=render.slot_label(s, poll, lang),
                value=str(s.position),
                description=render.slot_description(s, lang),
            )
            for s in slots
        ]
        placeholder = t(
            "rencontre.poll.select.pick", lang, first=slots[0].position, last=slots[-1].position
        )
        item = discord.ui.Select(
            custom_id=f"rencontre:poll:{poll.id}:pick:{page}",
            placeholder=truncate(placeholder, 150),
            options=options,
        )
        return cls(item, poll.id)

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Select, match: re.Match[str]
    ) -> PickSelect:
        return cls(item, int(match["id"]))

    async def run(self, interaction: Interaction) -> None:
        [value] = self.item.values
        await self.flows.confirm(interaction, self.poll_id, int(value))


class WhereModal(ErrorHandlingModal):
    """When the poll did not say where: a place, or a link for a visio."""

    def __init__(self, flows: Actions, poll: Poll, position: int, lang: str) -> None:
        super().__init__(
            title=truncate(t("rencontre.poll.modal.title", lang), MODAL_TITLE_LIMIT),
            custom_id=f"rencontre:poll:modal:{poll.id}:{position}",
        )
        self.flows, self.poll_id, self.position = flows, poll.id, position
        self.where = discord.ui.TextInput(
            label=truncate(render.where_asked(poll, lang), TEXT_INPUT_LABEL_LIMIT),
            max_length=LINK_MAX,
        )
        self.add_item(self.where)

    async def on_submit(self, interaction: Interaction) -> None:
        await self.flows.confirm_where(interaction, self.poll_id, self.position, self.where.value)


Item = TypeVar("Item", bound=discord.ui.DynamicItem[Any])


def _bound(flows: Actions, item: type[Item]) -> type[Item]:
    [bound] = bind(flows, item)
    return cast("type[Item]", bound)


class PollViews:
    """The views of polls, built from the item classes bound to one bot's workflows (discord.py
    registers again the class of every dynamic item of a view it sends)."""

    def __init__(self, flows: Actions) -> None:
        self.flows = flows
        self._button = _bound(flows, PollButton)
        self._page = _bound(flows, PageSelect)
        self._slot = _bound(flows, SlotSelect)
        self._grid_page = _bound(flows, GridPageButton)
        self._confirm = _bound(flows, ConfirmButton)
        self._pick = _bound(flows, PickSelect)

    @property
    def items(self) -> list[type[discord.ui.DynamicItem[Any]]]:
        return [self._button, self._page, self._slot, self._grid_page, self._confirm, self._pick]

    def preview(self, poll_id: int, lang: str) -> ErrorHandlingView:
        view = ErrorHandlingView(timeout=None)
        for action in (PollAction.PUBLISH, PollAction.DROP):
            view.add_item(self._button(poll_id, action, lang))
        return view

    def answers(self, poll: Poll, lang: str) -> ErrorHandlingView | None:
        """The public message's selects (a page of 25 slots: Oui, Si besoin) and buttons;
        none once the poll is closed."""
        if poll.status is not PollStatus.OPEN:
            return None
        view = ErrorHandlingView(timeout=None)
        for page in range(poll.pages):
            for choice in _CHOICES:
                view.add_item(self._page.build(poll, choice, page, lang))
        for action in (PollAction.MINE, PollAction.CLOSE):
            view.add_item(self._button(poll.id, action, lang))
        return view

    def grid(
        self, poll: Poll, answers: dict[int, Availability], page: int, lang: str
    ) -> ErrorHandlingView:
        view = ErrorHandlingView(timeout=None)
        for slot in poll.grid_page(page):
            view.add_item(self._slot.build(poll, slot.position, answers.get(slot.position), lang))
        if poll.grid_pages > 1:
            previous, following = max(0, page - 1), min(poll.grid_pages - 1, page + 1)
            view.add_item(
                self._grid_page(poll.id, previous, PageDirection.PREVIOUS, lang, page <= 0)
            )
            view.add_item(
                self._grid_page(
                    poll.id, following, PageDirection.NEXT, lang, page + 1 >= poll.grid_pages
                )
            )
        return view

    def proposal(self, poll: Poll, best: int, lang: str) -> ErrorHandlingView:
        view = ErrorHandlingView(timeout=None)
        view.add_item(self._confirm(poll.id, best, lang))
        for page in range(poll.pages):
            view.add_item(self._pick.build(poll, page, lang))
        return view

    def where_form(self, poll: Poll, position: int, lang: str) -> WhereModal:
        return WhereModal(self.flows, poll, position, lang)
