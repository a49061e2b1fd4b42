"""The France–Québec glossary of social-work acronyms: model, loader and validator.

Shipped entries live in ``data/sigles/*.toml`` (one file per region, ``[[sigle]]`` tables).
Server (guild) entries are layered on top with :meth:`Glossary.with_extra`.
Imports nothing from discord.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from .consistency import check_glossary
from .model import (
    DOMAINES,
    MAX_DEVELOPPE,
    MAX_DIFFERENCE,
    MAX_EXPLICATION,
    MAX_LIST_ITEMS,
    MAX_NOTE,
    MAX_REF,
    MAX_REF_WITH_SENS,
    MAX_SIGLE,
    ORIGINS,
    REGION_NAMES,
    REGIONS,
    RELATION_SPELLINGS,
    Entry,
    Equivalent,
    GlossaryError,
    Problem,
    Ref,
    Relation,
    normalise,
    parse_ref,
    parse_ref_full,
    ref_text,
)

__all__ = [
    "DEFAULT_DIRECTORY",
    "DOMAINES",
    "KNOWN_FIELDS",
    "LIST_FIELDS",
    "MAX_DEVELOPPE",
    "MAX_DIFFERENCE",
    "MAX_EXPLICATION",
    "MAX_NOTE",
    "MAX_SIGLE",
    "ORIGINS",
    "REF_FIELDS",
    "REGIONS",
    "REGION_NAMES",
    "REQUIRED_FIELDS",
    "Entry",
    "Equivalent",
    "Glossary",
    "GlossaryError",
    "Problem",
    "Ref",
    "Relation",
    "check_duplicates",
    "check_refs",
    "entry_from_mapping",
    "equivalents_from_data",
    "load_glossary",
    "normalise",
    "parse_file",
    "parse_ref",
    "parse_ref_full",
    "ref_text",
]

REQUIRED_FIELDS: tuple[str, ...] = (
    "sigle",
    "region",
    "developpe",
    "explication",
    "domaine",
    "source",
)
# Lists of text; ``equivalents`` is a list of refs or of {ref, relation, difference} tables.
LIST_FIELDS: tuple[str, ...] = ("alias", "remplace_par", "remplace", "voir_aussi")
REF_FIELDS: tuple[str, ...] = ("equivalents", "remplace_par", "remplace", "voir_aussi")
KNOWN_FIELDS: frozenset[str] = frozenset(
    (*REQUIRED_FIELDS, *LIST_FIELDS, "equivalents", "equivalence_note", "historique", "verifie_le")
)
EQUIVALENT_FIELDS: frozenset[str] = frozenset(("ref", "relation", "difference"))
# Keys a data file may hold besides its [[sigle]] tables.
FILE_FIELDS: frozenset[str] = frozenset(("sigle", "verifie_le"))

_URL_RE = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?(?:[/?#][^\s]*)?$")
_HEADER_RE = re.compile(r"^\s*\[\[\s*sigle\s*\]\]\s*(?:#.*)?$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _text(data: Mapping[str, Any], name: str, maximum: int, problems: list[str]) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(f"champ « {name} » : texte attendu")
        return ""
    value = value.strip()
    if name in REQUIRED_FIELDS and not value:
        problems.append(f"champ obligatoire « {name} » manquant ou vide")
    elif len(value) > maximum:
        problems.append(f"champ « {name} » trop long ({len(value)} > {maximum} caractères)")
    return value


def _check_ref(name: str, item: str, problems: list[str]) -> None:
    limit = MAX_REF_WITH_SENS if "(" in item else MAX_REF
    if len(item) > limit:
        problems.append(f"champ « {name} » : référence trop longue « {item[:40]} »")
    elif parse_ref_full(item) is None:
        problems.append(
            f"champ « {name} » : référence « {item} » mal formée (attendu RÉGION:SIGLE, "
            f"région parmi {', '.join(REGIONS)})"
        )


def _list(data: Mapping[str, Any], name: str, problems: list[str]) -> tuple[str, ...]:
    value = data.get(name, [])
    if value is None or value == "":
        return ()
    if isinstance(value, str):  # tolerated for hand-written / imported data
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        problems.append(f"champ « {name} » : liste de textes attendue")
        return ()
    items = tuple(v.strip() for v in value if v.strip())
    if len(items) > MAX_LIST_ITEMS:
        problems.append(f"champ « {name} » : trop d'éléments ({len(items)} > {MAX_LIST_ITEMS})")
    for item in items:
        if name == "alias":
            if len(item) > MAX_DEVELOPPE:
                problems.append(f"champ « alias » : alias trop long « {item[:40]}… »")
        else:
            _check_ref(name, item, problems)
    return items


def _equivalent(item: Any, problems: list[str]) -> Equivalent | None:
    """One counterpart: a bare ref (a server's entry) or a {ref, relation, difference} table."""
    if isinstance(item, Equivalent):
        item = item.to_data()
    if isinstance(item, str):
        ref = item.strip()
        if not ref:
            return None
        _check_ref("equivalents", ref, problems)
        return Equivalent(ref)
    if not isinstance(item, Mapping):
        problems.append(
            "champ « equivalents » : liste de références ou de tables {ref, relation, difference} "
            "attendue"
        )
        return None
    unknown = sorted(set(item) - EQUIVALENT_FIELDS)
    ref = ref_text(dict(item)).strip()
    if unknown:
        problems.append(
            f"champ « equivalents » : clé(s) inconnue(s) {', '.join(unknown)} pour « {ref} »"
        )
    if not ref:
        problems.append("champ « equivalents » : une table sans « ref »")
        return None
    _check_ref("equivalents", ref, problems)
    relation_text = item.get("relation")
    relation: Relation | None = None
    if relation_text is not None:
        relation = (
            RELATION_SPELLINGS.get(relation_text.strip().casefold())
            if isinstance(relation_text, str)
            else None
        )
        if relation is None:
            problems.append(
                f"équivalent « {ref} » : relation « {relation_text} » inconnue "
                "(attendu : equivalent ou proche)"
            )
    difference = item.get("difference", "") or ""
    if not isinstance(difference, str):
        problems.append(f"équivalent « {ref} » : « difference » doit être un texte")
        difference = ""
    difference = " ".join(difference.split())
    if len(difference) > MAX_DIFFERENCE:
        problems.append(
            f"équivalent « {ref} » : différence trop longue "
            f"({len(difference)} > {MAX_DIFFERENCE} caractères)"
        )
    if relation is Relation.PROCHE and not difference:
        problems.append(f"équivalent « {ref} » : « proche » demande une ligne « difference »")
    return Equivalent(ref, relation, difference)


def _equivalents(data: Mapping[str, Any], problems: list[str]) -> tuple[Equivalent, ...]:
    value = data.get("equivalents", [])
    if value is None or value == "":
        return ()
    if isinstance(value, str | Mapping):
        value = [value]
    if not isinstance(value, list | tuple):
        problems.append(
            "champ « equivalents » : liste de références ou de tables {ref, relation, difference} "
            "attendue"
        )
        return ()
    out = tuple(e for e in (_equivalent(item, problems) for item in value) if e is not None)
    if len(out) > MAX_LIST_ITEMS:
        problems.append(f"champ « equivalents » : trop d'éléments ({len(out)} > {MAX_LIST_ITEMS})")
    return out


def equivalents_from_data(items: Iterable[Any]) -> tuple[Equivalent, ...]:
    """Counterparts as stored (refs or tables), already validated when they were written."""
    problems: list[str] = []
    found = (_equivalent(item, problems) for item in items)
    return tuple(e for e in found if e is not None)


def _date(value: Any, problems: list[str]) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE_RE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(f"champ « verifie_le » : date attendue (AAAA-MM-JJ), pas « {str(value)[:20]} »")
    return None


def entry_from_mapping(
    data: Mapping[str, Any],
    *,
    origin: str = "shipped",
    guild_id: int | None = None,
    file: str = "",
    line: int = 0,
    verifie_le: date | None = None,
) -> tuple[Entry | None, list[str]]:
    """Build and validate one entry; returns ``(entry, [])`` or ``(None, messages)``.

    Checks fields one by one (required, types, lengths, region, domain, https URL, refs syntax,
    relations). ``verifie_le`` is the file's date of check, used when the entry gives none.
    Cross-references are resolved separately by :func:`check_refs`, the rules tying entries
    together by :func:`cogs.sigles.consistency.check_glossary`.
    """
    problems: list[str] = []
    if not isinstance(data, Mapping):
        return None, ["entrée : table attendue"]
    unknown = sorted(set(data) - KNOWN_FIELDS)
    if unknown and origin == "shipped":
        problems.append(f"champ(s) inconnu(s) : {', '.join(unknown)}")
    sigle = _text(data, "sigle", MAX_SIGLE, problems)
    region = _text(data, "region", 2, problems).upper()
    developpe = _text(data, "developpe", MAX_DEVELOPPE, problems)
    explication = _text(data, "explication", MAX_EXPLICATION, problems)
    domaine = _text(data, "domaine", 40, problems)
    source = _text(data, "source", 500, problems)
    note = _text(data, "equivalence_note", MAX_NOTE, problems)
    if sigle and not normalise(sigle):
        problems.append(f"sigle « {sigle} » sans lettre ni chiffre")
    if region and region not in REGIONS:
        problems.append(f"région inconnue « {region} » (attendu : {', '.join(REGIONS)})")
    if domaine and domaine not in DOMAINES:
        problems.append(f"domaine inconnu « {domaine} » (attendu : {', '.join(DOMAINES)})")
    if source and not _URL_RE.match(source):
        problems.append(f"source « {source[:80]} » : URL https:// attendue")
    historique = data.get("historique", False)
    if historique in ("", None):
        historique = False
    if not isinstance(historique, bool):
        problems.append("champ « historique » : booléen attendu (true/false)")
        historique = False
    lists = {name: _list(data, name, problems) for name in LIST_FIELDS}
    equivalents = _equivalents(data, problems)
    checked = _date(data.get("verifie_le"), problems) or verifie_le
    if origin not in ORIGINS:
        problems.append(f"origine inconnue « {origin} »")
    if problems:
        return None, problems
    entry = Entry(
        sigle=sigle,
        region=region,
        developpe=developpe,
        explication=explication,
        domaine=domaine,
        source=source,
        alias=lists["alias"],
        equivalents=equivalents,
        equivalence_note=note,
        historique=historique,
        remplace_par=lists["remplace_par"],
        remplace=lists["remplace"],
        voir_aussi=lists["voir_aussi"],
        verifie_le=checked,
        origin=origin,
        guild_id=guild_id,
        file=file,
        line=line,
    )
    return entry, []


def _index(entries: Iterable[Entry]) -> dict[tuple[str, str], list[Entry]]:
    index: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        index.setdefault((entry.region, entry.key), []).append(entry)
    return index


def check_refs(entries: Iterable[Entry], known: Iterable[Entry] = ()) -> list[Problem]:
    """Every reference (equivalents, remplace_par, remplace, voir_aussi) must name an existing
    sigle of its region (and, if it gives one, an existing expansion of that sigle).

    ``known`` are extra entries refs may point at (e.g. the shipped glossary for server entries).
    """
    entries = list(entries)
    if isinstance(known, Glossary):  # already indexed: only the new entries are
        own = _index(entries)

        def named(target: tuple[str, str]) -> list[Entry]:
            return [*own.get(target, ()), *known.at(target)]
    else:
        index = _index((*entries, *known))

        def named(target: tuple[str, str]) -> list[Entry]:
            return index.get(target, [])

    problems: list[Problem] = []
    for entry in entries:
        for name in REF_FIELDS:
            for ref in entry.refs(name):
                parsed = parse_ref_full(ref)
                found = [e for e in named(parsed.target) if e.matches(parsed)] if parsed else []
                if not found:
                    problems.append(
                        Problem(
                            entry.file or entry.sigle,
                            entry.line,
                            f"{entry.ref} : référence « {ref} » ({name}) introuvable",
                        )
                    )
                elif parsed and parsed.target == (entry.region, entry.key) and name != "voir_aussi":
                    problems.append(
                        Problem(entry.file, entry.line, f"{entry.ref} : se référence lui-même")
                    )
    return problems


def check_duplicates(entries: Iterable[Entry]) -> list[Problem]:
    seen: dict[tuple[str, str, str], Entry] = {}
    problems: list[Problem] = []
    for entry in entries:
        first = seen.setdefault(entry.identity, entry)
        if first is not entry:
            problems.append(
                Problem(
                    entry.file,
                    entry.line,
                    f"doublon de {entry.ref} « {entry.developpe} » (déjà en {first.location})",
                )
            )
    return problems


def _header_lines(raw: str) -> list[int]:
    """1-based line numbers of every ``[[sigle]]`` header, in order."""
    return [n for n, text in enumerate(raw.splitlines(), start=1) if _HEADER_RE.match(text)]


def parse_file(path: Path, *, label: str | None = None) -> tuple[list[Entry], list[Problem]]:
    """Parse one TOML file of ``[[sigle]]`` tables; returns entries and problems.

    A ``verifie_le = AAAA-MM-JJ`` key before the first table dates the whole file's check;
    an entry's own ``verifie_le`` overrides it.
    """
    where = label or path.name
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(where, 0, f"lecture impossible : {exc}")]
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        return [], [Problem(where, int(match.group(1)) if match else 0, f"TOML invalide : {exc}")]
    problems: list[Problem] = []
    extra_keys = sorted(set(data) - FILE_FIELDS)
    if extra_keys:
        problems.append(Problem(where, 1, f"clé(s) de premier niveau inattendue(s) : {extra_keys}"))
    messages: list[str] = []
    file_date = _date(data.get("verifie_le"), messages)
    problems.extend(Problem(where, 1, m) for m in messages)
    tables = data.get("sigle", [])
    if not isinstance(tables, list):
        return [], [*problems, Problem(where, 1, "« sigle » doit être un tableau [[sigle]]")]
    lines = _header_lines(raw)
    if len(lines) != len(tables):  # e.g. inline `sigle = [...]`: fall back to no line numbers
        lines = [0] * len(tables)
    entries: list[Entry] = []
    for table, line in zip(tables, lines, strict=True):
        entry, messages = entry_from_mapping(table, file=where, line=line, verifie_le=file_date)
        if entry is None:
            label_sigle = table.get("sigle", "?") if isinstance(table, Mapping) else "?"
            problems.extend(Problem(where, line, f"[{label_sigle}] {m}") for m in messages)
        else:
            entries.append(entry)
    return entries, problems


