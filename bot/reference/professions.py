"""The professions of the social field in France, Québec, Belgium and Switzerland, and how they
correspond across the Atlantic (« équivalent »: the diploma opens the other title; « proche »:
mostly the same work, without automatic recognition).

The table is `data/reference/professions.toml` (reviewable, with sources and the date each
correspondence was checked). Names carry both languages in the data file, next to their source,
so that a reviewer checks them together. Pure: no discord.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.reference.places import country_name
from bot.regions import REGIONS, Side, side_of
from bot.text import compact, fold

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "reference" / "professions.toml"

ANY_COUNTRY = "*"  # a profession found on both sides (student, manager, generic worker)
NAME_MAX = 80  # leaves room for « (Québec) » in a 100-character choice
DIFFERENCE_MAX = 300
PAIR = 2
SEARCH_LIMIT = 25
FUZZY_MIN_LENGTH = 3  # typos are forgiven from three letters on
FUZZY_CUTOFF = 80.0

_CODE = re.compile(r"^[a-z]{2,12}(?:-[a-z]{2,8})?$")
_HTTPS = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:[/?#]\S*)?$")


class Relation(StrEnum):
    EQUIVALENT = "equivalent"
    PROCHE = "proche"


@dataclass(frozen=True, slots=True)
class Profession:
    code: str
    country: str  # a Region, or ANY_COUNTRY
    name: str
    name_en: str
    acronyms: tuple[str, ...] = ()
    regulated: bool = False
    source: str = ""

    @property
    def side(self) -> Side | None:
        return None if self.country == ANY_COUNTRY else side_of(self.country)

    def name_in(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name


@dataclass(frozen=True, slots=True)
class Correspondence:
    a: str
    b: str
    relation: Relation
    difference: str
    difference_en: str
    source: str
    checked_on: str = ""  # "" : not re-read on the source

    def other(self, code: str) -> str:
        return self.b if code == self.a else self.a

    def difference_in(self, lang: str) -> str:
        return self.difference_en if lang == "en" else self.difference

    @property
    def verified(self) -> bool:
        return bool(self.checked_on)


@dataclass
class Professions:
    """The loaded table: look-ups, correspondences both ways, and search."""

    items: tuple[Profession, ...]
    correspondences: tuple[Correspondence, ...]
    _by_code: dict[str, Profession] = field(init=False, repr=False)
    _links: dict[str, list[Correspondence]] = field(init=False, repr=False)
    _keys: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_code = {p.code: p for p in self.items}
        self._links = {}
        for link in self.correspondences:
            self._links.setdefault(link.a, []).append(link)
            self._links.setdefault(link.b, []).append(link)
        self._keys = {p.code: fold(" ".join((p.name, p.name_en, *p.acronyms))) for p in self.items}

    def __iter__(self) -> Iterator[Profession]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def get(self, code: str | None) -> Profession | None:
        return None if not code else self._by_code.get(code)

    def links(self, code: str) -> list[Correspondence]:
        """The correspondences of `code`, équivalent first, in the table's order."""
        found = self._links.get(code, [])
        return sorted(found, key=lambda c: c.relation != Relation.EQUIVALENT)

    def related(self, code: str) -> dict[str, Relation]:
        """Other professions that correspond to `code`, with how closely."""
        return {link.other(code): link.relation for link in self.links(code)}

    def family(self, code: str) -> tuple[set[str], set[str]]:
        """(équivalents, proches) of `code`, without `code` itself."""
        related = self.related(code)
        return (
            {c for c, r in related.items() if r == Relation.EQUIVALENT},
            {c for c, r in related.items() if r == Relation.PROCHE},
        )

    def search(
        self, text: str, *, country: str | None = None, limit: int = SEARCH_LIMIT
    ) -> list[Profession]:
        """Professions for what a member typed: a word of the name in either language, an
        acronym (« DEASS », « t.s. »), or a typo. `country` keeps that country's and the ones of
        both sides. Best first; ties keep the table's order."""
        pool = [p for p in self.items if country is None or p.country in (country, ANY_COUNTRY)]
        query = fold(text)
        if not query:
            return pool[:limit]
        squeezed = compact(text)
        ranked: dict[str, int] = {}
        for p in pool:
            key = self._keys[p.code]
            words = re.split(r"[\s'’\-(),]+", key)
            if squeezed and any(compact(a) == squeezed for a in p.acronyms):
                ranked[p.code] = 0
            elif key.startswith(query):
                ranked[p.code] = 1
            elif any(w.startswith(query) for w in words):
                ranked[p.code] = 2
            elif query in key:
                ranked[p.code] = 3
        if not ranked and len(query) >= FUZZY_MIN_LENGTH:
            rest = {p.code: self._keys[p.code] for p in pool if p.code not in ranked}
            for _key, _score, code in process.extract(
                query, rest, scorer=fuzz.partial_ratio, limit=limit, score_cutoff=FUZZY_CUTOFF
            ):
                ranked[code] = 4
        order = {p.code: i for i, p in enumerate(self.items)}
        best = sorted(ranked, key=lambda c: (ranked[c], order[c]))
        return [self._by_code[c] for c in best[:limit]]


