"""The guide for those who move (`data/guide/*.toml`): loading and checking. Pure, no discord.

Acronyms a step names are checked against the glossary's data files (`data/sigles/*.toml`,
read as data: this feature imports nothing from the glossary feature) and shown as « tapez
/sigle RAMQ ».
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from bot.text import compact

ROOT = Path(__file__).resolve().parents[2]
GUIDE_DIR = ROOT / "data" / "guide"
SIGLES_DIR = ROOT / "data" / "sigles"
TITLE_MAX = 100  # fits an embed title (256) and a select option (100)
TEXT_MAX = 700  # fits an embed description with the source and the acronyms
INTRO_MAX = 400
STEPS_MAX = 25  # one select menu

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,40}$")
_HTTPS = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:[/?#]\S*)?$")


class Direction(StrEnum):
    FRANCE_QUEBEC = "france-quebec"
    QUEBEC_FRANCE = "quebec-france"


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    title: str
    title_en: str
    text: str
    text_en: str
    acronyms: tuple[str, ...]
    source: str
    checked_on: str  # "" : not verified here

    @property
    def verified(self) -> bool:
        return bool(self.checked_on)

    def title_in(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title

    def text_in(self, lang: str) -> str:
        return self.text_en if lang == "en" else self.text


@dataclass(frozen=True, slots=True)
class Guide:
    direction: Direction
    title: str
    title_en: str
    intro: str
    intro_en: str
    steps: tuple[Step, ...]

    def title_in(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title

    def intro_in(self, lang: str) -> str:
        return self.intro_en if lang == "en" else self.intro


def glossary_acronyms(directory: Path = SIGLES_DIR) -> frozenset[str]:
    """Every acronym of the shipped glossary (compacted), and their aliases."""
    found: set[str] = set()
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as fh:
            for entry in tomllib.load(fh).get("sigle", []):
                found.add(compact(str(entry.get("sigle", ""))))
                found.update(compact(str(a)) for a in entry.get("alias", []))
    return frozenset(found)


def parse(
    direction: Direction, data: dict[str, Any], known_acronyms: frozenset[str] | None
) -> tuple[Guide, list[str]]:
    """The guide and its problems; `known_acronyms` None: the steps' acronyms are not checked
    against the glossary (`check` and the tests do it; the bot's start-up does not re-read it)."""
    where = f"guide {direction}"
    problems: list[str] = []

    def text(raw: dict[str, Any], key: str, limit: int, spot: str) -> str:
        value = str(raw.get(key, "")).strip()
        if not value:
            problems.append(f"{spot} : {key} absent")
        elif len(value) > limit:
            problems.append(f"{spot} : {key} a {len(value)} caractères (au plus {limit})")
        return value

    steps: list[Step] = []
    for index, raw in enumerate(data.get("etape", []), start=1):
        step_id = str(raw.get("id", ""))
        spot = f"{where} [[etape]] n° {index} ({step_id})"
        if not _ID.match(step_id):
            problems.append(f"{spot} : id mal formé")
        source = str(raw.get("source", ""))
        if not _HTTPS.match(source):
            problems.append(f"{spot} : source absente ou pas en https")
        checked = str(raw.get("verifie_le", ""))
        if checked:
            try:
                date.fromisoformat(checked)
            except ValueError:
                problems.append(f"{spot} : verifie_le « {checked} » n'est pas AAAA-MM-JJ")
        acronyms = tuple(str(a) for a in raw.get("sigles", []))
        problems += [
            f"{spot} : sigle {a} absent du glossaire (data/sigles)"
            for a in acronyms
            if known_acronyms is not None and compact(a) not in known_acronyms
        ]
        steps.append(
            Step(
                id=step_id,
                title=text(raw, "titre", TITLE_MAX, spot),
                title_en=text(raw, "titre_en", TITLE_MAX, spot),
                text=text(raw, "texte", TEXT_MAX, spot),
                text_en=text(raw, "texte_en", TEXT_MAX, spot),
                acronyms=acronyms,
                source=source,
                checked_on=checked,
            )
        )
    ids = [s.id for s in steps]
    problems += [f"{where} : id {i} en double" for i in sorted(set(ids)) if ids.count(i) > 1]
    if not steps:
        problems.append(f"{where} : aucune étape")
    if len(steps) > STEPS_MAX:
        problems.append(f"{where} : plus de {STEPS_MAX} étapes")
    guide = Guide(
        direction=direction,
        title=text(data, "titre", TITLE_MAX, where),
        title_en=text(data, "titre_en", TITLE_MAX, where),
        intro=text(data, "intro", INTRO_MAX, where),
        intro_en=text(data, "intro_en", INTRO_MAX, where),
        steps=tuple(steps),
    )
    return guide, problems


def read(
    direction: Direction, directory: Path = GUIDE_DIR, sigles: Path | None = SIGLES_DIR
) -> tuple[Guide, list[str]]:
    """`sigles` None: no check against the glossary."""
    path = directory / f"{direction}.toml"
    if not path.is_file():
        empty = Guide(direction, "", "", "", "", ())
        return empty, [f"guide {direction} : fichier {path} absent"]
    with path.open("rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as error:
            return Guide(direction, "", "", "", "", ()), [f"{path} : {error}"]
    return parse(direction, data, None if sigles is None else glossary_acronyms(sigles))


@cache
def guide(direction: Direction) -> Guide:
    """The shipped guide (loaded once); a broken file raises (the tests and `check` catch it).
    Its acronyms are checked against the glossary by `check` and the tests only: reading the
    whole glossary here cost every start-up over a tenth of a second of CPU."""
    loaded, problems = read(direction, sigles=None)
    if problems:
        raise ValueError("; ".join(problems))
    return loaded
