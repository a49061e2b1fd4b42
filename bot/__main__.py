"""Entry point: `python -m bot [run|check|commands --json|<feature command> …]` (`passerelle`)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence

import discord

from bot import cli, reference
from bot.client import Passerelle, make_bot
from bot.command_rules import check_payload
from bot.db import DatabaseTooNewError
from bot.db import cli as db_cli
from bot.endpoints import use_endpoints
from bot.logs import configure_logging
from bot.settings import Settings, SettingsError, load_settings
from bot.web import WebStartError

log = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="passerelle", description="Passerelle, le bot.")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="se connecter et servir / connect and serve (default)")
    sub.add_parser("check", help="tout vérifier sans se connecter / check without connecting")
    cmds = sub.add_parser("commands", help="les commandes telles que synchronisées")
    cmds.add_argument("--json", action="store_true", help="JSON payload")
    database = sub.add_parser("db", help="status | backup FICHIER | migrate-to URL", add_help=False)
    database.add_argument("rest", nargs=argparse.REMAINDER)
    sub.add_parser(
        "health", help="le bot en marche va-t-il bien ? (/healthz) / is the running bot healthy?"
    )
    for name in sorted(cli.plugins()):  # sub-commands the features declare (bot.cli)
        plugin = sub.add_parser(name, help=f"{name} … (--help)", add_help=False)
        plugin.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


async def _serve(settings: Settings) -> int:
    use_endpoints(settings.discord_api_base, settings.discord_gateway_url)
    bot = make_bot(settings)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with bot:
        runner = asyncio.create_task(bot.start(settings.discord_token), name="passerelle-run")
        stopper = asyncio.create_task(stop.wait(), name="passerelle-stop")
        done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            log.info("stopping on signal")
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError):
                await runner
            return 0
        stopper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await stopper
        runner.result()
    return 0


async def _prepared(settings: Settings) -> Passerelle:
    bot = make_bot(settings)
    await bot.prepare()
    return bot


async def _check(settings: Settings) -> int:
    bot = await _prepared(settings)
    try:
        payload = await bot.command_payload()
        problems = [f"cog {name}: {err!r}" for name, err in bot.failed_cogs.items()]
        problems += check_payload(payload)
        problems += [f"reference: {problem}" for problem in reference.check()]
    finally:
        await bot.db.close()
    if problems:
        print("Problèmes / Problems:", *problems, sep="\n  - ", file=sys.stderr)
        return 1
    token = (
        "présent / set" if settings.discord_token else "absent (requis pour run / needed to run)"
    )
    print(
        f"OK : {len(payload)} commandes, base {settings.database_label} à jour, "
        f"DISCORD_TOKEN {token}."
    )
    return 0


async def _commands(settings: Settings) -> int:
    bot = await _prepared(settings)
    try:
        payload = await bot.command_payload()
    finally:
        await bot.db.close()
    print(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True))
    return 0


HEALTH_TIMEOUT = 10.0  # seconds; Docker's HEALTHCHECK gives more


def _health(settings: Settings) -> int:
    """GET /healthz of the bot running here: 0 when healthy, 1 otherwise (Docker HEALTHCHECK)."""
    if settings.web_port is None:
        print(
            "WEB_PORT n'est pas défini : pas de /healthz à interroger. "
            "/ WEB_PORT is not set: no /healthz to ask.",
            file=sys.stderr,
        )
        return 1
    host = settings.web_host
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    url = f"http://{host}:{settings.web_port}/healthz"
    try:
        # No proxy from the environment: this is a question to the machine itself.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(url, timeout=HEALTH_TIMEOUT) as answer:
            print(answer.read().decode("utf-8", "replace").strip())
            return 0
    except urllib.error.HTTPError as error:  # 503: the body names the failing checks
        print(error.read().decode("utf-8", "replace").strip(), file=sys.stderr)
    except (urllib.error.URLError, OSError) as error:
        print(f"{url} : {error}", file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings(require_token=command == "run")
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    # check/commands/plugins print results on stdout: keep the log to warnings there.
    configure_logging(settings.log_level if command == "run" else "WARNING")
    try:
        if command == "run":
            return asyncio.run(_serve(settings))
        if command == "check":
            return asyncio.run(_check(settings))
        if command == "commands":
            return asyncio.run(_commands(settings))
        if command == "db":
            return db_cli.command(list(args.rest), settings)
        if command == "health":
            return _health(settings)
        plugin = cli.load(command)
        if plugin is not None:
            return plugin(list(args.rest), settings)
    except (DatabaseTooNewError, WebStartError) as error:
        print(error, file=sys.stderr)
        return 2
    except discord.LoginFailure:
        print(
            "DISCORD_TOKEN : Discord a refusé ce jeton ; régénérez-le dans le portail "
            "développeurs. "
            "/ DISCORD_TOKEN: Discord rejected this token; reset it in the developer portal.",
            file=sys.stderr,
        )
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
