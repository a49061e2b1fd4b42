"""The glossary's values: an entry, its counterparts on the other side, cross-references.

Pure data and parsing of references; the loader is :mod:`cogs.sigles.glossary`, the rules that
tie entries together (symmetry, past names) are :mod:`cogs.sigles.consistency`.
Imports nothing from discord.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
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

MAX_SIGLE = 30  # a few entries are names, not acronyms ("France enfance protégée")
MAX_DEVELOPPE = 200
MAX_EXPLICATION = 400
MAX_NOTE = 400
MAX_DIFFERENCE = 200
MAX_LIST_ITEMS = 20
# "QC:DP (Déficience physique)": a sigle, and its expansion when the sigle has several meanings.
MAX_REF = MAX_SIGLE + 3
MAX_REF_WITH_SENS = MAX_REF + MAX_DEVELOPPE + 3

_REF_RE = re.compile(
    r"^\s*(?P<region>[A-Za-z]{2})\s*:\s*(?P<sigle>[^()]+?)\s*(?:\((?P<sens>.+)\))?\s*$"
)


class Relation(StrEnum):
    """How close a counterpart on the other side is."""

    EQUIVALENT = "equivalent"  # same role, same public: one can be named for the other
    PROCHE = "proche"  # a close counterpart, with a difference worth one line


RELATION_SPELLINGS: dict[str, Relation] = {
    "equivalent": Relation.EQUIVALENT,
    "équivalent": Relation.EQUIVALENT,
    "proche": Relation.PROCHE,
}


def normalise(text: str) -> str:
    """Key used for every comparison: no case, accents, dots, hyphens, spaces or punctuation.

    ``"C.L.S.C."`` → ``"clsc"``, ``"Pôle emploi"`` → ``"poleemploi"``.
    """
    return compact(text)


@dataclass(frozen=True, slots=True)
class Ref:
    """A parsed cross-reference: region, normalised sigle and, if given, normalised expansion."""

    region: str
    key: str
    sens: str = ""

    @property
    def target(self) -> tuple[str, str]:
        return (self.region, self.key)


def parse_ref_full(ref: str) -> Ref | None:
    """``"QC:DP (Déficience physique)"`` → ``Ref("QC", "dp", "deficiencephysique")``.

    The expansion in parentheses is optional; it tells meanings of one sigle apart.
    ``None`` if malformed (no region, unknown region, no sigle).
    """
    match = _REF_RE.match(ref)
    if match is None:
        return None
    region = match["region"].upper()
    key = normalise(match["sigle"])
    if region not in REGIONS or not key:
        return None
    return Ref(region, key, normalise(match["sens"] or ""))


def parse_ref(ref: str) -> tuple[str, str] | None:
    """``"QC:DPJ"`` → ``("QC", "dpj")`` (normalised sigle), or ``None`` if malformed."""
    parsed = parse_ref_full(ref)
    return parsed.target if parsed else None


@dataclass(frozen=True, slots=True)
class Equivalent:
    """A counterpart on the other side, and how close it is.

    Shipped entries always give the relation (and, for « proche », the difference); a server's
    own entry may name a counterpart without saying how close it is (``relation is None``).
    """

    ref: str
    relation: Relation | None = None
    difference: str = ""

    def to_data(self) -> str | dict[str, str]:
        """The TOML/JSON form: the bare ref when nothing else is known, else a table."""
        if self.relation is None and not self.difference:
            return self.ref
        data = {"ref": self.ref}
        if self.relation is not None:
            data["relation"] = str(self.relation)
        if self.difference:
            data["difference"] = self.difference
        return data


def ref_text(item: Any) -> str:
    """The ref of a list item as typed: ``"QC:DPJ"`` or ``{"ref": "QC:DPJ", …}``."""
    if isinstance(item, Equivalent):
        return item.ref
    if isinstance(item, dict):
        value = item.get("ref", "")
        return value if isinstance(value, str) else ""
    return item if isinstance(item, str) else ""


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
    equivalents: tuple[Equivalent, ...] = ()
    equivalence_note: str = ""
    historique: bool = False
    remplace_par: tuple[str, ...] = ()
    remplace: tuple[str, ...] = ()
    voir_aussi: tuple[str, ...] = ()
    verifie_le: date | None = None
    origin: str = "shipped"
    guild_id: int | None = None
    # Where the entry was read from, for error messages; not part of its identity.
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        # A bare "QC:DPJ" is a counterpart whose relation is not given (a server's entry).
        if any(not isinstance(e, Equivalent) for e in self.equivalents):
            items = tuple(
                e if isinstance(e, Equivalent) else Equivalent(e) for e in self.equivalents
            )
            object.__setattr__(self, "equivalents", items)

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

    def refs(self, name: str) -> tuple[str, ...]:
        """The refs of one reference field (``equivalents``, ``remplace_par`` …) as text."""
        return tuple(ref_text(item) for item in getattr(self, name))

    def matches(self, ref: Ref) -> bool:
        """Whether ``ref`` names this entry (its expansion, if the ref gives one, included)."""
        return ref.target == (self.region, self.key) and (
            not ref.sens or ref.sens == normalise(self.developpe)
        )


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
