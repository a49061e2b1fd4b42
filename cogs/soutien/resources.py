"""Crisis and help lines, read from ``data/ressources/lignes.toml`` and validated.

Pure: imports nothing from discord. Every ``[[ligne]]`` needs ``region``, ``nom``, ``numero``,
``pour``, ``horaires``, ``source`` (an https URL), ``verifie`` (bool) and ``verifie_note``.
A malformed entry raises ``LignesError`` naming the file line of its ``[[ligne]]`` header, so a
reviewer can find it at once. Lines that are not verified are kept: callers decide how to show
them (see ``Ligne.verifie`` and the README of the data folder).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final
from urllib.parse import urlsplit

from bot.regions import REGIONS

DEFAULT_PATH: Final = Path(__file__).resolve().parents[2] / "data" / "ressources" / "lignes.toml"
_TEXT_FIELDS: Final = ("region", "nom", "numero", "pour", "horaires", "source", "verifie_note")
_FIELDS: Final = frozenset((*_TEXT_FIELDS, "verifie"))
_HEADER = re.compile(r"^\s*\[\[\s*ligne\s*\]\]\s*(?:#.*)?$")
_DIALLED = re.compile(r"^\+?\d[\d \-]*\d$|^\d$")


class LignesError(ValueError):
    """The help-line file is malformed; the message names the file and the line."""


@dataclass(frozen=True, slots=True)
class Ligne:
    """One help line, as a member would dial it."""

    region: str
    nom: str
    numero: str
    pour: str
    horaires: str
    source: str
    verifie: bool
    verifie_note: str
    line: int  # line of its [[ligne]] header in the file, for messages and reviews


def _header_lines(text: str) -> list[int]:
    return [i for i, raw in enumerate(text.splitlines(), start=1) if _HEADER.match(raw)]


def _check(entry: Any, where: str) -> Ligne:
    if not isinstance(entry, dict):
        raise LignesError(f"{where}: an entry must be a table")
    missing = sorted(f for f in _FIELDS if f not in entry)
    if missing:
        raise LignesError(f"{where}: missing field(s) {', '.join(missing)}")
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise LignesError(f"{where}: unknown field(s) {', '.join(unknown)}")
    for field in _TEXT_FIELDS:
        value = entry[field]
        if not isinstance(value, str) or not value.strip():
            raise LignesError(f"{where}: {field} must be a non-empty string")
    if not isinstance(entry["verifie"], bool):
        raise LignesError(f"{where}: verifie must be true or false")
    if entry["region"] not in REGIONS:
        raise LignesError(
            f"{where}: unknown region {entry['region']!r} (known: {', '.join(REGIONS)})"
        )
    if not _DIALLED.match(entry["numero"]):
        raise LignesError(f"{where}: numero must be digits as dialled (spaces, dashes, +)")
    url = urlsplit(entry["source"])
    if url.scheme != "https" or not url.netloc or " " in entry["source"]:
        raise LignesError(f"{where}: source must be an https URL")
    return Ligne(line=int(where.rsplit(":", 1)[1]), **{f: entry[f] for f in _FIELDS})


def parse_lignes(text: str, *, origin: str = "lignes.toml") -> list[Ligne]:
    """Parse and validate the TOML text of a help-line file, in file order."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LignesError(f"{origin}: not valid TOML ({exc})") from exc
    unexpected = sorted(set(data) - {"ligne"})
    if unexpected:
        raise LignesError(f"{origin}: unexpected top-level key(s) {', '.join(unexpected)}")
    entries = data.get("ligne", [])
    if not isinstance(entries, list) or not entries:
        raise LignesError(f"{origin}: no [[ligne]] entry")
    headers = _header_lines(text)
    if len(headers) != len(entries):  # e.g. an inline array: fall back to entry numbers
        headers = list(range(1, len(entries) + 1))
    lignes: list[Ligne] = []
    seen: dict[tuple[str, str], int] = {}
    for entry, line in zip(entries, headers, strict=True):
        ligne = _check(entry, f"{origin}:{line}")
        key = (ligne.region, re.sub(r"\D", "", ligne.numero))
        if key in seen:
            raise LignesError(
                f"{origin}:{line}: {ligne.region} {ligne.numero} already listed at line {seen[key]}"
            )
        seen[key] = line
        lignes.append(ligne)
    return lignes


def load_lignes(path: Path = DEFAULT_PATH) -> list[Ligne]:
    """Read and validate the help-line file (default: the one shipped in ``data/ressources``)."""
    return parse_lignes(path.read_text(encoding="utf-8"), origin=path.name)


def by_region(lignes: list[Ligne]) -> MappingProxyType[str, tuple[Ligne, ...]]:
    """The lines grouped by region, in ``REGIONS`` order, each in file order."""
    return MappingProxyType(
        {region: tuple(x for x in lignes if x.region == region) for region in REGIONS}
    )


def load_by_region(path: Path = DEFAULT_PATH) -> MappingProxyType[str, tuple[Ligne, ...]]:
    """Read, validate and group the help-line file."""
    return by_region(load_lignes(path))
