"""Contacts made with consent: the life of a request, what each side may see, check-ins of a
mentoring pairing, and retention. Pure rules (no Discord, no SQL); time is passed in.

A request is `pending` until its recipient answers or it expires after `REQUEST_TTL`:

    pending ──accept──▶ accepted
       │ ├───refuse──▶ refused ─┐
       │ └───block───▶ blocked ─┼─(expiry: the requester is told « pas de suite »)─▶ concluded
       └────(expiry)──▶ expired ┘

From the requester's side a refusal, a block and no answer look the same: the request waits
until the expiry, and then, for all three, « pas de suite pour le moment » (same message, same
moment). The limits count what the requester can see: a refused request still counts as
pending until its expiry, and the 30 days before asking the same person again run from it.
A blocked requester's new requests are recorded as `blocked` at once and never reach anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.user_error import UserError

MESSAGE_MAX = 500
DETAILS_MAX = 300
PENDING_MAX = 3
REQUEST_TTL = timedelta(days=7)
COOLDOWN = timedelta(days=30)  # before asking the same person again, after « pas de suite »
RETENTION = timedelta(days=30)  # refused, blocked and expired requests, after « pas de suite »
# A bot that was down at a request's expiry still tells its requester this long afterwards;
# past that, the daily run ends the request without a message (it must not wait for ever).
NOTICE_WINDOW = timedelta(days=30)
CHECKIN_AFTER = (timedelta(days=14), timedelta(days=30), timedelta(days=90))
CHECKIN_GRACE = timedelta(days=7)  # a check-in the bot could not send in time is dropped after


class RequestKind(StrEnum):
    CONTACT = "contact"
    MENTORING = "mentorat"


class RequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    BLOCKED = "blocked"
    EXPIRED = "expired"


class Answer(StrEnum):
    ACCEPT = "accept"
    REFUSE = "refuse"
    BLOCK = "block"


class RequesterView(StrEnum):
    """All the requester ever learns about a request."""

    WAITING = "waiting"
    ACCEPTED = "accepted"
    NO_FOLLOW_UP = "no_follow_up"


class Outcome(StrEnum):
    """What to do with a new request."""

    SEND = "send"  # record it pending and tell the recipient
    SILENT = "silent"  # record it blocked: the requester sees it wait, nobody is told
    NEUTRAL = "neutral"  # nothing recorded; « pas de suite pour le moment » at once


class PairingStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class CheckinAnswer(StrEnum):
    OK = "ok"
    HELP = "help"
    END = "end"


@dataclass(frozen=True)
class Pairing:
    """A newcomer and their mentor, from an accepted mentoring request."""

    id: int
    guild_id: int
    mentor_id: int
    mentee_id: int
    request_id: int | None
    status: PairingStatus
    arrival: str | None
    started_at: datetime
    ended_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.status == PairingStatus.ACTIVE

    def other(self, user_id: int) -> int:
        return self.mentee_id if user_id == self.mentor_id else self.mentor_id


_ANSWERED = {
    Answer.ACCEPT: RequestStatus.ACCEPTED,
    Answer.REFUSE: RequestStatus.REFUSED,
    Answer.BLOCK: RequestStatus.BLOCKED,
}
ENDED_WITHOUT_FOLLOW_UP = frozenset(
    {RequestStatus.REFUSED, RequestStatus.BLOCKED, RequestStatus.EXPIRED}
)


@dataclass(frozen=True)
class Day:
    """A date shown to a member in their own zone and language (Discord renders it)."""

    instant: datetime

    def render(self, lang: str) -> str:
        return f"<t:{int(self.instant.timestamp())}:D>"


@dataclass(frozen=True)
class ContactRequest:
    id: int
    guild_id: int
    requester_id: int
    recipient_id: int
    kind: RequestKind
    message: str
    status: RequestStatus
    created_at: datetime
    expires_at: datetime
    answered_at: datetime | None = None
    concluded_at: datetime | None = None  # when the requester was told the outcome
    reported: bool = False
    arrival: str | None = None  # mentoring: the newcomer's arrival month
    thread_id: int | None = None  # the private thread opened on acceptance
    requester_details: str | None = None  # contact details each chose to give on acceptance
    recipient_details: str | None = None

    @property
    def open(self) -> bool:
        """Still waiting from the requester's side (counts against the pending limit)."""
        return self.status != RequestStatus.ACCEPTED and self.concluded_at is None


def requester_view(request: ContactRequest) -> RequesterView:
    if request.status == RequestStatus.ACCEPTED:
        return RequesterView.ACCEPTED
    if request.concluded_at is not None:
        return RequesterView.NO_FOLLOW_UP
    return RequesterView.WAITING


