"""CSV and JSON export/import of glossary entries (moderators' import goes through here).

Parsers validate every row and return ``(entries, errors)``; errors carry the row number
(CSV: the line of the file, header = 1; JSON: the 1-based position in the list; 0: the whole
file) and a catalog key with its parameters, worded in the reader's language by
:meth:`RowError.render`. Whether one bad row rejects the whole import is the caller's decision.
Imports nothing from discord. A module of its own beside `service.py`: the two file formats
(CSV for spreadsheets, JSON for everything) are one separate piece of pure logic, shared by
`/glossaire importer|exporter` and `python -m bot sigles export` (cli.py).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.i18n import t

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
    "remplace",
    "voir_aussi",
    "source",
    "verifie_le",
)


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in an imported row: a ``sigles.import.error.*`` key and its parameters."""

    row: int
    key: str
    params: Mapping[str, Any] = field(default_factory=dict, repr=False)  # may hold user text

    def problem(self, lang: str) -> str:
        return t(self.key, lang, **self.params)

    def render(self, lang: str) -> str:
        """``line 3: …`` in `lang` (the whole file: the problem alone)."""
        if not self.row:
            return self.problem(lang)
        return t("sigles.import.row", lang, row=self.row, problem=self.problem(lang))

    @property
    def message(self) -> str:
        """The problem in French (operators' tools and logs)."""
        return self.problem("fr")

    def __str__(self) -> str:
        return self.render("fr")


class RowErrors(str):
    """Row errors as bullet lines: the French text, re-worded by ``render(lang)`` once the
    reader's language is known (a ``bot.user_error.Localised`` parameter of a ``UserError``)."""

    errors: tuple[RowError, ...]
    limit: int

    def __new__(cls, errors: Iterable[RowError], limit: int = 12) -> RowErrors:
        errors = tuple(errors)
        self = super().__new__(cls, _bullets(errors, limit, "fr"))
        self.errors, self.limit = errors, limit
        return self

    def render(self, lang: str) -> str:
        return _bullets(self.errors, self.limit, lang)


def _bullets(errors: tuple[RowError, ...], limit: int, lang: str) -> str:
    lines = [f"• {_shorten(e.render(lang))}" for e in errors[:limit]]
    if len(errors) > limit:
        lines.append(f"• … (+{len(errors) - limit})")
    return "\n".join(lines)


def _shorten(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# The validator of entries (glossary.py, shared with `sigles check` on the shipped TOML) words
# its problems in French; an import gives each its key. Field names and codes stay as typed.
_Q = r"« (?P<{}>.*?) »"
_GLOSSARY_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern.format(f=_Q.format("field"), v=_Q.format("value")) + "$", re.S), key)
    for pattern, key in (
        (r"champ {f} : texte attendu", "not_text"),
        (r"champ obligatoire {f} manquant ou vide", "required"),
        (r"champ {f} trop long \((?P<length>\d+) > (?P<limit>\d+) caractères\)", "too_long"),
        (r"champ {f} : liste de textes attendue", "not_list"),
        (r"champ {f} : trop d'éléments \((?P<count>\d+) > (?P<limit>\d+)\)", "too_many"),
        (r"champ {f} : référence trop longue {v}", "ref_too_long"),
        (r"champ « alias » : alias trop long « (?P<value>.*?)… »", "alias_too_long"),
        (r"champ {f} : référence {v} mal formée \(.*\)", "bad_ref"),
        (r"champ « historique » : booléen attendu \(true/false\)", "bad_bool"),
        (r"champ\(s\) inconnu\(s\) : (?P<fields>.*)", "unknown_fields"),
        (r"sigle {v} sans lettre ni chiffre", "no_letter"),
        (r"région inconnue {v} \(attendu : (?P<expected>.*)\)", "bad_region"),
        (r"domaine inconnu {v} \(attendu : (?P<expected>.*)\)", "bad_domain"),
        (r"source {v} : URL https:// attendue", "bad_source"),
        (r"entrée : table attendue", "not_object"),
        (r"(?P<entry>\S+) : référence {v} \((?P<field>\w+)\) introuvable", "ref_missing"),
        (r"(?P<entry>\S+) : se référence lui-même", "self_ref"),
        (r"doublon de (?P<entry>\S+) {v} \(déjà en (?:import:)?(?P<first>.*)\)", "duplicate"),
        (r"champ « equivalents » : liste de références ou de tables .* attendue", "bad_equivalent"),
        (
            r"champ « equivalents » : clé\(s\) inconnue\(s\) (?P<fields>.*) pour {v}",
            "bad_equivalent_keys",
        ),
        (r"champ « equivalents » : une table sans « ref »", "bad_equivalent"),
        (r"équivalent {v} : relation « (?P<relation>.*?) » inconnue \(.*\)", "bad_relation"),
        (r"équivalent {v} : « difference » doit être un texte", "bad_difference"),
        (
            r"équivalent {v} : différence trop longue "
            r"\((?P<length>\d+) > (?P<limit>\d+) caractères\)",
            "difference_too_long",
        ),
        (r"équivalent {v} : « proche » demande une ligne « difference »", "difference_missing"),
        (r"champ « verifie_le » : date attendue \(AAAA-MM-JJ\), pas {v}", "bad_date"),
    )
)


