"""Members' names without the members intent: the cache is mostly empty, so ask Discord.

The bot runs without the privileged members intent: ``guild.get_member`` is usually None. A
feature that shows names (a participants' file, a directory) asks Discord for each missing
member, bounded per call and a few requests at a time, and falls back to the id; and
whether someone has left the server is asked to Discord too (`has_left`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import aiohttp
import discord

log = logging.getLogger(__name__)

FETCHED_MAX = 100  # members asked for in one call; the others are shown by id
FETCHED_AT_ONCE = 4  # requests in flight at a time (one route: Discord paces it per server)
UNKNOWN_MEMBER = 10007  # Discord's JSON error code: this user is not a member of the server


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


async def has_left(guild: discord.Guild, user_id: int) -> bool:
    """Whether `user_id` is no longer a member of `guild`, as Discord says it (404, code 10007).

    Without the members intent the bot hears of no departure and its cache may be stale, so
    Discord is asked every time. Any other failure (Discord unavailable, rate limit, network) is
    not a departure: the question is asked again next time, and what called it goes on."""
    try:
        await guild.fetch_member(user_id)
    except discord.NotFound as error:
        return error.code == UNKNOWN_MEMBER
    except (discord.HTTPException, aiohttp.ClientError, OSError) as error:
        log.info("could not ask whether %s is still on server %s (%s)", user_id, guild.id, error)
    return False
