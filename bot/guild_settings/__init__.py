"""Per-server settings (language, zone, region, moderator role, channels), members' preferences."""

from bot.guild_settings.model import REGIONS, GuildSettings, MemberSettings, region_for_zone
from bot.guild_settings.store import SettingsStore

__all__ = ["REGIONS", "GuildSettings", "MemberSettings", "SettingsStore", "region_for_zone"]
