"""The records of Réseau and how rows become them (no SQL here besides reading columns)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.timestamps import from_ts
from bot.reference.practice import FIELD_BITS, LANGUAGE_BITS, StructureType, from_mask
from cogs.reseau import consent
from cogs.reseau.consent import (
    ContactRequest,
    PairingStatus,
    RequestKind,
    RequestStatus,
)
from cogs.reseau.service import (
    OPEN_TO_BITS,
    MentorOffer,
    Profile,
)

DRAFT_TTL_S = 3600  # a flagged text waits an hour for « envoyer quand même »

ANONYMOUS = 0  # the id left in a shared record once a member erased their data


@dataclass(frozen=True)
class ReseauConfig:
    guild_id: int
    thread_channel_id: int | None = None
    directory_role_id: int | None = None


@dataclass(frozen=True)
class Pairing:
    id: int
    guild_id: int
    mentor_id: int
    mentee_id: int
    request_id: int | None
    status: str
    arrival: str | None
    started_at: datetime
    ended_at: datetime | None

    @property
    def active(self) -> bool:
        return self.status == PairingStatus.ACTIVE

    def other(self, user_id: int) -> int:
        return self.mentee_id if user_id == self.mentor_id else self.mentor_id


@dataclass(frozen=True)
class Counts:
    profiles: int
    visible: int
    open_requests: int
    pairings: int
    mentors: int


@dataclass(frozen=True)
class Draft:
    id: int
    guild_id: int
    user_id: int
    kind: str
    payload: dict[str, Any]
    created_at: datetime


# -- rows ------------------------------------------------------------------------------------
def profile_row(row: Any) -> Profile:
    return Profile(
        id=row["id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        profession=row["profession"],
        place=row["place"],
        city=row["city"],
        target_place=row["target_place"],
        move_month=row["move_month"],
        structure=StructureType(row["structure"]) if row["structure"] else None,
        fields=frozenset(from_mask(row["fields"], FIELD_BITS)),
        languages=frozenset(from_mask(row["languages"], LANGUAGE_BITS)),
        years=row["years"],
        open_to=frozenset(from_mask(row["open_to"], OPEN_TO_BITS)),
        presentation=row["presentation"],
        visible=bool(row["visible"]),
        updated_at=from_ts(row["updated_at"]),
    )


def ts_or_none(value: int | None) -> datetime | None:
    return None if value is None else from_ts(value)


def request_row(row: Any) -> ContactRequest:
    return ContactRequest(
        id=row["id"],
        guild_id=row["guild_id"],
        requester_id=row["requester_id"],
        recipient_id=row["recipient_id"],
        kind=RequestKind(row["kind"]),
        message=row["message"],
        status=RequestStatus(row["status"]),
        created_at=from_ts(row["created_at"]),
        expires_at=from_ts(row["expires_at"]),
        answered_at=ts_or_none(row["answered_at"]),
        concluded_at=ts_or_none(row["concluded_at"]),
        reported=bool(row["reported"]),
        arrival=row["arrival"],
    )


def mentor_row(row: Any) -> MentorOffer:
    return MentorOffer(
        id=row["id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        place=row["place"],
        profession=row["profession"],
        capacity=row["capacity"],
        fields=frozenset(from_mask(row["fields"], FIELD_BITS)),
        languages=frozenset(from_mask(row["languages"], LANGUAGE_BITS)),
        active_pairings=row["busy"],
    )


def pairing_row(row: Any) -> Pairing:
    return Pairing(
        id=row["id"],
        guild_id=row["guild_id"],
        mentor_id=row["mentor_id"],
        mentee_id=row["mentee_id"],
        request_id=row["request_id"],
        status=row["status"],
        arrival=row["arrival"],
        started_at=from_ts(row["started_at"]),
        ended_at=ts_or_none(row["ended_at"]),
    )


def marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def export_profile(row: Any) -> dict[str, Any]:
    profile = profile_row(row)
    return {
        "guild_id": profile.guild_id,
        "profession": profile.profession,
        "place": profile.place,
        "city": profile.city,
        "target_place": profile.target_place,
        "move_month": profile.move_month,
        "structure": profile.structure,
        "fields": sorted(profile.fields),
        "languages": sorted(profile.languages),
        "years": profile.years,
        "open_to": sorted(profile.open_to),
        "presentation": profile.presentation,
        "visible": profile.visible,
    }


def export_request(row: Any, *, mine: bool) -> dict[str, Any]:
    request = request_row(row)
    data: dict[str, Any] = {
        "guild_id": request.guild_id,
        "kind": request.kind,
        "created_at": request.created_at.isoformat(),
        "message": request.message,
    }
    if mine:  # the requester sees only what they can see anyway
        data["to"] = request.recipient_id
        data["status"] = consent.requester_view(request)
        data["details_given"] = row["requester_details"]
    else:
        data["from"] = request.requester_id
        data["status"] = request.status
        data["details_given"] = row["recipient_details"]
    return data
