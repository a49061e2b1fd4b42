"""The France–Québec glossary of social-work acronyms: model, loader and validator.

Shipped entries live in ``data/sigles/*.toml`` (one file per region, ``[[sigle]]`` tables).
Server (guild) entries are layered on top with :meth:`Glossary.with_extra`.
Imports nothing from discord.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.regions import REGIONS
from bot.text import compact

REGION_NAMES: dict[str, str] = {
    "FR": "France",
    "QC": "Québec",
    "BE": "Belgique",
    "CH": "Suisse",
}
DOMAINES: tuple[str, ...] = (
    "aide-sociale",
    "protection-enfance",
    "sante",
    "handicap",
    "logement",
    "emploi",
    "migration",
    "justice",
    "profession",
    "formation",
    "institutions",
    "retraite",
    "famille",
    "education",
    "personnes-agees",
)
ORIGINS: tuple[str, ...] = ("shipped", "guild")

MAX_SIGLE = 20
MAX_DEVELOPPE = 200
MAX_EXPLICATION = 400
MAX_NOTE = 400
MAX_LIST_ITEMS = 20

REQUIRED_FIELDS: tuple[str, ...] = (
    "sigle",
    "region",
    "developpe",
    "explication",
    "domaine",
    "source",
)
LIST_FIELDS: tuple[str, ...] = ("alias", "equivalents", "remplace_par", "voir_aussi")
REF_FIELDS: tuple[str, ...] = ("equivalents", "remplace_par", "voir_aussi")
KNOWN_FIELDS: frozenset[str] = frozenset(
    (*REQUIRED_FIELDS, *LIST_FIELDS, "equivalence_note", "historique")
)

_URL_RE = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?(?:[/?#][^\s]*)?$")
_HEADER_RE = re.compile(r"^\s*\[\[\s*sigle\s*\]\]\s*(?:#.*)?$")


def normalise(text: str) -> str:
    """Key used for every comparison: no case, accents, dots, hyphens, spaces or punctuation.

    ``"C.L.S.C."`` → ``"clsc"``, ``"Pôle emploi"`` → ``"poleemploi"``.
    """
    return compact(text)


@dataclass(frozen=True, slots=True)
class Entry:
    """One meaning of one acronym in one region."""

    sigle: str
    region: str
    developpe: str
    explication: str
    domaine: str
    source: str
    alias: tuple[str, ...] = ()
    equivalents: tuple[str, ...] = ()
    equivalence_note: str = ""
    historique: bool = False
    remplace_par: tuple[str, ...] = ()
    voir_aussi: tuple[str, ...] = ()
    origin: str = "shipped"
    guild_id: int | None = None
    # Where the entry was read from, for error messages; not part of its identity.
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    @property
    def key(self) -> str:
        """Normalised sigle."""
        return normalise(self.sigle)

    @property
    def ref(self) -> str:
        """``"REGION:SIGLE"``, the form used by cross-references."""
        return f"{self.region}:{self.sigle}"

    @property
    def identity(self) -> tuple[str, str, str]:
        """Two entries with the same identity are duplicates."""
        return (self.key, self.region, normalise(self.developpe))

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.file else ""


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation problem, with where it was found (file and line, or row number)."""

    where: str
    line: int
    message: str

    def __str__(self) -> str:
        return (
            f"{self.where}:{self.line}: {self.message}"
            if self.line
            else (f"{self.where}: {self.message}")
        )


class GlossaryError(Exception):
    """The glossary is invalid; ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{len(self.problems)} problème(s) dans le glossaire :\n{lines}")


def parse_ref(ref: str) -> tuple[str, str] | None:
    """``"QC:DPJ"`` → ``("QC", "dpj")`` (normalised sigle), or ``None`` if malformed."""
    region, sep, sigle = ref.partition(":")
    region = region.strip().upper()
    if not sep or region not in REGIONS or not normalise(sigle):
        return None
    return region, normalise(sigle)


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


def _list(data: Mapping[str, Any], name: str, problems: list[str]) -> tuple[str, ...]:
    value = data.get(name, [])
    if value is None or value == "":
        return ()
    if isinstance(value, str):  # tolerated for hand-written / imported data
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"champ « {name} » : liste de textes attendue")
        return ()
    items = tuple(v.strip() for v in value if v.strip())
    if len(items) > MAX_LIST_ITEMS:
        problems.append(f"champ « {name} » : trop d'éléments ({len(items)} > {MAX_LIST_ITEMS})")
    for item in items:
        if len(item) > MAX_SIGLE + 3 and name != "alias":
            problems.append(f"champ « {name} » : référence trop longue « {item[:40]} »")
        elif name == "alias" and len(item) > MAX_DEVELOPPE:
            problems.append(f"champ « alias » : alias trop long « {item[:40]}… »")
        if name in REF_FIELDS and parse_ref(item) is None:
            problems.append(
                f"champ « {name} » : référence « {item} » mal formée (attendu RÉGION:SIGLE, "
                f"région parmi {', '.join(REGIONS)})"
            )
    return items


def entry_from_mapping(
    data: Mapping[str, Any],
    *,
    origin: str = "shipped",
    guild_id: int | None = None,
    file: str = "",
    line: int = 0,
) -> tuple[Entry | None, list[str]]:
    """Build and validate one entry; returns ``(entry, [])`` or ``(None, messages)``.

    Checks fields one by one (required, types, lengths, region, domain, https URL, refs syntax).
    Cross-references are resolved separately by :func:`check_refs`.
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
        equivalents=lists["equivalents"],
        equivalence_note=note,
        historique=historique,
        remplace_par=lists["remplace_par"],
        voir_aussi=lists["voir_aussi"],
        origin=origin,
        guild_id=guild_id,
        file=file,
        line=line,
    )
    return entry, []


