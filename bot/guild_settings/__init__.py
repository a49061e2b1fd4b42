"""Per-server settings (language, zone, region, moderator role, channels), members' preferences."""

from bot.guild_settings.model import GuildSettings, MemberSettings
from bot.guild_settings.store import SettingsStore

__all__ = ["GuildSettings", "MemberSettings", "SettingsStore"]
