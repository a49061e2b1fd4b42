"""The rules of Sigles: queries, server entries, the suggestion workflow, imports.

Pure: imports nothing from discord; raises `UserError` for anything a member typed wrong.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from itertools import islice
from operator import attrgetter
from typing import Any

from bot.i18n import t
from bot.user_error import UserError
from cogs.sigles.export import RowError, RowErrors, from_csv, from_json
from cogs.sigles.glossary import (
    DOMAINES,
    MAX_DEVELOPPE,
    MAX_EXPLICATION,
    MAX_NOTE,
    MAX_SIGLE,
    REF_FIELDS,
    REGIONS,
    Entry,
    Glossary,
    check_refs,
    entry_from_mapping,
    normalise,
    parse_ref,
    ref_text,
)
from cogs.sigles.matcher import Matcher

MAX_QUERY = 100
MAX_SOURCE = 500
MAX_IMPORT_BYTES = 1_000_000
BYTES_PER_KB = 1000
REVERSE_LIMIT = 10
DID_YOU_MEAN = 5
MAX_ENTRY_ID_DIGITS = 19  # a 64-bit integer; anything longer is not one of ours
ROW_ERRORS_SHOWN = 12
LINE_LIMIT = 110


class SuggestionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class AnswerKind(StrEnum):
    """What `/sigle` found."""

    FOUND = "found"  # every meaning of the sigle
    REVERSE = "reverse"  # entries whose words match
    NOT_FOUND = "not_found"


class Decision(StrEnum):
    """The moderators' buttons under a suggestion."""

    APPROVE = "approve"
    EDIT = "edit"
    REJECT = "reject"


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


class _Label(str):
    """A raw name (a field, a region) in a message, worded as its label once the reader's
    language is known (a `bot.user_error.Localised` parameter)."""

    prefix = ""

    def render(self, lang: str) -> str:
        return t(f"{self.prefix}{self}", lang)


class FieldLabel(_Label):
    prefix = "sigles.label."


class RegionLabel(_Label):
    prefix = "region."


@dataclass(frozen=True)
class GuildEntry:
    """A server's own entry, with what the store adds to the glossary entry."""

    id: int
    entry: Entry
    contributor_id: int | None = None
    created_by: int | None = None


@dataclass(frozen=True)
class Suggestion:
    id: int
    guild_id: int
    author_id: int
    sigle: str
    region: str
    domaine: str
    developpe: str
    explication: str
    created_at: datetime
    lang: str = "fr"
    channel_id: int | None = None
    source: str | None = None
    status: SuggestionStatus = SuggestionStatus.PENDING
    mod_channel_id: int | None = None
    mod_message_id: int | None = None
    decided_by: int | None = None
    decided_at: datetime | None = None
    entry_id: int | None = None


@dataclass(frozen=True)
class Answer:
    """What `/sigle` found: every meaning, entries by their words, or close sigles."""

    query: str
    kind: AnswerKind
    entries: tuple[Entry, ...] = ()
    did_you_mean: tuple[str, ...] = ()

    @property
    def can_propose(self) -> bool:
        return self.kind == AnswerKind.NOT_FOUND and len(self.query) <= MAX_SIGLE


def ident(entry: Entry) -> str:
    """The store's uniqueness key: one meaning of one sigle in one region."""
    return "|".join(entry.identity)


# -- queries ------------------------------------------------------------------------------------
def clean_query(text: str) -> str:
    query = " ".join(text.split())
    if len(query) > MAX_QUERY:
        raise UserError("sigles.error.query_too_long", max=MAX_QUERY, length=len(query))
    if not normalise(query):
        raise UserError("sigles.error.empty_query")
    return query


def answer(matcher: Matcher, text: str, region: str | None = None) -> Answer:
    query = clean_query(text)
    found = matcher.lookup(query, region)
    if found:
        return Answer(query, AnswerKind.FOUND, tuple(found))
    reverse = matcher.search_text(query, region=region, limit=REVERSE_LIMIT)
    if reverse:
        return Answer(query, AnswerKind.REVERSE, tuple(reverse))
    did_you_mean = tuple(matcher.did_you_mean(query, limit=DID_YOU_MEAN))
    return Answer(query, AnswerKind.NOT_FOUND, did_you_mean=did_you_mean)


# -- one server's glossary ----------------------------------------------------------------------
# A server's glossary in order: the shipped entries (in their files' order), then its own (by
# sigle, region and id). Each entry's place in that order breaks ties between equal answers.
SHIPPED, SERVER = 0, 1
Identity = tuple[str, str, str]


def row_place(row: GuildEntry) -> tuple[int, str, str, int]:
    return (SERVER, row.entry.sigle, row.entry.region, row.id)


