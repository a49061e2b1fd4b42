"""The house rules, checked on the source (tests excluded): see CONTRIBUTING.md « The house ».

- no import cycle anywhere in `bot/` and `cogs/` (imports under TYPE_CHECKING and inside
  functions count: they are how cycles hide);
- the core (`bot`) imports no feature; a feature imports no other feature;
- SQL lives in `store.py` files only, and no feature touches the engine's `reminder_*` tables
  or imports `bot.reminders.store`;
- a `service.py` (a feature's, or one of its parts') imports nothing from discord; no feature
  looks another cog up (`get_cog`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FEATURES = sorted(p.parent.name for p in (ROOT / "cogs").glob("*/__init__.py"))
SQL = re.compile(
    r"^\s*(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b",
    re.IGNORECASE | re.DOTALL,
)


def _modules() -> dict[str, Path]:
    found = {}
    for path in [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("cogs").rglob("*.py")]:
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if target := _resolve(alias.name):
                    yield target
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if target := _resolve(full if full in MODULES else base):
                    yield target


GRAPH = {m: {t for t in _imports(m, p) if t != m} for m, p in MODULES.items()}


def _feature(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "cogs" and len(parts) > 1 else None


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle() -> None:
    cycles = list(_cycles())
    assert not cycles, cycles


def test_the_core_imports_no_feature() -> None:
    edges = [(a, b) for a, out in GRAPH.items() for b in out if a.startswith("bot") and _feature(b)]
    assert not edges, edges


def test_a_feature_imports_no_other_feature() -> None:
    edges = [
        (a, b)
        for a, out in GRAPH.items()
        for b in out
        if _feature(a) and _feature(b) and _feature(a) != _feature(b)
    ]
    assert not edges, edges


def test_no_feature_reaches_into_the_engine() -> None:
    offenders = [m for m, out in GRAPH.items() if _feature(m) and "bot.reminders.store" in out]
    offenders += [
        str(p.relative_to(ROOT))
        for m, p in MODULES.items()
        if _feature(m) and re.search(r"\breminder_(items|ledger|failure_reports)\b", p.read_text())
    ]
    assert not offenders, offenders


def _string_constants(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


@pytest.mark.parametrize("feature", FEATURES)
def test_sql_lives_in_store_modules_only(feature: str) -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "cogs" / feature).rglob("*.py")
        if path.name != "store.py" and any(SQL.search(s) for s in _string_constants(path))
    ]
    assert not offenders, offenders


@pytest.mark.parametrize("feature", FEATURES)
def test_rules_import_nothing_from_discord(feature: str) -> None:
    """The feature's `service` modules, its parts' too (`cogs.rencontres.polls.service`)."""
    services = [m for m in MODULES if _feature(m) == feature and m.endswith(".service")]
    for service in services:
        source = MODULES[service].read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import discord|from discord\b)", source, re.M), service


@pytest.mark.parametrize("feature", FEATURES)
def test_no_cog_looks_another_up(feature: str) -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "cogs" / feature).rglob("*.py")
        if "get_cog(" in p.read_text(encoding="utf-8")
    ]
    assert not offenders, offenders
