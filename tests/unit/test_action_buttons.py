"""bot.ui.ActionButton: the custom_ids of the buttons already posted in servers never change.

A message keeps the custom_ids it was sent with; after an upgrade, a click on it reaches the bot
only if some registered template still matches them, and means the same thing only if parsing
gives back the same id and action. Each row below is what the buttons sent before
`ActionButton` existed (written by hand, not computed): change a prefix or an action's value,
and the buttons of every message already posted stop working.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

import discord
import pytest
from discord.ui.view import ViewStore

from bot.approval import views as approval
from bot.discord_text import BUTTON_LABEL_LIMIT
from bot.errors import GuardedItem
from bot.i18n import t
from bot.ui import ActionButton, bind
from cogs.apero import views as apero
from cogs.rencontres import views as rencontres
from cogs.rencontres.polls import views as polls
from cogs.reseau.views import items as reseau
from cogs.sigles import views as sigles
from cogs.tableau.views import items as tableau

# (button class, id, action value, the custom_id as posted, the catalog key of its label)
POSTED = [
    (apero.DraftButton, 7, "save", "apero:draft:7:save", "apero.draft.save"),
    (apero.DraftButton, 7, "welcome", "apero:draft:7:welcome", "apero.draft.welcome"),
    (apero.DraftButton, 7, "cancel", "apero:draft:7:cancel", "apero.draft.cancel"),
    (apero.DeleteButton, 3, "yes", "apero:del:3:yes", "apero.delete.yes"),
    (apero.DeleteButton, 3, "no", "apero:del:3:no", "apero.delete.no"),
    (rencontres.RsvpButton, 12, "go", "rencontre:12:go", "rencontre.button.go"),
    (rencontres.RsvpButton, 12, "maybe", "rencontre:12:maybe", "rencontre.button.maybe"),
    (rencontres.RsvpButton, 12, "leave", "rencontre:12:leave", "rencontre.button.leave"),
    (
        rencontres.DraftButton,
        5,
        "publish",
        "rencontre:draft:5:publish",
        "rencontre.preview.publish",
    ),
    (rencontres.DraftButton, 5, "edit", "rencontre:draft:5:edit", "rencontre.preview.edit"),
    (rencontres.DraftButton, 5, "drop", "rencontre:draft:5:drop", "rencontre.preview.drop"),
    (polls.PollButton, 4, "publish", "rencontre:poll:4:publish", "rencontre.poll.button.publish"),
    (polls.PollButton, 4, "drop", "rencontre:poll:4:drop", "rencontre.poll.button.drop"),
    (polls.PollButton, 4, "mine", "rencontre:poll:4:mine", "rencontre.poll.button.mine"),
    (polls.PollButton, 4, "close", "rencontre:poll:4:close", "rencontre.poll.button.close"),
    (approval.DecisionButton, 9, "approve", "approval:9:approve", "approval.button.approve"),
    (approval.DecisionButton, 9, "refuse", "approval:9:refuse", "approval.button.refuse"),
    (tableau.PostButton, 21, "filled", "tableau:21:filled", "tableau.button.filled"),
    (tableau.PostButton, 21, "edit", "tableau:21:edit", "tableau.button.edit"),
    (tableau.PostButton, 21, "report", "tableau:21:report", "tableau.button.report"),
    (tableau.DraftButton, 21, "send", "tableau:draft:21:send", "tableau.guard.send"),
    (tableau.DraftButton, 21, "drop", "tableau:draft:21:drop", "tableau.guard.drop"),
    (reseau.AnswerButton, 8, "accept", "reseau:req:8:accept", "reseau.answer.accept"),
    (reseau.AnswerButton, 8, "refuse", "reseau:req:8:refuse", "reseau.answer.refuse"),
    (reseau.AnswerButton, 8, "block", "reseau:req:8:block", "reseau.answer.block"),
    (reseau.AnswerButton, 8, "report", "reseau:req:8:report", "reseau.answer.report"),
    (reseau.DraftButton, 8, "send", "reseau:draft:8:send", "reseau.guard.send"),
    (reseau.DraftButton, 8, "drop", "reseau:draft:8:drop", "reseau.guard.drop"),
    (reseau.ProfileButton, 2**60, "show", f"reseau:profile:{2**60}:show", "reseau.profile.show"),
    (reseau.ProfileButton, 2**60, "hide", f"reseau:profile:{2**60}:hide", "reseau.profile.hide"),
    (reseau.ProfileButton, 1, "delete", "reseau:profile:1:delete", "reseau.profile.delete"),
    (sigles.DecisionButton, 6, "approve", "sigles:sug:6:approve", "sigles.decision.approve"),
    (sigles.DecisionButton, 6, "edit", "sigles:sug:6:edit", "sigles.decision.edit"),
    (sigles.DecisionButton, 6, "reject", "sigles:sug:6:reject", "sigles.decision.reject"),
]
CLASSES = sorted({row[0] for row in POSTED}, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


@pytest.mark.parametrize(("cls", "target", "value", "custom_id", "key"), POSTED)
async def test_a_button_sends_the_custom_id_it_always_sent_and_reads_it_back(
    cls: type[ActionButton[Any]], target: int, value: str, custom_id: str, key: str
) -> None:
    action = cls.actions(value)
    sent = cls(target, action, "en")
    assert sent.custom_id == custom_id
    assert t(key, "en") != key  # the catalog has it
    assert sent.item.label == t(key, "en") and sent.item.style is cls.styles[action]

    [bound] = bind(object(), cls)  # what `setup` registers
    match = bound.__discord_ui_compiled_template__.fullmatch(custom_id)
    assert match is not None
    clicked = await bound.from_custom_id(None, sent.item, match)  # type: ignore[arg-type]
    assert type(clicked) is bound and clicked.flows is bound.flows
    assert (clicked.target_id, clicked.action) == (target, action)
    assert clicked.custom_id == custom_id


def test_every_action_of_every_button_is_pinned() -> None:
    """A new action is a new custom_id: pin it above when adding it."""
    for cls in CLASSES:
        pinned = {value for row_cls, _, value, _, _ in POSTED if row_cls is cls}
        assert pinned == set(cls.actions), cls


def test_a_click_reaches_exactly_one_registered_button() -> None:
    """Every template is tried against a click: two that matched one custom_id would make the
    registration order decide which feature gets it."""
    templates = [cls.__discord_ui_compiled_template__ for cls in CLASSES]
    for _, _, _, custom_id, _ in POSTED:
        assert sum(bool(tpl.fullmatch(custom_id)) for tpl in templates) == 1, custom_id


def test_what_is_not_a_posted_custom_id_matches_nothing() -> None:
    template = rencontres.RsvpButton.__discord_ui_compiled_template__
    for other in ("rencontre:12:GO", "rencontre:x:go", "rencontre:12:go:1", "rencontre:draft:5:go"):
        assert template.fullmatch(other) is None


class Door(StrEnum):
    OPEN = "open"
    SHUT = "shut"


STYLES = {Door.OPEN: discord.ButtonStyle.success, Door.SHUT: discord.ButtonStyle.danger}


class DoorButton(
    ActionButton[Door], prefix="test:door", actions=Door, labels="test.door", styles=STYLES
):
    flows: ClassVar[Any]
    ran: ClassVar[list[tuple[int, Door]]] = []

    async def run(self, interaction: Any) -> None:
        self.ran.append((self.target_id, self.action))


async def test_a_bound_button_is_registered_once_and_keeps_its_settings() -> None:
    [bound] = bind(object(), DoorButton)
    assert bound.prefix == "test:door" and bound.actions is Door and bound.styles is STYLES
    assert bound.callback is GuardedItem.callback  # errors of `run` reach the one handler
    store = ViewStore(state=None)  # type: ignore[arg-type]
    store.add_dynamic_items(bound)
    assert list(store._dynamic_items.values()) == [bound]
    assert bound(1, Door.SHUT).custom_id == "test:door:1:shut"


class LongButton(
    ActionButton[Door], prefix="test:long", actions=Door, labels="test." + "x" * 90, styles=STYLES
):
    """Its labels are missing from the catalogs: `t` gives back the key, longer than Discord
    allows."""


def test_the_label_is_cut_to_discord_s_limit() -> None:
    label = LongButton(1, Door.OPEN).item.label
    assert label is not None and len(label) == BUTTON_LABEL_LIMIT and label.endswith("…")


def test_a_button_declared_without_its_settings_is_refused() -> None:
    with pytest.raises(TypeError, match="needs prefix"):

        class Bare(ActionButton[Door]):  # type: ignore[misc]
            pass

    with pytest.raises(TypeError, match="every action"):

        class Half(
            ActionButton[Door],
            prefix="test:half",
            actions=Door,
            labels="test.half",
            styles={Door.OPEN: discord.ButtonStyle.success},
        ):
            pass
