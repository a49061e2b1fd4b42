"""``python -m bot ressources check``: validate the help-line file.

    ressources check [--fichier PATH] [--date AAAA-MM-JJ]

Registered through the ``passerelle.cli`` entry-point group (pyproject.toml); ``python -m bot``
calls ``main(rest, settings)``. Checks the schema,
https sources, check dates (present, not in the future), duplicate numbers within a region, a
verified emergency number in every region, and the « Non vérifié ici » notes; lines checked more
than a year ago are reported as warnings. Prints French then English; returns the exit code
(0 fine, 1 problems, 2 bad arguments). Imports nothing from discord.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from cogs.soutien.resources import DEFAULT_PATH, REGIONS, LignesError, audit, by_region, load_lignes

NAME = "ressources"
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"python -m bot {NAME}",
        description="Lignes d'écoute et d'urgence / Help lines (data/ressources/lignes.toml).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="valider le fichier / validate the file")
    check.add_argument("--fichier", type=Path, default=DEFAULT_PATH, help="lignes.toml")
    check.add_argument(
        "--date",
        type=date.fromisoformat,
        default=None,
        help="jour de référence / reference day (AAAA-MM-JJ, défaut : aujourd'hui)",
    )
    return parser


def main(
    argv: list[str],
    settings: object = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run ``ressources check``; ``argv`` may start with ``"ressources"``.

    ``settings`` is what ``python -m bot`` passes to every ``passerelle.cli`` command (bot/cli.py);
    the check needs none of it.
    """
    out, err = stdout or sys.stdout, stderr or sys.stderr
    args_in = list(argv)
    if args_in[:1] == [NAME]:
        args_in = args_in[1:]
    try:
        args = _parser().parse_args(args_in)
    except SystemExit as exc:  # argparse printed the usage
        return EXIT_USAGE if exc.code else EXIT_OK
    today = args.date or date.today()
    try:
        lignes = load_lignes(args.fichier)
    except OSError as exc:
        print(f"Lecture impossible / Cannot read: {args.fichier} ({exc})", file=err)
        return EXIT_PROBLEMS
    except LignesError as exc:
        for problem in exc.problems:
            print(problem, file=err)
        print(f"Problèmes : {len(exc.problems)} / Problems: {len(exc.problems)}", file=err)
        return EXIT_PROBLEMS
    result = audit(lignes, today, origin=args.fichier.name)
    for warning in result.warnings:
        print(f"Attention / Warning — {warning}", file=out)
    if result.problems:
        for problem in result.problems:
            print(problem, file=err)
        count = len(result.problems)
        print(f"Problèmes : {count} / Problems: {count}", file=err)
        return EXIT_PROBLEMS
    grouped = by_region(lignes)
    per_region = ", ".join(f"{r} {len(grouped[r])}" for r in REGIONS)
    verified = sum(x.verifie for x in lignes)
    others = sum(len(x.autres) for x in lignes)
    unverified = len(lignes) - verified
    print(
        f"OK : {len(lignes)} lignes ({per_region}) ; vérifiées : {verified}, "
        f"non vérifiées : {unverified} ; seconds contacts : {others}.",
        file=out,
    )
    print(
        f"OK: {len(lignes)} lines ({per_region}); verified: {verified}, "
        f"unverified: {unverified}; second contacts: {others}.",
        file=out,
    )
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
