"""The apéro rules: what moderators and hosts type, who may do what, when reminders fall.

Pure: no Discord, no database, `now` always passed in. The weekly occurrences are the core's
(`bot.recurrence`), the reminder offsets too (`bot.when.offsets`, at most six days ahead: a
reminder a week ahead would announce the previous occurrence). The workflows that join these
rules to the store and the engine are `flows.py`.

Decisions:
* A series belongs to the server: moderators manage every one; a member a moderator chose hosts
  one series (« la personne qui anime ») and may edit, pause, skip, resume and announce it, but
  never change where it is posted or which role it pings (the moderators' choice), create,
  delete, or hand it to someone else.
* An occurrence is named by its local date in the series' zone (skips, « Je serai là »).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot import recurrence as weekly
from bot.guild_settings.model import validate_zone
from bot.text import fold
from bot.user_error import UserError
from bot.when import offsets as when_offsets
from bot.when.offsets import Offset
from bot.when.words import Day, Weekday

NAME_MAX = 60
LINK_MAX = 500
WELCOME_MAX = 1000  # fits an embed description with room for the rest
NOTE_MAX = 500  # what a host adds to an announcement
MAX_SERIES_PER_GUILD = 25  # one autocomplete page
OFFSETS_MAX_DAYS = 6
DEFAULT_OFFSETS = (Offset(days=1, at=time(18)), Offset(minutes=15))
# A member may still say « Je serai là » until the apéro has been going for this long.
ATTENDANCE_GRACE = timedelta(hours=3)
DRAFT_TTL = timedelta(days=1)  # a preview left unconfirmed is forgotten after this
PREVIEW_COUNT = 4  # occurrences shown in a preview
UPCOMING_DEFAULT, UPCOMING_MAX = 4, 10
SHOWN_TEXT_MAX = 40  # how much of a refused input an error quotes
REMOVE_WELCOME = "-"  # /apero modifier accueil:- removes the welcome message
_YEAR_2000, _SHORT_YEAR = 2000, 2
DAYS_PER_WEEK = 7
_DAY_MONTH = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?")


class Kind(StrEnum):
    """The reminder-engine kind of Apéro: one item per (series, reminder offset)."""

    REMINDER = "apero"


class PauseReason(StrEnum):
    MANUAL = "manual"
    FAILURE = "failure"  # stored with Discord's code: « failure:missing_access »


class DraftAction(StrEnum):
    SAVE = "save"
    WELCOME = "welcome"
    CANCEL = "cancel"


class DeleteAction(StrEnum):
    YES = "yes"
    NO = "no"


class HandBack(StrEnum):
    """Why a series went back to the moderators without them asking."""

    LEFT = "left"  # the host left the server
    ERASED = "erased"  # the host erased their data (/mes-donnees)


def failure_reason(code: str) -> str:
    return f"{PauseReason.FAILURE}:{code}"


@dataclass(frozen=True)
class SeriesFields:
    """What a moderator chooses; validated here before anything is written."""

    name: str
    weekday: int  # 0 = lundi
    at: time  # wall clock in `zone`
    zone: str
    channel_id: int
    link: str | None = None
    voice_channel_id: int | None = None
    role_id: int | None = None
    offsets: tuple[Offset, ...] = DEFAULT_OFFSETS  # earliest first
    welcome: str | None = None

    @property
    def spec(self) -> weekly.WeeklySpec:
        return weekly.WeeklySpec(self.weekday, self.at, ZoneInfo(self.zone))

    def with_(self, **changes: Any) -> SeriesFields:
        return replace(self, **changes)


@dataclass(frozen=True)
class Series:
    id: int
    guild_id: int
    fields: SeriesFields
    paused: bool = False
    pause_reason: str | None = None
    created_by: int = 0  # 0 once its creator erased their data
    host_id: int | None = None

    @property
    def name(self) -> str:
        return self.fields.name

    @property
    def spec(self) -> weekly.WeeklySpec:
        return self.fields.spec

    @property
    def paused_by_failure(self) -> bool:
        return self.paused and (self.pause_reason or "").startswith(PauseReason.FAILURE)

    def with_(self, **changes: Any) -> Series:
        return replace(self, **changes)


@dataclass(frozen=True)
class Draft:
    id: int
    guild_id: int
    author_id: int
    fields: SeriesFields


# -- who may do what ------------------------------------------------------------------------------
def may_manage(user_id: int, *, moderator: bool, host_id: int | None) -> bool:
    """Moderators manage every series; a series' host manages that series only."""
    return moderator or (host_id is not None and user_id == host_id)


def require_manager(user_id: int, *, moderator: bool, host_id: int | None, name: str) -> None:
    if not may_manage(user_id, moderator=moderator, host_id=host_id):
        raise UserError("apero.error.not_manager", name=name)


def require_moderator_fields(old: SeriesFields, new: SeriesFields, *, moderator: bool) -> None:
    """Where a series is posted and which role it pings stay the moderators' choice."""
    if not moderator and (new.channel_id != old.channel_id or new.role_id != old.role_id):
        raise UserError("apero.error.moderators_choose_channel")


