"""The rules of `/config`: which settings a moderator may clear, and where each is kept.

Pure: no discord import. The settings themselves are the core's (`bot.guild_settings`).
"""

from __future__ import annotations

from enum import StrEnum

from bot.i18n import LANGS


class Setting(StrEnum):
    """A server setting, as `/config voir` lists it and `/config effacer` offers it."""

    LANGUAGE = "language"
    TIMEZONE = "timezone"
    REGION = "region"
    MODERATOR_ROLE = "moderator_role"
    ANNOUNCE_CHANNEL = "announce_channel"
    MOD_CHANNEL = "mod_channel"

    @property
    def column(self) -> str:
        """Its field in `bot.guild_settings.GuildSettings` (a role or channel: its id)."""
        return COLUMNS[self]


COLUMNS = {
    Setting.LANGUAGE: "language",
    Setting.TIMEZONE: "timezone",
    Setting.REGION: "region",
    Setting.MODERATOR_ROLE: "moderator_role_id",
    Setting.ANNOUNCE_CHANNEL: "announce_channel_id",
    Setting.MOD_CHANNEL: "mod_channel_id",
}
LANGUAGES = LANGS  # what a server may read: French first
# What `/config rappels` lists: the next scheduled messages, the latest problems.
PENDING_SHOWN = 10
PROBLEMS_SHOWN = 10
