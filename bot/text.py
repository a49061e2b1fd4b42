"""Text rules shared by every feature: how typed text is compared."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """The one comparison form: no case, no accents, single spaces (any width), trimmed.

    "  Café  RÉSEAU" → "cafe reseau"; "Montréal\u202f" → "montreal".
    """
    if text.isascii():  # no accents to strip: most of what is folded (glossary indexes at start)
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if not decomposed.isascii():
        decomposed = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(decomposed.split())


def compact(text: str) -> str:
    """`fold` keeping letters and digits only: "C.L.S.C." → "clsc", "Pôle emploi" → "poleemploi"."""
    return "".join(filter(str.isalnum, fold(text)))
