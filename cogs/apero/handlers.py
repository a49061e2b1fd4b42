"""What calendars and the public agenda page show of apéros (`bot.agenda`): each series is one
weekly event in its zone, its skipped days left out."""

from __future__ import annotations

from datetime import timedelta

from bot.agenda import Agenda, AgendaSeries, Window
from bot.recurrence import next_occurrences
from cogs.apero.store import AperoStore, Listed

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
