"""The rules of Réseau: profiles, the directory's ranking, mentor matching, and the records the
store hands back. No Discord, no SQL. Time is passed in (`now`, aware UTC).

The consent rules for contact requests, check-ins and retention are in `service/consent.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.reference import places, professions
from bot.reference.practice import Field, Language, StructureType
from bot.regions import Side
from bot.text import fold
from bot.user_error import UserError
from cogs.reseau.service.consent import ContactRequest, Pairing

PRESENTATION_MAX = 1000  # fits an embed field (1024) with room for an ellipsis
CITY_MAX = 60
YEARS_MAX = 60
MOVE_YEARS_AHEAD = 5
CAPACITY_MIN, CAPACITY_MAX = 1, 10
PAGE_SIZE = 5
# What the secrecy guard calls a phone number or an e-mail address: never in a presentation.
CONTACT_KINDS = frozenset({"phone", "email"})
DRAFT_TTL = timedelta(hours=1)  # a flagged text waits this long for « envoyer quand même »
ANONYMOUS = 0  # the id left in a shared record once a member erased their data
MENTOR_SUGGESTIONS = 3
DECEMBER = 12
MONTH_ABBREVIATION_MIN = 3  # « sept », « déc »


class OpenTo(StrEnum):
    """What a member is open to (« ouvert à »)."""

    QUESTIONS = "questions"
    COFFEE = "cafe"  # a coffee or a video call
    GIVE_MENTORING = "donner_mentorat"
    GET_MENTORING = "recevoir_mentorat"
    LEADS = "pistes"  # internship and job leads


# Storage bits (append only, never renumber).
OPEN_TO_BITS = {
    OpenTo.QUESTIONS: 0,
    OpenTo.COFFEE: 1,
    OpenTo.GIVE_MENTORING: 2,
    OpenTo.GET_MENTORING: 3,
    OpenTo.LEADS: 4,
}


@dataclass(frozen=True)
class ProfileFields:
    """What a member sets in their profile (validated by `validate_profile`)."""

    profession: str
    place: str
    city: str = ""
    target_place: str | None = None
    move_month: str | None = None  # "AAAA-MM"
    structure: StructureType | None = None
    fields: frozenset[Field] = frozenset()
    languages: frozenset[Language] = frozenset({Language.FRENCH})
    years: int | None = None
    open_to: frozenset[OpenTo] = frozenset()
    presentation: str = ""

    @property
    def country(self) -> str:
        place = places.get(self.place)
        assert place is not None
        return place.country


@dataclass(frozen=True)
class Profile(ProfileFields):
    id: int = 0
    guild_id: int = 0
    user_id: int = 0
    visible: bool = False
    updated_at: datetime | None = None


# -- validation --------------------------------------------------------------------------------
_MONTHS = {
    **{
        m: i
        for i, m in enumerate(
            (
                "janvier",
                "fevrier",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "aout",
                "septembre",
                "octobre",
                "novembre",
                "decembre",
            ),
            start=1,
        )
    },
    **{
        m: i
        for i, m in enumerate(
            (
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ),
            start=1,
        )
    },
}
_NUMERIC_MONTH = re.compile(r"^(?:(\d{1,2})\s*[/.\-]\s*(\d{4})|(\d{4})\s*[/.\-]\s*(\d{1,2}))$")
_WORD_MONTH = re.compile(r"^([a-z]+)\.?\s+(\d{4})$")


def parse_month(text: str, now: datetime) -> str:
    """« 09/2027 », « 2027-09 », « septembre 2027 », « sept. 2027 », « September 2027 » →
    "2027-09". A month already past, or more than a few years ahead, is refused."""
    typed = fold(text)
    month = year = 0
    if match := _NUMERIC_MONTH.match(typed):
        month = int(match[1] or match[4])
        year = int(match[2] or match[3])
    elif match := _WORD_MONTH.match(typed):
        word = match[1]
        candidates = [n for name, n in _MONTHS.items() if name.startswith(word)]
        if len(word) >= MONTH_ABBREVIATION_MIN and len(set(candidates)) == 1:
            month, year = candidates[0], int(match[2])
    if not 1 <= month <= DECEMBER:
        raise UserError("reseau.error.bad_month", value=text.strip()[:30])
    if (year, month) < (now.year, now.month) or year > now.year + MOVE_YEARS_AHEAD:
        raise UserError("reseau.error.month_out_of_range", value=text.strip()[:30])
    return f"{year:04d}-{month:02d}"


def needs_confirmation(guard_findings: Sequence[str]) -> bool:
    """What the secrecy guard found in a presentation: contact details are refused outright
    (they are exchanged once a request is accepted, never shown in the directory); anything
    else must be confirmed by its author before it is saved."""
    if CONTACT_KINDS & set(guard_findings):
        raise UserError("reseau.error.contact_in_presentation")
    return bool(guard_findings)


def parse_years(text: str) -> int | None:
    typed = text.strip()
    if not typed:
        return None
    if not typed.isdigit() or int(typed) > YEARS_MAX:
        raise UserError("reseau.error.bad_years", value=typed[:10], limit=YEARS_MAX)
    return int(typed)


def validate_profile(
    *,
    profession: str,
    place: str,
    city: str = "",
    target_place: str | None = None,
    move_month: str | None = None,
    structure: str | None = None,
    fields: Iterable[str] = (),
    languages: Iterable[str] = (Language.FRENCH,),
    years: int | None = None,
    open_to: Iterable[str] = (),
    presentation: str = "",
    guard_findings: Sequence[str] = (),
    guard_accepted: bool = False,
) -> ProfileFields:
    """Check every field; raises a `UserError` naming the first problem. `guard_findings` are
    the kinds of identifying details the secrecy guard found in the presentation: contact
    details are refused (they are exchanged after a request is accepted, never shown in the
    directory); any other kind needs its author's confirmation (`guard_accepted`) — the flows
    ask before saving."""
    if professions.get(profession) is None:
        raise UserError("reseau.error.unknown_profession", value=profession[:40])
    if places.get(place) is None:
        raise UserError("reseau.error.unknown_place", value=place[:40])
    if target_place is not None and places.get(target_place) is None:
        raise UserError("reseau.error.unknown_place", value=target_place[:40])
    if target_place is not None and target_place == place:
        raise UserError("reseau.error.same_target")
    if move_month is not None and target_place is None:
        raise UserError("reseau.error.month_without_target")
    city = " ".join(city.split())
    if len(city) > CITY_MAX:
        raise UserError("reseau.error.too_long", what="city", length=len(city), limit=CITY_MAX)
    presentation = presentation.strip()
    if len(presentation) > PRESENTATION_MAX:
        raise UserError(
            "reseau.error.too_long",
            what="presentation",
            length=len(presentation),
            limit=PRESENTATION_MAX,
        )
    if needs_confirmation(guard_findings) and not guard_accepted:
        raise UserError("reseau.error.guard_unconfirmed")
    if years is not None and not 0 <= years <= YEARS_MAX:
        raise UserError("reseau.error.bad_years", value=str(years), limit=YEARS_MAX)
    try:
        return ProfileFields(
            profession=profession,
            place=place,
            city=city,
            target_place=target_place,
            move_month=move_month,
            structure=StructureType(structure) if structure else None,
            fields=frozenset(Field(f) for f in fields),
            languages=frozenset(Language(lang) for lang in languages)
            or frozenset({Language.FRENCH}),
            years=years,
            open_to=frozenset(OpenTo(o) for o in open_to),
            presentation=presentation,
        )
    except ValueError:
        raise UserError("reseau.error.bad_choice") from None


# -- the directory ---------------------------------------------------------------------------
# Weights of the ranking: the profession first (same, equivalent, close), then the place.
SAME_PROFESSION, EQUIVALENT_PROFESSION, CLOSE_PROFESSION = 4, 3, 1
SAME_PLACE, MOVING_THERE, SAME_COUNTRY = 3, 2, 1


@dataclass(frozen=True)
class DirectoryFilters:
    """What a member asked /annuaire for; every field is optional."""

    profession: str | None = None
    side: Side | None = None
    place: str | None = None
    practice: Field | None = None
    open_to: OpenTo | None = None


@dataclass(frozen=True)
class Ranking:
    """How a page is ordered and filtered, as plain values the store turns into SQL.

    Filters: visible profiles of the server, not the viewer; `professions` (a profession and the
    ones that correspond to it), `countries` (a side of the Atlantic), `place` (where they are
    or are moving to), a field, an « ouvert à ». Order: profession weight + place weight, then
    the most recently updated, then the id (deterministic).
    """

    guild_id: int
    viewer_id: int
    profession_weights: dict[str, int] = field(default_factory=dict)
    professions: frozenset[str] | None = None  # None: any
    countries: frozenset[str] | None = None
    place: str | None = None
    practice: Field | None = None
    open_to: OpenTo | None = None
    reference_place: str | None = None  # what "same region" means
    reference_country: str | None = None


def profession_weights(code: str | None) -> dict[str, int]:
    if code is None:
        return {}
    equivalent, close = professions.professions().family(code)
    weights = dict.fromkeys(close, CLOSE_PROFESSION)
    weights.update(dict.fromkeys(equivalent, EQUIVALENT_PROFESSION))
    weights[code] = SAME_PROFESSION
    return weights


def directory_ranking(
    guild_id: int, viewer_id: int, filters: DirectoryFilters, viewer: ProfileFields | None
) -> Ranking:
    """The ranking for `filters` as seen by `viewer` (their own profile, if any): a profession
    filter keeps that profession and its correspondences; without one, the viewer's own
    profession only weighs. The reference place is the filter's, else where the viewer is
    moving to, else where they are."""
    weights = profession_weights(filters.profession or (viewer.profession if viewer else None))
    reference = filters.place or (viewer.target_place or viewer.place if viewer else None)
    ref_place = places.get(reference)
    countries = None
    if filters.side is not None:
        countries = frozenset(p.country for p in places.places() if p.side == filters.side)
    return Ranking(
        guild_id=guild_id,
        viewer_id=viewer_id,
        profession_weights=weights,
        professions=frozenset(weights) if filters.profession else None,
        countries=countries,
        place=filters.place,
        practice=filters.practice,
        open_to=filters.open_to,
        reference_place=ref_place.code if ref_place else None,
        reference_country=ref_place.country if ref_place else None,
    )


def matches(profile: Profile, ranking: Ranking) -> bool:
    """Whether `profile` belongs on the pages of `ranking` (the store's WHERE, in Python)."""
    return (
        profile.visible
        and profile.guild_id == ranking.guild_id
        and profile.user_id != ranking.viewer_id
        and (ranking.professions is None or profile.profession in ranking.professions)
        and (ranking.countries is None or profile.country in ranking.countries)
        and (ranking.place is None or ranking.place in (profile.place, profile.target_place))
        and (ranking.practice is None or ranking.practice in profile.fields)
        and (ranking.open_to is None or ranking.open_to in profile.open_to)
    )


def score(profile: ProfileFields, ranking: Ranking) -> int:
    """The relevance of `profile` (the store's ORDER BY, in Python)."""
    value = ranking.profession_weights.get(profile.profession, 0)
    if ranking.reference_place is not None:
        if profile.place == ranking.reference_place:
            value += SAME_PLACE
        elif profile.target_place == ranking.reference_place:
            value += MOVING_THERE
        elif profile.country == ranking.reference_country:
            value += SAME_COUNTRY
    return value


def sort_key(profile: Profile, ranking: Ranking) -> tuple[int, float, int]:
    updated = profile.updated_at.timestamp() if profile.updated_at else 0.0
    return (-score(profile, ranking), -updated, profile.id)


def rank(profiles: Iterable[Profile], ranking: Ranking) -> list[Profile]:
    """The whole ordered directory for `ranking` (tests compare the store's pages to it)."""
    return sorted((p for p in profiles if matches(p, ranking)), key=lambda p: sort_key(p, ranking))


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def clamp_page(page: int, total: int) -> int:
    return min(max(page, 0), page_count(total) - 1)


# -- mentoring -------------------------------------------------------------------------------
SAME_DESTINATION = 4
FIELD_MATCH, LANGUAGE_MATCH = 1, 1


@dataclass(frozen=True)
class MentorOffer:
    id: int
    guild_id: int
    user_id: int
    place: str
    profession: str
    capacity: int
    fields: frozenset[Field] = frozenset()
    languages: frozenset[Language] = frozenset({Language.FRENCH})
    active_pairings: int = 0

    @property
    def room(self) -> int:
        return self.capacity - self.active_pairings

    @property
    def country(self) -> str:
        place = places.get(self.place)
        assert place is not None
        return place.country


@dataclass(frozen=True)
class MentorSearch:
    """A newcomer's search: where they go, their profession, when they arrive."""

    guild_id: int
    user_id: int
    destination: str
    profession: str
    arrival: str  # "AAAA-MM"
    practice: Field | None = None
    language: Language | None = None
    profession_weights: dict[str, int] = field(default_factory=dict)
    country: str = ""


def validate_capacity(capacity: int) -> int:
    if not CAPACITY_MIN <= capacity <= CAPACITY_MAX:
        raise UserError("reseau.error.bad_capacity", low=CAPACITY_MIN, high=CAPACITY_MAX)
    return capacity


def mentor_search(
    guild_id: int,
    user_id: int,
    *,
    destination: str,
    profession: str,
    arrival: str,
    now: datetime,
    practice: str | None = None,
    language: str | None = None,
) -> MentorSearch:
    place = places.get(destination)
    if place is None:
        raise UserError("reseau.error.unknown_place", value=destination[:40])
    if professions.get(profession) is None:
        raise UserError("reseau.error.unknown_profession", value=profession[:40])
    return MentorSearch(
        guild_id=guild_id,
        user_id=user_id,
        destination=place.code,
        profession=profession,
        arrival=parse_month(arrival, now),
        practice=Field(practice) if practice else None,
        language=Language(language) if language else None,
        profession_weights=profession_weights(profession),
        country=place.country,
    )


def mentor_eligible(offer: MentorOffer, search: MentorSearch) -> bool:
    """The store's WHERE in Python: same server, same country as the destination, room left."""
    return (
        offer.guild_id == search.guild_id
        and offer.user_id != search.user_id
        and offer.country == search.country
        and offer.room > 0
    )


def mentor_score(offer: MentorOffer, search: MentorSearch) -> int:
    value = SAME_DESTINATION if offer.place == search.destination else 0
    value += search.profession_weights.get(offer.profession, 0)
    if search.practice is not None and search.practice in offer.fields:
        value += FIELD_MATCH
    if search.language is not None and search.language in offer.languages:
        value += LANGUAGE_MATCH
    return value


def best_mentors(offers: Iterable[MentorOffer], search: MentorSearch) -> list[MentorOffer]:
    """The best `MENTOR_SUGGESTIONS`: score, then most room left, then the oldest offer."""
    eligible = [o for o in offers if mentor_eligible(o, search)]
    eligible.sort(key=lambda o: (-mentor_score(o, search), -o.room, o.id))
    return eligible[:MENTOR_SUGGESTIONS]


# -- records ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReseauConfig:
    guild_id: int
    thread_channel_id: int | None = None  # private threads for accepted requests
    directory_role_id: int | None = None  # None: the directory is open to every member


@dataclass(frozen=True)
class Counts:
    """What moderators see: counts, never contents."""

    profiles: int
    visible: int
    open_requests: int
    pairings: int
    mentors: int


class DraftKind(StrEnum):
    PROFILE = "profile"
    REQUEST = "request"


@dataclass(frozen=True)
class Draft:
    """A text the secrecy guard flagged, waiting for its author's « envoyer quand même »."""

    id: int
    guild_id: int
    user_id: int
    kind: DraftKind
    payload: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class PersonalRecords:
    """Everything Réseau holds about one member, in every server (for /mes-donnees)."""

    profiles: list[Profile]
    sent: list[ContactRequest]
    received: list[ContactRequest]
    blocked: list[tuple[int, int]]  # (guild_id, user_id) this member blocked
    mentor_offers: list[MentorOffer]
    mentor_active: list[bool]
    pairings: list[Pairing]
    drafts: int

    def __bool__(self) -> bool:
        return bool(
            self.profiles
            or self.sent
            or self.received
            or self.blocked
            or self.mentor_offers
            or self.pairings
            or self.drafts
        )
