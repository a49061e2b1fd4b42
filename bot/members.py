"""Members' names without the members intent: the cache is mostly empty, so ask Discord.

The bot runs without the privileged members intent: ``guild.get_member`` is usually None. A
feature that shows names (a participants' file, a directory) asks Discord for each missing
member, bounded per call and a few requests at a time, and falls back to the id.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import discord

log = logging.getLogger(__name__)

FETCHED_MAX = 100  # members asked for in one call; the others are shown by id
FETCHED_AT_ONCE = 4  # requests in flight at a time (one route: Discord paces it per server)


async def display_names(
    guild: discord.Guild, user_ids: Sequence[int], *, fetched_max: int = FETCHED_MAX
) -> dict[int, str]:
    """Each member's name on the server (nickname, else display name, else username): from
    the cache, else asked to Discord (at most `fetched_max`, a few at a time, each once); the
    id for those who left the server or could not be asked for."""
    names: dict[int, str] = {}
    missing = []
    for user_id in dict.fromkeys(user_ids):
        member = guild.get_member(user_id)
        if member is not None:
            names[user_id] = member.display_name
        else:
            missing.append(user_id)
    gate = asyncio.Semaphore(FETCHED_AT_ONCE)

    async def fetch(user_id: int) -> None:
        async with gate:
            try:
                names[user_id] = (await guild.fetch_member(user_id)).display_name
            except discord.HTTPException:  # gone from the server, or Discord refused
                log.info("no member %s on server %s to name", user_id, guild.id)

    await asyncio.gather(*(fetch(u) for u in missing[:fetched_max]))
    return {user_id: names.get(user_id, str(user_id)) for user_id in user_ids}
