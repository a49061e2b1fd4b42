"""The rules of date polls: the slots typed, the answers per slot, the tallies and the best slot.

Pure: no Discord, no database, `now` passed in. Instants are aware and stored in UTC.

* A poll has 2 to 40 slots, typed in one field separated by « ; » or new lines, each understood
  by the core's date understanding (`bot.when`) in the organiser's zone; a refusal names the
  slot (its number as typed, and its text). Duplicates (the same instant twice) are refused,
  naming both. Slots are numbered in time order.
* Each member answers each slot Oui, Si besoin or Non; a slot not answered counts for nothing.
  On the public message a page (up to 25 slots) has an « Oui » and a « Si besoin » select: what
  is picked in one becomes that answer, what was that answer and is no longer picked becomes
  Non, and the other slots of the page not yet answered become Non (the member answered the
  page); the ephemeral grid (« Mes disponibilités ») sets one slot at a time.
* The best slot: most Oui, then most Si besoin, then the earliest.
* A poll is open until it is closed (by its organiser, a moderator, or at its closing date,
  which falls before the first slot); answers are changed freely until then. The organiser then
  confirms the best slot or picks another, which becomes a meet-up draft.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.user_error import Cause, UserError
from bot.when import parse_when
from cogs.rencontres.service import (
    Details,
    Format,
    clean_text,
    validate_details,
    validate_link,
    validate_title,
)

SLOTS_MIN = 2
SLOTS_MAX = 40
SLOTS_PER_PAGE = 25  # the options of one select
GRID_SLOTS_PER_PAGE = 4  # « Mes disponibilités »: one select per slot, a row for the pages
SLOT_TEXT_SHOWN = 50  # how much of a refused slot an error quotes
POLL_ID_DIGITS = 18
CLOSED_BY_DATE = 0  # `closed_by` when the closing date closed it
_SEPARATORS = re.compile(r"[;\n]")


class PollStatus(StrEnum):
    DRAFT = "draft"  # shown to its organiser only, before « Publier »
    OPEN = "open"
    CLOSED = "closed"  # no more answers; the organiser confirms a slot
    CONFIRMED = "confirmed"  # a slot became a meet-up draft


class Availability(StrEnum):
    """A member's answer for one slot."""

    YES = "yes"
    MAYBE = "maybe"  # « si besoin »
    NO = "no"


class PollKind(StrEnum):
    """The reminder-engine kinds of polls."""

    CLOSE = "rencontre.sondage.cloture"  # at the closing date
    INVITE = "rencontre.sondage.invitation"  # the meet-up is published: voters are told


class PollAction(StrEnum):
    """Buttons of the preview and the public message."""

    PUBLISH = "publish"
    DROP = "drop"
    MINE = "mine"
    CLOSE = "close"


@dataclass(frozen=True)
class Slot:
    position: int  # 1, 2, … in time order
    starts_at: datetime


@dataclass(frozen=True)
class Poll:
    id: int
    guild_id: int
    organiser_id: int
    title: str
    format: Format | None
    place: str | None
    link: str | None
    zone: str
    duration_min: int
    closes_at: datetime | None
    slots: tuple[Slot, ...]
    status: PollStatus = PollStatus.DRAFT
    lang: str = "fr"
    channel_id: int | None = None
    message_id: int | None = None
    closed_by: int | None = None
    chosen: int | None = None
    rencontre_id: int | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(len(self.slots) / SLOTS_PER_PAGE))

    def page(self, number: int) -> tuple[Slot, ...]:
        """The slots of page `number` (0-based) of the public message."""
        return self.slots[number * SLOTS_PER_PAGE : (number + 1) * SLOTS_PER_PAGE]

    @property
    def grid_pages(self) -> int:
        return max(1, math.ceil(len(self.slots) / GRID_SLOTS_PER_PAGE))

    def grid_page(self, number: int) -> tuple[Slot, ...]:
        return self.slots[number * GRID_SLOTS_PER_PAGE : (number + 1) * GRID_SLOTS_PER_PAGE]

    def slot(self, position: int) -> Slot:
        for slot in self.slots:
            if slot.position == position:
                return slot
        raise UserError("rencontre.poll.error.unknown_slot")

    def takes_answers(self, now: datetime) -> bool:
        return self.status is PollStatus.OPEN and (self.closes_at is None or now < self.closes_at)

    def with_(self, **changes: object) -> Poll:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class PollDetails:
    """What an organiser sets, validated by `validate_poll`."""

    title: str
    format: Format | None
    place: str | None
    link: str | None
    zone: str
    duration_min: int
    closes_at: datetime | None
    starts: tuple[datetime, ...]


