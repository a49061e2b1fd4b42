"""The rules of Rencontres: validation, RSVP with a waiting list, reminder times. No Discord.

Time is always passed in (`now`, aware); instants are stored as UTC unix seconds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import IntEnum, StrEnum
from urllib.parse import quote_plus, urlsplit
from zoneinfo import ZoneInfo

from bot.guild_settings.model import validate_zone
from bot.text import fold
from bot.user_error import UserError
from bot.when import offsets as when_offsets
from bot.when import parse_when
from bot.when.offsets import Offset

TITLE_MAX = 100
DESCRIPTION_MAX = 1500  # leaves room in the 6000-character embed for the lists
PLACE_MAX = 300
LINK_MAX = 500
REASON_MAX = 500
CAPACITY_MIN, CAPACITY_MAX = 2, 500
CAPACITY_DIGITS = 3  # what the form's field accepts
DURATION_DEFAULT = 120
DURATION_MIN, DURATION_MAX = 15, 24 * 60
DEFAULT_OFFSETS = (Offset(minutes=24 * 60), Offset(minutes=60))
OFFSETS_MAX_DAYS = 14  # a meet-up is announced at most two weeks ahead by its reminders
EVENT_ID_DIGITS = 18  # a number longer than this is no event of ours
SEARCH_TEXT_MAX = 100  # what autocomplete compares of the typed text
SHOWN_TEXT_MAX = 50  # how much of a refused input an error quotes
# After the end, the thread is told and the event archived; worth doing even if the bot was
# down for a while.
ARCHIVE_GRACE = timedelta(days=30)


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    ARCHIVED = "archived"


class Format(StrEnum):
    PRESENTIEL = "presentiel"
    VISIO = "visio"


class Presence(StrEnum):
    """A member's answer as stored."""

    GOING = "going"
    MAYBE = "maybe"
    WAITING = "waiting"


# The order answers are listed in (exports).
PRESENCE_ORDER = (Presence.GOING, Presence.MAYBE, Presence.WAITING)


class Choice(StrEnum):
    """What a member clicks under a meet-up."""

    GO = "go"
    MAYBE = "maybe"
    LEAVE = "leave"


class DraftAction(StrEnum):
    PUBLISH = "publish"
    EDIT = "edit"
    DROP = "drop"


class Kind(StrEnum):
    """The reminder-engine kinds of Rencontres."""

    REMINDER = "rencontre.rappel"
    PROMOTION = "rencontre.promotion"
    END = "rencontre.fin"


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
    format: Format
    place: str | None
    link: str | None
    capacity: int | None
    status: Status = Status.DRAFT
    lang: str = "fr"
    channel_id: int | None = None
    message_id: int | None = None
    thread_id: int | None = None
    scheduled_event_id: int | None = None
    manager_id: int | None = None  # a member a moderator entrusted it to (« confier »)
    revision: int = 0  # +1 on every change calendars must follow (their SEQUENCE)
    updated_at: datetime | None = None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_min)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def ended(self, now: datetime) -> bool:
        return now >= self.ends_at

    def takes_answers(self, now: datetime) -> bool:
        return self.status is Status.PUBLISHED and not self.ended(now)

    def with_(self, **changes: object) -> Rencontre:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Details:
    """What an organiser sets; validated by `validate_details`."""

    title: str
    starts_at: datetime
    duration_min: int
    zone: str
    format: Format
    place: str | None
    link: str | None
    capacity: int | None
    description: str = ""

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_min)


@dataclass(frozen=True)
class Answer:
    user_id: int
    status: Presence
    seq: int


@dataclass(frozen=True)
class Withdrawal:
    """A member's answer removed."""

    user_id: int


Change = Answer | Withdrawal


