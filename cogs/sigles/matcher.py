"""Finding acronyms as members type them: autocomplete, lookup, reverse search, "did you mean".

Pure and fast: every normalised form is computed once, when the :class:`Matcher` is built.
Imports nothing from discord.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.regions import REGIONS

from .glossary import Entry, Glossary, normalise

__all__ = ["Match", "Matcher", "normalise", "tokens"]

# Tiers, best first.
EXACT, PREFIX, FUZZY, TEXT = 0, 1, 2, 3
KINDS = ("exact", "prefix", "fuzzy", "text")

STOPWORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "d",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "ou",
        "par",
        "pour",
        "sa",
        "se",
        "ses",
        "sur",
        "un",
        "une",
    ]
)
FUZZY_CUTOFF = 70.0
DEV_WEIGHT = 3.0  # a word of the expansion weighs this much, one of the explanation 1
_WORD_RE = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    """Normalised words of ``text`` without stop words: "l'Aide sociale" → ["aide", "sociale"]."""
    words = (normalise(w) for w in _WORD_RE.findall(text))
    return [w for w in words if w and w not in STOPWORDS]


@dataclass(frozen=True, slots=True)
class Match:
    """One autocomplete suggestion."""

    entry: Entry
    kind: str  # "exact", "prefix", "fuzzy" or "text"
    score: float  # 0–100, higher is better within a kind
    matched: str  # the sigle or alias that matched

    def label(self, limit: int = 100) -> str:
        """Autocomplete choice text: ``"ASE (FR) — Aide sociale à l'enfance"``, ≤ ``limit``."""
        text = f"{self.entry.sigle} ({self.entry.region}) — {self.entry.developpe}"
        return text if len(text) <= limit else text[: limit - 1] + "…"


class Matcher:
    """Precomputed indexes over a :class:`Glossary`.

    Entries sit in slots (list positions that never move; a removed entry leaves a hole), and
    ties are broken by each entry's place in the glossary's order (`Glossary.order`), never by
    its slot: a matcher `changed` entry by entry answers exactly as one built from scratch.
    """

    def __init__(self, glossary: Glossary | Iterable[Entry]) -> None:
        self.glossary = glossary if isinstance(glossary, Glossary) else Glossary(glossary)
        self._entries: list[Entry | None] = []  # by slot
        self._order: list[Any] = []  # each slot's place in the glossary's order
        self._slots: dict[int, list[int]] = {}  # id(entry) → its slots (equal entries apart)
        # Every sigle and alias, normalised → [(slot, form)] in the glossary's order.
        self._forms: dict[str, list[tuple[int, str]]] = {}
        self._keys: list[str] = []  # sorted
        # Fuzzy candidates bucketed by length: a typo changes the length by at most 2.
        self._by_len: dict[int, list[str]] = {}  # sorted
        # Reverse (text) index: word → {slot: weight}; the expansion weighs more.
        self._words: dict[str, dict[int, float]] = {}
        self._word_keys: list[str] = []  # sorted
        # Set views of the same index for the autocomplete fast path (set algebra runs in C).
        self._dev_sets: dict[str, frozenset[int]] = {}
        self._any_sets: dict[str, frozenset[int]] = {}
        self._dev_norm: list[str] = []
        self._region_rank: list[int] = []
        self._default_order: dict[str, list[int]] = {}
        edit = _Edit(self, fresh=True)
        for place, entry in zip(self.glossary.order, self.glossary.entries, strict=True):
            edit.add(entry, place)
        edit.finish()

    @property
    def _live(self) -> list[int]:
        return [i for i, entry in enumerate(self._entries) if entry is not None]

    def changed(
        self, glossary: Glossary, removed: Iterable[Entry], added: Iterable[tuple[Any, Entry]]
    ) -> Matcher:
        """The matcher of `glossary`: this one's without `removed` (entries of this one, the
        very objects) and with `added` (place, entry). Work in proportion to the change: the
        indexes are copied shallowly and only what the changed entries touch is redone; this
        matcher is left as it was (it may be in use meanwhile)."""
        new = Matcher.__new__(Matcher)
        new.glossary = glossary
        new._entries, new._order = self._entries.copy(), self._order.copy()
        new._slots = self._slots.copy()
        new._forms, new._keys = self._forms.copy(), self._keys.copy()
        new._by_len = self._by_len.copy()
        new._words, new._word_keys = self._words.copy(), self._word_keys.copy()
        new._dev_sets, new._any_sets = self._dev_sets.copy(), self._any_sets.copy()
        new._dev_norm, new._region_rank = self._dev_norm.copy(), self._region_rank.copy()
        new._default_order = {}
        edit = _Edit(new, fresh=False)
        for entry in removed:
            edit.remove(entry)
        for place, entry in added:
            edit.add(entry, place)
        edit.finish()
        return new

    # -- helpers ---------------------------------------------------------------------------

    def _entry(self, index: int) -> Entry:
        entry = self._entries[index]
        assert entry is not None  # the indexes name live slots only
        return entry

    def _rank(self, index: int, region_first: str | None) -> tuple[int, int]:
        entry = self._entry(index)
        preferred = 0 if region_first and entry.region == region_first.upper() else 1
        guild = 0 if entry.origin == "guild" else 1
        return (preferred, guild)

    def _prefixed(self, sorted_keys: list[str], prefix: str) -> list[str]:
        start = bisect.bisect_left(sorted_keys, prefix)
        end = bisect.bisect_left(sorted_keys, prefix + "\U0010ffff")
        return sorted_keys[start:end]

    # -- public API --------------------------------------------------------------------------

    def suggest(
        self, query: str, *, region_first: str | None = None, limit: int = 25
    ) -> list[Match]:
        """Autocomplete: exact, then prefix, then fuzzy, then expansion words; ≤ ``limit``.

        Within a tier, better scores first, then the preferred region, then alphabetical.
        An empty query lists entries of the preferred region first.
        """
        limit = max(0, min(limit, 25))
        if limit == 0:
            return []
        q = normalise(query)
        if not q:
            cache_key = (region_first or "").upper()
            if cache_key not in self._default_order:
                self._default_order[cache_key] = heapq.nsmallest(
                    25,
                    self._live,
                    key=lambda i: (
                        *self._rank(i, region_first),
                        self._entry(i).key,
                        self._order[i],
                    ),
                )
            order = self._default_order[cache_key]
            return [Match(self._entry(i), "prefix", 0.0, "") for i in order[:limit]]
        # (tier, -score, region rank, guild rank, key, index)
        found: dict[int, tuple] = {}

        def add(tier: int, score: float, key: str) -> None:
            for index, form in self._forms[key]:
                place = self._order[index]
                rank = (tier, -score, *self._rank(index, region_first), key, place, index, form)
                if index not in found or rank < found[index]:
                    found[index] = rank

        if q in self._forms:
            add(EXACT, 100.0, q)
        for key in self._prefixed(self._keys, q):
            if key != q:
                add(PREFIX, 100.0 * len(q) / len(key), key)
        if len(found) < limit and len(q) >= 2:
            candidates: list[str] = []
            for length in range(max(1, len(q) - 2), len(q) + 3):
                candidates.extend(self._by_len.get(length, ()))
            for key, score, _ in process.extract(
                q,
                candidates,
                scorer=fuzz.ratio,
                limit=limit * 2,
                score_cutoff=FUZZY_CUTOFF,
            ):
                if not key.startswith(q) and key != q:
                    # Indel ratio scores a swap ("clcs") like any two edits: OSA counts it once.
                    add(FUZZY, (score + 100.0 * OSA.normalized_similarity(q, key)) / 2, key)
        if len(found) < limit and len(q) >= 3:
            for score, index in self._text_fast(query, limit * 2, region_first):
                if index not in found:
                    place = self._order[index]
                    rank = (TEXT, -score, *self._rank(index, region_first), "", place, index, "")
                    found[index] = rank
        ordered = sorted(found.values())[:limit]
        return [
            Match(self._entry(r[6]), KINDS[r[0]], -r[1], r[7] or self._entry(r[6]).sigle)
            for r in ordered
        ]

    def lookup(self, query: str, region: str | None = None) -> list[Entry]:
        """Every meaning of a sigle or alias, grouped by region (FR, QC, BE, CH), guild first."""
        found = self._forms.get(normalise(query), [])
        result = [self._entry(i) for i, _ in found]
        if region is not None:
            result = [e for e in result if e.region == region.upper()]
        return sorted(
            result,
            key=lambda e: (REGIONS.index(e.region), e.origin != "guild", e.historique, e.sigle),
        )

    def _text_scores(self, query: str) -> list[tuple[int, float]]:
        words = tokens(query)
        if not words:
            return []
        scores: dict[int, float] = {}
        hits: dict[int, int] = {}
        for word in words:
            best: dict[int, float] = {}
            if word in self._words:
                best.update(self._words[word])
            if len(word) >= 3:  # "jeun" finds "jeunes", "jeunesse"
                for key in self._prefixed(self._word_keys, word)[:50]:
                    if key == word:
                        continue
                    factor = 0.8 * len(word) / len(key) + 0.1
                    for index, weight in self._words[key].items():
                        best[index] = max(best.get(index, 0.0), weight * factor)
            for index, weight in best.items():
                scores[index] = scores.get(index, 0.0) + weight
                hits[index] = hits.get(index, 0) + 1
        phrase = normalise(query)
        result = []
        for index, score in scores.items():
            coverage = hits[index] / len(words)
            total = score * coverage * coverage
            if phrase and phrase in self._dev_norm[index]:
                total += 3.0
            result.append((index, total))
        result.sort(key=lambda item: (-item[1], self._region_rank[item[0]], self._order[item[0]]))
        return result

    def _word_sets(self, word: str) -> tuple[frozenset[int], frozenset[int]]:
        keys = [word] if word in self._words else []
        if len(word) >= 3:
            keys += [k for k in self._prefixed(self._word_keys, word)[:20] if k != word]
        if not keys:
            return frozenset(), frozenset()
        if len(keys) == 1:
            return self._dev_sets[keys[0]], self._any_sets[keys[0]]
        dev = frozenset().union(*(self._dev_sets[k] for k in keys))
        return dev, frozenset().union(*(self._any_sets[k] for k in keys))

    def _text_fast(
        self, query: str, limit: int, region_first: str | None
    ) -> list[tuple[float, int]]:
        """Autocomplete's text tier: every word in the expansion, then anywhere (set algebra)."""
        words = tokens(query)
        if not words:
            return []
        sets = [self._word_sets(w) for w in words]
        all_dev = frozenset.intersection(*(d for d, _ in sets))
        all_any = frozenset.intersection(*(a for _, a in sets)) - all_dev
        result: list[tuple[float, int]] = []
        for score, bucket in ((2.0, all_dev), (1.0, all_any)):
            if len(result) >= limit:
                break
            best = heapq.nsmallest(
                limit - len(result),
                bucket,
                key=lambda i: (*self._rank(i, region_first), self._order[i]),
            )
            result.extend((score, i) for i in best)
        return result

    def search_text(self, query: str, *, region: str | None = None, limit: int = 10) -> list[Entry]:
        """Reverse search: entries whose expansion or explanation contain the query's words."""
        result = [self._entry(i) for i, _ in self._text_scores(query)]
        if region is not None:
            result = [e for e in result if e.region == region.upper()]
        return result[:limit]

    def did_you_mean(self, query: str, *, limit: int = 5) -> list[str]:
        """Close sigles for a query that found nothing (distinct display forms, best first)."""
        q = normalise(query)
        if not q:
            return []
        result: list[str] = []
        for match in self.suggest(query, limit=25):
            if match.kind == "text":
                continue
            if match.entry.sigle not in result:
                result.append(match.entry.sigle)
            if len(result) >= limit:
                break
        if not result and len(q) >= 2:  # looser than autocomplete
            for key, _score, _ in process.extract(
                q, self._keys, scorer=fuzz.ratio, limit=limit, score_cutoff=60
            ):
                sigle = self._entry(self._forms[key][0][0]).sigle
                if sigle not in result:
                    result.append(sigle)
        return result[:limit]


