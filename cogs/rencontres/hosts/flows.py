"""What entrusting a meet-up does on Discord: a moderator entrusts it (or takes it back), a
member who left is found when a moderator acts or at the reminder, and the moderators are told
once when it goes back.

`HostFlows` is one part of Rencontres' workflows (`RencontresFlows.hosts`); what it needs of the
meet-ups side is declared in `Meetups` below, so it never imports that module.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.members import has_left
from bot.moderators import tell_moderators
from bot.user_error import UserError
from cogs.rencontres import service
from cogs.rencontres.hosts import render
from cogs.rencontres.hosts.service import HandBack, check_manager
from cogs.rencontres.service import Rencontre
from cogs.rencontres.store import RencontreStore

if TYPE_CHECKING:
    from bot.client import Passerelle

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]


class Meetups(Protocol):
    """What entrusting asks of the meet-ups' workflows."""

    store: RencontreStore

    async def event_for(self, interaction: Interaction, event_id: int) -> Rencontre: ...

    def refresh(self, event: Rencontre) -> None:
        """Redraw the public message soon (coalesced through `bot.redraws`)."""


class HostFlows:
    def __init__(self, bot: Passerelle, meetups: Meetups) -> None:
        self.bot = bot
        self.meetups = meetups
        self.store = meetups.store

    async def entrust(
        self, interaction: Interaction, event_id: int, member: discord.Member | discord.User | None
    ) -> Rencontre:
        """A moderator entrusts the event to `member`, or (None) takes it back."""
        now = self.bot.clock.now()
        event = service.require_open(await self.meetups.event_for(interaction, event_id), now)
        if member is None:
            if event.manager_id is None or not await self.store.clear_manager(
                event.id, event.manager_id, now
            ):
                raise UserError("rencontre.error.no_manager", title=event.title)
            event = event.with_(manager_id=None)
        else:
            check_manager(
                event, member.id, is_bot=member.bot, is_member=isinstance(member, discord.Member)
            )
            await self.store.set_manager(event.id, member.id, now)
            event = event.with_(manager_id=member.id)
        self.meetups.refresh(event)
        return event

    async def check(self, event: Rencontre) -> Rencontre:
        """A manager who left the server hands the event back (the moderators are told once)."""
        guild = self.bot.get_guild(event.guild_id)
        if event.manager_id is None or guild is None:
            return event
        if not await has_left(guild, event.manager_id):
            return event
        return await self.hand_back(event, event.manager_id, HandBack.LEFT)

    async def hand_back(self, event: Rencontre, manager_id: int, why: HandBack) -> Rencontre:
        """The event is its organiser's and the moderators' again; told by whichever call
        cleared it (an erasure has cleared it already)."""
        now = self.bot.clock.now()
        if why is HandBack.ERASED or await self.store.clear_manager(event.id, manager_id, now):
            lang = self.bot.settings_store.lang_of(event.guild_id)
            text = render.handed_back(event, manager_id, why, lang)
            if not await tell_moderators(self.bot, self.bot.settings_store, event.guild_id, text):
                log.warning("rencontre %s: no moderator could be told", event.id)
            self.meetups.refresh(event.with_(manager_id=None))
        return event.with_(manager_id=None)
