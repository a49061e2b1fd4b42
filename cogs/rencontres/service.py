"""The rules of Rencontres: validation, RSVP with a waiting list, reminder times. No Discord.

Time is always passed in (`now`, aware); instants are stored as UTC unix seconds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import quote_plus, urlsplit
from zoneinfo import ZoneInfo

from bot.guild_settings.model import validate_zone
from bot.text import fold
from bot.user_error import UserError
from bot.when import parse_when

TITLE_MAX = 100
DESCRIPTION_MAX = 1500  # leaves room in the 6000-character embed for the lists
PLACE_MAX = 300
LINK_MAX = 500
CAPACITY_MIN, CAPACITY_MAX = 2, 500
DURATION_DEFAULT = 120
DURATION_MIN, DURATION_MAX = 15, 24 * 60
DEFAULT_OFFSETS = (1440, 60)
OFFSETS_MAX = 5
FORMATS = ("presentiel", "visio")
# After the end, the thread is told and the event archived; worth doing even if the bot was
# down for a while.
ARCHIVE_GRACE = timedelta(days=30)


@dataclass(frozen=True)
class Rencontre:
    id: int
    guild_id: int
    organiser_id: int
    title: str
    description: str
    starts_at: datetime
    duration_min: int
    zone: str
    format: str
    place: str | None
    link: str | None
    capacity: int | None
    status: str = "draft"
    lang: str = "fr"
    channel_id: int | None = None
    message_id: int | None = None
    thread_id: int | None = None
    scheduled_event_id: int | None = None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_min)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def ended(self, now: datetime) -> bool:
        return now >= self.ends_at

    def with_(self, **changes: object) -> Rencontre:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Details:
    """What an organiser sets; validated by `validate_details`."""

    title: str
    starts_at: datetime
    duration_min: int
    zone: str
    format: str
    place: str | None
    link: str | None
    capacity: int | None
    description: str = ""


@dataclass(frozen=True)
class Answer:
    user_id: int
    status: str  # going | maybe | waiting
    seq: int


@dataclass
class Attendance:
    """The answers of one event, in order of arrival."""

    answers: list[Answer] = field(default_factory=list)

    def of(self, status: str) -> list[int]:
        return [a.user_id for a in sorted(self.answers, key=lambda a: a.seq) if a.status == status]

    def status_of(self, user_id: int) -> str | None:
        return next((a.status for a in self.answers if a.user_id == user_id), None)

    @property
    def next_seq(self) -> int:
        return max((a.seq for a in self.answers), default=0) + 1


@dataclass(frozen=True)
class RsvpOutcome:
    """What an answer changed: the member's new status, waiting position, promoted members."""

    status: str | None  # None: withdrawn
    previous: str | None
    position: int | None = None
    promoted: tuple[int, ...] = ()
    changes: tuple[Answer | tuple[int, None], ...] = ()  # rows to write: Answer, or (uid, None)


def details_of(event: Rencontre) -> Details:
    return Details(
        title=event.title,
        starts_at=event.starts_at,
        duration_min=event.duration_min,
        zone=event.zone,
        format=event.format,
        place=event.place,
        link=event.link,
        capacity=event.capacity,
        description=event.description,
    )


# -- validation --------------------------------------------------------------------------------
def clean_text(text: str | None) -> str:
    return (text or "").strip()


def validate_title(title: str) -> str:
    title = " ".join(clean_text(title).split())
    if not title:
        raise UserError("rencontre.error.title_empty")
    if len(title) > TITLE_MAX:
        raise UserError("rencontre.error.title_too_long", length=len(title), limit=TITLE_MAX)
    return title


def validate_description(text: str | None) -> str:
    text = clean_text(text)
    if len(text) > DESCRIPTION_MAX:
        raise UserError(
            "rencontre.error.description_too_long", length=len(text), limit=DESCRIPTION_MAX
        )
    return text


def validate_link(link: str) -> str:
    link = clean_text(link)
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in link:
        raise UserError("rencontre.error.bad_link", link=link[:100])
    if len(link) > LINK_MAX:
        raise UserError("rencontre.error.link_too_long", limit=LINK_MAX)
    return link


def validate_capacity(capacity: int | None) -> int | None:
    if capacity is None:
        return None
    if not CAPACITY_MIN <= capacity <= CAPACITY_MAX:
        raise UserError(
            "rencontre.error.capacity", value=capacity, low=CAPACITY_MIN, high=CAPACITY_MAX
        )
    return capacity