def _picker_key(row: GuildEntry) -> str:
    return normalise(f"{row.entry.sigle} {row.entry.developpe}")


@dataclass(frozen=True)
class Library:
    """One server's view of the glossary: the shipped entries with its own on top, indexed.

    Built by `build_library` from immutable values, so it can be built on a worker thread while
    the event loop goes on; never changed once built: `changed` makes a new one in proportion
    to the change (a few entries added, edited or removed), sharing the rest.
    """

    matcher: Matcher
    rows: tuple[GuildEntry, ...] = ()  # in the glossary's order
    credits: Mapping[Identity, int | None] = field(default_factory=dict)
    # The server's entries as moderators pick them (`/glossaire modifier`): folded once.
    picker_keys: tuple[str, ...] = ()
    row_places: tuple[tuple[int, str, str, int], ...] = ()  # `row_place` of each row
    # Every shipped entry as (identity, place, entry); the identities of shipped entries that
    # the server's own replace (same sigle, region and expansion), with how many rows do.
    shipped: tuple[tuple[Identity, tuple[int, int], Entry], ...] = ()
    hidden: Mapping[Identity, int] = field(default_factory=dict)
    row_ids: Mapping[int, tuple[int, str, str, int]] = field(default_factory=dict)  # id → place
    # identity → (place, entry) of every shipped entry
    shipped_ids: Mapping[Identity, tuple[tuple[int, int], Entry]] = field(default_factory=dict)

    @property
    def glossary(self) -> Glossary:
        return self.matcher.glossary

    def pick(self, typed: str, limit: int) -> list[GuildEntry]:
        """The server's entries whose sigle or expansion contain what the moderator typed."""
        wanted = normalise(typed)
        found: Iterator[GuildEntry] = (
            row for row, key in zip(self.rows, self.picker_keys, strict=True) if wanted in key
        )
        return list(islice(found, limit))

    def changed(
        self, removed: Iterable[GuildEntry] = (), added: Iterable[GuildEntry] = ()
    ) -> Library:
        """This library without the rows `removed` (by id) and with `added` (an edit is both,
        the same id; a row already there is replaced): equal to `build_library` with the
        server's rows as they now are, in work proportional to the change (plus shallow
        copies); this one is left as it was."""
        rows, places, picker_keys = self.rows, self.row_places, self.picker_keys
        credits, hidden, where = dict(self.credits), dict(self.hidden), dict(self.row_ids)
        gone: list[Entry] = []
        new: list[tuple[Any, Entry]] = []
        # Tuples are cut and joined (copies in C) rather than lists changed then frozen again.
        for row_id in [old.id for old in removed] + [row.id for row in added]:
            place = where.pop(row_id, None)  # an added row already there is replaced
            if place is None:
                continue  # not (or no longer) there
            at = bisect.bisect_left(places, place)
            row = rows[at]
            rows, places = rows[:at] + rows[at + 1 :], places[:at] + places[at + 1 :]
            picker_keys = picker_keys[:at] + picker_keys[at + 1 :]
            identity = row.entry.identity
            credits.pop(identity, None)
            gone.append(row.entry)
            if identity in hidden:
                hidden[identity] -= 1
                if not hidden[identity]:
                    del hidden[identity]
        for row in added:
            place = where[row.id] = row_place(row)
            at = bisect.bisect_left(places, place)
            rows = (*rows[:at], row, *rows[at:])
            places = (*places[:at], place, *places[at:])
            picker_keys = (*picker_keys[:at], _picker_key(row), *picker_keys[at:])
            identity = row.entry.identity
            credits[identity] = row.contributor_id
            new.append((place, row.entry))
            if identity in self.shipped_ids:
                hidden[identity] = hidden.get(identity, 0) + 1
        for identity in self.hidden.keys() - hidden.keys():  # shown again
            new.append(self.shipped_ids[identity])
        for identity in hidden.keys() - self.hidden.keys():  # replaced by the server's own
            gone.append(self.shipped_ids[identity][1])
        glossary = self.glossary
        shipped = glossary.entries[: len(glossary) - len(self.rows)]
        shipped_places = glossary.order[: len(shipped)]
        if hidden.keys() != self.hidden.keys():
            kept = [(pl, entry) for identity, pl, entry in self.shipped if identity not in hidden]
            shipped = tuple(entry for _, entry in kept)
            shipped_places = tuple(pl for pl, _ in kept)
        entries = (*shipped, *map(_entry_of, rows))
        glossary = glossary.changed(entries, (*shipped_places, *places), gone, new)
        return Library(
            self.matcher.changed(glossary, gone, new),
            rows,
            credits,
            picker_keys,
            places,
            self.shipped,
            hidden,
            where,
            self.shipped_ids,
        )


