"""Run every benchmark of bench/ one after the other (CI: `--quick`, seconds each) and fail if
one of them fails: a benchmark that no longer runs is caught the day it breaks.

Run: .venv/bin/python bench/run_all.py [--quick] [names…]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# In this order: the quick ones first; the soak last.
BENCHES = (
    "startup",
    "reminders_startup",
    "sigles_autocomplete",
    "guard_corpus",
    "sigles_glossaire_loop",
    "agenda",
    "reseau",
    "tableau",
    "rsvp",
    "sondages",
    "config_rappels",
    "reminders_fanout",
    "soak",
)
LIMIT_QUICK = 600  # seconds a quick benchmark may take before it is called stuck


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("names", nargs="*", help=f"some of: {', '.join(BENCHES)}")
    options = parser.parse_args()
    names = options.names or list(BENCHES)
    failed = []
    total = time.monotonic()
    for name in names:
        argv = [sys.executable, str(HERE / f"{name}.py")]
        if options.quick:
            argv.append("--quick")
        print(f"\n=== bench/{name}.py {'--quick' if options.quick else ''}", flush=True)
        started = time.monotonic()
        try:
            code = subprocess.run(
                argv, check=False, timeout=LIMIT_QUICK if options.quick else None
            ).returncode
        except subprocess.TimeoutExpired:
            code = -1
        seconds = time.monotonic() - started
        print(
            f"=== bench/{name}.py: {'ok' if code == 0 else f'FAILED ({code})'} in {seconds:.0f} s"
        )
        if code != 0:
            failed.append(name)
    ran = len(names) - len(failed)
    print(f"\n{ran}/{len(names)} benchmarks ran in {time.monotonic() - total:.0f} s")
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
