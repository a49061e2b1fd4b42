"""Operator sub-commands that features add to `python -m bot` without the core importing them.

A feature declares `name = "package.module:function"` in the `passerelle.cli` entry-point group
of `pyproject.toml`; the function takes the remaining arguments and the settings and returns the
exit code. The core finds them through the installed metadata, so `bot` never imports `cogs`.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points

from bot.settings import Settings

GROUP = "passerelle.cli"

CliCommand = Callable[[list[str], Settings], int]


def plugins() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def load(name: str) -> CliCommand | None:
    entry = plugins().get(name)
    return None if entry is None else entry.load()
