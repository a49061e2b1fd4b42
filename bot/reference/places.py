"""Places members live in or move to: French départements, Québec's administrative regions,
Belgian provinces, Swiss cantons — each with its country (`bot.regions.Region`) and time zone.

The table is `data/reference/lieux.toml` (reviewable, with sources). Pure: no discord, no I/O
after the first load. `search` serves autocompletes (codes and names, accents and case folded).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapidfuzz import fuzz, process

from bot.i18n import t
from bot.regions import REGIONS, Region, Side, side_of
from bot.text import fold

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "reference" / "lieux.toml"

# How many places each country has; the check refuses a table that lost or gained one.
EXPECTED_COUNTS: dict[str, int] = {Region.FR: 101, Region.QC: 17, Region.BE: 11, Region.CH: 26}
SEARCH_LIMIT = 25
FUZZY_MIN_LENGTH = 3  # typos are forgiven from three letters on  # Discord's autocomplete maximum
FUZZY_CUTOFF = 75.0
NAME_MAX = 60

_LOCAL_CODE = re.compile(r"^[0-9A-Z]{2,3}$")
_HTTPS = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:[/?#]\S*)?$")


class PlaceKind(StrEnum):
    DEPARTEMENT = "departement"
    REGION_ADMINISTRATIVE = "region_administrative"
    PROVINCE = "province"
    CANTON = "canton"


@dataclass(frozen=True, slots=True)
class Place:
    code: str  # "FR-75", "QC-06", "BE-WLG", "CH-VD"
    country: Region
    local: str  # "75", "06", "WLG", "VD"
    name: str
    zone: str
    kind: PlaceKind

    @property
    def side(self) -> Side:
        return side_of(self.country)

    @property
    def label(self) -> str:
        """« Paris (75) », « Montréal (06) »: proper names, the same in every language."""
        return f"{self.name} ({self.local})"

    def choice_label(self, lang: str) -> str:
        """« Paris (75) · France », for an autocomplete choice."""
        return f"{self.label} · {country_name(self.country, lang)}"


@dataclass(frozen=True, slots=True)
class CountryInfo:
    region: Region
    kind: PlaceKind
    zone: str
    source: str
    checked_on: str  # "AAAA-MM-JJ", or "" when not re-read on the source
    note: str


class Places:
    """The loaded table: look-ups by code, per country, and search."""

    def __init__(self, countries: Iterable[CountryInfo], places: Iterable[Place]) -> None:
        self.countries = {c.region: c for c in countries}
        self._all = tuple(places)
        self._by_code = {p.code: p for p in self._all}
        self._folded = {p.code: fold(p.name) for p in self._all}

    def __iter__(self) -> Iterator[Place]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def get(self, code: str | None) -> Place | None:
        return None if not code else self._by_code.get(code.upper())

    def of_country(self, country: str) -> list[Place]:
        return [p for p in self._all if p.country == country]

    def search(
        self, text: str, *, country: str | None = None, limit: int = SEARCH_LIMIT
    ) -> list[Place]:
        """Places for what a member typed: a code (« 75 », « 2a », « FR-75 », « vd »), the start of
        a name or of one of its words (« bouches », « saint »), or a name with a typo (« montral »).
        Best first; ties keep the table's order."""
        pool = [p for p in self._all if country is None or p.country == country]
        query = fold(text)
        if not query:
            return pool[:limit]
        code_query = query.replace(" ", "").upper()
        ranked: dict[str, int] = {}

        def add(place: Place, tier: int) -> None:
            if place.code not in ranked or tier < ranked[place.code]:
                ranked[place.code] = tier

        for place in pool:
            name = self._folded[place.code]
            if code_query in (place.local, place.code, place.code.replace("-", "")):
                add(place, 0)
            elif name == query:
                add(place, 1)
            elif name.startswith(query):
                add(place, 2)
            elif any(word.startswith(query) for word in re.split(r"[\s'’\-–]+", name)):
                add(place, 3)
            elif place.local.startswith(code_query):
                add(place, 4)
            elif query in name:
                add(place, 5)
        if not ranked and len(query) >= FUZZY_MIN_LENGTH:
            names = {p.code: self._folded[p.code] for p in pool if p.code not in ranked}
            for _name, _score, code in process.extract(
                query, names, scorer=fuzz.ratio, limit=limit, score_cutoff=FUZZY_CUTOFF
            ):
                add(self._by_code[code], 6)
        order = {p.code: i for i, p in enumerate(self._all)}
        best = sorted(ranked, key=lambda code: (ranked[code], order[code]))
        return [self._by_code[code] for code in best[:limit]]


