"""Le tableau's rules: offers and news, what a valid one is, how a post's title and tags follow
its state, what a search means. Pure: no discord, no SQL, time passed in.

Decisions where issue 16 is silent (also in the README):
- A deadline is optional: an offer without one closes after `DEFAULT_OPEN_DAYS`, so the board
  stays tidy. It closes when its last day ends where the offer is (the place's zone, else the
  server's).
- Offers are not read by the professional-secrecy guard: they name a structure and a recruiter
  whose contact details are meant to be public. News are: a closure or a change of practice can
  name the people a structure accompanies (see `NEWS_GUARDED_KINDS`).
- A member's posts outlive their erasure anonymised (the author's name goes from the post and the
  database; the structure's offer stays for the others); what was not yet published is deleted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from yarl import URL

from bot.i18n import t
from bot.regions import Side, side_of
from bot.text import fold
from bot.user_error import UserError

TITLE_MAX = 85  # a forum post's name is 100 at most; room for « [Clôturée] »
STRUCTURE_MAX = 100
CITY_MAX = 60
LINK_MAX = 500
DESCRIPTION_MAX = 2000
NEWS_TEXT_MAX = 1500
PROFESSIONS_MAX = 3
DEFAULT_OPEN_DAYS = 60
SEARCH_WORDS_MAX = 30  # fits the paging buttons' custom_id
WORDS_SEARCHED = 4
WORD_MIN, WORD_MAX = 2, 40
_WORD = re.compile(r"[^\W_]+")
PAGE_SIZE = 10
REPORT_REASON_MAX = 300
LINK_SCHEMES = ("http", "https")

# What the guard looks for in news: identifying details of people, not a structure's contacts.
NEWS_GUARDED_KINDS = frozenset(
    {
        "nir",
        "nam",
        "sin",
        "birth_date",
        "case_number",
        "plate",
        "handle",
        "civility_name",
        "name",
        "combination",
    }
)


class PostKind(StrEnum):
    OFFER = "offre"
    NEWS = "nouvelle"


class OfferKind(StrEnum):
    STAGE = "stage"
    EMPLOI = "emploi"
    REMPLACEMENT = "remplacement"
    BENEVOLAT = "benevolat"
    FORMATION = "formation"


class NewsKind(StrEnum):
    OUVERTURE = "ouverture"
    FERMETURE = "fermeture"
    FUSION = "fusion"
    RECRUTEMENT = "recrutement"
    APPEL_A_PROJETS = "appel_projets"
    PRATIQUE_LOI = "pratique_loi"
    FORMATION = "formation"
    FLUX = "flux"  # from an RSS/Atom feed (not offered to members)


MEMBER_NEWS_KINDS = tuple(k for k in NewsKind if k is not NewsKind.FLUX)


class Status(StrEnum):
    DRAFT = "draft"  # the guard asked the author: waiting for « Publier quand même »
    PENDING = "pending"  # waiting for a moderator
    QUEUED = "queued"  # the forum cannot take it now: kept, published when it can
    PUBLISHING = "publishing"  # claimed; a restart checks whether the post exists
    LIVE = "live"
    CLOSED = "closed"  # its deadline passed
    FILLED = "filled"  # « Pourvue »
    REFUSED = "refused"
    REMOVED = "removed"  # removed by the moderators


OPEN = (Status.LIVE,)
PUBLISHED = (Status.LIVE, Status.CLOSED, Status.FILLED)
NOT_YET_PUBLIC = (Status.DRAFT, Status.PENDING, Status.QUEUED, Status.PUBLISHING)


class PostAction(StrEnum):
    FILLED = "filled"
    EDIT = "edit"
    REPORT = "report"


class Rhythm(StrEnum):
    NOW = "now"
    DAILY = "daily"


class TagKey(StrEnum):
    """The tags the bot keeps in a forum (one per meaning; names in the server's language)."""

    EUROPE = "side:europe"
    AMERICA = "side:america"
    OFFER = "post:offre"  # only when offers and news share a forum
    NEWS = "post:nouvelle"
    CLOSED = "status:closed"
    FILLED = "status:filled"


def category_tag(category: str) -> str:
    return f"cat:{category}"


@dataclass(frozen=True)
class Place:
    """Where a post is: a reference place code (« FR-75 ») and/or a country, and its side."""

    code: str | None
    country: str | None
    side: Side | None
    zone: str | None = None  # the place's time zone, for the deadline


@dataclass(frozen=True)
class Post:
    id: int
    guild_id: int
    kind: PostKind
    category: str
    status: Status
    title: str
    structure: str = ""
    city: str = ""
    place_code: str | None = None
    country: str | None = None
    side: Side | None = None
    link: str = ""
    description: str = ""
    deadline: date | None = None
    closes_at: datetime | None = None
    professions: tuple[str, ...] = ()
    author_id: int | None = None
    feed_id: int | None = None
    lang: str = "fr"
    forum_id: int | None = None
    thread_id: int | None = None
    created_at: datetime | None = None
    claimed_at: datetime | None = None
    published_at: datetime | None = None
    closed_at: datetime | None = None

    def with_(self, **changes: Any) -> Post:
        return replace(self, **changes)

    @property
    def is_offer(self) -> bool:
        return self.kind is PostKind.OFFER

    def may_manage(self, user_id: int, moderator: bool) -> bool:
        return moderator or (self.author_id is not None and self.author_id == user_id)


@dataclass(frozen=True)
class OfferFields:
    """What a member typed for an offer, validated (see `validate_offer`)."""

    title: str
    structure: str
    city: str
    link: str
    description: str
    deadline: date | None


@dataclass(frozen=True)
class NewsFields:
    title: str
    structure: str
    city: str
    link: str
    text: str


@dataclass(frozen=True)
class Search:
    """`/offre chercher`'s filters (all optional)."""

    category: str | None = None
    place_code: str | None = None
    country: str | None = None
    side: Side | None = None
    professions: tuple[str, ...] = ()  # the chosen one and its equivalents
    words: str = ""

    @property
    def prefixes(self) -> list[tuple[str, str]]:
        """Each typed word as a range of stored words it begins (« educ » → [educ, edud)),
        folded like them; at most `WORDS_SEARCHED` words."""
        found = []
        for word in _WORD.findall(fold(self.words))[:WORDS_SEARCHED]:
            found.append((word, word[:-1] + chr(ord(word[-1]) + 1)))
        return found


@dataclass(frozen=True)
class Alert:
    id: int
    guild_id: int
    user_id: int
    kind: PostKind
    categories: frozenset[str] = field(default_factory=frozenset)
    countries: frozenset[str] = field(default_factory=frozenset)
    places: frozenset[str] = field(default_factory=frozenset)
    professions: frozenset[str] = field(default_factory=frozenset)  # as the member chose
    rhythm: Rhythm = Rhythm.NOW
    lang: str = "fr"

    def matches(self, post: Post, professions: frozenset[str] | None = None) -> bool:
        """Whether `post` is what this alert asked for (empty criteria: anything).
        `professions`: the alert's professions with their equivalents (else its own)."""
        if post.kind is not self.kind or post.author_id == self.user_id:
            return False
        if self.categories and post.category not in self.categories:
            return False
        if self.countries or self.places:  # either a whole country or a precise place
            in_country = post.country is not None and post.country in self.countries
            in_place = post.place_code is not None and post.place_code in self.places
            if not (in_country or in_place):
                return False
        wanted = self.professions if professions is None else professions
        return not wanted or bool(wanted & set(post.professions))


# -- validation ----------------------------------------------------------------------------------
def _text(value: str | None, limit: int, field_name: str, *, required: bool) -> str:
    cleaned = " ".join((value or "").split()) if field_name != "description" else (value or "")
    cleaned = cleaned.strip()
    if required and not cleaned:
        raise UserError("tableau.error.missing", field=FieldName(field_name))
    if len(cleaned) > limit:
        raise UserError(
            "tableau.error.too_long", field=FieldName(field_name), length=len(cleaned), max=limit
        )
    return cleaned


@dataclass(frozen=True)
class FieldName:
    """A form field's name in the member's language (a `Localised` error parameter)."""

    name: str

    def render(self, lang: str) -> str:
        return t(f"tableau.field.{self.name}", lang)


def validate_link(value: str | None, *, required: bool = False) -> str:
    link = _text(value, LINK_MAX, "link", required=required)
    if not link:
        return ""
    try:
        parsed = URL(link)
    except ValueError:
        raise UserError("tableau.error.link", link=link[:100]) from None
    if parsed.scheme not in LINK_SCHEMES or not parsed.host or "." not in parsed.host:
        raise UserError("tableau.error.link", link=link[:100])
    return link


def validate_offer(
    *,
    title: str,
    structure: str,
    city: str | None,
    link: str | None,
    description: str | None,
    deadline: date | None,
) -> OfferFields:
    return OfferFields(
        title=_text(title, TITLE_MAX, "title", required=True),
        structure=_text(structure, STRUCTURE_MAX, "structure", required=True),
        city=_text(city, CITY_MAX, "city", required=False),
        link=validate_link(link),
        description=_text(description, DESCRIPTION_MAX, "description", required=True),
        deadline=deadline,
    )


def validate_news(
    *, structure: str, title: str | None, city: str | None, link: str | None, text: str | None
) -> NewsFields:
    return NewsFields(
        title=_text(title, TITLE_MAX, "title", required=False),
        structure=_text(structure, STRUCTURE_MAX, "structure", required=True),
        city=_text(city, CITY_MAX, "city", required=False),
        link=validate_link(link),
        text=_text(text, NEWS_TEXT_MAX, "description", required=True),
    )


def validate_city(value: str | None) -> str:
    return _text(value, CITY_MAX, "city", required=False)


def side_for(country: str | None) -> Side | None:
    return side_of(country) if country else None


def validate_professions(codes: list[str | None], known: set[str]) -> tuple[str, ...]:
    chosen: list[str] = []
    for code in codes:
        if not code:
            continue
        if code not in known:
            raise UserError("tableau.error.profession", text=code[:60])
        if code not in chosen:
            chosen.append(code)
    return tuple(chosen[:PROFESSIONS_MAX])


def validate_category(kind: PostKind, value: str) -> str:
    allowed = {str(k) for k in OfferKind} if kind is PostKind.OFFER else set(MEMBER_NEWS_KINDS)
    if value not in allowed:
        raise UserError("tableau.error.category")
    return value


def closes_at(deadline: date | None, *, published: datetime, zone_end: Any) -> datetime:
    """When an offer closes: the end of its deadline's day (`zone_end(day)`), else after
    `DEFAULT_OPEN_DAYS`."""
    if deadline is None:
        return published + timedelta(days=DEFAULT_OPEN_DAYS)
    end: datetime = zone_end(deadline)
    return end


def search_words(post: Post) -> set[str]:
    """The words an offer is found by (title, structure, city), folded."""
    text = fold(" ".join((post.title, post.structure, post.city)))
    return {w for w in _WORD.findall(text) if WORD_MIN <= len(w) <= WORD_MAX}


def news_title(category: str, structure: str, title: str, category_name: str) -> str:
    """A news post's name: what the member wrote, else « Ouverture — Foyer des Tilleuls »."""
    if title:
        return title
    return f"{category_name} — {structure}"[:TITLE_MAX]


def post_name(title: str, status: Status, prefix: dict[Status, str]) -> str:
    """The forum post's name for a state: « [Clôturée] Éducateur spécialisé — MECS … »."""
    mark = prefix.get(status)
    return f"{mark} {title}"[:100] if mark else title[:100]


def tags_for(post: Post, *, shared_forum: bool) -> list[str]:
    """The tag keys a post carries (at most five, Discord's limit)."""
    keys: list[str] = []
    if post.side is not None:
        keys.append(TagKey.EUROPE if post.side is Side.EUROPE else TagKey.AMERICA)
    keys.append(category_tag(post.category))
    if shared_forum:
        keys.append(TagKey.OFFER if post.is_offer else TagKey.NEWS)
    if post.status is Status.CLOSED:
        keys.append(TagKey.CLOSED)
    elif post.status is Status.FILLED:
        keys.append(TagKey.FILLED)
    return keys[:5]


def forum_tag_keys(*, offers: bool, news: bool, shared: bool) -> list[str]:
    """Every tag a forum needs: sides, the categories it holds, the states of offers."""
    keys: list[str] = [TagKey.EUROPE, TagKey.AMERICA]
    if offers:
        keys += [category_tag(k) for k in OfferKind]
    if news:
        keys += [category_tag(k) for k in NewsKind if category_tag(k) not in keys]
    if shared:
        keys += [TagKey.OFFER, TagKey.NEWS]
    if offers:
        keys += [TagKey.CLOSED, TagKey.FILLED]
    return keys


def require_open(post: Post) -> Post:
    if post.status is not Status.LIVE:
        raise UserError(f"tableau.error.not_open.{post.status}")
    return post


def require_manager(post: Post, user_id: int, moderator: bool) -> Post:
    if not post.may_manage(user_id, moderator):
        raise UserError("tableau.error.not_author")
    return post


# -- searching -----------------------------------------------------------------------------------
def encode_search(search: Search, page: int) -> str:
    """The paging buttons' custom_id part: every filter, compact (≤ 100 characters in all)."""
    return ":".join(
        [
            str(page),
            search.category or "",
            search.place_code or "",
            search.country or "",
            str(search.side or ""),
            search.professions[0] if search.professions else "",
            search.words[:SEARCH_WORDS_MAX].replace(":", " "),
        ]
    )


def decode_search(text: str) -> tuple[Search, int, str | None]:
    """(filters without equivalents, page, the chosen profession) from `encode_search` (a
    paging button's « :p » / « :n » mark at the end is dropped)."""
    if text.endswith((":p", ":n")):
        text = text[:-2]
    page, category, place, country, side, profession, words = (text.split(":", 6) + [""] * 7)[:7]
    return (
        Search(
            category=category or None,
            place_code=place or None,
            country=country or None,
            side=Side(side) if side in set(Side) else None,
            words=words,
        ),
        int(page or 0),
        profession or None,
    )


# -- configuration -------------------------------------------------------------------------------
MINUTES_PER_HOUR = 60
DEFAULT_DIGEST_WEEKDAY = 4  # Friday
DEFAULT_DIGEST_MINUTE = 17 * MINUTES_PER_HOUR


@dataclass(frozen=True)
class BoardConfig:
    guild_id: int
    offers_forum_id: int | None = None
    news_forum_id: int | None = None
    approval: bool = False
    digest_channel_id: int | None = None
    digest_weekday: int = DEFAULT_DIGEST_WEEKDAY
    digest_minute: int = DEFAULT_DIGEST_MINUTE
    problem: str | None = None

    def with_(self, **changes: Any) -> BoardConfig:
        return replace(self, **changes)

    def forum_for(self, kind: PostKind) -> int | None:
        return self.offers_forum_id if kind is PostKind.OFFER else self.news_forum_id

    @property
    def shared(self) -> bool:
        return self.offers_forum_id is not None and self.offers_forum_id == self.news_forum_id

    @property
    def forums(self) -> list[int]:
        return sorted({f for f in (self.offers_forum_id, self.news_forum_id) if f is not None})

    def holds(self, forum_id: int) -> tuple[bool, bool]:
        """(offers, news): what the forum `forum_id` holds."""
        return forum_id == self.offers_forum_id, forum_id == self.news_forum_id
