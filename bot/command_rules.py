"""Discord's rules for application-command payloads, checked before anything is synced."""

from __future__ import annotations

import re
from typing import Any

import discord

NAME = re.compile(r"^[-_\w\u0900-\u097F\u0E00-\u0E7F]{1,32}$")
DISCORD_LOCALES = frozenset(str(loc) for loc in discord.Locale)
MAX_COMMANDS = 100
DESCRIPTION_MAX = 100  # also a choice's name
OPTIONS_MAX = 25  # also choices
SUBCOMMAND_TYPES = (
    discord.AppCommandOptionType.subcommand.value,
    discord.AppCommandOptionType.subcommand_group.value,
)


def _check_name(where: str, name: str, problems: list[str]) -> None:
    if not NAME.match(name) or name != name.lower():
        problems.append(f"{where}: name {name!r} breaks Discord's pattern (lowercase, 1-32)")


def _check_locs(where: str, locs: dict[str, str] | None, problems: list[str], desc: bool) -> None:
    for locale, text in (locs or {}).items():
        if locale not in DISCORD_LOCALES:
            problems.append(f"{where}: {locale!r} is not a Discord locale")
        if desc and not 1 <= len(text) <= DESCRIPTION_MAX:
            problems.append(f"{where}: {locale} description must be 1-100 characters")
        if not desc:
            _check_name(f"{where}[{locale}]", text, problems)


def _check_option(where: str, option: dict[str, Any], problems: list[str]) -> None:
    _check_name(where, option["name"], problems)
    _check_locs(where, option.get("name_localizations"), problems, desc=False)
    if not 1 <= len(option.get("description", "")) <= DESCRIPTION_MAX:
        problems.append(f"{where}: description must be 1-100 characters")
    _check_locs(where, option.get("description_localizations"), problems, desc=True)
    choices = option.get("choices") or []
    if len(choices) > OPTIONS_MAX:
        problems.append(f"{where}: more than 25 choices")
    for choice in choices:
        if not 1 <= len(choice["name"]) <= DESCRIPTION_MAX:
            problems.append(f"{where}: choice name must be 1-100 characters")
        for locale in choice.get("name_localizations") or {}:
            if locale not in DISCORD_LOCALES:
                problems.append(f"{where}: {locale!r} is not a Discord locale")
    children = option.get("options") or []
    if len(children) > OPTIONS_MAX:
        problems.append(f"{where}: more than 25 options")
    seen_optional = False
    for child in children:
        if child.get("type") not in SUBCOMMAND_TYPES:
            if child.get("required") and seen_optional:
                problems.append(f"{where}: required option after an optional one")
            seen_optional = seen_optional or not child.get("required")
        _check_option(f"{where} {child['name']}", child, problems)


def check_payload(payload: list[dict[str, Any]]) -> list[str]:
    """Every rule broken by this payload, as readable sentences (empty when all is well)."""
    problems: list[str] = []
    if len(payload) > MAX_COMMANDS:
        problems.append("more than 100 top-level commands")
    names = [c["name"] for c in payload]
    if len(names) != len(set(names)):
        problems.append("two commands share a name")
    for command in payload:
        where = f"/{command['name']}"
        if command.get("type", 1) == 1:
            _check_option(where, command, problems)
        else:
            _check_name(where, command["name"], problems)
    return problems
