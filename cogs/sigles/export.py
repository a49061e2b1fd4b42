"""CSV and JSON export/import of glossary entries (moderators' import goes through here).

Parsers validate every row and return ``(entries, errors)``; errors carry the row number
(CSV: the line of the file, header = 1; JSON: the 1-based position in the list). Whether one
bad row rejects the whole import is the caller's decision. Imports nothing from discord.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .glossary import Entry, Problem, check_duplicates, check_refs, entry_from_mapping

CSV_HEADER: tuple[str, ...] = (
    "sigle",
    "region",
    "developpe",
    "explication",
    "domaine",
    "alias",
    "equivalents",
    "historique",
    "source",
)
LIST_SEPARATOR = "; "
MAX_IMPORT_ROWS = 5000
JSON_FIELDS: tuple[str, ...] = (
    "sigle",
    "region",
    "developpe",
    "explication",
    "domaine",
    "alias",
    "equivalents",
    "equivalence_note",
    "historique",
    "remplace_par",
    "voir_aussi",
    "source",
)


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in an imported row."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"ligne {self.row} : {self.message}"


def _csv_safe(value: str) -> str:
    """Defuse spreadsheet formulas in exported text ("=…", "+…", "-…", "@…")."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def to_csv(entries: Iterable[Entry]) -> str:
    """Entries as CSV with header ``sigle,region,developpe,…,source``; lists joined by "; "."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for e in entries:
        writer.writerow(
            [
                _csv_safe(e.sigle),
                e.region,
                _csv_safe(e.developpe),
                _csv_safe(e.explication),
                e.domaine,
                LIST_SEPARATOR.join(e.alias),
                LIST_SEPARATOR.join(e.equivalents),
                "true" if e.historique else "false",
                e.source,
            ]
        )
    return buffer.getvalue()


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """All the reviewable fields of an entry (lists as lists)."""
    out: dict[str, Any] = {}
    for name in JSON_FIELDS:
        value = getattr(entry, name)
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


def to_json(entries: Iterable[Entry]) -> str:
    """Entries as a JSON list of objects (UTF-8 text, accents kept), one field per key."""
    return json.dumps([entry_to_dict(e) for e in entries], ensure_ascii=False, indent=2) + "\n"


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _bool(value: str) -> bool | str:
    text = value.strip().casefold()
    if text in ("", "false", "faux", "non", "no", "0"):
        return False
    if text in ("true", "vrai", "oui", "yes", "1"):
        return True
    return value  # left as text: validation reports it


def _unsafe(value: str) -> str:
    return value[1:] if value[:2] in ("'=", "'+", "'-", "'@") else value


def _finish(
    rows: list[tuple[int, Entry]],
    errors: list[RowError],
    known: Iterable[Entry],
) -> tuple[list[Entry], list[RowError]]:
    entries = [e for _, e in rows]
    problems: list[Problem] = [*check_duplicates(entries), *check_refs(entries, known)]
    errors.extend(RowError(p.line, p.message) for p in problems)
    errors.sort(key=lambda err: err.row)
    return entries, errors


def _build(
    data: dict[str, Any], row: int, origin: str, guild_id: int | None
) -> tuple[Entry | None, list[RowError]]:
    entry, messages = entry_from_mapping(
        data, origin=origin, guild_id=guild_id, file="import", line=row
    )
    return entry, [RowError(row, m) for m in messages]


def from_csv(
    text: str,
    *,
    origin: str = "guild",
    guild_id: int | None = None,
    known: Iterable[Entry] = (),
) -> tuple[list[Entry], list[RowError]]:
    """Parse CSV made by :func:`to_csv` (or a spreadsheet); validate every row.

    ``known`` are entries cross-references may point at (usually the shipped glossary).
    Returns the valid entries and the errors with their line numbers (header = line 1).
    """
    known = list(known)
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], [RowError(1, "fichier vide")]
    except csv.Error as exc:
        return [], [RowError(1, f"CSV illisible : {exc}")]
    header = [h.strip().casefold() for h in header]
    missing = [h for h in CSV_HEADER if h not in header]
    if missing:
        return [], [RowError(1, f"colonne(s) manquante(s) : {', '.join(missing)}")]
    rows: list[tuple[int, Entry]] = []
    errors: list[RowError] = []
    count = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(reader.line_num, f"CSV illisible : {exc}"))
            break
        row = reader.line_num
        if not any(v.strip() for v in values):
            continue
        count += 1
        if count > MAX_IMPORT_ROWS:
            errors.append(RowError(row, f"plus de {MAX_IMPORT_ROWS} lignes"))
            break
        if len(values) != len(header):
            errors.append(RowError(row, f"{len(values)} colonne(s) au lieu de {len(header)}"))
            continue
        cells = dict(zip(header, values, strict=True))
        data: dict[str, Any] = {
            name: _unsafe(cells[name])
            for name in ("sigle", "region", "developpe", "explication", "domaine", "source")
        }
        data["alias"] = _split(cells["alias"])
        data["equivalents"] = _split(cells["equivalents"])
        data["historique"] = _bool(cells["historique"])
        entry, row_errors = _build(data, row, origin, guild_id)
        errors.extend(row_errors)
        if entry is not None:
            rows.append((row, entry))
    return _finish(rows, errors, known)


def from_json(
    text: str,
    *,
    origin: str = "guild",
    guild_id: int | None = None,
    known: Iterable[Entry] = (),
) -> tuple[list[Entry], list[RowError]]:
    """Parse JSON made by :func:`to_json`: a list of objects; rows numbered from 1."""
    known = list(known)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [RowError(exc.lineno, f"JSON invalide : {exc.msg}")]
    if isinstance(data, dict) and isinstance(data.get("sigles"), list):
        data = data["sigles"]
    if not isinstance(data, list):
        return [], [RowError(0, "une liste d'objets est attendue")]
    if len(data) > MAX_IMPORT_ROWS:
        return [], [RowError(0, f"plus de {MAX_IMPORT_ROWS} entrées")]
    rows: list[tuple[int, Entry]] = []
    errors: list[RowError] = []
    for row, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(row, "objet attendu"))
            continue
        unknown = sorted(set(item) - set(JSON_FIELDS))
        if unknown:
            errors.append(RowError(row, f"champ(s) inconnu(s) : {', '.join(unknown)}"))
            continue
        entry, row_errors = _build(item, row, origin, guild_id)
        errors.extend(row_errors)
        if entry is not None:
            rows.append((row, entry))
    return _finish(rows, errors, known)