def check_host(series: Series, user_id: int, *, is_bot: bool, is_member: bool) -> None:
    """Who a moderator may make the host of `series`: a member of the server, not a bot."""
    if is_bot:
        raise UserError("apero.error.host_is_bot")
    if not is_member:
        raise UserError("apero.error.host_not_member")
    if series.host_id == user_id:
        raise UserError("apero.error.already_host", name=series.name)


# -- what moderators type -------------------------------------------------------------------------
def parse_series_id(text: int | str) -> int:
    """The series chosen in autocomplete (its id); anything else typed is unknown."""
    try:
        return int(text)
    except (TypeError, ValueError):
        raise UserError("apero.error.unknown_series") from None


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


def clean_text(text: str | None, limit: int) -> str | None:
    """A welcome message or an announcement's note: trimmed, bounded, None when empty."""
    value = (text or "").strip()
    if len(value) > limit:
        raise UserError("errors.text_too_long", length=len(value), limit=limit)
    return value or None


def parse_hour(text: str) -> time:
    """'18h', '18h30', '18 h 30', '18:30', '6pm', 'midi' → a wall time."""
    at = weekly.parse_wall_time(text)
    if at is None:
        raise UserError("apero.error.bad_hour", text=text.strip()[:SHOWN_TEXT_MAX])
    return at


def parse_offsets(text: str, at: time) -> tuple[Offset, ...]:
    """« la veille à 18h, 15 min avant » for a series starting at `at` each week."""
    return when_offsets.parse_offsets(text, at, max_days=OFFSETS_MAX_DAYS)


def build_fields(
    *,
    name: str,
    weekday: int,
    hour: str | time,
    zone: str,
    channel_id: int,
    link: str | None,
    voice_channel_id: int | None,
    role_id: int | None,
    reminders: str | None,
    welcome: str | None = None,
    keep_offsets: tuple[Offset, ...] = (),
) -> SeriesFields:
    """Validate every field (raising UserError) and return the series' fields.

    Without `reminders`, `keep_offsets` (a modified series' own) or else the default apply;
    kept offsets are checked again against a new hour."""
    at = hour if isinstance(hour, time) else parse_hour(hour)
    if link is None and voice_channel_id is None:
        raise UserError("apero.error.no_place")
    if reminders is not None:
        offsets = parse_offsets(reminders, at)
    else:
        offsets = when_offsets.check_offsets(keep_offsets or DEFAULT_OFFSETS, at)
    return SeriesFields(
        name=clean_name(name),
        weekday=weekday,
        at=at,
        zone=validate_zone(zone),
        channel_id=channel_id,
        link=None if link is None else clean_link(link),
        voice_channel_id=voice_channel_id,
        role_id=role_id,
        offsets=offsets,
        welcome=clean_text(welcome, WELCOME_MAX),
    )


def edited_fields(
    old: SeriesFields,
    *,
    name: str | None = None,
    weekday: int | None = None,
    hour: str | None = None,
    zone: str | None = None,
    channel_id: int | None = None,
    link: str | None = None,
    voice_channel_id: int | None = None,
    role_id: int | None = None,
    no_role: bool = False,
    reminders: str | None = None,
    welcome: str | None = None,
) -> SeriesFields:
    """/apero modifier: the options given change, the others stay; « - » removes the welcome."""
    if welcome is not None:
        kept_welcome = None if welcome.strip() == REMOVE_WELCOME else welcome
    else:
        kept_welcome = old.welcome
    return build_fields(
        name=name if name is not None else old.name,
        weekday=weekday if weekday is not None else old.weekday,
        hour=hour if hour is not None else old.at,
        zone=zone or old.zone,
        channel_id=channel_id or old.channel_id,
        link=link if link is not None else old.link,
        voice_channel_id=voice_channel_id or old.voice_channel_id,
        role_id=None if no_role else (role_id or old.role_id),
        reminders=reminders,
        keep_offsets=old.offsets,
        welcome=kept_welcome,
    )


def name_taken(names: Iterable[str], name: str) -> bool:
    """Two series of a server may not share a name, case and accents aside."""
    wanted = fold(name)
    return any(fold(other) == wanted for other in names)


def name_matches(name: str, typed: str) -> bool:
    """Autocomplete: what the member typed appears in the name, case and accents aside."""
    return fold(typed.strip()) in fold(name)


def check_new(names: Collection[str], name: str) -> None:
    """A new series among the server's existing ones (`names`)."""
    if len(names) >= MAX_SERIES_PER_GUILD:
        raise UserError("apero.error.too_many_series", max=MAX_SERIES_PER_GUILD)
    check_name_free(names, name)


def check_name_free(names: Iterable[str], name: str) -> None:
    if name_taken(names, name):
        raise UserError("apero.error.name_taken", name=name)