@dataclass
class Attendance:
    """The answers of one event, in order of arrival."""

    answers: list[Answer] = field(default_factory=list)

    def of(self, status: Presence) -> list[int]:
        return [a.user_id for a in sorted(self.answers, key=lambda a: a.seq) if a.status == status]

    def status_of(self, user_id: int) -> Presence | None:
        return next((a.status for a in self.answers if a.user_id == user_id), None)

    @property
    def next_seq(self) -> int:
        return max((a.seq for a in self.answers), default=0) + 1

    @property
    def told_of_changes(self) -> list[int]:
        """Everyone who answered: they hear of edits and cancellations."""
        return self.of(Presence.GOING) + self.of(Presence.WAITING) + self.of(Presence.MAYBE)

    def after(self, changes: Sequence[Change]) -> Attendance:
        """The answers once `changes` are written (what a redraw shows, without reading again)."""
        rows = {a.user_id: a for a in self.answers}
        for change in changes:
            if isinstance(change, Withdrawal):
                rows.pop(change.user_id, None)
            else:
                rows[change.user_id] = change
        return Attendance(list(rows.values()))


@dataclass(frozen=True)
class RsvpOutcome:
    """What an answer changed: the member's new status, waiting position, promoted members."""

    status: Presence | None  # None: withdrawn
    previous: Presence | None
    position: int | None = None
    promoted: tuple[int, ...] = ()
    changes: tuple[Change, ...] = ()


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


def changed_fields(event: Rencontre, details: Details) -> list[str]:
    """The names of the details that differ (catalog keys `rencontre.field.<name>`)."""
    before = asdict(details_of(event))
    return [name for name, value in asdict(details).items() if before[name] != value]


# -- validation --------------------------------------------------------------------------------
def clean_text(text: str | None) -> str:
    return (text or "").strip()


def parse_event_id(value: str) -> int:
    """« 12 », « #12 » → 12; anything else is no event."""
    value = value.strip().lstrip("#")
    if not value.isdigit() or len(value) > EVENT_ID_DIGITS:
        raise UserError("rencontre.error.unknown")
    return int(value)


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


def validate_reason(text: str | None) -> str:
    reason = clean_text(text)
    if len(reason) > REASON_MAX:
        raise UserError("rencontre.error.reason_too_long", limit=REASON_MAX)
    return reason


def validate_link(link: str) -> str:
    link = clean_text(link)
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in link:
        raise UserError("rencontre.error.bad_link", link=link[:SEARCH_TEXT_MAX])
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


def parse_capacity(text: str) -> int | None:
    """What the form's « Places » field holds: empty (no cap) or a number."""
    raw = text.strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise UserError("rencontre.error.capacity_text", value=raw[:10])
    return int(raw)


_DURATION = re.compile(
    r"^\s*(?:(\d{1,2})\s*h(?:eures?)?\s*(\d{1,2})?|(\d{1,4})\s*(?:min|minutes?|mn))\s*$",
    re.IGNORECASE,
)


def parse_duration(text: str | None) -> int:
    """Minutes from "2h", "1h30", "1 h 30", "90 min", "45min"; default 2 h."""
    if text is None or not text.strip():
        return DURATION_DEFAULT
    shown = text.strip()[:SHOWN_TEXT_MAX]
    match = _DURATION.match(text)
    if not match:
        raise UserError("rencontre.error.bad_duration", text=shown)
    minutes = int(match[3]) if match[3] else int(match[1]) * 60 + int(match[2] or 0)
    if not DURATION_MIN <= minutes <= DURATION_MAX:
        raise UserError("rencontre.error.bad_duration", text=shown)
    return minutes


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
    try:
        kind = Format(format)
    except ValueError:
        raise UserError("rencontre.error.bad_format") from None
    place_text = " ".join(clean_text(place).split()) or None
    link_text = clean_text(link) or None
    if place_text is not None and len(place_text) > PLACE_MAX:
        raise UserError("rencontre.error.place_too_long", limit=PLACE_MAX)
    if link_text is not None:
        link_text = validate_link(link_text)
    if kind is Format.PRESENTIEL and place_text is None:
        raise UserError("rencontre.error.place_needed")
    if kind is Format.VISIO and link_text is None:
        raise UserError("rencontre.error.link_needed")
    return Details(
        title=validate_title(title),
        starts_at=starts_at.astimezone(UTC),
        duration_min=duration_min,
        zone=zone,
        format=kind,
        place=place_text if kind is Format.PRESENTIEL else None,
        link=link_text if kind is Format.VISIO else None,
        capacity=validate_capacity(capacity),
        description=validate_description(description),
    )


