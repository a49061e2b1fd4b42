"""``python -m bot sigles …``: check the shipped glossary, export it (or a server's entries).

    sigles check [--dir DIR]      every rule of glossary.py and consistency.py, then the counts
    sigles export --format csv|json [--guild ID] [--output FILE] [--dir DIR]

``command`` is the entry point `python -m bot sigles` runs (see ``bot.cli``): it reads a
server's entries from the bot's database for ``--guild``. Imports nothing from discord.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import sys
from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TextIO

from bot.settings import Settings

from .consistency import stats
from .export import to_csv, to_json
from .glossary import DEFAULT_DIRECTORY, Entry, GlossaryError, load_glossary
from .store import read_guild_entries

GuildEntriesHook = Callable[[int], Iterable[Entry] | Awaitable[Iterable[Entry]]]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sigles", description="Glossaire des sigles du travail social (France–Québec)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="valider les fichiers data/sigles/*.toml")
    check.add_argument("--dir", type=Path, default=DEFAULT_DIRECTORY, help="dossier des TOML")
    export = sub.add_parser("export", help="exporter le glossaire en CSV ou JSON")
    export.add_argument("--format", choices=("csv", "json"), required=True)
    export.add_argument("--guild", type=int, default=None, help="exporter les sigles d'un serveur")
    export.add_argument("--output", "-o", type=Path, default=None, help="fichier (défaut : stdout)")
    export.add_argument("--dir", type=Path, default=DEFAULT_DIRECTORY, help="dossier des TOML")
    return parser


def _guild_entries(hook: GuildEntriesHook, guild_id: int) -> list[Entry]:
    result = hook(guild_id)
    if inspect.isawaitable(result):
        result = asyncio.run(_await(result))
    return list(result)


async def _await(awaitable: Awaitable[Iterable[Entry]]) -> Iterable[Entry]:
    return await awaitable


def main(
    argv: list[str],
    *,
    guild_entries: GuildEntriesHook | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run ``sigles check`` or ``sigles export``; returns the process exit code.

    ``argv`` may start with ``"sigles"`` or directly with the subcommand.
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args_in = list(argv)
    if args_in[:1] == ["sigles"]:
        args_in = args_in[1:]
    parser = _parser()
    try:
        args = parser.parse_args(args_in)
    except SystemExit as exc:  # argparse already printed usage
        return int(exc.code or 0)

    if args.command == "check":
        try:
            glossary = load_glossary(args.dir, today=date.today())
        except GlossaryError as exc:
            for problem in exc.problems:
                print(problem, file=err)
            print(f"{len(exc.problems)} problème(s).", file=err)
            return 1
        domains = ", ".join(f"{d} {n}" for d, n in glossary.counts_by_domain().items())
        figures = stats(glossary)
        print(f"{glossary.summary()}", file=out)
        print(
            f"contreparties : {figures.with_counterparts} entrées en nomment, "
            f"{figures.pairs} paires symétriques (dont France–Québec : {figures.pairs_fr_qc})",
            file=out,
        )
        print(f"anciens noms : {figures.past_names}, reliés à leurs successeurs", file=out)
        print(f"sources à la racine d'un code : {figures.code_roots}", file=out)
        print(f"domaines : {domains}", file=out)
        return 0

    # export: the shipped glossary, plus (with --guild) that server's own entries on top
    try:
        glossary = load_glossary(args.dir)
    except GlossaryError as exc:
        for problem in exc.problems:
            print(problem, file=err)
        return 1
    entries = list(glossary)
    if args.guild is not None:
        if guild_entries is None:
            print(
                "erreur : --guild demande l'accès à la base du bot ; lancez cette commande via "
                "`python -m bot sigles export --guild ID` (aucune source de sigles de serveur "
                "n'est branchée ici).",
                file=err,
            )
            return 2
        try:
            own = _guild_entries(guild_entries, args.guild)
        except Exception as exc:  # the hook is foreign code: report, don't trace back
            print(f"erreur : lecture des sigles du serveur {args.guild} : {exc}", file=err)
            return 1
        entries = list(glossary.with_extra(own))
    text = to_csv(entries) if args.format == "csv" else to_json(entries)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
        print(f"{len(entries)} entrées écrites dans {args.output}", file=err)
    else:
        out.write(text)
    return 0


def command(argv: list[str], settings: Settings) -> int:
    """`python -m bot sigles …` (registered in pyproject's `passerelle.cli` entry points)."""
    return main(argv, guild_entries=lambda gid: read_guild_entries(settings.database, gid))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