class Glossary:
    """An immutable set of entries with lookup by normalised sigle or alias.

    Each entry has a place in the glossary's order (`order`: comparable keys, positions by
    default): lookups list entries found alike in that order. `changed` makes the glossary with
    a few entries more or less without indexing the others again.
    """

    __slots__ = ("_by_key", "_by_ref", "_entries", "_order")

    def __init__(self, entries: Iterable[Entry], order: Iterable[Any] | None = None) -> None:
        self._entries: tuple[Entry, ...] = tuple(entries)
        self._order: tuple[Any, ...] = (
            tuple(range(len(self._entries))) if order is None else tuple(order)
        )
        # normalised sigle or alias / (region, sigle) → [(place, entry)], in the glossary's order
        self._by_key: dict[str, list[tuple[Any, Entry]]] = {}
        self._by_ref: dict[tuple[str, str], list[tuple[Any, Entry]]] = {}
        for place, entry in zip(self._order, self._entries, strict=True):
            self._index(entry, place, fresh=True)

    def _index(self, entry: Entry, place: Any, *, fresh: bool = False) -> None:
        item = (place, entry)
        keys = {entry.key, *(normalise(a) for a in entry.alias)}
        tables = [(self._by_key, key) for key in keys if key]
        tables.append((self._by_ref, (entry.region, entry.key)))
        for table, key in tables:
            found = table.get(key)
            if found is None:
                table[key] = [item]
            elif fresh:  # built in order
                found.append(item)
            else:  # a copy: the glossary this one comes from keeps its list
                found = table[key] = found.copy()
                bisect.insort(found, item, key=_place)

    def _unindex(self, entry: Entry) -> None:
        keys = {entry.key, *(normalise(a) for a in entry.alias)}
        tables = [(self._by_key, key) for key in keys if key]
        tables.append((self._by_ref, (entry.region, entry.key)))
        for table, key in tables:
            kept = [item for item in table.get(key, ()) if item[1] is not entry]
            if kept:
                table[key] = kept
            else:
                table.pop(key, None)

    def changed(
        self,
        entries: Sequence[Entry],
        order: Sequence[Any],
        removed: Iterable[Entry],
        added: Iterable[tuple[Any, Entry]],
    ) -> Glossary:
        """This glossary without `removed` (entries of it) and with `added` (place, entry):
        `entries` and `order` are the result's entries in order, as the caller keeps them.
        Only the changed entries are indexed; the others' index is shared, never changed."""
        new = Glossary.__new__(Glossary)
        new._entries, new._order = tuple(entries), tuple(order)
        new._by_key, new._by_ref = self._by_key.copy(), self._by_ref.copy()
        for entry in removed:
            new._unindex(entry)
        for place, entry in added:
            new._index(entry, place)
        return new

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self._entries

    @property
    def order(self) -> tuple[Any, ...]:
        """Each entry's place in the glossary's order (parallel to `entries`)."""
        return self._order

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def lookup(self, sigle: str, region: str | None = None) -> list[Entry]:
        """Every entry whose sigle or alias normalises like ``sigle`` (guild entries first)."""
        found = [e for _, e in self._by_key.get(normalise(sigle), ())]
        if region is not None:
            found = [e for e in found if e.region == region.upper()]
        return sorted(found, key=lambda e: (e.origin != "guild", REGIONS.index(e.region)))

    def at(self, target: tuple[str, str]) -> list[Entry]:
        """The entries of a (region, normalised sigle), in order."""
        return [e for _, e in self._by_ref.get(target, ())]

    def resolve(self, ref: str) -> list[Entry]:
        """Entries named by a ``"REGION:SIGLE"`` ref (several if the sigle is ambiguous and the
        ref does not give the expansion, ``"REGION:SIGLE (développé)"``)."""
        parsed = parse_ref_full(ref)
        if parsed is None:
            return []
        return [e for e in self.at(parsed.target) if e.matches(parsed)]

    def with_extra(self, entries: Iterable[Entry]) -> Glossary:
        """A new glossary with server entries layered on top of this one.

        A server entry with the same sigle, region and expansion as an existing one replaces it.
        Raises :class:`GlossaryError` if an extra entry has an unknown region or domain.
        """
        extra = list(entries)
        problems = [
            Problem(e.file or "serveur", e.line, f"{e.ref} : région ou domaine inconnu")
            for e in extra
            if e.region not in REGIONS or e.domaine not in DOMAINES
        ]
        if problems:
            raise GlossaryError(problems)
        overridden = {e.identity for e in extra}
        kept = [e for e in self._entries if e.identity not in overridden]
        return Glossary([*kept, *extra])

    def counts_by_region(self) -> dict[str, int]:
        counts = dict.fromkeys(REGIONS, 0)
        for entry in self._entries:
            counts[entry.region] += 1
        return {r: n for r, n in counts.items() if n}

    def counts_by_domain(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self._entries:
            counts[entry.domaine] = counts.get(entry.domaine, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def summary(self) -> str:
        """``"423 entrées : FR 231, QC 192"``."""
        parts = ", ".join(f"{r} {n}" for r, n in self.counts_by_region().items())
        return f"{len(self)} entrées : {parts}"


def _place(item: tuple[Any, Entry]) -> Any:
    return item[0]


DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / "data" / "sigles"


def load_glossary(directory: Path = DEFAULT_DIRECTORY, *, today: date | None = None) -> Glossary:
    """Load and validate every ``*.toml`` file of ``directory``.

    Raises :class:`GlossaryError` listing every problem (file:line) if anything is wrong:
    missing/empty/over-long fields, unknown region or domain, non-https source, duplicates,
    unresolved cross-references, and the rules of :func:`check_glossary` (counterparts named
    both ways with the same relation, past names tied to their successors, dates of check;
    ``today``, if given, refuses a date of check in the future).
    """
    directory = Path(directory)
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise GlossaryError([Problem(str(directory), 0, "aucun fichier *.toml")])
    entries: list[Entry] = []
    problems: list[Problem] = []
    for path in files:
        file_entries, file_problems = parse_file(path)
        entries.extend(file_entries)
        problems.extend(file_problems)
    problems.extend(check_duplicates(entries))
    problems.extend(check_refs(entries))
    problems.extend(check_glossary(entries, today=today))
    if problems:
        raise GlossaryError(problems)
    return Glossary(entries)
