"""What Réseau's workflows share: who is still a member (a bounded cache in front of
`GET /guilds/{g}/members/{u}`), the secrecy guard, direct messages, access to the directory."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.checks import is_moderator, require_guild
from bot.discord_text import SAFE_MENTIONS
from bot.user_error import UserError
from cogs.reseau.service import ReseauConfig
from cogs.reseau.store import ReseauStore
from cogs.reseau.views import ReseauViews

if TYPE_CHECKING:
    from bot.client import Passerelle

log = logging.getLogger(__name__)

UNKNOWN_MEMBER = 10007  # Discord: the user is not (or no longer) a member of the server
DM_CLOSED = 50007  # Discord: the user does not accept direct messages from the bot
PRESENCE_SIZE = 10_000  # members remembered, all servers together
PRESENCE_TTL = timedelta(minutes=10)  # a member seen is not asked about again for this long


class Guard(Protocol):
    """The professional-secrecy guard, as Réseau uses it (given by `setup`)."""

    async def scan(self, text: str, now: datetime) -> list[str]:
        """The kinds of identifying details found in `text` (never the text itself)."""
        ...

    def describe(self, kinds: Sequence[str], lang: str) -> str:
        """« un numéro de téléphone, une date de naissance » for the member."""
        ...


@dataclass(frozen=True)
class Seen:
    name: str
    bot: bool
    until: datetime


class Presence:
    """Who is still a member of a server, without the privileged members intent: asked to
    Discord when a page shows someone (404 10007: they left), remembered for a while, bounded
    (least recently used first out)."""

    def __init__(
        self, bot: Passerelle, size: int = PRESENCE_SIZE, ttl: timedelta = PRESENCE_TTL
    ) -> None:
        self.bot, self.size, self.ttl = bot, size, ttl
        self._seen: OrderedDict[tuple[int, int], Seen] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def forget(self, guild_id: int, user_id: int) -> None:
        self._seen.pop((guild_id, user_id), None)

    def known(self, guild_id: int, user_ids: list[int]) -> bool:
        """Whether all of them were seen recently (no request to Discord needed)."""
        now = self.bot.clock.now()
        return all(
            (seen := self._seen.get((guild_id, u))) is not None and now < seen.until
            for u in user_ids
        )

    async def check(
        self, guild: discord.Guild, user_id: int, *, fresh: bool = False
    ) -> Seen | None:
        """The member's name and bot flag, or None when they are not a member (any more).
        A failure other than « unknown member » counts as present: nobody is hidden, nor their
        profile forgotten, because Discord hiccuped."""
        now = self.bot.clock.now()
        key = (guild.id, user_id)
        seen = self._seen.get(key)
        if seen is not None and not fresh and now < seen.until:
            self._seen.move_to_end(key)
            return seen
        member = guild.get_member(user_id)
        if member is None:
            try:
                member = await guild.fetch_member(user_id)
            except discord.NotFound as error:
                if error.code == UNKNOWN_MEMBER:
                    self.forget(guild.id, user_id)
                    return None
                raise
            except discord.HTTPException:
                log.warning("membership of a user in guild %s could not be checked", guild.id)
                return seen or Seen("", False, now)
        seen = Seen(member.display_name, member.bot, now + self.ttl)
        self._seen[key] = seen
        self._seen.move_to_end(key)
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return seen

    async def check_many(self, guild: discord.Guild, user_ids: list[int]) -> dict[int, Seen | None]:
        found = await asyncio.gather(*(self.check(guild, u) for u in user_ids))
        return dict(zip(user_ids, found, strict=True))


class Common:
    """The pieces every part of Réseau's workflows uses."""

    def __init__(self, bot: Passerelle, store: ReseauStore, guard: Guard) -> None:
        self.bot, self.store, self.secrecy = bot, store, guard
        self.presence = Presence(bot)
        self.ui: ReseauViews  # set by ReseauFlows, which the bound items reach

    def now(self) -> datetime:
        return self.bot.clock.now()

    def guild(self, guild_id: int) -> discord.Guild:
        guild = self.bot.get_guild(guild_id)
        if guild is None:
            raise UserError("reseau.error.server_gone")
        return guild

    def server_lang(self, guild_id: int | None) -> str:
        return self.bot.settings_store.lang_of(guild_id)

    async def config(self, guild_id: int) -> ReseauConfig:
        return await self.store.profiles.config(guild_id)

    async def require_directory(self, interaction: discord.Interaction[Any]) -> discord.Guild:
        """The directory (and asking for a contact) may be kept to a role by the moderators."""
        guild = require_guild(interaction)
        config = await self.config(guild.id)
        if config.directory_role_id is None or is_moderator(interaction):
            return guild
        roles = getattr(interaction.user, "roles", [])
        if not any(role.id == config.directory_role_id for role in roles):
            raise UserError("reseau.error.directory_role", role=f"<@&{config.directory_role_id}>")
        return guild

    async def guard(self, text: str) -> list[str]:
        """The kinds of identifying details the secrecy guard finds (never the text itself)."""
        return await self.secrecy.scan(text, self.now()) if text.strip() else []

    async def dm(self, user_id: int, **message: Any) -> discord.Message | None:
        """A direct message, or None when the member's DMs are closed (remembered, like the
        engine does, so that scheduled DMs don't knock again); opening them is noticed here."""
        store = self.bot.settings_store
        try:
            channel = await self.bot.create_dm(discord.Object(user_id))  # type: ignore[arg-type]
            sent = await channel.send(allowed_mentions=SAFE_MENTIONS, **message)
        except discord.Forbidden as error:
            if error.code == DM_CLOSED:
                member = await store.member(user_id)
                if not member.dm_closed:
                    await store.save_member(replace(member, dm_closed=True))
                return None
            raise
        member = await store.member(user_id)
        if member.dm_closed:
            await store.save_member(replace(member, dm_closed=False))
        return sent

    async def respond(
        self, interaction: discord.Interaction[Any], *, edit: bool = False, **message: Any
    ) -> None:
        """Answer ephemerally, or edit the message the component is on, whatever was done."""
        if edit:
            if interaction.response.is_done():
                await interaction.edit_original_response(**message)
            else:
                await interaction.response.edit_message(**message)
            return
        # a new message has nothing to take away: `view=None` / `embed=None` only mean so in edits
        fresh = {k: v for k, v in message.items() if v is not None}
        if interaction.response.is_done():
            await interaction.followup.send(ephemeral=True, **fresh)
        else:
            await interaction.response.send_message(ephemeral=True, **fresh)