def keyed(row: int, message: str) -> RowError:
    """A validator's French problem as a keyed error (``other`` keeps the text if unknown)."""
    for pattern, key in _GLOSSARY_PROBLEMS:
        match = pattern.match(message)
        if match:
            params: dict[str, Any] = match.groupdict()
            if "fields" in params:  # a list: its number picks the plural form
                params["n"] = len(params["fields"].split(", "))
            return RowError(row, f"sigles.import.error.{key}", params)
    return RowError(row, "sigles.import.error.other", {"detail": message})


def _err(row: int, key: str, **params: Any) -> RowError:
    return RowError(row, f"sigles.import.error.{key}", params)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's CSV-injection list


def _csv_safe(value: str) -> str:
    """Defuse spreadsheet formulas in exported text ("=…", "+…", "-…", "@…", tab, CR)."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


def to_csv(entries: Iterable[Entry]) -> str:
    """Entries as CSV with header ``sigle,region,developpe,…,source``; lists joined by "; ".

    A spreadsheet-friendly summary: counterparts are listed by ref only (their relation and
    difference are in the JSON export).
    """
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
                LIST_SEPARATOR.join(e.refs("equivalents")),
                "true" if e.historique else "false",
                e.source,
            ]
        )
    return buffer.getvalue()


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """All the reviewable fields of an entry (lists as lists, counterparts as tables)."""
    out: dict[str, Any] = {}
    for name in JSON_FIELDS:
        value = getattr(entry, name)
        if name == "equivalents":
            value = [e.to_data() for e in value]
        elif name == "verifie_le":
            value = value.isoformat() if value else None
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
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_STARTS else value


def _finish(
    rows: list[tuple[int, Entry]],
    errors: list[RowError],
    known: Iterable[Entry],
) -> tuple[list[Entry], list[RowError]]:
    entries = [e for _, e in rows]
    problems: list[Problem] = [*check_duplicates(entries), *check_refs(entries, known)]
    errors.extend(keyed(p.line, p.message) for p in problems)
    errors.sort(key=lambda err: err.row)
    return entries, errors


def _build(
    data: dict[str, Any], row: int, origin: str, guild_id: int | None
) -> tuple[Entry | None, list[RowError]]:
    entry, messages = entry_from_mapping(
        data, origin=origin, guild_id=guild_id, file="import", line=row
    )
    return entry, [keyed(row, m) for m in messages]


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
        return [], [_err(1, "empty")]
    except csv.Error as exc:
        return [], [_err(1, "csv", detail=str(exc))]
    header = [h.strip().casefold() for h in header]
    missing = [h for h in CSV_HEADER if h not in header]
    if missing:
        return [], [_err(1, "missing_columns", n=len(missing), columns=", ".join(missing))]
    rows: list[tuple[int, Entry]] = []
    errors: list[RowError] = []
    count = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(_err(reader.line_num, "csv", detail=str(exc)))
            break
        row = reader.line_num
        if not any(v.strip() for v in values):
            continue
        count += 1
        if count > MAX_IMPORT_ROWS:
            errors.append(_err(row, "too_many_rows", limit=MAX_IMPORT_ROWS))
            break
        if len(values) != len(header):
            errors.append(_err(row, "columns", n=len(values), expected=len(header)))
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
        return [], [_err(exc.lineno, "json", detail=exc.msg)]
    if isinstance(data, dict) and isinstance(data.get("sigles"), list):
        data = data["sigles"]
    if not isinstance(data, list):
        return [], [_err(0, "not_a_list")]
    if len(data) > MAX_IMPORT_ROWS:
        return [], [_err(0, "too_many_rows", limit=MAX_IMPORT_ROWS)]
    rows: list[tuple[int, Entry]] = []
    errors: list[RowError] = []
    for row, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            errors.append(_err(row, "not_object"))
            continue
        unknown = sorted(set(item) - set(JSON_FIELDS))
        if unknown:
            errors.append(_err(row, "unknown_fields", n=len(unknown), fields=", ".join(unknown)))
            continue
        entry, row_errors = _build(item, row, origin, guild_id)
        errors.extend(row_errors)
        if entry is not None:
            rows.append((row, entry))
    return _finish(rows, errors, known)