def edited_details(
    event: Rencontre,
    *,
    now: datetime,
    lang_hint: str,
    title: str | None = None,
    when: str | None = None,
    place: str | None = None,
    link: str | None = None,
    capacity: int | None = None,
    keep_capacity: bool = True,
    duration: str | None = None,
    description: str | None = None,
) -> Details:
    """The event's details with what the member changed (None: unchanged), all validated.

    An empty `when` keeps the start as it is; `keep_capacity=False` reads a None capacity as
    « no cap » (the form) rather than « unchanged » (the command's options)."""
    starts = event.starts_at
    if when is not None and when.strip():
        starts = parse_start(when, event.zone, now, lang_hint)
    return validate_details(
        title=event.title if title is None else title,
        starts_at=starts,
        duration_min=event.duration_min if duration is None else parse_duration(duration),
        zone=event.zone,
        format=event.format,
        place=event.place if place is None else place,
        link=event.link if link is None else link,
        capacity=event.capacity if keep_capacity and capacity is None else capacity,
        description=event.description if description is None else description,
    )


def check_where(event: Rencontre, *, place: str | None, link: str | None) -> None:
    """A meet-up in person has a place, a visio a link: changing the other one is a mistake."""
    if (place is not None and event.format is not Format.PRESENTIEL) or (
        link is not None and event.format is not Format.VISIO
    ):
        raise UserError("rencontre.error.wrong_where")


def osm_link(place: str) -> str:
    """An OpenStreetMap search for a free-text address."""
    return "https://www.openstreetmap.org/search?query=" + quote_plus(place)


# -- who may do what -----------------------------------------------------------------------------
def require_open(event: Rencontre | None, now: datetime) -> Rencontre:
    """The event, if it still takes answers and edits."""
    if event is None:
        raise UserError("rencontre.error.unknown")
    if event.status is Status.CANCELLED:
        raise UserError("rencontre.error.cancelled", title=event.title)
    if event.status is Status.ARCHIVED or event.ended(now):
        raise UserError("rencontre.error.ended", title=event.title)
    if event.status is not Status.PUBLISHED:
        raise UserError("rencontre.error.unknown")
    return event


def manages(event: Rencontre, user_id: int) -> bool:
    """Its organiser, and the member a moderator entrusted it to (moderators: every event)."""
    return user_id in (event.organiser_id, event.manager_id)


def require_manager(event: Rencontre, user_id: int, moderator: bool) -> None:
    if not moderator and not manages(event, user_id):
        raise UserError("rencontre.error.not_organiser")


def require_draft_of(draft: Rencontre | None, user_id: int) -> Rencontre:
    """A draft its organiser acts on (publish, edit, drop)."""
    if draft is None or draft.organiser_id != user_id:
        raise UserError("rencontre.error.unknown")
    if draft.status is not Status.DRAFT:
        raise UserError("rencontre.error.already_published")
    return draft


# -- choosing an event (autocomplete) -------------------------------------------------------------
class Rank(IntEnum):
    """How well an event matches what was typed (lower is better)."""

    NUMBER = 0
    TITLE_START = 1
    WORD_START = 2
    INSIDE = 3


def match_rank(event: Rencontre, typed: str) -> int | None:
    """How well `event` matches what the member typed (a `Rank`), None: no match.

    Its number ("12", "#12"), the title starts with the text, a word of the title does, the
    text is somewhere in the title; accents and case never matter.
    """
    typed = fold(typed)
    if not typed:
        return Rank.INSIDE
    number = typed.lstrip("#").strip()
    if number.isdigit() and int(number) == event.id:
        return Rank.NUMBER
    title = fold(event.title)
    if title.startswith(typed):
        return Rank.TITLE_START
    if f" {typed}" in f" {title}" or any(w.startswith(typed) for w in re.split(r"\W+", title)):
        return Rank.WORD_START
    return Rank.INSIDE if typed in title else None