_entry_of: Callable[[GuildEntry], Entry] = attrgetter("entry")


def shipped_library(shipped: Glossary) -> Library:
    return build_library(shipped, ())


def build_library(shipped: Glossary, rows: Iterable[GuildEntry]) -> Library:
    """The server's library: its entries layered on the shipped ones, every index built.

    CPU-heavy for big glossaries (about a second at 10,000 entries): callers run it off the
    event loop. Pure: reads its arguments (immutable values), shares nothing mutable.
    """
    rows = tuple(sorted(rows, key=row_place))
    places = tuple(map(row_place, rows))
    items = tuple(
        (entry.identity, (SHIPPED, position), entry)
        for position, entry in enumerate(shipped.entries)
    )
    shipped_ids = {identity for identity, _, _ in items}
    hidden: dict[Identity, int] = {}
    credits: dict[Identity, int | None] = {}
    for row in rows:
        identity = row.entry.identity
        credits[identity] = row.contributor_id
        if identity in shipped_ids:
            hidden[identity] = hidden.get(identity, 0) + 1
    kept = [(place, entry) for identity, place, entry in items if identity not in hidden]
    glossary = Glossary(
        (*(entry for _, entry in kept), *map(_entry_of, rows)),
        (*(place for place, _ in kept), *places),
    )
    return Library(
        Matcher(glossary),
        rows,
        credits,
        tuple(map(_picker_key, rows)),
        places,
        items,
        hidden,
        {row.id: place for row, place in zip(rows, places, strict=True)},
        {identity: (place, entry) for identity, place, entry in items},
    )


# -- entries ------------------------------------------------------------------------------------
def split_list(text: str | None) -> list[str]:
    """ "A.S.E.; ASE" → ["A.S.E.", "ASE"] (what members type in one option or field)."""
    return [part.strip() for part in (text or "").replace(",", ";").split(";") if part.strip()]


