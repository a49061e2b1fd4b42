"""Crisis and help lines, read from ``data/ressources/lignes.toml`` and validated.

Pure: imports nothing from discord. Every ``[[ligne]]`` needs ``region``, ``nom``, ``numero``,
``categorie``, ``public``, ``pour``, ``horaires``, ``source`` (an https URL), ``verifie`` (bool),
``verifie_le`` (``"AAAA-MM-JJ"``) and ``verifie_note``; it may have ``urgence = true`` (a national
emergency number, shown first) and ``[[ligne.autres]]`` second contacts (``type`` among
``sms texto chat web tel``, ``valeur``, optional ``horaires`` and ``verifie``).

Every problem of a malformed file is reported at once, each naming the file line of its
``[[ligne]]`` header, so a reviewer can find it at once (``LignesError.problems``). Lines that are
not verified are kept: callers decide how to show them (see ``Ligne.verifie`` and the README of the
data folder). ``audit`` adds the checks that depend on the day (``python -m bot ressources check``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final
from urllib.parse import urlsplit

from bot.regions import REGIONS

DEFAULT_PATH: Final = Path(__file__).resolve().parents[2] / "data" / "ressources" / "lignes.toml"
RECHECK_AFTER: Final = timedelta(days=365)  # README: re-check every line at least once a year
UNVERIFIED_NOTE_PREFIX: Final = "Non vérifié ici"


class Categorie(StrEnum):
    """What a line is about; the display order of ``/ressources`` is this order."""

    URGENCE = "urgence"
    SUICIDE = "suicide"
    SANTE_MENTALE = "sante-mentale"
    VIOLENCES = "violences"
    VICTIMES = "victimes"
    ENFANCE_JEUNESSE = "enfance-jeunesse"
    AINES = "aines"
    DEPENDANCES = "dependances"
    SOCIAL = "social"
    AUTOCHTONES = "autochtones"
    LGBTQ = "lgbtq"


class Moyen(StrEnum):
    """How a second contact is reached."""

    SMS = "sms"
    TEXTO = "texto"  # Québec usage for SMS
    CHAT = "chat"
    WEB = "web"
    TEL = "tel"


DIALLED: Final = frozenset({Moyen.SMS, Moyen.TEXTO, Moyen.TEL})  # valeur is a number
_TEXT_FIELDS: Final = (
    "region",
    "nom",
    "numero",
    "categorie",
    "public",
    "pour",
    "horaires",
    "source",
    "verifie_note",
)
_REQUIRED: Final = frozenset((*_TEXT_FIELDS, "verifie", "verifie_le"))
_OPTIONAL: Final = frozenset(("urgence", "autres"))
_AUTRE_REQUIRED: Final = frozenset(("type", "valeur"))
_AUTRE_FIELDS: Final = frozenset((*_AUTRE_REQUIRED, "horaires", "verifie"))
_HEADER = re.compile(r"^\s*\[\[\s*ligne\s*\]\]\s*(?:#.*)?$")
_DIALLED = re.compile(r"^\+?\d[\d \-]*\d$|^\d$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class LignesError(ValueError):
    """The help-line file is malformed; each problem names the file and the line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Autre:
    """A second way to reach the same service (a text number, a chat page…)."""

    type: Moyen
    valeur: str
    horaires: str  # "" when the same as the line's
    verifie: bool


@dataclass(frozen=True, slots=True)
class Ligne:
    """One help line, as a member would dial it."""

    region: str
    nom: str
    numero: str
    categorie: Categorie
    public: str
    pour: str
    horaires: str
    source: str
    verifie: bool
    verifie_le: date
    verifie_note: str
    urgence: bool
    autres: tuple[Autre, ...]
    line: int  # line of its [[ligne]] header in the file, for messages and reviews

    def dialled(self) -> set[str]:
        """Digits of every number of this line (main and second), to find duplicates."""
        numbers = {self.numero} | {a.valeur for a in self.autres if a.type in DIALLED}
        return {re.sub(r"\D", "", n) for n in numbers}


def _p(where: str, fr: str, en: str) -> str:
    """A problem, in French then English (the check prints them to maintainers)."""
    return f"{where}: {fr} / {en}"


def _is_https(url: Any) -> bool:
    if not isinstance(url, str) or " " in url:
        return False
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.netloc)


