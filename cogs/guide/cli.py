"""``python -m bot guide check [--dir DIR]``: check the guide for those who move.

``command`` is the entry point (`passerelle.cli` group in pyproject, see ``bot.cli``). It prints
each problem and exits 1 if there is one; it lists the steps not verified on their source.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from bot.settings import Settings
from cogs.guide.service import GUIDE_DIR, SIGLES_DIR, Direction, read


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="guide", description="Guide de celles et ceux qui partent (France ↔ Québec)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="valider data/guide/*.toml")
    check.add_argument("--dir", type=Path, default=GUIDE_DIR, help="dossier des TOML")
    check.add_argument("--sigles", type=Path, default=SIGLES_DIR, help="dossier du glossaire")
    return parser


def main(argv: list[str], *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    args_in = list(argv)
    if args_in[:1] == ["guide"]:
        args_in = args_in[1:]
    try:
        args = _parser().parse_args(args_in)
    except SystemExit as exc:  # argparse printed the usage
        return int(exc.code or 0)
    problems: list[str] = []
    for direction in Direction:
        guide, found = read(direction, args.dir, args.sigles)
        problems += found
        unverified = [s.id for s in guide.steps if not s.verified]
        print(
            f"{direction} : {len(guide.steps)} étapes, {len(guide.steps) - len(unverified)}"
            f" vérifiées sur leur source, {len(unverified)} à vérifier"
            + (f" ({', '.join(unverified)})" if unverified else ""),
            file=out,
        )
    for problem in problems:
        print(problem, file=err)
    if problems:
        print(f"{len(problems)} problème(s).", file=err)
        return 1
    return 0


def command(argv: list[str], settings: Settings) -> int:
    """`python -m bot guide …` (registered in pyproject's `passerelle.cli` entry points)."""
    return main(argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
