"""Telling a server's moderators something they must know (a host gone, a channel lost).

Where: the moderators' channel (`/config salon-moderation`), else the announcements' channel;
never a channel the caller says is the failing one. The text is the caller's, sent with no
mention at all (it may name members; nobody is pinged).
"""

from __future__ import annotations

import logging

import discord

from bot.discord_text import NO_MENTIONS
from bot.guild_settings import SettingsStore

log = logging.getLogger(__name__)


async def tell_moderators(
    client: discord.Client,
    settings: SettingsStore,
    guild_id: int,
    text: str,
    *,
    avoid_channel_id: int | None = None,
) -> bool:
    """Post `text` where the moderators read; False when no channel could take it."""
    configured = settings.guild(guild_id)
    for channel_id in (configured.mod_channel_id, configured.announce_channel_id):
        if not channel_id or channel_id == avoid_channel_id:
            continue
        try:
            where = client.get_partial_messageable(channel_id, guild_id=guild_id)
            await where.send(text, allowed_mentions=NO_MENTIONS)
            return True
        except discord.HTTPException:
            log.warning("could not tell the moderators of server %s in %s", guild_id, channel_id)
    return False