def country_name(country: str, lang: str) -> str:
    return t(f"reference.country.{country}", lang)


def kind_name(kind: str, lang: str) -> str:
    return t(f"reference.place_kind.{kind}", lang)


# -- loading and checking --------------------------------------------------------------------------
class PlacesError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse(data: dict[str, Any]) -> tuple[Places, list[str]]:
    """The table and the problems found in it (an empty list: the table is sound)."""
    problems: list[str] = []
    countries: list[CountryInfo] = []
    places: list[Place] = []
    raw_countries = data.get("pays")
    if not isinstance(raw_countries, dict):
        return Places([], []), ["lieux : table [pays] absente"]
    for key, raw in raw_countries.items():
        where = f"lieux [pays.{key}]"
        if key not in REGIONS:
            problems.append(f"{where} : pays inconnu (attendu : {', '.join(REGIONS)})")
            continue
        region = Region(key)
        kind_text = str(raw.get("type", ""))
        if kind_text not in set(PlaceKind):
            problems.append(f"{where} : type « {kind_text} » inconnu")
            continue
        zone = str(raw.get("fuseau", ""))
        problems += _zone_problems(where, zone)
        source = str(raw.get("source", ""))
        if not _HTTPS.match(source):
            problems.append(f"{where} : source absente ou pas en https")
        checked = str(raw.get("verifie_le", ""))
        problems += _date_problems(where, checked)
        countries.append(
            CountryInfo(
                region, PlaceKind(kind_text), zone, source, checked, str(raw.get("note", ""))
            )
        )
        for local, value in (raw.get("lieux") or {}).items():
            spot = f"{where} {local}"
            name, own_zone = (
                (value, zone)
                if isinstance(value, str)
                else (value.get("nom", ""), value.get("fuseau", zone))
            )
            if not _LOCAL_CODE.match(local):
                problems.append(f"{spot} : code mal formé")
            if not name or len(name) > NAME_MAX:
                problems.append(f"{spot} : nom absent ou plus long que {NAME_MAX} caractères")
            if own_zone != zone:
                problems += _zone_problems(spot, own_zone)
            places.append(
                Place(f"{region}-{local}", region, local, name, own_zone, PlaceKind(kind_text))
            )
    for region, expected in EXPECTED_COUNTS.items():
        found = sum(1 for p in places if p.country == region)
        if found != expected:
            problems.append(f"lieux {region} : {found} lieux, {expected} attendus")
    seen: set[str] = set()
    for place in places:
        if place.code in seen:
            problems.append(f"lieux : code {place.code} en double")
        seen.add(place.code)
    return Places(countries, places), problems


def _zone_problems(where: str, zone: str) -> list[str]:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return [f"{where} : fuseau « {zone} » inconnu"]
    return []


def _date_problems(where: str, text: str) -> list[str]:
    if not text:
        return []
    try:
        date.fromisoformat(text)
    except ValueError:
        return [f"{where} : verifie_le « {text} » n'est pas une date AAAA-MM-JJ"]
    return []


def read(path: Path = DATA_FILE) -> tuple[Places, list[str]]:
    with path.open("rb") as fh:
        return parse(tomllib.load(fh))


@cache
def places() -> Places:
    """The shipped table (loaded once); raises `PlacesError` if it is not sound."""
    table, problems = read()
    if problems:
        raise PlacesError(problems)
    return table


def get(code: str | None) -> Place | None:
    return places().get(code)


def search(text: str, *, country: str | None = None, limit: int = SEARCH_LIMIT) -> list[Place]:
    return places().search(text, country=country, limit=limit)