def _check_text(name: str, value: str, maximum: int, *, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise UserError("sigles.error.field_empty", field=FieldLabel(name))
    if len(value) > maximum:
        raise UserError(
            "sigles.error.field_too_long", field=FieldLabel(name), max=maximum, length=len(value)
        )
    return value


def check_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate what a member or moderator typed, field by field, with a precise message."""
    out = dict(data)
    sigle = _check_text("sigle", str(data.get("sigle", "")), MAX_SIGLE)
    if not normalise(sigle):
        raise UserError("sigles.error.no_letters", sigle=sigle)
    out["sigle"] = sigle
    region = str(data.get("region", "")).strip().upper()
    if region not in REGIONS:
        raise UserError("sigles.error.bad_region", region=region[:10], regions=", ".join(REGIONS))
    out["region"] = region
    domaine = str(data.get("domaine", "")).strip()
    if domaine not in DOMAINES:
        raise UserError("sigles.error.bad_domain", domaine=domaine[:40])
    out["domaine"] = domaine
    out["developpe"] = _check_text("developpe", str(data.get("developpe", "")), MAX_DEVELOPPE)
    out["explication"] = _check_text(
        "explication", str(data.get("explication", "")), MAX_EXPLICATION
    )
    if "equivalence_note" in data:
        out["equivalence_note"] = _check_text(
            "equivalence_note", str(data["equivalence_note"] or ""), MAX_NOTE, required=False
        )
    if "source" in data:
        source = _check_text("source", str(data.get("source") or ""), MAX_SOURCE)
        if not source.startswith("https://") or " " in source:
            raise UserError("sigles.error.bad_source")
        out["source"] = source
    for name in REF_FIELDS:
        for item in data.get(name) or ():
            ref = ref_text(item)
            if parse_ref(ref) is None:
                raise UserError("sigles.error.bad_ref", ref=ref[:40], regions=", ".join(REGIONS))
    return out


def build_entry(data: Mapping[str, Any], *, guild_id: int, known: Glossary) -> Entry:
    """A server entry from checked fields; references must name a sigle of the glossary."""
    fields = check_fields(data)
    entry, problems = entry_from_mapping(fields, origin="guild", guild_id=guild_id)
    if entry is None:  # the loader's own net, for anything check_fields does not know of
        raise UserError("sigles.error.invalid_entry", details="; ".join(problems)[:600])
    missing = check_refs([entry], known)
    if missing:
        bad = next(
            ref
            for name in REF_FIELDS
            for ref in entry.refs(name)
            if (target := parse_ref(ref)) is None or not known.at(target)
        )
        raise UserError("sigles.error.unknown_ref", ref=bad)
    return entry


def entry_fields(entry: Entry) -> dict[str, Any]:
    """The editable fields of an entry, as `build_entry` takes them."""
    return {
        "sigle": entry.sigle,
        "region": entry.region,
        "domaine": entry.domaine,
        "developpe": entry.developpe,
        "explication": entry.explication,
        "source": entry.source,
        "alias": list(entry.alias),
        "equivalents": [e.to_data() for e in entry.equivalents],
        "equivalence_note": entry.equivalence_note,
        "historique": entry.historique,
        "remplace_par": list(entry.remplace_par),
        "remplace": list(entry.remplace),
        "voir_aussi": list(entry.voir_aussi),
    }


def exists(entry: Entry) -> UserError:
    """The server already has this meaning of this sigle."""
    return UserError("sigles.error.exists", sigle=entry.sigle, region=RegionLabel(entry.region))


def parse_entry_id(value: str) -> int:
    text = value.strip()
    if not text.isdigit() or len(text) > MAX_ENTRY_ID_DIGITS:
        raise UserError("sigles.error.unknown_entry")
    return int(text)


# -- suggestions --------------------------------------------------------------------------------
def suggestion_fields(
    sigle: str, region: str, domaine: str, developpe: str, explication: str
) -> dict[str, Any]:
    """A member's suggestion, checked like a moderator's entry (source is added later)."""
    return check_fields(
        {
            "sigle": sigle,
            "region": region,
            "domaine": domaine,
            "developpe": developpe,
            "explication": explication,
        }
    )


def require_pending(suggestion: Suggestion) -> None:
    if suggestion.status != SuggestionStatus.PENDING:
        raise UserError(f"sigles.error.already_{suggestion.status}")


def require_not_known(fields: Mapping[str, Any], glossary: Glossary) -> None:
    """Refuse a suggestion that repeats an existing meaning (shipped or the server's)."""
    wanted = (normalise(fields["sigle"]), fields["region"], normalise(fields["developpe"]))
    for entry in glossary.lookup(fields["sigle"], fields["region"]):
        if entry.identity == wanted:
            raise exists(entry)


def require_no_duplicate(fields: Mapping[str, Any], pending: Iterable[Suggestion]) -> None:
    wanted = (normalise(fields["sigle"]), fields["region"], normalise(fields["developpe"]))
    for s in pending:
        if (normalise(s.sigle), s.region, normalise(s.developpe)) == wanted:
            raise UserError("sigles.error.already_suggested", sigle=s.sigle)


def entry_from_suggestion(
    suggestion: Suggestion, *, fallback_source: str, known: Glossary
) -> Entry:
    """The approved entry; without a source the suggestion message itself is the reference."""
    data = {
        "sigle": suggestion.sigle,
        "region": suggestion.region,
        "domaine": suggestion.domaine,
        "developpe": suggestion.developpe,
        "explication": suggestion.explication,
        "source": suggestion.source or fallback_source,
    }
    return build_entry(data, guild_id=suggestion.guild_id, known=known)


# -- import -------------------------------------------------------------------------------------
def detect_format(filename: str, text: str) -> str:
    name = filename.lower()
    if name.endswith(".json"):
        return "json"
    if name.endswith(".csv"):
        return "csv"
    if text.lstrip()[:1] in ("[", "{"):
        return "json"
    raise UserError("sigles.error.import_format")


def format_row_errors(errors: list[RowError], limit: int = ROW_ERRORS_SHOWN) -> RowErrors:
    """The bullet lines, in French until the error handler words them for the moderator."""
    return RowErrors(errors, limit)


def check_import_size(size: int) -> None:
    if size > MAX_IMPORT_BYTES:
        raise UserError("sigles.error.import_too_big", max=MAX_IMPORT_BYTES // BYTES_PER_KB)


def parse_import(data: bytes, filename: str, *, guild_id: int, known: Glossary) -> list[Entry]:
    """Every row valid, or nothing: the error lists the bad rows with their line numbers."""
    check_import_size(len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError("sigles.error.import_encoding") from None
    if not text.strip():
        raise UserError("sigles.error.import_empty")
    kind = detect_format(filename, text)
    parse = from_json if kind == "json" else from_csv
    entries, errors = parse(text, origin="guild", guild_id=guild_id, known=list(known))
    if errors:
        raise UserError("sigles.error.import_rows", n=len(errors), rows=format_row_errors(errors))
    if not entries:
        raise UserError("sigles.error.import_empty")
    return entries


def dump_list(values: Iterable[Any]) -> str:
    return json.dumps(list(values), ensure_ascii=False)
