"""The rules that tie shipped entries together, checked by `sigles check` and at start-up.

- a counterpart is on the other side (another region), named with its relation
  (« equivalent » or « proche », the latter with one line on the difference);
- **symmetry**: if A names B as a counterpart, B names A, with the same relation;
- a reference to a sigle with several meanings in its region says which one
  (``"FR:ASS (Assistant de service social)"``);
- a past name (``historique = true``) says what replaced it (``remplace_par``) and every
  successor lists it back (``remplace``), and only past names are listed there;
- every entry carries a date of check (``verifie_le``, its own or its file's), not in the future.

Server entries are not held to these rules (the shipped glossary cannot name them back).
Imports nothing from discord.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .model import Entry, Problem, Relation, parse_ref_full

_REF_FIELDS = ("equivalents", "remplace_par", "remplace", "voir_aussi")


class _Index:
    def __init__(self, entries: list[Entry]) -> None:
        self.by_target: dict[tuple[str, str], list[Entry]] = {}
        for entry in entries:
            self.by_target.setdefault((entry.region, entry.key), []).append(entry)

    def resolve(self, ref: str) -> list[Entry]:
        parsed = parse_ref_full(ref)
        if parsed is None:
            return []
        return [e for e in self.by_target.get(parsed.target, []) if e.matches(parsed)]

    def one(self, ref: str) -> Entry | None:
        """The entry a ref names, or None when it names none or several (reported elsewhere)."""
        found = self.resolve(ref)
        return found[0] if len(found) == 1 else None

    def names(self, refs: Iterable[str], entry: Entry) -> bool:
        return any(entry in self.resolve(ref) for ref in refs)


def _problem(entry: Entry, message: str) -> Problem:
    return Problem(entry.file or entry.sigle, entry.line, f"{entry.ref} : {message}")


def _ambiguous_refs(entry: Entry, index: _Index) -> list[Problem]:
    problems = []
    for name in _REF_FIELDS:
        for ref in entry.refs(name):
            parsed = parse_ref_full(ref)
            if parsed is None or parsed.sens:
                continue
            meanings = index.by_target.get(parsed.target, [])
            if len(meanings) > 1:
                example = f"{parsed.region}:{meanings[0].sigle} ({meanings[0].developpe})"
                problems.append(
                    _problem(
                        entry,
                        f"référence « {ref} » ({name}) ambiguë : {len(meanings)} sens ; "
                        f"préciser lequel, p. ex. « {example} »",
                    )
                )
    return problems


def _counterparts(entry: Entry, index: _Index) -> list[Problem]:
    problems = []
    seen: set[tuple[str, str, str]] = set()
    for eq in entry.equivalents:
        if eq.relation is None:
            problems.append(
                _problem(entry, f"équivalent « {eq.ref} » sans relation (equivalent ou proche)")
            )
        elif eq.relation is Relation.PROCHE and not eq.difference:
            problems.append(
                _problem(entry, f"équivalent « {eq.ref} » : « proche » sans ligne « difference »")
            )
        other = index.one(eq.ref)
        if other is None:
            continue
        if other.identity in seen:
            problems.append(_problem(entry, f"équivalent « {eq.ref} » nommé deux fois"))
        seen.add(other.identity)
        if other.region == entry.region:
            problems.append(
                _problem(
                    entry,
                    f"équivalent « {eq.ref} » dans la même région (un équivalent est de "
                    "l'autre côté ; voir_aussi pour un sigle voisin)",
                )
            )
            continue
        back = [b for b in other.equivalents if entry in index.resolve(b.ref)]
        if not back:
            problems.append(
                _problem(
                    entry,
                    f"nomme {other.ref} comme équivalent, mais {other.ref} ne le nomme pas "
                    f"en retour (symétrie)",
                )
            )
        elif None not in (eq.relation, back[0].relation) and back[0].relation is not eq.relation:
            problems.append(
                _problem(
                    entry,
                    f"relation « {eq.relation} » avec {other.ref}, mais « "
                    f"{back[0].relation} » dans l'autre sens (symétrie)",
                )
            )
    return problems


def _past_names(entry: Entry, index: _Index) -> list[Problem]:
    problems = []
    if entry.historique and not entry.remplace_par:
        problems.append(
            _problem(entry, "ancien nom (historique = true) sans « remplace_par » (son successeur)")
        )
    if entry.remplace_par and not entry.historique:
        problems.append(_problem(entry, "« remplace_par » sur une entrée qui n'est pas historique"))
    for ref in entry.remplace_par:
        successor = index.one(ref)
        if successor is not None and not index.names(successor.refs("remplace"), entry):
            problems.append(
                _problem(
                    entry,
                    f"remplacé par {successor.ref}, mais {successor.ref} ne le mentionne pas "
                    f"dans « remplace »",
                )
            )
    for ref in entry.remplace:
        former = index.one(ref)
        if former is None:
            continue
        if not former.historique:
            problems.append(
                _problem(entry, f"« remplace » {former.ref}, qui n'est pas marqué historique")
            )
        elif not index.names(former.remplace_par, entry):
            problems.append(
                _problem(
                    entry,
                    f"« remplace » {former.ref}, mais {former.ref} ne le nomme pas dans "
                    f"« remplace_par »",
                )
            )
    return problems


def _date_of_check(entry: Entry, today: date | None) -> list[Problem]:
    if entry.verifie_le is None:
        return [
            _problem(
                entry,
                "sans date de vérification (« verifie_le », dans l'entrée ou en tête du fichier)",
            )
        ]
    if today is not None and entry.verifie_le > today:
        return [_problem(entry, f"date de vérification dans le futur ({entry.verifie_le})")]
    return []


def check_glossary(entries: Iterable[Entry], *, today: date | None = None) -> list[Problem]:
    """Every problem with the rules above, for the shipped entries among ``entries``."""
    entries = list(entries)
    index = _Index(entries)
    problems: list[Problem] = []
    for entry in entries:
        if entry.origin != "shipped":
            continue
        problems.extend(_ambiguous_refs(entry, index))
        problems.extend(_counterparts(entry, index))
        problems.extend(_past_names(entry, index))
        problems.extend(_date_of_check(entry, today))
    return problems


# The whole of a legal code (Legifrance) rather than the article or page defining the entry.
_CODE_ROOT = re.compile(r"legifrance\.gouv\.fr/codes/texte_lc/LEGITEXT\d+/?$")


@dataclass(frozen=True, slots=True)
class Stats:
    """What `sigles check` reports besides the problems."""

    with_counterparts: int
    pairs: int
    pairs_fr_qc: int
    past_names: int
    code_roots: int


def stats(entries: Iterable[Entry]) -> Stats:
    entries = list(entries)
    index = _Index(entries)
    pairs: set[frozenset[tuple[str, str, str]]] = set()
    for entry in entries:
        for eq in entry.equivalents:
            other = index.one(eq.ref)
            if other is not None and any(entry in index.resolve(b.ref) for b in other.equivalents):
                pairs.add(frozenset((entry.identity, other.identity)))
    fr_qc = sum(1 for p in pairs if {i[1] for i in p} == {"FR", "QC"})
    return Stats(
        with_counterparts=sum(1 for e in entries if e.equivalents),
        pairs=len(pairs),
        pairs_fr_qc=fr_qc,
        past_names=sum(1 for e in entries if e.historique),
        code_roots=sum(1 for e in entries if _CODE_ROOT.search(e.source)),
    )