def _day(value: Any) -> date | None:
    if isinstance(value, date):  # a TOML date literal
        return value
    if isinstance(value, str) and _ISO_DAY.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _autres(raw: Any, where: str, verifie: bool, problems: list[str]) -> tuple[Autre, ...]:
    if not isinstance(raw, list):
        problems.append(_p(where, "autres doit être une liste", "autres must be a list"))
        return ()
    out: list[Autre] = []
    for index, item in enumerate(raw, start=1):
        at = f"{where} (autres #{index})"
        if not isinstance(item, dict):
            problems.append(_p(at, "doit être une table", "must be a table"))
            continue
        missing = sorted(_AUTRE_REQUIRED - set(item))
        unknown = sorted(set(item) - _AUTRE_FIELDS)
        if missing:
            problems.append(
                _p(at, f"manque : {', '.join(missing)}", f"missing: {', '.join(missing)}")
            )
        if unknown:
            problems.append(
                _p(at, f"champ inconnu : {', '.join(unknown)}", f"unknown: {', '.join(unknown)}")
            )
        if missing or unknown:
            continue
        kinds = " ".join(m.value for m in Moyen)
        if item["type"] not in set(Moyen):
            problems.append(
                _p(at, f"type inconnu {item['type']!r} ({kinds})", f"unknown type ({kinds})")
            )
            continue
        kind = Moyen(item["type"])
        valeur, horaires = item["valeur"], item.get("horaires", "")
        if not isinstance(horaires, str):
            problems.append(_p(at, "horaires doit être un texte", "horaires must be a string"))
            continue
        if kind in DIALLED:
            if not isinstance(valeur, str) or not _DIALLED.match(valeur):
                problems.append(
                    _p(at, "valeur : un numéro tel qu'on le compose", "valeur must be digits")
                )
                continue
        elif not _is_https(valeur):
            problems.append(_p(at, "valeur : une adresse https", "valeur must be an https URL"))
            continue
        own = item.get("verifie", verifie)
        if not isinstance(own, bool):
            problems.append(_p(at, "verifie : true ou false", "verifie must be true or false"))
            continue
        out.append(Autre(kind, valeur, horaires.strip(), own))
    return tuple(out)


def _check(entry: Any, where: str, line: int, problems: list[str]) -> Ligne | None:
    """Validate one entry; append its problems; the Ligne when it has none."""
    before = len(problems)
    if not isinstance(entry, dict):
        problems.append(_p(where, "une entrée doit être une table", "an entry must be a table"))
        return None
    missing = sorted(_REQUIRED - set(entry))
    if missing:
        problems.append(
            _p(where, f"manque : {', '.join(missing)}", f"missing: {', '.join(missing)}")
        )
    unknown = sorted(set(entry) - _REQUIRED - _OPTIONAL)
    if unknown:
        problems.append(
            _p(where, f"champ inconnu : {', '.join(unknown)}", f"unknown: {', '.join(unknown)}")
        )
    for field in _TEXT_FIELDS:
        value = entry.get(field)
        if field in entry and (not isinstance(value, str) or not value.strip()):
            problems.append(
                _p(where, f"{field} : un texte non vide", f"{field} must be a non-empty string")
            )
    if "verifie" in entry and not isinstance(entry["verifie"], bool):
        problems.append(_p(where, "verifie : true ou false", "verifie must be true or false"))
    urgence = entry.get("urgence", False)
    if not isinstance(urgence, bool):
        problems.append(_p(where, "urgence : true ou false", "urgence must be true or false"))
    region = entry.get("region")
    if isinstance(region, str) and region not in REGIONS:
        problems.append(
            _p(
                where,
                f"région inconnue {region!r} ({', '.join(REGIONS)})",
                f"unknown region {region!r} (known: {', '.join(REGIONS)})",
            )
        )
    categorie = entry.get("categorie")
    known = ", ".join(c.value for c in Categorie)
    if isinstance(categorie, str) and categorie not in set(Categorie):
        problems.append(
            _p(
                where,
                f"catégorie inconnue {categorie!r} ({known})",
                f"unknown categorie {categorie!r} (known: {known})",
            )
        )
    elif (
        isinstance(categorie, str)
        and isinstance(urgence, bool)
        and urgence != (categorie == Categorie.URGENCE)
    ):
        problems.append(
            _p(
                where,
                'urgence = true va avec categorie = "urgence", et seulement avec elle',
                'urgence = true goes with categorie = "urgence", and only with it',
            )
        )
    numero = entry.get("numero")
    if isinstance(numero, str) and numero.strip() and not _DIALLED.match(numero):
        problems.append(
            _p(
                where,
                "numero : tel qu'on le compose (chiffres, espaces, tirets, +)",
                "numero must be digits as dialled (spaces, dashes, +)",
            )
        )
    if "source" in entry and not _is_https(entry["source"]):
        problems.append(_p(where, "source : une adresse https", "source must be an https URL"))
    checked_on = _day(entry.get("verifie_le"))
    if "verifie_le" in entry and checked_on is None:
        problems.append(
            _p(where, 'verifie_le : une date "AAAA-MM-JJ"', 'verifie_le must be "YYYY-MM-DD"')
        )
    verifie = entry.get("verifie") is True
    autres = _autres(entry.get("autres", []), where, verifie, problems)
    if len(problems) > before or checked_on is None:
        return None
    return Ligne(
        region=entry["region"],
        nom=entry["nom"].strip(),
        numero=entry["numero"].strip(),
        categorie=Categorie(entry["categorie"]),
        public=entry["public"].strip(),
        pour=entry["pour"].strip(),
        horaires=entry["horaires"].strip(),
        source=entry["source"],
        verifie=verifie,
        verifie_le=checked_on,
        verifie_note=entry["verifie_note"].strip(),
        urgence=urgence,
        autres=autres,
        line=line,
    )


