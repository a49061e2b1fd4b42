"""Errors a member can fix, raised by domain code that knows nothing of Discord.

A ``UserError`` carries a catalog key and its placeholders, never a finished sentence: the one
error handler (``bot.errors``) translates it into the member's language and answers ephemerally.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from bot.i18n import t


@runtime_checkable
class Localised(Protocol):
    """A parameter that can only be worded once the member's language is known."""

    def render(self, lang: str) -> str: ...


class UserError(Exception):
    """Bad input or a refused action; the message is a translation key plus parameters."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def params_in(self, lang: str) -> dict[str, Any]:
        params = self.params.items()
        return {k: v.render(lang) if isinstance(v, Localised) else v for k, v in params}

    def __repr__(self) -> str:  # params may hold user text: keep them out of reprs and logs
        return f"{type(self).__name__}({self.key!r})"


class Cause:
    """Another `UserError`'s sentence as a parameter, worded in the member's language: a
    refusal that says which part of the input it is about (« créneau 3 : … »)."""

    def __init__(self, error: UserError) -> None:
        self.error = error

    def render(self, lang: str) -> str:
        return t(self.error.key, lang, **self.error.params_in(lang))
