"""The settings as plain values; no Discord, no SQL."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from zoneinfo import available_timezones

from bot.user_error import UserError

# The zones members of France and Québec actually live in come first in suggestions.
PREFERRED_ZONES = (
    "Europe/Paris",
    "America/Montreal",
    "America/Toronto",
    "Europe/Brussels",
    "Europe/Zurich",
    "America/Martinique",
    "America/Guadeloupe",
    "Indian/Reunion",
    "America/Cayenne",
    "Indian/Mayotte",
    "Pacific/Noumea",
    "Pacific/Tahiti",
    "America/Miquelon",
    "America/Moncton",
    "America/Halifax",
    "America/Vancouver",
)


def validate_zone(name: str) -> str:
    name = name.strip()
    if name not in _all_zones():
        raise UserError("config.error.bad_zone", zone=name[:60])
    return name


@cache
def _all_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def zone_suggestions(typed: str, limit: int = 25) -> list[str]:
    """IANA zones for autocomplete: France and Québec zones first, then the rest, by prefix."""
    needle = typed.strip().lower().replace(" ", "_")
    preferred = [z for z in PREFERRED_ZONES if needle in z.lower()]
    others = sorted(z for z in _all_zones() if needle in z.lower() and z not in PREFERRED_ZONES)
    return (preferred + others)[:limit]


@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    language: str | None = None
    timezone: str | None = None
    region: str | None = None
    moderator_role_id: int | None = None
    announce_channel_id: int | None = None
    mod_channel_id: int | None = None

    def with_(self, **changes: object) -> GuildSettings:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class MemberSettings:
    user_id: int
    timezone: str | None = None
    dm_reminders: bool = False
    dm_closed: bool = False