def _form_place(matcher: Matcher) -> Any:
    return lambda item: matcher._order[item[0]]


@dataclass
class _Edit:
    """Entries going in and out of a matcher's indexes. `fresh`: the matcher is being built
    and owns everything; otherwise its tables are shallow copies of another matcher's, and an
    inner list or dict is copied before it is changed (`_own`)."""

    matcher: Matcher
    fresh: bool
    owned: set[tuple[str, Any]] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)  # touched, to place in the sorted lists
    words: set[str] = field(default_factory=set)
    # word → slots in and out of its set views (a slot's weights never change once indexed)
    plus_any: dict[str, set[int]] = field(default_factory=dict)
    plus_dev: dict[str, set[int]] = field(default_factory=dict)
    minus: dict[str, set[int]] = field(default_factory=dict)

    def _own(self, name: str, table: dict[Any, Any], key: Any, make: type) -> Any:
        value = table.get(key)
        if value is None:
            value = table[key] = make()
            self.owned.add((name, key))
        elif not self.fresh and (name, key) not in self.owned:
            value = table[key] = value.copy()
            self.owned.add((name, key))
        return value

    def add(self, entry: Entry, place: Any) -> None:
        m = self.matcher
        i = len(m._entries)
        m._entries.append(entry)
        m._order.append(place)
        m._slots[id(entry)] = [*m._slots.get(id(entry), ()), i]
        m._dev_norm.append(normalise(entry.developpe))
        m._region_rank.append(REGIONS.index(entry.region))
        for form in (entry.sigle, *entry.alias):
            key = normalise(form)
            if not key:
                continue
            found = self._own("forms", m._forms, key, list)
            if any(j == i for j, _ in found):
                continue
            if self.fresh:  # built in the glossary's order
                found.append((i, form))
            else:
                bisect.insort(found, (i, form), key=_form_place(m))
            self.forms.add(key)
        for weight, text in ((1.0, entry.explication), (DEV_WEIGHT, entry.developpe)):
            for word in tokens(text):
                slot = self._own("words", m._words, word, dict)
                slot[i] = max(slot.get(i, 0.0), weight)
                self.words.add(word)
                if not self.fresh:
                    self.plus_any.setdefault(word, set()).add(i)
                    if weight >= DEV_WEIGHT:
                        self.plus_dev.setdefault(word, set()).add(i)

    def remove(self, entry: Entry) -> None:
        m = self.matcher
        slots = m._slots.get(id(entry), [])
        i = slots[0]
        m._slots[id(entry)] = slots[1:]
        if not m._slots[id(entry)]:
            del m._slots[id(entry)]
        m._entries[i] = m._order[i] = None
        m._dev_norm[i] = ""
        for form in (entry.sigle, *entry.alias):
            key = normalise(form)
            if key in m._forms:
                found = self._own("forms", m._forms, key, list)
                found[:] = [item for item in found if item[0] != i]
                if not found:
                    del m._forms[key]
                self.forms.add(key)
        for text in (entry.explication, entry.developpe):
            for word in tokens(text):
                if word in m._words:
                    slot = self._own("words", m._words, word, dict)
                    slot.pop(i, None)
                    if not slot:
                        del m._words[word]
                    self.words.add(word)
                    self.minus.setdefault(word, set()).add(i)

    def finish(self) -> None:
        m = self.matcher
        if self.fresh:
            m._keys = sorted(m._forms)
            for key in m._keys:
                m._by_len.setdefault(len(key), []).append(key)
            m._word_keys = sorted(m._words)
        else:
            for key in self.forms:
                _place_key(m._keys, key, key in m._forms)
                bucket = m._by_len[len(key)] = m._by_len.get(len(key), []).copy()
                _place_key(bucket, key, key in m._forms)
                if not bucket:
                    del m._by_len[len(key)]
            for word in self.words:
                _place_key(m._word_keys, word, word in m._words)
        if self.fresh:
            for word, postings in m._words.items():
                m._dev_sets[word] = frozenset(i for i, wt in postings.items() if wt >= DEV_WEIGHT)
                m._any_sets[word] = frozenset(postings)
            return
        empty: frozenset[int] = frozenset()
        for word in self.words:
            if word not in m._words:
                m._dev_sets.pop(word, None)
                m._any_sets.pop(word, None)
                continue
            minus = self.minus.get(word)
            for sets, plus in (
                (m._dev_sets, self.plus_dev.get(word)),
                (m._any_sets, self.plus_any.get(word)),
            ):
                slots = sets.get(word, empty)
                if minus:
                    slots -= minus
                if plus:
                    slots |= plus
                sets[word] = slots  # a new set (the old one, shared, is left as it was)


def _place_key(keys: list[str], key: str, present: bool) -> None:
    """Put `key` in the sorted list `keys`, or take it out."""
    at = bisect.bisect_left(keys, key)
    there = at < len(keys) and keys[at] == key
    if present and not there:
        keys.insert(at, key)
    elif there and not present:
        del keys[at]