@dataclass(frozen=True)
class Asking:
    """What is known when a member asks another for a contact (read by the flows)."""

    requester_id: int
    recipient_id: int
    recipient_is_bot: bool
    recipient_visible: bool  # a visible profile (contact) or an active offer (mentoring)
    recipient_is_member: bool
    blocked: bool  # the recipient blocked the requester
    between: Sequence[ContactRequest]  # earlier requests from requester to recipient, this kind
    pending_count: int  # the requester's open requests (all recipients)


def decide(asking: Asking, message: str, now: datetime) -> Outcome:
    """Whether a new request may be made, and how; raises a `UserError` for what the requester
    can fix or already knows (too long, too many waiting, already waiting, too soon)."""
    if len(message.strip()) > MESSAGE_MAX:
        raise UserError(
            "reseau.error.too_long", what="message", length=len(message.strip()), limit=MESSAGE_MAX
        )
    if (
        asking.requester_id == asking.recipient_id
        or asking.recipient_is_bot
        or not asking.recipient_visible
        or not asking.recipient_is_member
    ):
        return Outcome.NEUTRAL
    for earlier in asking.between:
        if earlier.status == RequestStatus.ACCEPTED:
            raise UserError("reseau.error.already_connected")
        if earlier.open:
            raise UserError("reseau.error.already_waiting")
        if earlier.concluded_at is not None and now < earlier.concluded_at + COOLDOWN:
            raise UserError("reseau.error.cooldown", until=Day(earlier.concluded_at + COOLDOWN))
    if asking.pending_count >= PENDING_MAX:
        raise UserError("reseau.error.too_many_pending", n=PENDING_MAX)
    return Outcome.SILENT if asking.blocked else Outcome.SEND


def new_request(
    request_id: int,
    guild_id: int,
    requester_id: int,
    recipient_id: int,
    kind: RequestKind,
    message: str,
    outcome: Outcome,
    now: datetime,
    arrival: str | None = None,
) -> ContactRequest:
    if outcome is Outcome.NEUTRAL:
        raise ValueError("a neutral outcome records nothing")
    return ContactRequest(
        id=request_id,
        guild_id=guild_id,
        requester_id=requester_id,
        recipient_id=recipient_id,
        kind=kind,
        message=message.strip(),
        status=RequestStatus.BLOCKED if outcome is Outcome.SILENT else RequestStatus.PENDING,
        created_at=now,
        expires_at=now + REQUEST_TTL,
        answered_at=now if outcome is Outcome.SILENT else None,
        arrival=arrival,
    )


def answer(request: ContactRequest, action: Answer, by: int, now: datetime) -> ContactRequest:
    """The recipient's answer; only a pending request before its expiry can be answered."""
    if by != request.recipient_id:
        raise UserError("reseau.error.not_yours")
    if request.status != RequestStatus.PENDING or now >= request.expires_at:
        raise UserError("reseau.error.request_closed")
    return replace(request, status=_ANSWERED[action], answered_at=now)


def expire(request: ContactRequest, now: datetime) -> ContactRequest:
    """At the expiry: a request nobody accepted ends for the requester (« pas de suite »).
    Idempotent: a concluded or accepted request is returned unchanged."""
    if request.status == RequestStatus.ACCEPTED or request.concluded_at is not None:
        return request
    status = RequestStatus.EXPIRED if request.status == RequestStatus.PENDING else request.status
    return replace(request, status=status, concluded_at=now)


def tells_requester_at_expiry(before: ContactRequest, after: ContactRequest) -> bool:
    """Whether the expiry just ended the request for its requester (send the one message)."""
    return before.concluded_at is None and after.concluded_at is not None


def prunable(request: ContactRequest, now: datetime) -> bool:
    """Refused, blocked and expired requests are deleted `RETENTION` after they ended for the
    requester (the cool-down before asking again runs over the same 30 days)."""
    return (
        request.status in ENDED_WITHOUT_FOLLOW_UP
        and request.concluded_at is not None
        and now >= request.concluded_at + RETENTION
    )


def overdue_before(now: datetime) -> datetime:
    """Requests whose expiry is older than this were missed by the engine (the bot was down
    longer than `NOTICE_WINDOW`): the daily run ends them (`expire`), silently."""
    return now - NOTICE_WINDOW


def prune_before(now: datetime) -> datetime:
    """Requests concluded before this instant may be deleted (for the store's DELETE)."""
    return now - RETENTION


# -- mentoring check-ins ---------------------------------------------------------------------
def checkin_due(started_at: datetime, step: int) -> datetime:
    """When check-in `step` (0, 1, 2: two weeks, a month, three months) is due."""
    return started_at + CHECKIN_AFTER[step]


def next_checkin(step: int) -> int | None:
    return step + 1 if step + 1 < len(CHECKIN_AFTER) else None


def validate_details(text: str) -> str:
    """Contact details a member chooses to give once a request is accepted (their own)."""
    details = text.strip()
    if not details:
        raise UserError("reseau.error.details_empty")
    if len(details) > DETAILS_MAX:
        raise UserError(
            "reseau.error.too_long", what="details", length=len(details), limit=DETAILS_MAX
        )
    return details