@dataclass(frozen=True)
class Counts:
    yes: int = 0
    maybe: int = 0
    no: int = 0

    def plus(self, choice: Availability, n: int = 1) -> Counts:
        return replace(self, **{choice.value: getattr(self, choice.value) + n})


@dataclass(frozen=True)
class Tally:
    """The counts per slot position, and how many members answered at all."""

    counts: Mapping[int, Counts] = field(default_factory=dict)
    voters: int = 0

    def of(self, position: int) -> Counts:
        return self.counts.get(position, Counts())


# -- reading what the organiser typed ------------------------------------------------------------
def parse_poll_id(value: str) -> int:
    value = value.strip().lstrip("#")
    if not value.isdigit() or len(value) > POLL_ID_DIGITS:
        raise UserError("rencontre.poll.error.unknown")
    return int(value)


def split_slots(text: str) -> list[str]:
    """The slots as typed: separated by « ; » or new lines, empty pieces ignored."""
    return [piece.strip() for piece in _SEPARATORS.split(text) if piece.strip()]


def parse_slots(text: str, zone: str, now: datetime, lang: str) -> tuple[datetime, ...]:
    """The instants (UTC) of the slots, in time order; every refusal names its slot."""
    pieces = split_slots(text)
    if len(pieces) < SLOTS_MIN:
        raise UserError("rencontre.poll.error.too_few", n=len(pieces), low=SLOTS_MIN)
    if len(pieces) > SLOTS_MAX:
        raise UserError("rencontre.poll.error.too_many", n=len(pieces), high=SLOTS_MAX)
    seen: dict[datetime, int] = {}
    for number, piece in enumerate(pieces, 1):
        try:
            instant = parse_when(piece, zone=ZoneInfo(zone), now=now, lang_hint=lang)
        except UserError as error:
            raise UserError(
                "rencontre.poll.error.slot",
                number=number,
                slot=piece[:SLOT_TEXT_SHOWN],
                why=Cause(error),
            ) from None
        instant = instant.astimezone(UTC)
        if instant in seen:
            raise UserError(
                "rencontre.poll.error.duplicate",
                first=seen[instant],
                second=number,
                slot=piece[:SLOT_TEXT_SHOWN],
            )
        seen[instant] = number
    return tuple(sorted(seen))


def parse_closing(
    text: str | None, zone: str, now: datetime, lang: str, first_slot: datetime
) -> datetime | None:
    """The closing date typed (None: closed by hand), before the first slot."""
    if text is None or not text.strip():
        return None
    closes = parse_when(text, zone=ZoneInfo(zone), now=now, lang_hint=lang).astimezone(UTC)
    if closes >= first_slot:
        raise UserError("rencontre.poll.error.closing_after_slot", text=text.strip()[:50])
    return closes


def validate_poll(
    *,
    title: str,
    slots_text: str,
    closing: str | None,
    format: str | None,
    place: str | None,
    link: str | None,
    duration_min: int,
    zone: str,
    now: datetime,
    lang: str,
) -> PollDetails:
    """Everything the organiser typed, checked before anything is written."""
    kind = None
    if format is not None:
        try:
            kind = Format(format)
        except ValueError:
            raise UserError("rencontre.error.bad_format") from None
    place_text = " ".join(clean_text(place).split()) or None
    link_text = validate_link(link) if clean_text(link) else None
    if kind is Format.PRESENTIEL and link_text is not None:
        raise UserError("rencontre.error.wrong_where")
    if kind is Format.VISIO and place_text is not None:
        raise UserError("rencontre.error.wrong_where")
    if kind is None and place_text and link_text:
        raise UserError("rencontre.poll.error.place_and_link")
    if kind is None:  # a place says « in person », a link says « by video »
        kind = Format.PRESENTIEL if place_text else Format.VISIO if link_text else None
    starts = parse_slots(slots_text, zone, now, lang)
    return PollDetails(
        title=validate_title(title),
        format=kind,
        place=place_text,
        link=link_text,
        zone=zone,
        duration_min=duration_min,
        closes_at=parse_closing(closing, zone, now, lang, starts[0]),
        starts=starts,
    )


# -- who may do what -----------------------------------------------------------------------------
def require_published(poll: Poll | None) -> Poll:
    if poll is None or poll.status is PollStatus.DRAFT:
        raise UserError("rencontre.poll.error.unknown")
    return poll