def label(profession: Profession, lang: str) -> str:
    """« Travailleuse sociale ou travailleur social · Québec »: the name and where it is used."""
    name = profession.name_in(lang)
    if profession.country == ANY_COUNTRY:
        return name
    return f"{name} · {country_name(profession.country, lang)}"


# -- loading and checking --------------------------------------------------------------------------
class ProfessionsError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse(data: dict[str, Any]) -> tuple[Professions, list[str]]:
    problems: list[str] = []
    items: list[Profession] = []
    for index, raw in enumerate(data.get("profession", []), start=1):
        where = f"professions [[profession]] n° {index}"
        code = str(raw.get("code", ""))
        if not _CODE.match(code):
            problems.append(f"{where} : code « {code} » mal formé")
        country = str(raw.get("pays", ""))
        if country != ANY_COUNTRY and country not in REGIONS:
            problems.append(f"{where} ({code}) : pays « {country} » inconnu")
        name, name_en = str(raw.get("nom", "")), str(raw.get("nom_en", ""))
        for label_name, value in (("nom", name), ("nom_en", name_en)):
            if not value or len(value) > NAME_MAX:
                problems.append(
                    f"{where} ({code}) : {label_name} absent ou > {NAME_MAX} caractères"
                )
        if "·" in name:
            problems.append(f"{where} ({code}) : pas de point médian, une forme double")
        source = str(raw.get("source", ""))
        if not _HTTPS.match(source):
            problems.append(f"{where} ({code}) : source absente ou pas en https")
        items.append(
            Profession(
                code=code,
                country=country,
                name=name,
                name_en=name_en,
                acronyms=tuple(raw.get("sigles", ())),
                regulated=bool(raw.get("reglementee", False)),
                source=source,
            )
        )
    codes = [p.code for p in items]
    problems += [
        f"professions : code {c} en double" for c in sorted(set(codes)) if codes.count(c) > 1
    ]
    known = set(codes)
    links: list[Correspondence] = []
    pairs: set[frozenset[str]] = set()
    for index, raw in enumerate(data.get("correspondance", []), start=1):
        pair = list(raw.get("entre", []))
        where = f"professions [[correspondance]] n° {index} {pair}"
        if len(pair) != PAIR or pair[0] == pair[1]:
            problems.append(f"{where} : il faut deux codes différents")
            continue
        problems += [f"{where} : code {c} inconnu" for c in pair if c not in known]
        if frozenset(pair) in pairs:
            problems.append(f"{where} : correspondance en double")
        pairs.add(frozenset(pair))
        relation = str(raw.get("relation", ""))
        if relation not in set(Relation):
            problems.append(f"{where} : relation « {relation} » inconnue")
            continue
        difference, difference_en = (
            str(raw.get("difference", "")),
            str(raw.get("difference_en", "")),
        )
        for key, value in (("difference", difference), ("difference_en", difference_en)):
            if not value or len(value) > DIFFERENCE_MAX:
                problems.append(f"{where} : {key} absente ou > {DIFFERENCE_MAX} caractères")
        source = str(raw.get("source", ""))
        if not _HTTPS.match(source):
            problems.append(f"{where} : source absente ou pas en https")
        checked = str(raw.get("verifie_le", ""))
        if checked:
            try:
                date.fromisoformat(checked)
            except ValueError:
                problems.append(f"{where} : verifie_le « {checked} » n'est pas AAAA-MM-JJ")
        links.append(
            Correspondence(
                pair[0], pair[1], Relation(relation), difference, difference_en, source, checked
            )
        )
    return Professions(tuple(items), tuple(links)), problems


def read(path: Path = DATA_FILE) -> tuple[Professions, list[str]]:
    with path.open("rb") as fh:
        return parse(tomllib.load(fh))


@cache
def professions() -> Professions:
    """The shipped table (loaded once); raises `ProfessionsError` if it is not sound."""
    table, problems = read()
    if problems:
        raise ProfessionsError(problems)
    return table


def get(code: str | None) -> Profession | None:
    return professions().get(code)