def pick_events(
    events: Sequence[Rencontre], typed: str, limit: int, *, may_manage: int | None = None
) -> list[Rencontre]:
    """The events to offer for what the member typed: best match first, then soonest.

    `may_manage` (a user id) keeps only events that member organises or was entrusted with
    (moderators pass None).
    """
    ranked = []
    for event in events:
        if may_manage is not None and not manages(event, may_manage):
            continue
        rank = match_rank(event, typed.strip()[:SEARCH_TEXT_MAX])
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
        moved.append(Answer(uid, Presence.GOING, seqs[uid]))
    return moved


def _go(attendance: Attendance, user_id: int, capacity: int | None) -> RsvpOutcome:
    previous = attendance.status_of(user_id)
    going, waiting = attendance.of(Presence.GOING), attendance.of(Presence.WAITING)
    if previous is Presence.GOING:
        raise UserError("rencontre.error.already_going")
    if previous is Presence.WAITING:
        position = waiting.index(user_id) + 1
        raise UserError("rencontre.error.already_waiting", position=position)
    seq = attendance.next_seq
    if capacity is not None and len(going) >= capacity:
        return RsvpOutcome(
            Presence.WAITING,
            previous,
            position=len(waiting) + 1,
            changes=(Answer(user_id, Presence.WAITING, seq),),
        )
    return RsvpOutcome(Presence.GOING, previous, changes=(Answer(user_id, Presence.GOING, seq),))


def answer(
    attendance: Attendance, user_id: int, choice: Choice, capacity: int | None
) -> RsvpOutcome:
    """Apply « Je viens », « Peut-être » or « Je me retire » for `user_id`."""
    if choice is Choice.GO:
        return _go(attendance, user_id, capacity)
    previous = attendance.status_of(user_id)
    if choice is Choice.MAYBE and previous is Presence.MAYBE:
        raise UserError("rencontre.error.already_maybe")
    if choice is Choice.LEAVE and previous is None:
        raise UserError("rencontre.error.not_answered")
    going, waiting = attendance.of(Presence.GOING), attendance.of(Presence.WAITING)
    for group in (going, waiting):
        if user_id in group:
            group.remove(user_id)
    moved = _promote(going, waiting, capacity, attendance) if previous is Presence.GOING else []
    own: Change = (
        Answer(user_id, Presence.MAYBE, attendance.next_seq)
        if choice is Choice.MAYBE
        else Withdrawal(user_id)
    )
    return RsvpOutcome(
        Presence.MAYBE if choice is Choice.MAYBE else None,
        previous,
        promoted=tuple(a.user_id for a in moved),
        changes=(own, *moved),
    )


def promote_after_resize(attendance: Attendance, capacity: int | None) -> list[Answer]:
    """After the cap was raised (or removed): who moves up. A lowered cap demotes nobody."""
    return _promote(
        attendance.of(Presence.GOING), attendance.of(Presence.WAITING), capacity, attendance
    )


def seats_left(capacity: int | None, going: int) -> int | None:
    return None if capacity is None else max(0, capacity - going)


# -- reminders -----------------------------------------------------------------------------------
def parse_offsets(text: str) -> tuple[Offset, ...]:
    """The server's reminder offsets: « 24h, 1h », « la veille à 18h, 1 h avant »."""
    return when_offsets.parse_offsets(text, max_days=OFFSETS_MAX_DAYS)


def reminder_times(
    event: Rencontre, offsets: Sequence[Offset], now: datetime
) -> list[tuple[Offset, datetime]]:
    """(offset, due) for the reminders still ahead and before the start, in time order.

    A same-day wall time at or after this event's start (« le jour même à 9h » for an 8:00
    meet-up) has nothing to remind of: skipped, like those already past."""
    due = [(o, when_offsets.due_at(event.starts_at, event.tz, o)) for o in offsets]
    return sorted(((o, at) for o, at in due if now < at < event.starts_at), key=lambda d: d[1])