_DURATION = re.compile(
    r"^\s*(?:(\d{1,2})\s*h(?:eures?)?\s*(\d{1,2})?|(\d{1,4})\s*(?:min|minutes?|mn))\s*$",
    re.IGNORECASE,
)


def parse_duration(text: str | None) -> int:
    """Minutes from "2h", "1h30", "1 h 30", "90 min", "45min"; default 2 h."""
    if text is None or not text.strip():
        return DURATION_DEFAULT
    match = _DURATION.match(text)
    if not match:
        raise UserError("rencontre.error.bad_duration", text=text.strip()[:50])
    minutes = int(match[3]) if match[3] else int(match[1]) * 60 + int(match[2] or 0)
    if not DURATION_MIN <= minutes <= DURATION_MAX:
        raise UserError("rencontre.error.bad_duration", text=text.strip()[:50])
    return minutes


def format_duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def choose_zone(option: str | None, own_zone: str) -> str:
    """The zone the organiser typed, else their own (their saved one, else the server's)."""
    if option and option.strip():
        return validate_zone(option)
    return own_zone


def parse_start(text: str, zone: str, now: datetime, lang: str) -> datetime:
    """The instant (UTC) of what the organiser typed, in their zone; never in the past."""
    return parse_when(text, zone=ZoneInfo(zone), now=now, lang_hint=lang).astimezone(UTC)


def validate_details(
    *,
    title: str,
    starts_at: datetime,
    duration_min: int,
    zone: str,
    format: str,
    place: str | None,
    link: str | None,
    capacity: int | None,
    description: str | None,
) -> Details:
    """Every field checked; presentiel needs a place, visio a link."""
    if format not in FORMATS:
        raise UserError("rencontre.error.bad_format")
    place_text = " ".join(clean_text(place).split()) or None
    link_text = clean_text(link) or None
    if place_text is not None and len(place_text) > PLACE_MAX:
        raise UserError("rencontre.error.place_too_long", limit=PLACE_MAX)
    if link_text is not None:
        link_text = validate_link(link_text)
    if format == "presentiel" and place_text is None:
        raise UserError("rencontre.error.place_needed")
    if format == "visio" and link_text is None:
        raise UserError("rencontre.error.link_needed")
    return Details(
        title=validate_title(title),
        starts_at=starts_at.astimezone(UTC),
        duration_min=duration_min,
        zone=zone,
        format=format,
        place=place_text if format == "presentiel" else None,
        link=link_text if format == "visio" else None,
        capacity=validate_capacity(capacity),
        description=validate_description(description),
    )


def osm_link(place: str) -> str:
    """An OpenStreetMap search for a free-text address."""
    return "https://www.openstreetmap.org/search?query=" + quote_plus(place)


# -- who may do what -----------------------------------------------------------------------------
def require_open(event: Rencontre | None, now: datetime) -> Rencontre:
    """The event, if it still takes answers and edits."""
    if event is None:
        raise UserError("rencontre.error.unknown")
    if event.status == "cancelled":
        raise UserError("rencontre.error.cancelled", title=event.title)
    if event.status == "archived" or event.ended(now):
        raise UserError("rencontre.error.ended", title=event.title)
    if event.status != "published":
        raise UserError("rencontre.error.unknown")
    return event


def require_manager(event: Rencontre, user_id: int, moderator: bool) -> None:
    if event.organiser_id != user_id and not moderator:
        raise UserError("rencontre.error.not_organiser")


# -- choosing an event (autocomplete) -------------------------------------------------------------
def match_rank(event: Rencontre, typed: str) -> int | None:
    """How well `event` matches what the member typed (lower is better), None: no match.

    0 its number ("12", "#12"), 1 the title starts with the text, 2 a word of the title does,
    3 the text is somewhere in the title; accents and case never matter.
    """
    typed = fold(typed)
    if not typed:
        return 3
    number = typed.lstrip("#").strip()
    if number.isdigit() and int(number) == event.id:
        return 0
    title = fold(event.title)
    if title.startswith(typed):
        return 1
    if f" {typed}" in f" {title}" or any(w.startswith(typed) for w in re.split(r"\W+", title)):
        return 2
    return 3 if typed in title else None


def pick_events(
    events: Sequence[Rencontre], typed: str, limit: int, *, may_manage: int | None = None
) -> list[Rencontre]:
    """The events to offer for what the member typed: best match first, then soonest.

    `may_manage` (a user id) keeps only events that member organises (moderators pass None).
    """
    ranked = []
    for event in events:
        if may_manage is not None and event.organiser_id != may_manage:
            continue
        rank = match_rank(event, typed.strip()[:100])
        if rank is not None:
            ranked.append((rank, event.starts_at, event.id, event))
    ranked.sort(key=lambda r: r[:3])
    return [r[3] for r in ranked[:limit]]