def _header_lines(text: str) -> list[int]:
    return [i for i, raw in enumerate(text.splitlines(), start=1) if _HEADER.match(raw)]


def _duplicates(lignes: Iterable[Ligne], origin: str) -> list[str]:
    problems: list[str] = []
    seen: dict[tuple[str, str], Ligne] = {}
    for ligne in lignes:
        for digits in sorted(ligne.dialled()):
            first = seen.setdefault((ligne.region, digits), ligne)
            if first is not ligne:
                problems.append(
                    _p(
                        f"{origin}:{ligne.line}",
                        f"{ligne.region} {digits} déjà donné à la ligne {first.line}",
                        f"{ligne.region} {digits} already listed at line {first.line}",
                    )
                )
    return problems


def parse_lignes(text: str, *, origin: str = "lignes.toml") -> list[Ligne]:
    """Parse and validate the TOML text of a help-line file, in file order."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LignesError([_p(origin, f"TOML invalide ({exc})", "not valid TOML")]) from exc
    unexpected = sorted(set(data) - {"ligne"})
    if unexpected:
        raise LignesError(
            [_p(origin, f"clé inattendue : {', '.join(unexpected)}", "unexpected top-level key")]
        )
    entries = data.get("ligne", [])
    if not isinstance(entries, list) or not entries:
        raise LignesError([_p(origin, "aucune entrée [[ligne]]", "no [[ligne]] entry")])
    headers = _header_lines(text)
    if len(headers) != len(entries):  # e.g. an inline array: fall back to entry numbers
        headers = list(range(1, len(entries) + 1))
    problems: list[str] = []
    lignes = [
        ligne
        for entry, line in zip(entries, headers, strict=True)
        if (ligne := _check(entry, f"{origin}:{line}", line, problems)) is not None
    ]
    problems += _duplicates(lignes, origin)
    if problems:
        raise LignesError(problems)
    return lignes


def load_lignes(path: Path = DEFAULT_PATH) -> list[Ligne]:
    """Read and validate the help-line file (default: the one shipped in ``data/ressources``)."""
    return parse_lignes(path.read_text(encoding="utf-8"), origin=path.name)


def by_region(lignes: Iterable[Ligne]) -> MappingProxyType[str, tuple[Ligne, ...]]:
    """The lines grouped by region, in ``REGIONS`` order, each in file order."""
    lignes = list(lignes)
    return MappingProxyType(
        {region: tuple(x for x in lignes if x.region == region) for region in REGIONS}
    )


def load_by_region(path: Path = DEFAULT_PATH) -> MappingProxyType[str, tuple[Ligne, ...]]:
    """Read, validate and group the help-line file."""
    return by_region(load_lignes(path))


def in_display_order(lignes: Iterable[Ligne]) -> list[Ligne]:
    """Emergency numbers first, then by category (``Categorie`` order), each in file order."""
    rank = {c: i for i, c in enumerate(Categorie)}
    return sorted(lignes, key=lambda x: (not x.urgence, rank[x.categorie]))


@dataclass(frozen=True, slots=True)
class Audit:
    """What ``ressources check`` reports beyond the file's form."""

    problems: list[str]  # the check fails on these
    warnings: list[str]  # said, but the check passes


def audit(lignes: list[Ligne], today: date, *, origin: str = "lignes.toml") -> Audit:
    """Checks that depend on the day and on the whole file.

    Problems: a check date in the future; an unverified line whose note does not say
    « Non vérifié ici »; a region without a verified emergency line. Warnings: a line checked more
    than ``RECHECK_AFTER`` ago (the README asks for a yearly re-check).
    """
    problems: list[str] = []
    warnings: list[str] = []
    for ligne in lignes:
        where = f"{origin}:{ligne.line}"
        if ligne.verifie_le > today:
            problems.append(
                _p(
                    where,
                    f"verifie_le {ligne.verifie_le} est dans le futur",
                    f"verifie_le {ligne.verifie_le} is in the future",
                )
            )
        elif today - ligne.verifie_le > RECHECK_AFTER:
            warnings.append(
                _p(
                    where,
                    f"vérifiée le {ligne.verifie_le}, à revérifier",
                    f"checked on {ligne.verifie_le}, due for a re-check",
                )
            )
        if not ligne.verifie and not ligne.verifie_note.startswith(UNVERIFIED_NOTE_PREFIX):
            problems.append(
                _p(
                    where,
                    f"ligne non vérifiée : la note doit commencer par « {UNVERIFIED_NOTE_PREFIX} »",
                    f"unverified line: its note must start with « {UNVERIFIED_NOTE_PREFIX} »",
                )
            )
    grouped = by_region(lignes)
    for region in REGIONS:
        if not any(x.urgence and x.verifie for x in grouped[region]):
            problems.append(
                _p(
                    f"{origin}: {region}",
                    "aucun numéro d'urgence vérifié (urgence = true, verifie = true)",
                    "no verified emergency number (urgence = true, verifie = true)",
                )
            )
    return Audit(problems, warnings)
