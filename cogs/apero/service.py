"""The apéro rules: validation, scheduling through the reminder engine, skips, attendance.

Imports nothing from Discord; `now` is always passed in. Discord-side checks (channel
permissions, role mentionability) are the cog's.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot import recurrence as weekly
from bot.guild_settings.model import validate_zone
from bot.reminders.model import DueItem, Schedule
from bot.user_error import UserError
from cogs.apero import recurrence as rec
from cogs.apero.model import Draft, Series, SeriesFields
from cogs.apero.store import AperoStore

KIND = "apero"
NAME_MAX = 60
LINK_MAX = 500
WELCOME_MAX = 1000  # fits an embed description with room for the rest
MAX_SERIES_PER_GUILD = 25  # one autocomplete page
# A member may still say "Je serai là" until the apéro has been going for this long.
ATTENDANCE_GRACE = timedelta(hours=3)


class Engine(Protocol):
    async def schedule(self, kind: str, ref: str, guild_id: int | None, when: Schedule) -> None: ...
    async def cancel_prefix(self, kind: str, prefix: str) -> None: ...


def ref_for(series_id: int, offset: rec.Offset) -> str:
    return f"{series_id}:{offset.code}"


def parse_ref(ref: str) -> tuple[int, rec.Offset]:
    series_id, _, code = ref.partition(":")
    return int(series_id), rec.Offset.from_code(code)


def schedule_for(occ: weekly.Occurrence, due: datetime) -> Schedule:
    # A reminder is still worth sending late until the apéro starts, not after.
    return Schedule(
        occurrence=occ.start.isoformat(),
        due_at=due,
        expires_at=occ.start,
        payload={"day": occ.day.isoformat()},
    )


# -- validation of what moderators type -------------------------------------------------------
def clean_name(text: str) -> str:
    name = re.sub(r"\s+", " ", text).strip()
    if not name:
        raise UserError("apero.error.empty_name")
    if len(name) > NAME_MAX:
        raise UserError("apero.error.name_too_long", length=len(name), limit=NAME_MAX)
    return name


def clean_link(text: str) -> str:
    link = text.strip()
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in link:
        raise UserError("errors.bad_url", url=link[:100])
    if len(link) > LINK_MAX:
        raise UserError("errors.text_too_long", length=len(link), limit=LINK_MAX)
    return link


def clean_welcome(text: str | None) -> str | None:
    value = (text or "").strip()
    if len(value) > WELCOME_MAX:
        raise UserError("errors.text_too_long", length=len(value), limit=WELCOME_MAX)
    return value or None


def build_fields(
    *,
    name: str,
    weekday: int,
    hour: str,
    zone: str,
    channel_id: int,
    link: str | None,
    voice_channel_id: int | None,
    role_id: int | None,
    reminders: str | None,
    welcome: str | None = None,
    keep_offsets: tuple[str, ...] = (),
) -> SeriesFields:
    """Validate every field (raising UserError) and return the series' fields.

    Without `reminders`, `keep_offsets` (a modified series' codes) or else the default apply.
    """
    at = rec.parse_hour(hour)
    if link is None and voice_channel_id is None:
        raise UserError("apero.error.no_place")
    if reminders is None and keep_offsets:
        offsets = rec.check_offsets([rec.Offset.from_code(c) for c in keep_offsets], at)
    else:
        offsets = rec.parse_offsets(reminders or rec.DEFAULT_OFFSETS, at)
    return SeriesFields(
        name=clean_name(name),
        weekday=weekday,
        at_time=f"{at:%H:%M}",
        zone=validate_zone(zone),
        channel_id=channel_id,
        link=None if link is None else clean_link(link),
        voice_channel_id=voice_channel_id,
        role_id=role_id,
        offsets=tuple(o.code for o in offsets),
        welcome=clean_welcome(welcome),
    )


def parse_day(text: str, zone: ZoneInfo, now: datetime) -> date:
    """'2026-12-25', '25/12/2026', '25/12' (the next one) → a date in the series' zone."""
    value = text.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?", value)
    if not match:
        raise UserError("apero.error.bad_date", text=value[:40])
    day, month = int(match[1]), int(match[2])
    today = now.astimezone(zone).date()
    years = [int(match[3]) + (2000 if len(match[3]) == 2 else 0)] if match[3] else []
    for year in years or [today.year, today.year + 1]:
        try:
            found = date(year, month, day)
        except ValueError:
            continue  # 31/02, or 29/02 in a year that has none (next year may)
        if years or found >= today:
            return found
    raise UserError("apero.error.bad_date", text=value[:40])


class AperoService:
    def __init__(self, store: AperoStore, engine: Engine) -> None:
        self.store = store
        self.engine = engine

    # -- reading --------------------------------------------------------------------------------
    async def series(self, guild_id: int, series_id: int | str) -> Series:
        """The guild's series `series_id` (from autocomplete, so maybe anything typed)."""
        try:
            wanted = int(series_id)
        except (TypeError, ValueError):
            raise UserError("apero.error.unknown_series") from None
        found = await self.store.get(wanted)
        if found is None or found.guild_id != guild_id:
            raise UserError("apero.error.unknown_series")
        return found

    async def upcoming(
        self, guild_id: int, now: datetime, count: int
    ) -> list[tuple[Series, weekly.Occurrence]]:
        """The next `count` occurrences across the guild's active series, soonest first."""
        found: list[tuple[Series, weekly.Occurrence]] = []
        for series in await self.store.for_guild(guild_id):
            if series.paused:
                continue
            skips = await self.store.skips(series.id)
            found += [(series, o) for o in weekly.next_occurrences(series.spec, now, count, skips)]
        found.sort(key=lambda pair: (pair[1].start, pair[0].name))
        return found[:count]

    # -- creating -------------------------------------------------------------------------------
    async def check_new(self, guild_id: int, fields: SeriesFields) -> None:
        if await self.store.count(guild_id) >= MAX_SERIES_PER_GUILD:
            raise UserError("apero.error.too_many_series", max=MAX_SERIES_PER_GUILD)
        if await self.store.name_taken(guild_id, fields.name):
            raise UserError("apero.error.name_taken", name=fields.name)

    async def draft(
        self, guild_id: int, author_id: int, fields: SeriesFields, now: datetime
    ) -> int:
        await self.check_new(guild_id, fields)
        return await self.store.save_draft(guild_id, author_id, fields, now)

    async def get_draft(self, guild_id: int, draft_id: int) -> Draft:
        draft = await self.store.draft(draft_id)
        if draft is None or draft.guild_id != guild_id:
            raise UserError("apero.error.draft_gone")
        return draft

    async def set_draft_welcome(self, guild_id: int, draft_id: int, welcome: str | None) -> Draft:
        draft = await self.get_draft(guild_id, draft_id)
        fields = draft.fields.with_(welcome=clean_welcome(welcome))
        await self.store.update_draft(draft.id, fields)
        return Draft(draft.id, draft.guild_id, draft.author_id, fields)

    async def confirm(self, guild_id: int, draft_id: int, by: int, now: datetime) -> Series:
        draft = await self.get_draft(guild_id, draft_id)
        await self.check_new(guild_id, draft.fields)
        series_id = await self.store.create_from_draft(draft, by, now)
        if series_id is None:
            raise UserError("apero.error.draft_gone")
        series = await self.series(guild_id, series_id)
        await self.reschedule(series, now)
        return series

    async def discard(self, guild_id: int, draft_id: int) -> None:
        draft = await self.get_draft(guild_id, draft_id)
        await self.store.delete_draft(draft.id)

    # -- changing -------------------------------------------------------------------------------
    async def update(self, series: Series, fields: SeriesFields, now: datetime) -> Series:
        if fields.name != series.name and await self.store.name_taken(
            series.guild_id, fields.name, except_id=series.id
        ):
            raise UserError("apero.error.name_taken", name=fields.name)
        await self.store.update(series.id, fields, now)
        updated = await self.series(series.guild_id, series.id)
        await self.reschedule(updated, now)
        return updated

    async def pause(self, series: Series, reason: str = "manual") -> bool:
        changed = await self.store.set_paused(series.id, True, reason)
        await self.engine.cancel_prefix(KIND, f"{series.id}:")
        return changed

    async def resume(self, series: Series, now: datetime) -> Series:
        if not series.paused:
            raise UserError("apero.error.not_paused", name=series.name)
        await self.store.set_paused(series.id, False, None)
        resumed = await self.series(series.guild_id, series.id)
        await self.reschedule(resumed, now)
        return resumed

    async def skip(self, series: Series, text: str, now: datetime) -> weekly.Occurrence:
        occ = await self._occurrence_named(series, text, now)
        if not await self.store.add_skip(series.id, occ.day, now):
            raise UserError("apero.error.already_skipped", date=occ.day.isoformat())
        await self.reschedule(series, now)
        return occ

    async def unskip(self, series: Series, text: str, now: datetime) -> weekly.Occurrence:
        occ = await self._occurrence_named(series, text, now)
        if not await self.store.remove_skip(series.id, occ.day, now):
            raise UserError("apero.error.not_skipped", date=occ.day.isoformat())
        await self.reschedule(series, now)
        return occ

    async def delete(self, series: Series) -> None:
        await self.engine.cancel_prefix(KIND, f"{series.id}:")
        await self.store.delete(series.id)

    async def _occurrence_named(
        self, series: Series, text: str, now: datetime
    ) -> weekly.Occurrence:
        spec = series.spec
        day = parse_day(text, spec.zone, now)
        if not weekly.is_occurrence_day(spec, day):
            raise UserError(
                "apero.error.not_occurrence",
                date=day.isoformat(),
                name=series.name,
                weekday=weekly.WEEKDAYS[spec.weekday],
            )
        start = weekly.start_on(spec, day)
        if start <= now:
            raise UserError("apero.error.past_date", date=day.isoformat())
        return weekly.Occurrence(day, start)

    # -- the engine -----------------------------------------------------------------------------
    async def reschedule(self, series: Series, now: datetime) -> None:
        """One engine item per (series, offset), each at its next due instant after `now`."""
        await self.engine.cancel_prefix(KIND, f"{series.id}:")
        if series.paused:
            return
        skips = await self.store.skips(series.id)
        for offset in series.fields.offset_values:
            found = rec.next_reminder(series.spec, offset, now, skips)
            if found is not None:
                await self.engine.schedule(
                    KIND, ref_for(series.id, offset), series.guild_id, schedule_for(*found)
                )

    async def due_series(self, item: DueItem) -> tuple[Series, date] | None:
        """The series and occurrence day an engine item is for, if it is still to be posted."""
        series_id, offset = parse_ref(item.ref)
        series = await self.store.get(series_id)
        if series is None or series.paused or offset.code not in series.fields.offsets:
            return None
        day = date.fromisoformat(item.payload["day"])
        if day in await self.store.skips(series.id):
            return None
        return series, day

    async def following(self, item: DueItem) -> Schedule | None:
        """After an occurrence is settled: the same offset for the next held occurrence."""
        series_id, offset = parse_ref(item.ref)
        series = await self.store.get(series_id)
        if series is None or series.paused or offset.code not in series.fields.offsets:
            return None
        day = date.fromisoformat(item.payload["day"])
        # From the end of that day: the next week's reminder even if it is due earlier.
        after = datetime.combine(day, series.spec.at, tzinfo=series.spec.zone).astimezone(UTC)
        skips = await self.store.skips(series.id)
        for occ in weekly.occurrences(series.spec, after):
            if occ.day > day and occ.day not in skips:
                return schedule_for(occ, rec.due_at(series.spec, occ, offset))
            if (occ.day - day).days > 7 * weekly.SEARCH_WEEKS:
                return None
        return None  # pragma: no cover

    async def failed(self, series_id: int, code: str) -> Series | None:
        """The channel is gone or forbidden: pause once; the series if it was just paused."""
        series = await self.store.get(series_id)
        if series is None or not await self.pause(series, f"failure:{code}"):
            return None
        return series

    # -- "Je serai là" --------------------------------------------------------------------------
    async def toggle_attendance(
        self, guild_id: int, series_id: int, day: date, user_id: int, now: datetime
    ) -> tuple[Series, bool, int]:
        series = await self.series(guild_id, series_id)
        start = weekly.start_on(series.spec, day)
        if now > start + ATTENDANCE_GRACE:
            raise UserError("apero.error.occurrence_over")
        attending, count = await self.store.toggle_attendance(series.id, day, user_id, now)
        return series, attending, count