def require_open(poll: Poll, now: datetime) -> Poll:
    """A poll that still takes answers (its closing date not yet past)."""
    if not poll.takes_answers(now):
        raise UserError("rencontre.poll.error.closed", title=poll.title)
    return poll


def require_closer(poll: Poll, user_id: int, moderator: bool) -> None:
    if not moderator and user_id != poll.organiser_id:
        raise UserError("rencontre.poll.error.not_organiser")
    if poll.status is not PollStatus.OPEN:
        raise UserError("rencontre.poll.error.already_closed", title=poll.title)


def require_confirmer(poll: Poll, user_id: int, moderator: bool) -> Poll:
    """The organiser confirms the slot (a moderator only when the organiser erased their
    data: somebody must be able to), again if the meet-up draft it became was dropped."""
    gone = poll.organiser_id == 0
    if user_id != poll.organiser_id and not (moderator and gone):
        raise UserError("rencontre.poll.error.not_organiser")
    if poll.status is PollStatus.OPEN:
        raise UserError("rencontre.poll.error.still_open", title=poll.title)
    if poll.status is PollStatus.CONFIRMED and poll.rencontre_id is not None:
        raise UserError("rencontre.poll.error.already_confirmed", title=poll.title)
    return poll  # closed, or confirmed but its meet-up draft dropped: a slot may be confirmed


def require_draft_of(poll: Poll | None, user_id: int) -> Poll:
    if poll is None or poll.organiser_id != user_id:
        raise UserError("rencontre.poll.error.unknown")
    if poll.status is not PollStatus.DRAFT:
        raise UserError("rencontre.poll.error.already_published")
    return poll


# -- answers -------------------------------------------------------------------------------------
def page_answers(
    current: Mapping[int, Availability],
    page: Iterable[int],
    picked: Iterable[int],
    choice: Availability,
) -> dict[int, Availability]:
    """The member's answers for the slots of one page after they picked `picked` in the select
    of `choice` (Oui or Si besoin): the picked slots take `choice`; slots that had `choice` and
    are no longer picked, and slots not yet answered, become Non; the others keep theirs."""
    positions = list(page)
    chosen = set(picked)
    if not chosen <= set(positions):
        raise UserError("rencontre.poll.error.unknown_slot")
    answers: dict[int, Availability] = {}
    for position in positions:
        before = current.get(position)
        if position in chosen:
            answers[position] = choice
        elif before is None or before is choice:
            answers[position] = Availability.NO
        else:
            answers[position] = before
    return answers


def tally(rows: Iterable[tuple[int, Availability, int]], voters: int) -> Tally:
    """The counts from (position, answer, how many) rows."""
    counts: dict[int, Counts] = {}
    for position, choice, n in rows:
        counts[position] = counts.get(position, Counts()).plus(choice, n)
    return Tally(counts, voters)


def best_slot(slots: Sequence[Slot], tallied: Tally) -> Slot:
    """Most Oui, then most Si besoin, then the earliest."""
    if not slots:
        raise UserError("rencontre.poll.error.unknown_slot")
    return min(
        slots,
        key=lambda s: (-tallied.of(s.position).yes, -tallied.of(s.position).maybe, s.starts_at),
    )


def pick_slot(poll: Poll, position: int, now: datetime) -> Slot:
    """The slot the organiser confirms: one of the poll's, still ahead."""
    slot = poll.slot(position)
    if slot.starts_at <= now:
        raise UserError("rencontre.poll.error.slot_past", number=position)
    return slot


def meetup_details(
    poll: Poll, slot: Slot, *, format: Format | None = None, where: str | None = None
) -> Details:
    """The meet-up draft a confirmed slot becomes; `where` (a place, or a link for a visio)
    when the poll did not say."""
    kind = poll.format or format
    place, link = poll.place, poll.link
    if where is not None and where.strip():
        typed = where.strip()
        looks_like_link = typed.lower().startswith(("http://", "https://"))
        kind = kind or (Format.VISIO if looks_like_link else Format.PRESENTIEL)
        if kind is Format.VISIO:
            link = typed
        else:
            place = typed
    return validate_details(
        title=poll.title,
        starts_at=slot.starts_at,
        duration_min=poll.duration_min,
        zone=poll.zone,
        format=str(kind) if kind else "",
        place=place,
        link=link,
        capacity=None,
        description="",
    )


def needs_where(poll: Poll) -> bool:
    """Whether the organiser must still say where (a place or a link) before the draft."""
    if poll.format is Format.PRESENTIEL:
        return not poll.place
    if poll.format is Format.VISIO:
        return not poll.link
    return True
