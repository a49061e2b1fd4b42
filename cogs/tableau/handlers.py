"""What the reminder engine asks of Le tableau, and what `/mes-donnees` reads and erases.

- `tableau.cloture`: an offer's deadline passed: the post is closed (archived, locked, renamed
  « [Clôturée] … ») — its work is done in `render`, which is safe to run again.
- `tableau.alerte` / `tableau.alertes.jour`: alerts by DM, at once or in a daily digest; closed
  DMs become a note shown after the member's next command.
- `tableau.semaine` / `tableau.semaine.suite`: « Les nouvelles de la semaine » and its further
  messages.
- `tableau.flux`: every few minutes, start the feed polls that are due (in their own tasks).
"""

from __future__ import annotations

import logging
from datetime import date

import discord

from bot.personal_data import Item
from bot.reminders import DueItem, OneShotHandler, Outgoing, ReminderHandler, Schedule
from cogs.tableau import render
from cogs.tableau.flows import TableauFlows
from cogs.tableau.flows.alerts import ALERT_KIND, DIGEST_KIND, wants
from cogs.tableau.flows.common import CLOSE_KIND
from cogs.tableau.flows.config import WEEKLY_KIND, WEEKLY_PART_KIND
from cogs.tableau.flows.feeds import TICK_KIND
from cogs.tableau.service import Alert, Rhythm, Status
from cogs.tableau.store import TableauStore

log = logging.getLogger(__name__)


class _Base(OneShotHandler):
    def __init__(self, flows: TableauFlows) -> None:
        self.flows = flows
        self.store = flows.store


class CloseHandler(_Base):
    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        post = await self.store.posts.get(int(item.payload["id"]))
        if post is None or post.status is not Status.LIVE or post.closes_at is None:
            return []
        if post.closes_at > self.flows.board.now():
            return []  # moved later meanwhile: its own item will come
        await self.flows.board.close(post, Status.CLOSED)
        return []


class _AlertBase(_Base):
    async def _alert(self, alert_id: int) -> Alert | None:
        return await self.store.alerts.get(alert_id)

    async def _dms_closed(self, alert: Alert) -> bool:
        return (await self.flows.bot.settings_store.member(alert.user_id)).dm_closed


class AlertHandler(_AlertBase):
    """One post for one member, at once."""

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        alert = await self._alert(int(item.payload["alert"]))
        post = await self.store.posts.get(int(item.payload["post"]))
        if alert is None or post is None or post.status is not Status.LIVE:
            return []
        if not wants(alert, post):  # changed since: what they ask for now
            return []
        if await self._dms_closed(alert):
            await self.flows.alerts.note_closed_dms(alert)
            return []
        content, embed = render.alert_now(post, alert.lang)
        return [Outgoing(target=f"dm:{alert.user_id}", content=content, embeds=[embed])]

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        alert = await self._alert(int(item.payload["alert"]))
        if alert is not None and await self._dms_closed(alert):  # refused just now
            await self.flows.alerts.note_closed_dms(alert)
        return None


class DigestHandler(_AlertBase):
    """The posts of the day for one member, at 8:00 in their zone. The queue is emptied once
    the digest is delivered (or has nothing left to show); a digest missed while the bot was
    down leaves it for the next day's."""

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        alert = await self._alert(int(item.payload["alert"]))
        if alert is None or alert.rhythm is not Rhythm.DAILY:
            return []
        ids = await self.store.alerts.queued(alert.id, item.due_at)
        live = await self.flows.alerts.digest_posts(alert, ids)
        if not live or await self._dms_closed(alert):
            if live:
                await self.flows.alerts.note_closed_dms(alert)
            await self.store.alerts.unqueue(alert.id, item.due_at)
            return []
        content, embed = render.alert_digest(live, alert.kind, alert.lang)
        return [Outgoing(target=f"dm:{alert.user_id}", content=content, embeds=[embed])]

    async def on_delivered(self, item: DueItem, target: str, message: discord.Message) -> None:
        await self.store.alerts.unqueue(int(item.payload["alert"]), item.due_at)

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        alert = await self._alert(int(item.payload["alert"]))
        if alert is None or alert.rhythm is not Rhythm.DAILY:
            return None
        if await self._dms_closed(alert):  # refused just now
            await self.flows.alerts.note_closed_dms(alert)
            await self.store.alerts.unqueue(alert.id, item.due_at)
        return await self.flows.alerts.next_digest(alert, item.due_at)


class WeeklyHandler(_Base):
    """« Les nouvelles de la semaine »: its first message; the next come as parts."""

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        day = date.fromisoformat(item.payload["day"])
        return await self.flows.config.weekly_outgoing(int(item.ref), day, 0)

    async def on_delivered(self, item: DueItem, target: str, message: discord.Message) -> None:
        day = date.fromisoformat(item.payload["day"])
        await self.flows.config.weekly_next_part(int(item.ref), day, 0)

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        config = await self.store.config.get(int(item.ref))
        if config.digest_channel_id is None:
            return None
        return self.flows.config.next_weekly(config, item.due_at)


class WeeklyPartHandler(_Base):
    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        day = date.fromisoformat(item.payload["day"])
        return await self.flows.config.weekly_outgoing(
            item.guild_id or 0, day, item.payload["part"]
        )

    async def on_delivered(self, item: DueItem, target: str, message: discord.Message) -> None:
        day = date.fromisoformat(item.payload["day"])
        await self.flows.config.weekly_next_part(item.guild_id or 0, day, item.payload["part"])


class FeedTickHandler(_Base):
    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        await self.flows.feeds.poll_due()
        return []

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        return await self.flows.feeds.next_tick()


def handlers(flows: TableauFlows) -> dict[str, ReminderHandler]:
    """The engine's handlers, by kind, to register in `setup`."""
    return {
        CLOSE_KIND: CloseHandler(flows),
        ALERT_KIND: AlertHandler(flows),
        DIGEST_KIND: DigestHandler(flows),
        WEEKLY_KIND: WeeklyHandler(flows),
        WEEKLY_PART_KIND: WeeklyPartHandler(flows),
        TICK_KIND: FeedTickHandler(flows),
    }


class TableauData:
    """What `/mes-donnees` shows and erases: posts, alerts, reports, feeds added."""

    def __init__(self, store: TableauStore, flows: TableauFlows) -> None:
        self.store = store
        self.flows = flows

    async def export(self, user_id: int) -> list[Item]:
        return await self.store.export(user_id)

    async def erase(self, user_id: int) -> int:
        return await self.flows.erase_member(user_id)
