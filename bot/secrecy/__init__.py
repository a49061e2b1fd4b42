"""The professional-secrecy guard, shared by every feature that posts or shows what members write.

``scan(text, ref_year=…)`` returns ``Finding``s (a kind and a span, never the text);
``kinds_found`` the distinct kinds. ``describe(kinds, lang)`` names them for a member.
See ``guard.py`` for the model's life cycle and ``names.py`` / ``numbers.py`` / ``places.py`` for
what each kind means.

The rules (hundreds of regular expressions, the lexicons, phone-number metadata: about 0.15 s of
CPU) are imported at the first scan or by ``load_rules`` once the bot is ready, off the event
loop, not when the bot starts: ``scan``, ``kinds_found`` and the names below read them then.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bot.i18n import t
from bot.secrecy.model import DEFAULT_MODEL, NameModel, configure

if TYPE_CHECKING:
    from bot.secrecy.guard import KINDS, MODEL_WAIT, Finding, Guard

_GUARD_MODULE = "bot.secrecy.guard"
_FROM_GUARD = frozenset({"KINDS", "MODEL_WAIT", "Finding", "Guard"})


def load_rules() -> None:
    """Import the guard's rules now (blocking: call it in a thread, e.g. `asyncio.to_thread`)."""
    importlib.import_module(_GUARD_MODULE)


def scan(text: str, *, ref_year: int | None = None) -> list[Finding]:
    """Every identifying detail found in ``text`` by the process's guard, sorted by position."""
    from bot.secrecy import guard  # noqa: PLC0415 - the rules are heavy: see the module's doc

    return guard.scan(text, ref_year=ref_year)


def kinds_found(text: str, *, ref_year: int | None = None) -> list[str]:
    """The distinct kinds found in ``text``, in the fixed order of ``KINDS``."""
    from bot.secrecy import guard  # noqa: PLC0415 - the rules are heavy: see the module's doc

    return guard.kinds_found(text, ref_year=ref_year)


def __getattr__(name: str) -> Any:
    if name in _FROM_GUARD:
        return getattr(importlib.import_module(_GUARD_MODULE), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def describe(kinds: list[str], lang: str) -> str:
    """« un numéro de téléphone, un nom de personne » from the kinds found."""
    return ", ".join(t(f"secrecy.kind.{kind}", lang) for kind in kinds)


__all__ = [
    "DEFAULT_MODEL",
    "KINDS",
    "MODEL_WAIT",
    "Finding",
    "Guard",
    "NameModel",
    "configure",
    "describe",
    "kinds_found",
    "load_rules",
    "scan",
]