def parse_day(text: str, zone: ZoneInfo, now: datetime) -> date:
    """'2026-12-25', '25/12/2026', '25/12' (the next one) → a date in the series' zone."""
    value = text.strip()
    shown = value[:SHOWN_TEXT_MAX]
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    match = _DAY_MONTH.fullmatch(value)
    if not match:
        raise UserError("apero.error.bad_date", text=shown)
    day, month = int(match[1]), int(match[2])
    today = now.astimezone(zone).date()
    typed = match[3]
    years = [int(typed) + (_YEAR_2000 if len(typed) == _SHORT_YEAR else 0)] if typed else []
    for year in years or [today.year, today.year + 1]:
        try:
            found = date(year, month, day)
        except ValueError:
            continue  # 31/02, or 29/02 in a year that has none (next year may)
        if years or found >= today:
            return found
    raise UserError("apero.error.bad_date", text=shown)


def occurrence_named(series: Series, text: str, now: datetime) -> weekly.Occurrence:
    """The future occurrence of `series` on the date typed (to skip or restore)."""
    spec = series.spec
    day = parse_day(text, spec.zone, now)
    if not weekly.is_occurrence_day(spec, day):
        raise UserError(
            "apero.error.not_occurrence",
            date=Day(day),
            name=series.name,
            weekday=Weekday(spec.weekday),
        )
    start = weekly.start_on(spec, day)
    if start <= now:
        raise UserError("apero.error.past_date", date=Day(day))
    return weekly.Occurrence(day, start)


# -- when things happen ---------------------------------------------------------------------------
def ref_for(series_id: int, offset: Offset) -> str:
    """The engine item of one reminder offset of a series."""
    return f"{series_id}:{offset.code}"


def ref_prefix(series_id: int) -> str:
    return f"{series_id}:"


def parse_ref(ref: str) -> tuple[int, Offset]:
    series_id, _, code = ref.partition(":")
    return int(series_id), Offset.from_code(code)


def reminder_after(
    spec: weekly.WeeklySpec, offset: Offset, after: datetime, skips: Collection[date] = ()
) -> tuple[weekly.Occurrence, datetime] | None:
    """The first (occurrence, due instant) of `offset` due strictly after `after`, skipped
    dates left out. A reminder is due before its start: only later starts qualify."""
    for index, occ in enumerate(weekly.occurrences(spec, after)):
        if index > weekly.SEARCH_WEEKS:
            return None
        if occ.day in skips:
            continue
        due = when_offsets.due_at(occ.start, spec.zone, offset)
        if due > after:
            return occ, due
    return None  # pragma: no cover - occurrences() never ends


def reminders_after(
    series: Series, now: datetime, skips: Collection[date]
) -> list[tuple[Offset, weekly.Occurrence, datetime]]:
    """Each offset's next reminder after `now`: what the engine holds for an active series."""
    if series.paused:
        return []
    found = []
    for offset in series.fields.offsets:
        nxt = reminder_after(series.spec, offset, now, skips)
        if nxt is not None:
            found.append((offset, *nxt))
    return found


def still_due(series: Series | None, offset: Offset, day: date, skips: Collection[date]) -> bool:
    """An engine item is still to be posted: the series exists, runs, keeps that reminder,
    and that date is not skipped."""
    return (
        series is not None
        and not series.paused
        and offset in series.fields.offsets
        and day not in skips
    )


def following(
    series: Series, offset: Offset, day: date, skips: Collection[date]
) -> tuple[weekly.Occurrence, datetime] | None:
    """After the occurrence of `day` is settled: the same offset for the next held one, even
    if it falls due before that day is over."""
    spec = series.spec
    after = datetime.combine(day, spec.at, tzinfo=spec.zone).astimezone(UTC)
    for occ in weekly.occurrences(spec, after):
        if (occ.day - day).days > DAYS_PER_WEEK * weekly.SEARCH_WEEKS:
            return None
        if occ.day > day and occ.day not in skips:
            return occ, when_offsets.due_at(occ.start, spec.zone, offset)
    return None  # pragma: no cover - occurrences() never ends


def upcoming(
    series_and_skips: Iterable[tuple[Series, Collection[date]]], now: datetime, count: int
) -> list[tuple[Series, weekly.Occurrence]]:
    """The next `count` occurrences across the active series, soonest first."""
    found: list[tuple[Series, weekly.Occurrence]] = []
    for series, skips in series_and_skips:
        if not series.paused:
            found += [(series, o) for o in weekly.next_occurrences(series.spec, now, count, skips)]
    found.sort(key=lambda pair: (pair[1].start, fold(pair[0].name)))
    return found[:count]


def next_held(series: Series, now: datetime, skips: Collection[date]) -> weekly.Occurrence:
    """The next occurrence to announce: not skipped, and the series running."""
    if series.paused:
        raise UserError("apero.error.paused", name=series.name)
    found = weekly.next_occurrences(series.spec, now, 1, skips)
    if not found:
        raise UserError("apero.error.nothing_ahead", name=series.name)
    return found[0]


def check_attendance_open(spec: weekly.WeeklySpec, day: date, now: datetime) -> None:
    if now > weekly.start_on(spec, day) + ATTENDANCE_GRACE:
        raise UserError("apero.error.occurrence_over")
