"""Figures for the professional-secrecy guard on its labelled corpus.

Run: ``.venv/bin/python bench/guard_corpus.py`` — prints the corpus size, the detection rate
(messages with details where every expected kind was found), the false-alarm rate (clean messages
with any finding), recall and precision per kind, and scan latency p50/p99.
"""

from __future__ import annotations

import statistics
import sys
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cogs.soutien.guard import KINDS, kinds_found, scan

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "unit" / "data" / "guard_corpus.toml"
REF_YEAR = 2026
ROUNDS = 50


def main() -> None:
    with CORPUS.open("rb") as f:
        messages = tomllib.load(f)["message"]
    identifying = [m for m in messages if m["kinds"]]
    clean = [m for m in messages if not m["kinds"]]

    tp = dict.fromkeys(KINDS, 0)
    fp = dict.fromkeys(KINDS, 0)
    fn = dict.fromkeys(KINDS, 0)
    detected = alarms = 0
    for m in messages:
        expected = set(m["kinds"])
        got = set(kinds_found(m["text"], ref_year=REF_YEAR))
        for kind in KINDS:
            if kind in got and kind in expected:
                tp[kind] += 1
            elif kind in got:
                fp[kind] += 1
            elif kind in expected:
                fn[kind] += 1
        if expected and expected <= got:
            detected += 1
        if not expected and got:
            alarms += 1

    latencies: list[float] = []
    for _ in range(ROUNDS):
        for m in messages:
            start = time.perf_counter()
            scan(m["text"], ref_year=REF_YEAR)
            latencies.append(time.perf_counter() - start)
    latencies.sort()
    p50 = statistics.median(latencies) * 1e6
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1e6

    print(f"corpus: {len(messages)} messages ({len(identifying)} with details, {len(clean)} clean)")
    print(f"detection rate:   {detected / len(identifying):.3f} ({detected}/{len(identifying)})")
    print(f"false-alarm rate: {alarms / len(clean):.3f} ({alarms}/{len(clean)})")
    print(f"{'kind':<14} {'support':>7} {'recall':>7} {'precision':>9}")
    for kind in KINDS:
        support = tp[kind] + fn[kind]
        recall = tp[kind] / support if support else float("nan")
        found = tp[kind] + fp[kind]
        precision = tp[kind] / found if found else float("nan")
        print(f"{kind:<14} {support:>7} {recall:>7.3f} {precision:>9.3f}")
    print(f"scan latency over {len(latencies)} scans: p50 {p50:.1f} µs, p99 {p99:.1f} µs")


if __name__ == "__main__":
    main()
