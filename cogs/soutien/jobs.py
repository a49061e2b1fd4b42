"""What the reminder engine runs for the support space, and its personal-data provider."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.i18n import t
from bot.reminders import DueItem, OneShotHandler, Outgoing, Schedule
from cogs.soutien import service

if TYPE_CHECKING:
    from cogs.soutien.cog import SoutienCog


class ReplyNotice(OneShotHandler):
    """ "A new reply in your thread", by DM, to anonymous authors who asked for it.

    The item's ref is an opaque token: the recipient is looked up at send time, so a link
    purged or erased meanwhile means no DM. Never a fallback to a channel: a mention there
    would reveal who wrote.
    """

    def __init__(self, cog: SoutienCog) -> None:
        self.cog = cog

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        found = await self.cog.store.author_for_ref(item.ref)
        if found is None or item.guild_id is None:
            return []
        author_id, thread_id = found
        lang = self.cog.guild_lang(item.guild_id)
        url = f"https://discord.com/channels/{item.guild_id}/{thread_id}"
        return [Outgoing(target=f"dm:{author_id}", content=t("soutien.notify.dm", lang, url=url))]


class DailyPurge(OneShotHandler):
    """The retention purge, once a day (also run at start and after every post)."""

    def __init__(self, cog: SoutienCog) -> None:
        self.cog = cog

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        await self.cog.purge(self.cog.bot.clock.now())
        return []

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        due = self.cog.bot.clock.now() + service.PURGE_EVERY
        return Schedule(occurrence=due.isoformat(), due_at=due)


class SoutienData:
    """`/mes-donnees`: what the support space holds about a member, and its erasure.

    Moderation blocks are kept on erasure (a keyed hash, not the id): erasing them would let a
    blocked author post again; the export says so.
    """

    def __init__(self, cog: SoutienCog) -> None:
        self.cog = cog

    async def export(self, user_id: int) -> dict[str, Any]:
        store = self.cog.store
        key = service.author_key(await store.secret(), user_id)
        now = self.cog.bot.clock.now()
        links = [
            {
                "thread": f"https://discord.com/channels/{x.guild_id}/{x.thread_id}",
                "pseudonym": x.pseudonym,
                "reply_notices": x.notify,
                "last_used": x.last_used.isoformat(),
            }
            for x in await store.links_of(user_id)
        ]
        data: dict[str, Any] = {}
        if links:
            data["anonymity_links"] = links
        threads = await store.private_threads_of(user_id)
        if threads:
            data["private_threads_opened"] = [str(x) for x in threads]
        recent = await store.recent_posts(key, now - service.RATE_WINDOW)
        if recent:
            data["recent_anonymous_posts_for_rate_limit"] = len(recent)
        blocks = await store.blocks_of(key)
        if blocks:
            data["moderation_blocks_kept_on_erasure"] = blocks
        return data

    async def erase(self, user_id: int) -> int:
        store = self.cog.store
        refs = await store.erase_links(user_id)
        for ref in refs:
            if ref:
                await self.cog.bot.reminders.cancel("soutien.reply", ref)
        key = service.author_key(await store.secret(), user_id)
        return len(refs) + await store.forget_opener(user_id) + await store.erase_rate(key)
