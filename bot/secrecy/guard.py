"""The professional-secrecy guard: spot details that could identify a person someone accompanies.

Before the bot posts anything on a member's behalf, a feature asks ``scan`` (or ``kinds_found``).
Pure apart from the language model: no Discord, no logging of text. A ``Finding`` holds a kind and
a span, never the matched text, so neither its ``repr`` nor a log line can carry what was written.

The spaCy model (``bot.secrecy.model``) is loaded once per process in a thread. A scan made while
it is still loading waits for it at most ``MODEL_WAIT`` seconds (the first post after a start-up),
then uses the rules alone and says so in the log (once per process); if the model cannot be loaded
at all, the bot said so at start-up and every scan uses the rules. The rules alone still read
civilities, full names with a known first name, initials, children's first names with their school
or age, and every number: a weaker guard, never no guard.

Scans cost a few milliseconds with the model: call them from async code through
``asyncio.to_thread``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from bot.secrecy import names, numbers, places
from bot.secrecy.model import Entity, ModelState, NameModel, active

log = logging.getLogger(__name__)

KINDS: Final[tuple[str, ...]] = (
    "phone",
    "email",
    "nir",
    "nam",
    "sin",
    "national_id",
    "bank",
    "siret",
    "birth_date",
    "address",
    "case_number",
    "plate",
    "handle",
    "civility_name",
    "name",
    "combination",
)
MODEL_WAIT: Final = 2.0  # seconds a scan waits for a model still loading (below Discord's 3 s)


@dataclass(frozen=True, slots=True)
class Finding:
    """One identifying detail: its kind (one of ``KINDS``) and its span ``text[start:end]``.

    It never stores the matched text: support messages must never reach logs or reprs.
    """

    kind: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown finding kind {self.kind!r}")


Hit = tuple[str, int, int]
# Numeric detectors in order: an earlier one wins an overlap, so a NIR is not also a phone.
_NUMERIC: Final[tuple[Callable[[str, int], Iterator[Hit]], ...]] = (
    lambda t, _y: numbers.emails(t),
    lambda t, _y: numbers.banks(t),
    lambda t, _y: numbers.nirs(t),
    lambda t, _y: numbers.national_ids(t),
    lambda t, _y: numbers.case_numbers(t),
    lambda t, _y: numbers.sins_and_sirens(t),
    lambda t, _y: numbers.other_banks(t),
    lambda t, _y: numbers.nams(t),
    lambda t, _y: numbers.plates(t),
    lambda t, _y: numbers.phones(t),
    numbers.births,
)


class Guard:
    """The rules plus a language model (``None``: rules only)."""

    def __init__(self, model: NameModel | None = None) -> None:
        self.model = model
        self._said_rules_only = False

    def _entities(self, text: str) -> Sequence[Entity] | None:
        """The model's entities, or None (rules only) when it failed or is still loading."""
        model = self.model
        if model is None or model.state is ModelState.FAILED:
            return None
        if model.state is not ModelState.READY:
            model.start()
            if not model.wait(MODEL_WAIT):
                if not self._said_rules_only and model.state is not ModelState.FAILED:
                    self._said_rules_only = True
                    log.warning(
                        "secrecy guard: model %s still loading after %.0f s; "
                        "scanning with the rules only until it is ready",
                        model.name,
                        MODEL_WAIT,
                    )
                return None
        return model.entities(text)

    def scan(self, text: str, *, ref_year: int | None = None) -> list[Finding]:
        """Every identifying detail found in ``text``, sorted by position.

        ``ref_year`` (default: this year) bounds the plausible birth years of bare dates.
        """
        year = date.today().year if ref_year is None else ref_year
        found: set[Finding] = set()
        taken: list[tuple[int, int]] = []
        for detect in _NUMERIC:
            for kind, start, end in detect(text, year):
                if any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
                found.add(Finding(kind, start, end))
        for kind, start, end in (*places.addresses(text), *places.handles(text)):
            found.add(Finding(kind, start, end))

        entities = self._entities(text)
        ws = names.words(text)
        people: list[tuple[int, int]] = []
        for kind, start, end in (
            *names.civility_names(text, ws),
            *names.full_names(text, ws),
            *names.families(text),
            *names.nicknames(text),
        ):
            if any(start < e and s < end for s, e in people):
                continue  # « M. Jean Tremblay » is one civility name, not also a full name
            people.append((start, end))
            found.add(Finding(kind, start, end))
        for kind, start, end in names.lone_names(text, ws, people):
            people.append((start, end))
            found.add(Finding(kind, start, end))
        if entities:
            for kind, start, end in names.model_names(text, ws, entities, people):
                found.add(Finding(kind, start, end))
        for kind, start, end in places.combinations(text, entities):
            found.add(Finding(kind, start, end))
        return sorted(found, key=lambda f: (f.start, f.end, KINDS.index(f.kind)))

    def kinds_found(self, text: str, *, ref_year: int | None = None) -> list[str]:
        """The distinct kinds found in ``text``, in the fixed order of ``KINDS``."""
        present = {f.kind for f in self.scan(text, ref_year=ref_year)}
        return [kind for kind in KINDS if kind in present]


class _ActiveGuard(Guard):
    """The guard of the process: follows the model chosen by ``bot.secrecy.model.configure``."""

    def __init__(self) -> None:
        super().__init__(active())

    def scan(self, text: str, *, ref_year: int | None = None) -> list[Finding]:
        current = active()
        if current is not self.model:
            self.model = current
            self._said_rules_only = False
        return super().scan(text, ref_year=ref_year)


_GUARD: Final = _ActiveGuard()


def scan(text: str, *, ref_year: int | None = None) -> list[Finding]:
    """Every identifying detail found in ``text`` by the process's guard, sorted by position."""
    return _GUARD.scan(text, ref_year=ref_year)


def kinds_found(text: str, *, ref_year: int | None = None) -> list[str]:
    """The distinct kinds found in ``text``, in the fixed order of ``KINDS``."""
    return _GUARD.kinds_found(text, ref_year=ref_year)