def check_refs(entries: Iterable[Entry], known: Iterable[Entry] = ()) -> list[Problem]:
    """Every equivalents/remplace_par/voir_aussi ref must name an existing sigle of its region.

    ``known`` are extra entries refs may point at (e.g. the shipped glossary for server entries).
    """
    entries = list(entries)
    targets = {(e.region, e.key) for e in (*entries, *known)}
    problems: list[Problem] = []
    for entry in entries:
        for name in REF_FIELDS:
            for ref in getattr(entry, name):
                parsed = parse_ref(ref)
                if parsed is None or parsed not in targets:
                    problems.append(
                        Problem(
                            entry.file or entry.sigle,
                            entry.line,
                            f"{entry.ref} : référence « {ref} » ({name}) introuvable",
                        )
                    )
                elif parsed == (entry.region, entry.key) and name != "voir_aussi":
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
    """Parse one TOML file of ``[[sigle]]`` tables; returns entries and problems."""
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
    extra_keys = sorted(set(data) - {"sigle"})
    if extra_keys:
        problems.append(Problem(where, 1, f"clé(s) de premier niveau inattendue(s) : {extra_keys}"))
    tables = data.get("sigle", [])
    if not isinstance(tables, list):
        return [], [*problems, Problem(where, 1, "« sigle » doit être un tableau [[sigle]]")]
    lines = _header_lines(raw)
    if len(lines) != len(tables):  # e.g. inline `sigle = [...]`: fall back to no line numbers
        lines = [0] * len(tables)
    entries: list[Entry] = []
    for table, line in zip(tables, lines, strict=True):
        entry, messages = entry_from_mapping(table, file=where, line=line)
        if entry is None:
            label_sigle = table.get("sigle", "?") if isinstance(table, Mapping) else "?"
            problems.extend(Problem(where, line, f"[{label_sigle}] {m}") for m in messages)
        else:
            entries.append(entry)
    return entries, problems


class Glossary:
    """An immutable set of entries with lookup by normalised sigle or alias."""

    __slots__ = ("_by_key", "_by_ref", "_entries")

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._entries: tuple[Entry, ...] = tuple(entries)
        by_key: dict[str, list[Entry]] = {}
        by_ref: dict[tuple[str, str], list[Entry]] = {}
        for entry in self._entries:
            keys = {entry.key, *(normalise(a) for a in entry.alias)}
            for key in keys:
                if key:
                    by_key.setdefault(key, []).append(entry)
            by_ref.setdefault((entry.region, entry.key), []).append(entry)
        self._by_key = by_key
        self._by_ref = by_ref

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def lookup(self, sigle: str, region: str | None = None) -> list[Entry]:
        """Every entry whose sigle or alias normalises like ``sigle`` (guild entries first)."""
        found = self._by_key.get(normalise(sigle), [])
        if region is not None:
            found = [e for e in found if e.region == region.upper()]
        return sorted(found, key=lambda e: (e.origin != "guild", REGIONS.index(e.region)))

    def resolve(self, ref: str) -> list[Entry]:
        """Entries named by a ``"REGION:SIGLE"`` ref (several if the sigle is ambiguous)."""
        parsed = parse_ref(ref)
        return list(self._by_ref.get(parsed, [])) if parsed else []

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


DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / "data" / "sigles"


def load_glossary(directory: Path = DEFAULT_DIRECTORY) -> Glossary:
    """Load and validate every ``*.toml`` file of ``directory``.

    Raises :class:`GlossaryError` listing every problem (file:line) if anything is wrong:
    missing/empty/over-long fields, unknown region or domain, non-https source, duplicates,
    unresolved cross-references.
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
    if problems:
        raise GlossaryError(problems)
    return Glossary(entries)