# -- RSVP ----------------------------------------------------------------------------------------
def _promote(
    going: list[int], waiting: list[int], capacity: int | None, attendance: Attendance
) -> list[Answer]:
    """Move the first waiting members up while seats are free."""
    moved: list[Answer] = []
    seqs = {a.user_id: a.seq for a in attendance.answers}
    while waiting and (capacity is None or len(going) < capacity):
        uid = waiting.pop(0)
        going.append(uid)
        moved.append(Answer(uid, "going", seqs[uid]))
    return moved


def answer(attendance: Attendance, user_id: int, choice: str, capacity: int | None) -> RsvpOutcome:
    """Apply "go", "maybe" or "leave" for `user_id`."""
    previous = attendance.status_of(user_id)
    going, waiting = attendance.of("going"), attendance.of("waiting")
    seq = attendance.next_seq
    if choice == "go":
        if previous in ("going", "waiting"):
            position = waiting.index(user_id) + 1 if previous == "waiting" else None
            raise UserError(
                "rencontre.error.already_going"
                if previous == "going"
                else "rencontre.error.already_waiting",
                position=position or 0,
            )
        if capacity is not None and len(going) >= capacity:
            return RsvpOutcome(
                "waiting",
                previous,
                position=len(waiting) + 1,
                changes=(Answer(user_id, "waiting", seq),),
            )
        return RsvpOutcome("going", previous, changes=(Answer(user_id, "going", seq),))
    if choice == "maybe":
        if previous == "maybe":
            raise UserError("rencontre.error.already_maybe")
        for group in (going, waiting):
            if user_id in group:
                group.remove(user_id)
        moved = _promote(going, waiting, capacity, attendance) if previous == "going" else []
        return RsvpOutcome(
            "maybe",
            previous,
            promoted=tuple(a.user_id for a in moved),
            changes=(Answer(user_id, "maybe", seq), *moved),
        )
    if choice == "leave":
        if previous is None:
            raise UserError("rencontre.error.not_answered")
        for group in (going, waiting):
            if user_id in group:
                group.remove(user_id)
        moved = _promote(going, waiting, capacity, attendance) if previous == "going" else []
        return RsvpOutcome(
            None,
            previous,
            promoted=tuple(a.user_id for a in moved),
            changes=((user_id, None), *moved),
        )
    raise ValueError(choice)


def promote_after_resize(attendance: Attendance, capacity: int | None) -> list[Answer]:
    """After the cap was raised (or removed): who moves up. A lowered cap demotes nobody."""
    return _promote(attendance.of("going"), attendance.of("waiting"), capacity, attendance)


def seats_left(capacity: int | None, going: int) -> int | None:
    return None if capacity is None else max(0, capacity - going)


# -- reminders -----------------------------------------------------------------------------------
def parse_offsets(text: str) -> tuple[int, ...]:
    """Minutes before the start from "24h, 1h", "2 j", "30 min"; distinct, largest first."""
    found: set[int] = set()
    for raw in re.split(r"[,;/ ]+(?=\d)", text.strip()):
        m = re.fullmatch(
            r"\s*(\d{1,4})\s*(j|jours?|d|days?|h|heures?|hours?|min|minutes?|mn)\s*", raw, re.I
        )
        if not m:
            raise UserError("rencontre.error.bad_offsets", text=text.strip()[:60])
        unit = m[2].lower()
        factor = 1440 if unit[0] in "jd" else 60 if unit[0] == "h" else 1
        minutes = int(m[1]) * factor
        if not 5 <= minutes <= 14 * 1440:
            raise UserError("rencontre.error.bad_offsets", text=text.strip()[:60])
        found.add(minutes)
    if not found or len(found) > OFFSETS_MAX:
        raise UserError("rencontre.error.bad_offsets", text=text.strip()[:60])
    return tuple(sorted(found, reverse=True))


def reminder_times(
    starts_at: datetime, offsets: Sequence[int], now: datetime
) -> list[tuple[int, datetime]]:
    """(offset, due) for the reminders still ahead; those already past are skipped."""
    due = [(o, starts_at - timedelta(minutes=o)) for o in offsets]
    return [(o, when) for o, when in due if when > now]
