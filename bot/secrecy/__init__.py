"""The professional-secrecy guard, shared by every feature that posts or shows what members write.

``scan(text, ref_year=…)`` returns ``Finding``s (a kind and a span, never the text);
``kinds_found`` the distinct kinds. ``describe(kinds, lang)`` names them for a member.
See ``guard.py`` for the model's life cycle and ``names.py`` / ``numbers.py`` / ``places.py`` for
what each kind means.
"""

from __future__ import annotations

from bot.i18n import t
from bot.secrecy.guard import KINDS, MODEL_WAIT, Finding, Guard, kinds_found, scan
from bot.secrecy.model import DEFAULT_MODEL, NameModel, configure


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
    "scan",
]
