"""Autocomplete latency of the sigles matcher: shipped glossary and a synthetic 10,000 entries.

Queries are realistic: prefixes, dotted/lower-case forms, one-letter typos, expansion words.
Beside each figure, the baseline: the simplest autocomplete there is (a binary search for the
typed prefix over the sorted sigles) on the same queries, in the same run.

Run: .venv/bin/python bench/sigles_autocomplete.py [--quick]
"""

from __future__ import annotations

import argparse
import bisect
import random
import statistics
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.discord_text import CHOICES_MAX
from cogs.sigles.glossary import DOMAINES, REGIONS, Entry, load_glossary
from cogs.sigles.matcher import Matcher, normalise

_WORDS_TEXT = (
    "aide sociale enfance protection jeunesse allocation logement centre service santé "
    "emploi insertion famille handicap autonomie accueil hébergement solidarité "
    "direction conseil commission régional national départemental local programme"
)
WORDS = _WORDS_TEXT.split()
SIGLE_LENGTHS = (2, 7)
EXPANSION_WORDS = (3, 7)
EXPLANATION_WORDS = 12
DOTTED_ALIASES = 0.2  # the share of synthetic sigles also written with dots
# What members type, by share of the queries (cumulative): a prefix, a dotted or lower-case
# form, a one-letter typo, two words of an expansion, else something that matches nothing.
PREFIX, DOTTED, TYPO, WORDS_OF = 0.35, 0.55, 0.8, 0.9
NONSENSE_LENGTHS = (3, 8)
WARM_UP = 200
SIZES = {"full": (10_000, 5_000), "quick": (2_000, 500)}  # synthetic entries, queries
P99 = 0.99
MS = 1e6  # nanoseconds per millisecond


def synthetic(n: int, rng: random.Random) -> list[Entry]:
    entries = []
    seen: set[tuple[str, str]] = set()
    while len(entries) < n:
        sigle = "".join(rng.choices(string.ascii_uppercase, k=rng.randint(*SIGLE_LENGTHS)))
        region = rng.choice(REGIONS)
        if (sigle, region) in seen:
            continue
        seen.add((sigle, region))
        words = rng.sample(WORDS, k=rng.randint(*EXPANSION_WORDS))
        entries.append(
            Entry(
                sigle=sigle,
                region=region,
                developpe=" ".join(words).capitalize(),
                explication=" ".join(rng.sample(WORDS, k=EXPLANATION_WORDS)) + ".",
                domaine=rng.choice(DOMAINES),
                source="https://example.org",
                alias=(".".join(sigle) + ".",) if rng.random() < DOTTED_ALIASES else (),
            )
        )
    return entries


def typo(sigle: str, rng: random.Random) -> str:
    """Drop, double or swap a letter."""
    i = rng.randrange(len(sigle))
    op = rng.choice(("drop", "double", "swap"))
    if op == "drop" and len(sigle) > SIGLE_LENGTHS[0]:
        return sigle[:i] + sigle[i + 1 :]
    if op == "swap" and i + 1 < len(sigle):
        return sigle[:i] + sigle[i + 1] + sigle[i] + sigle[i + 2 :]
    return sigle[:i] + sigle[i] + sigle[i:]


def queries(entries: list[Entry], n: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(n):
        sigle = rng.choice(entries).sigle
        kind = rng.random()
        if kind < PREFIX:
            out.append(sigle[: rng.randint(1, len(sigle))])
        elif kind < DOTTED:
            out.append(".".join(sigle.lower()))
        elif kind < TYPO:
            out.append(typo(sigle, rng))
        elif kind < WORDS_OF:
            out.append(" ".join(rng.sample(WORDS, k=2)))
        else:
            length = rng.randint(*NONSENSE_LENGTHS)
            out.append("".join(rng.choices(string.ascii_lowercase, k=length)))
    return out


def prefix_baseline(entries: list[Entry]) -> Callable[[str, str | None], object]:
    """The simplest autocomplete: sorted normalised sigles, a binary search for the prefix."""
    keys = sorted((normalise(e.sigle), i) for i, e in enumerate(entries))

    def suggest(query: str, region: str | None) -> object:
        q = normalise(query)
        start = bisect.bisect_left(keys, (q, -1))
        return [entries[i] for key, i in keys[start : start + CHOICES_MAX] if key.startswith(q)]

    return suggest


def timings(suggest: Callable[[str, str | None], object], qs: list[str]) -> list[float]:
    for q in qs[:WARM_UP]:
        suggest(q, "QC")
    times = []
    for i, q in enumerate(qs):
        region = ("FR", "QC", None)[i % 3]
        start = time.perf_counter_ns()
        suggest(q, region)
        times.append((time.perf_counter_ns() - start) / MS)
    return sorted(times)


def line(name: str, size: int, times: list[float], base: list[float]) -> str:
    p99 = times[int(len(times) * P99) - 1]
    base_p99 = base[int(len(base) * P99) - 1]
    return (
        f"{name:<22} {size:>6}  p50 {statistics.median(times):.3f} ms  p99 {p99:.3f} ms  "
        f"max {times[-1]:.3f} ms  | baseline p99 {base_p99:.3f} ms (×{p99 / base_p99:.0f})"
    )


def measure(name: str, entries: list[Entry], qs: list[str]) -> None:
    start = time.perf_counter()
    matcher = Matcher(entries)
    built = (time.perf_counter() - start) * 1000

    def suggest(q: str, region: str | None) -> object:
        return matcher.suggest(q, region_first=region)

    found = timings(suggest, qs)
    base = timings(prefix_baseline(list(matcher.glossary)), qs)
    print(f"{name}: index built in {built:.1f} ms; {len(qs)} queries")
    print(line(name, len(matcher.glossary), found, base))


def main(quick: bool) -> int:
    entries, count = SIZES["quick" if quick else "full"]
    rng = random.Random(20251130)
    shipped = list(load_glossary())
    measure("shipped glossary", shipped, queries(shipped, count, rng))
    big = synthetic(entries, rng)
    measure(f"synthetic {entries:,}", big, queries(big, count, rng))
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 entries, 500 queries")
    raise SystemExit(main(parser.parse_args().quick))
