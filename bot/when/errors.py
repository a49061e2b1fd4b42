"""The one exception of ``bot.when``: a catalog key plus placeholders, never a sentence."""

from __future__ import annotations

from typing import Any

from bot.user_error import UserError

#: Every key ``parse_when``, ``parse_date`` and ``bot.when.offsets`` can raise, with the
#: placeholders they pass.
ERROR_PARAMS: dict[str, frozenset[str]] = {
    "when.error.not_understood": frozenset({"text", "examples"}),
    "when.error.missing_hour": frozenset({"text", "examples"}),
    "when.error.impossible_date": frozenset({"text", "examples"}),
    "when.error.impossible_hour": frozenset({"text", "examples"}),
    "when.error.ambiguous_date": frozenset({"text", "day_first", "month_first"}),
    "when.error.weekday_mismatch": frozenset({"text", "date", "weekday"}),
    "when.error.past": frozenset({"text", "when"}),
    "when.error.too_far": frozenset({"text", "years"}),
    "when.error.nonexistent_time": frozenset(
        {"text", "day", "time", "place", "from_hour", "to_hour"}
    ),
    "when.error.ambiguous_time": frozenset(
        {"text", "day", "time", "place", "from_hour", "to_hour"}
    ),
    "when.error.date_with_hour": frozenset({"text", "examples"}),
    "when.error.vague_date": frozenset({"text", "example"}),
    "when.error.past_date": frozenset({"text", "date"}),
    "when.error.bad_offset": frozenset({"text"}),
    "when.error.offset_range": frozenset({"text", "days"}),
    "when.error.offset_after_start": frozenset({"text", "start"}),
    "when.error.no_offsets": frozenset({"text"}),
    "when.error.too_many_offsets": frozenset({"text", "max"}),
}


class WhenError(UserError):
    """A date or hour a member typed that cannot be used; ``key`` is one of ``ERROR_PARAMS``."""

    def __init__(self, key: str, **params: Any) -> None:
        assert key in ERROR_PARAMS, key
        super().__init__(key, **params)
