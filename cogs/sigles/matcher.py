"""Finding acronyms as members type them: autocomplete, lookup, reverse search, "did you mean".

Pure and fast: every normalised form is computed once, when the :class:`Matcher` is built.
Imports nothing from discord.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass

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
    """Precomputed indexes over a :class:`Glossary`."""

    def __init__(self, glossary: Glossary | Iterable[Entry]) -> None:
        self.glossary = glossary if isinstance(glossary, Glossary) else Glossary(glossary)
        entries = self.glossary.entries
        self._entries = entries
        # Every sigle and alias, normalised → entry indexes (sigle first).
        forms: dict[str, list[tuple[int, str]]] = {}
        for i, entry in enumerate(entries):
            for form in (entry.sigle, *entry.alias):
                key = normalise(form)
                if key and all(j != i for j, _ in forms.get(key, ())):
                    forms.setdefault(key, []).append((i, form))
        self._forms = forms
        self._keys = sorted(forms)
        # Fuzzy candidates bucketed by length: a typo changes the length by at most 2.
        self._by_len: dict[int, list[str]] = {}
        for key in self._keys:
            self._by_len.setdefault(len(key), []).append(key)
        # Reverse (text) index: word → {entry index: weight}; the expansion weighs more.
        words: dict[str, dict[int, float]] = {}
        for i, entry in enumerate(entries):
            for weight, text in ((1.0, entry.explication), (3.0, entry.developpe)):
                for word in tokens(text):
                    slot = words.setdefault(word, {})
                    slot[i] = max(slot.get(i, 0.0), weight)
        self._words = words
        self._word_keys = sorted(words)
        # Set views of the same index for the autocomplete fast path (set algebra runs in C).
        self._dev_sets = {
            w: frozenset(i for i, wt in p.items() if wt >= 3.0) for w, p in words.items()
        }
        self._any_sets = {w: frozenset(p) for w, p in words.items()}
        self._dev_norm = [normalise(e.developpe) for e in entries]
        self._region_rank = [REGIONS.index(e.region) for e in entries]
        self._default_order: dict[str, list[int]] = {}

    # -- helpers ---------------------------------------------------------------------------

    def _rank(self, index: int, region_first: str | None) -> tuple[int, int]:
        entry = self._entries[index]
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
                self._default_order[cache_key] = sorted(
                    range(len(self._entries)),
                    key=lambda i: (*self._rank(i, region_first), self._entries[i].key),
                )[:25]
            order = self._default_order[cache_key]
            return [Match(self._entries[i], "prefix", 0.0, "") for i in order[:limit]]
        # (tier, -score, region rank, guild rank, key, index)
        found: dict[int, tuple] = {}

        def add(tier: int, score: float, key: str) -> None:
            for index, form in self._forms[key]:
                rank = (tier, -score, *self._rank(index, region_first), key, index, form)
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
                    rank = (TEXT, -score, *self._rank(index, region_first), "", index, "")
                    found[index] = rank
        ordered = sorted(found.values())[:limit]
        return [
            Match(self._entries[r[5]], KINDS[r[0]], -r[1], r[6] or self._entries[r[5]].sigle)
            for r in ordered
        ]

    def lookup(self, query: str, region: str | None = None) -> list[Entry]:
        """Every meaning of a sigle or alias, grouped by region (FR, QC, BE, CH), guild first."""
        found = self._forms.get(normalise(query), [])
        result = [self._entries[i] for i, _ in found]
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
        result.sort(key=lambda item: (-item[1], self._region_rank[item[0]], item[0]))
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
                limit - len(result), bucket, key=lambda i: (*self._rank(i, region_first), i)
            )
            result.extend((score, i) for i in best)
        return result

    def search_text(self, query: str, *, region: str | None = None, limit: int = 10) -> list[Entry]:
        """Reverse search: entries whose expansion or explanation contain the query's words."""
        result = [self._entries[i] for i, _ in self._text_scores(query)]
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
                sigle = self._entries[self._forms[key][0][0]].sigle
                if sigle not in result:
                    result.append(sigle)
        return result[:limit]
