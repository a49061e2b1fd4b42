"""What the reminder engine asks of date polls: the closing (at the closing date, or just after
a closing by hand) with its proposal, and the invitation of the available voters once the
meet-up is published. Each happens once (the engine's ledger), even across a restart."""

from __future__ import annotations

import logging

from bot.reminders import DueItem, OneShotHandler, Outgoing
from cogs.rencontres import render as meetup_render
from cogs.rencontres.polls import render, service
from cogs.rencontres.polls.flows import PollFlows
from cogs.rencontres.polls.service import PollKind, PollStatus
from cogs.rencontres.service import Presence, Status

log = logging.getLogger(__name__)

# Mentions per invitation message in the thread (a message holds 2,000 characters).
MENTIONS_PER_MESSAGE = 60


class CloseHandler(OneShotHandler):
    """`rencontre.sondage.cloture`: close the poll if it is still open, and post the proposal
    (the best slot, the organiser asked to confirm it or pick another)."""

    def __init__(self, flows: PollFlows) -> None:
        self.flows = flows

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        poll_id = int(item.payload["id"])
        poll = await self.flows.store.get(poll_id)
        if poll is None or poll.status is PollStatus.DRAFT:
            return []
        if poll.status is PollStatus.OPEN:
            closed = await self.flows.close_due(poll_id)
            if closed is not None:
                poll = closed.poll
            else:  # closed by hand meanwhile: its own item follows
                return []
        if poll.status is not PollStatus.CLOSED or not poll.channel_id:
            return []  # confirmed already: nothing to propose
        tallied = await self.flows.store.tally(poll.id)
        best = service.best_slot(poll.slots, tallied)
        return [
            Outgoing(
                target=f"channel:{poll.channel_id}",
                content=render.proposal(poll, tallied, best, poll.lang),
                view=self.flows.views.proposal(poll, best.position, poll.lang),
                allowed_mentions=meetup_render.users([poll.organiser_id]),
            )
        ]


class InviteHandler(OneShotHandler):
    """`rencontre.sondage.invitation`: the meet-up is public; those who answered Oui or Si
    besoin to its slot are told with the RSVP buttons — in its thread, or by DM for those who
    asked for DMs (/rappels). Nobody is signed up: they click if they come."""

    def __init__(self, flows: PollFlows) -> None:
        self.flows = flows

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        poll = await self.flows.store.get(int(item.payload["id"]))
        event = await self.flows.meetups.store.get(int(item.payload["event"]))
        if poll is None or poll.chosen is None or event is None:
            return []
        if event.status is not Status.PUBLISHED:
            return []
        attendance = await self.flows.meetups.store.attendance(event.id)
        voters = [
            user_id
            for user_id in await self.flows.store.available(poll.id, poll.chosen)
            if attendance.status_of(user_id) not in (Presence.GOING, Presence.WAITING)
            and user_id != event.organiser_id
        ]
        if not voters:
            return []
        lang = event.lang
        where = event.thread_id or event.channel_id
        preferences = await self.flows.bot.settings_store.members(voters)
        by_dm = [u for u in voters if preferences[u].dm_reminders]
        in_thread = [u for u in voters if u not in by_dm]
        out = []
        for start in range(0, len(in_thread), MENTIONS_PER_MESSAGE):
            chunk = in_thread[start : start + MENTIONS_PER_MESSAGE]
            out.append(
                Outgoing(
                    target=f"channel:{where}",
                    content=render.invitation(event, chunk, lang),
                    view=self.flows.meetups.views.rsvp(event, lang),
                    allowed_mentions=meetup_render.users(chunk),
                )
            )
        for user_id in by_dm:
            out.append(
                Outgoing(
                    target=f"dm:{user_id}",
                    content=render.invitation_dm(event, lang),
                    view=self.flows.meetups.views.rsvp(event, lang),
                    fallback_channel_id=where,
                    fallback_content=render.invitation_fallback(event, user_id, lang),
                )
            )
        return out


def handlers(flows: PollFlows) -> dict[PollKind, OneShotHandler]:
    return {PollKind.CLOSE: CloseHandler(flows), PollKind.INVITE: InviteHandler(flows)}
