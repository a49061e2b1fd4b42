"""What the reminder engine asks of Apéro, and what `/mes-donnees` reads and erases."""

from __future__ import annotations

from datetime import timedelta

import discord

from bot.agenda import Agenda, AgendaSeries, Window
from bot.personal_data import Field, Item, Records
from bot.recurrence import next_occurrences
from bot.reminders import DueItem, Outgoing, Schedule
from cogs.apero import render
from cogs.apero.flows import AperoFlows
from cogs.apero.service import HandBack
from cogs.apero.store import AperoStore, Listed


class AperoReminders:
    """The engine's handler for kind `apero`: one item per (series, reminder offset), weekly."""

    def __init__(self, flows: AperoFlows) -> None:
        self.flows = flows

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        found = await self.flows.due(item)
        if found is None:  # paused, deleted, skipped or offset removed meanwhile: nothing to say
            return []
        series, occ = found
        await self.flows.check_host(series)  # a host who left hands the series back
        lang = self.flows.bot.settings_store.lang_of(series.guild_id)
        count = await self.flows.store.attendance_count(series.id, occ.day)
        role_id = series.fields.role_id
        return [
            Outgoing(
                target=f"channel:{series.fields.channel_id}",
                content=f"<@&{role_id}>" if role_id else None,
                embeds=[render.reminder_embed(series, occ, lang, late=late)],
                view=self.flows.views.go(series.id, occ.day, count, lang),
                allowed_mentions=render.role_pings(role_id),
            )
        ]

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        return await self.flows.next_schedule(item)

    async def on_permanent_failure(self, item: DueItem, target: str, code: str) -> bool:
        await self.flows.failed(item, code)
        return True  # moderators hear it from the series, naming it: no second, generic report

    async def on_delivered(self, item: DueItem, target: str, message: discord.Message) -> None:
        return None


class AperoData:
    """What `/mes-donnees` shows and erases: « Je serai là », series created, series hosted."""

    def __init__(self, flows: AperoFlows) -> None:
        self.flows = flows
        self.store = flows.store

    async def export(self, user_id: int) -> list[Item]:
        attended = await self.store.attendance_of(user_id)
        created = await self.store.series_created_by(user_id)
        hosted = await self.store.hosted_by(user_id)
        return [
            Records.of(
                "apero.data.attendance",
                (
                    (Field("apero.data.series", a.name), Field("apero.data.day", a.day.isoformat()))
                    for a in attended
                ),
            ),
            Records.of("apero.data.created", ((Field("apero.data.series", n),) for n in created)),
            Records.of(
                "apero.data.hosted", ((Field("apero.data.series", s.name),) for s in hosted)
            ),
        ]

    async def erase(self, user_id: int) -> int:
        """Forget the member; the series they hosted go back to the moderators, who are told."""
        erased = await self.store.erase_member(user_id)
        for series in erased.hosted:
            await self.flows.hand_back(series, user_id, HandBack.ERASED)
        return erased.count


# An apéro has no set end: calendars show an hour.
DURATION = timedelta(hours=1)


class AperoAgenda:
    def __init__(self, store: AperoStore) -> None:
        self.store = store

    async def for_guild(self, guild_id: int, window: Window) -> Agenda:
        return Agenda(series=tuple(map(agenda_series, await self.store.agenda(guild_id))))

    async def for_member(self, user_id: int, window: Window) -> Agenda:
        found = await self.store.agenda_of_member(user_id, window.since.date())
        return Agenda(series=tuple(map(agenda_series, found)))


def agenda_series(listed: Listed) -> AgendaSeries:
    series = listed.series
    fields = series.fields
    # The first occurrence after its creation: a fixed DTSTART, whatever day it is now.
    first = next_occurrences(series.spec, listed.created_at, 1)[0].day
    return AgendaSeries(
        key=f"apero-{series.id}",
        guild_id=series.guild_id,
        title=series.name,
        weekday=fields.weekday,
        at=series.spec.at,
        zone=fields.zone,
        duration=DURATION,
        first_day=first,
        updated_at=listed.updated_at,
        skipped=listed.skipped,
        sequence=listed.revision,
        video_link=fields.link,
        message_url=f"https://discord.com/channels/{series.guild_id}/{fields.channel_id}",
        description=fields.welcome or "",
        kind="apero.agenda.kind",
    )
