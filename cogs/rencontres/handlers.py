"""What the reminder engine asks of Rencontres, and what `/mes-donnees` reads and erases.

Reminders before the start (in the thread, and by DM for members who asked), the news that a
seat came free for a waiting member, the end of an event.
"""

from __future__ import annotations

import logging

from bot.agenda import Agenda, AgendaEvent, EventStatus, Window
from bot.discord_text import escape
from bot.i18n import t
from bot.personal_data import Item
from bot.reminders import DueItem, OneShotHandler, Outgoing
from cogs.rencontres import render
from cogs.rencontres.flows import RencontresFlows
from cogs.rencontres.hosts.service import HandBack
from cogs.rencontres.service import Format, Kind, Presence, Rencontre, Status
from cogs.rencontres.store import RencontreStore

log = logging.getLogger(__name__)


class _Base(OneShotHandler):  # every Rencontres item happens once
    def __init__(self, flows: RencontresFlows) -> None:
        self.flows = flows
        self.store = flows.store

    async def published(self, item: DueItem) -> Rencontre | None:
        event = await self.store.get(int(item.payload["id"]))
        return event if event is not None and event.status is Status.PUBLISHED else None

    async def on_permanent_failure(self, item: DueItem, target: str, code: str) -> bool:
        log.warning("rencontre %s: %s failed for good (%s)", item.ref, target, code)
        return False


class ReminderHandler(_Base):
    """`rencontre.rappel`: before the start, in the thread and by DM (for those who asked)."""

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        event = await self.published(item)
        if event is None:
            return []
        await self.flows.hosts.check(event)  # one who left hands the event back
        going = (await self.store.attendance(event.id)).of(Presence.GOING)
        where = event.thread_id or event.channel_id
        out = [
            Outgoing(
                target=f"channel:{where}",
                content=render.reminder_thread(event, going, late),
                allowed_mentions=render.users(going),
            )
        ]
        preferences = await self.flows.bot.settings_store.members(going)  # one query for all
        for user_id in going:
            if not preferences[user_id].dm_reminders:
                continue
            out.append(
                Outgoing(
                    target=f"dm:{user_id}",
                    content=render.reminder_dm(event, late),
                    fallback_channel_id=where,
                    fallback_content=render.reminder_dm_fallback(event, user_id),
                )
            )
        return out


class PromotionHandler(_Base):
    """`rencontre.promotion`: a member moved from the waiting list to the attendees."""

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        event = await self.published(item)
        user_id = int(item.payload["user"])
        if event is None:
            return []
        if (await self.store.attendance(event.id)).status_of(user_id) is not Presence.GOING:
            return []  # withdrew again meanwhile
        return [
            Outgoing(
                target=f"dm:{user_id}",
                content=render.promoted_dm(event),
                fallback_channel_id=event.thread_id or event.channel_id,
                fallback_content=render.promoted_mention(event, user_id),
            )
        ]


class EndHandler(_Base):
    """`rencontre.fin`: the event is over: archive it (no more answers) and say so."""

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        event = await self.published(item)
        if event is None:
            return []
        if event.ends_at > self.flows.bot.clock.now():
            return []  # moved later meanwhile: its own item will come
        event = await self.flows.archive(event)
        if not event.thread_id:
            return []
        return [
            Outgoing(
                target=f"channel:{event.thread_id}",
                content=t("rencontre.notice.ended", event.lang, title=escape(event.title)),
            )
        ]


def handlers(flows: RencontresFlows) -> dict[Kind, OneShotHandler]:
    """The engine's handlers, by kind, to register in `setup`."""
    return {
        Kind.REMINDER: ReminderHandler(flows),
        Kind.PROMOTION: PromotionHandler(flows),
        Kind.END: EndHandler(flows),
    }


class RencontresData:
    """What `/mes-donnees` shows and erases: answers, the meet-ups a member organised or was
    entrusted with."""

    def __init__(self, flows: RencontresFlows) -> None:
        self.flows = flows
        self.store = flows.store

    async def export(self, user_id: int) -> list[Item]:
        return [
            *await self.store.export(user_id),
            *await self.flows.polls.store.export(user_id),
            *await self.flows.groups.store.export(user_id),
        ]

    async def erase(self, user_id: int) -> int:
        """Forget the member; meet-ups entrusted to them go back, and the moderators are told;
        the open polls they answered show the tallies without them."""
        erased = await self.store.erase(user_id)
        for event in erased.managed:
            await self.flows.hosts.hand_back(event, user_id, HandBack.ERASED)
        polls, touched = await self.flows.polls.store.erase(user_id)
        for poll_id in touched:
            poll = await self.flows.polls.store.get(poll_id)
            if poll is not None:
                self.flows.polls.redraw(poll)
        groups = await self.flows.groups.store.erase(user_id)
        return erased.count + polls + groups


class RencontresAgenda:
    """What calendars and the public agenda page show of meet-ups (`bot.agenda`)."""

    def __init__(self, store: RencontreStore) -> None:
        self.store = store

    async def for_guild(self, guild_id: int, window: Window) -> Agenda:
        return Agenda(
            events=tuple(map(agenda_event, await self.store.agenda(guild_id, window.since)))
        )

    async def for_member(self, user_id: int, window: Window) -> Agenda:
        found = await self.store.agenda_of_member(user_id, window.since)
        return Agenda(events=tuple(map(agenda_event, found)))


def agenda_event(event: Rencontre) -> AgendaEvent:
    message = (
        f"https://discord.com/channels/{event.guild_id}/{event.channel_id}/{event.message_id}"
        if event.channel_id and event.message_id
        else None
    )
    return AgendaEvent(
        key=f"rencontre-{event.id}",
        guild_id=event.guild_id,
        title=event.title,
        start=event.starts_at,
        end=event.ends_at,
        zone=event.zone,
        updated_at=event.updated_at or event.starts_at,
        sequence=event.revision,
        status=EventStatus.CANCELLED if event.status is Status.CANCELLED else EventStatus.CONFIRMED,
        place=event.place if event.format is Format.PRESENTIEL else None,
        video_link=event.link if event.format is Format.VISIO else None,
        message_url=message,
        description=event.description,
        kind="rencontre.agenda.kind",
    )
