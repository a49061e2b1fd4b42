"""Autocomplete latency of the sigles matcher: shipped glossary and a synthetic 10,000 entries.

Run: .venv/bin/python bench/sigles_autocomplete.py
Queries are realistic: prefixes, dotted/lower-case forms, one-letter typos, expansion words.
"""

from __future__ import annotations

import random
import statistics
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cogs.sigles.glossary import DOMAINES, REGIONS, Entry, load_glossary
from cogs.sigles.matcher import Matcher

_WORDS_TEXT = (
    "aide sociale enfance protection jeunesse allocation logement centre service santé "
    "emploi insertion famille handicap autonomie accueil hébergement solidarité "
    "direction conseil commission régional national départemental local programme"
)
WORDS = _WORDS_TEXT.split()


def synthetic(n: int, rng: random.Random) -> list[Entry]:
    entries = []
    seen: set[tuple[str, str]] = set()
    while len(entries) < n:
        sigle = "".join(rng.choices(string.ascii_uppercase, k=rng.randint(2, 7)))
        region = rng.choice(REGIONS)
        if (sigle, region) in seen:
            continue
        seen.add((sigle, region))
        words = rng.sample(WORDS, k=rng.randint(3, 7))
        entries.append(
            Entry(
                sigle=sigle,
                region=region,
                developpe=" ".join(words).capitalize(),
                explication=" ".join(rng.sample(WORDS, k=12)) + ".",
                domaine=rng.choice(DOMAINES),
                source="https://example.org",
                alias=(".".join(sigle) + ".",) if rng.random() < 0.2 else (),
            )
        )
    return entries


def queries(entries: list[Entry], n: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(n):
        sigle = rng.choice(entries).sigle
        kind = rng.random()
        if kind < 0.35:  # typing: a prefix
            out.append(sigle[: rng.randint(1, len(sigle))])
        elif kind < 0.55:  # dotted / lower case
            out.append(".".join(sigle.lower()))
        elif kind < 0.8:  # a typo: drop, double or swap a letter
            i = rng.randrange(len(sigle))
            op = rng.choice(("drop", "double", "swap"))
            if op == "drop" and len(sigle) > 2:
                out.append(sigle[:i] + sigle[i + 1 :])
            elif op == "swap" and i + 1 < len(sigle):
                out.append(sigle[:i] + sigle[i + 1] + sigle[i] + sigle[i + 2 :])
            else:
                out.append(sigle[:i] + sigle[i] + sigle[i:])
        elif kind < 0.9:  # words of the expansion
            out.append(" ".join(rng.sample(WORDS, k=2)))
        else:  # nothing like it
            out.append("".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 8))))
    return out


def measure(name: str, matcher: Matcher, qs: list[str]) -> None:
    for q in qs[:200]:  # warm-up
        matcher.suggest(q, region_first="QC")
    times = []
    for i, q in enumerate(qs):
        region = ("FR", "QC", None)[i % 3]
        start = time.perf_counter_ns()
        matcher.suggest(q, region_first=region)
        times.append((time.perf_counter_ns() - start) / 1e6)
    times.sort()
    p50 = statistics.median(times)
    p99 = times[int(len(times) * 0.99) - 1]
    print(
        f"{name:<28} {len(matcher.glossary):>6} entrées  {len(qs)} requêtes  "
        f"p50 {p50:.3f} ms  p99 {p99:.3f} ms  max {times[-1]:.3f} ms"
    )


def main() -> int:
    rng = random.Random(20251130)
    shipped = load_glossary()
    start = time.perf_counter()
    matcher = Matcher(shipped)
    print(f"index du glossaire livré : {(time.perf_counter() - start) * 1000:.1f} ms")
    measure("glossaire livré", matcher, queries(list(shipped), 5000, rng))
    big = synthetic(10_000, rng)
    start = time.perf_counter()
    big_matcher = Matcher(big)
    print(f"index synthétique : {(time.perf_counter() - start) * 1000:.1f} ms")
    measure("synthétique 10 000", big_matcher, queries(big, 5000, rng))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
