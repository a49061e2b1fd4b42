"""The board on Discord: the forums and their tags, a post's life (published, redrawn, closed,
removed), and telling the moderators once when a forum cannot be used.

Nothing is posted twice: a post is claimed in the database (« publishing ») before the request
that creates it; when that request's answer is lost (the post may exist) or the bot stops in
between, the forum's active posts are read back and the post found there is adopted instead of
being posted again (`reconcile`, also run at start-up).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import aiohttp
import discord

from bot.checks import missing_channel_permissions
from bot.discord_text import NO_MENTIONS
from bot.i18n import t
from bot.reminders import Schedule
from bot.text import fold
from bot.user_error import UserError
from bot.when import day_end
from cogs.tableau import render, service
from cogs.tableau.service import BoardConfig, Post, PostKind, Status
from cogs.tableau.store import TableauStore

if TYPE_CHECKING:
    from bot.client import Passerelle
    from cogs.tableau.views import TableauViews

log = logging.getLogger(__name__)

CLOSE_KIND = "tableau.cloture"
FORUM_TAGS_MAX = 20  # Discord's limit per forum
FORUM_PERMISSIONS = (
    "view_channel",
    "send_messages",
    "send_messages_in_threads",
    "embed_links",
    "manage_threads",
)
# Only to create the board's tags; moderators may create them by hand instead.
TAG_PERMISSION = "manage_channels"
THREAD_ARCHIVE_MINUTES = 7 * 24 * 60
ALWAYS = timedelta(days=3650)
UNCERTAIN = (aiohttp.ClientError, OSError, asyncio.TimeoutError, discord.DiscordServerError)


class Unavailable(Exception):
    """A forum that cannot take a post now: `problem` names why (for the moderators)."""

    def __init__(self, problem: str, **params: Any) -> None:
        super().__init__(problem)
        self.problem = problem
        self.params = params


def require_tag_room(forum: discord.ForumChannel, missing: list[str], lang: str) -> None:
    """Missing tags can be created: within Discord's 20, and with « Gérer les salons » on the
    forum (else the moderators are told which tags to create by hand)."""
    total = len(forum.available_tags) + len(missing)
    if total > FORUM_TAGS_MAX:
        raise UserError(
            "tableau.error.too_many_tags",
            forum=forum.mention,
            have=len(forum.available_tags),
            need=len(missing),
            max=FORUM_TAGS_MAX,
            free=total - FORUM_TAGS_MAX,
        )
    if missing_channel_permissions(forum, forum.guild.me, TAG_PERMISSION):
        raise UserError(
            "tableau.error.tags_permission",
            forum=forum.mention,
            tags=", ".join(render.tag_name(k, lang) for k in missing),
        )


class Board:
    def __init__(self, bot: Passerelle, store: TableauStore) -> None:
        self.bot = bot
        self.store = store
        self.views: TableauViews  # set by TableauFlows once the views are built
        # Called once a post is live (alerts); set by TableauFlows.
        self.on_live: Callable[[Post], Awaitable[None]] | None = None

    def now(self) -> datetime:
        return self.bot.clock.now()

    def lang(self, guild_id: int) -> str:
        return self.bot.settings_store.lang_of(guild_id)

    # -- forums and tags ------------------------------------------------------------------------
    def forum(
        self, guild: discord.Guild | None, config: BoardConfig, kind: PostKind
    ) -> discord.ForumChannel:
        forum_id = config.forum_for(kind)
        if forum_id is None:
            raise Unavailable("not_configured")
        channel = guild.get_channel(forum_id) if guild is not None else None
        if not isinstance(channel, discord.ForumChannel):
            raise Unavailable("forum_gone", forum=f"<#{forum_id}>")
        missing = missing_channel_permissions(channel, channel.guild.me, *FORUM_PERMISSIONS)
        if missing:
            raise Unavailable(
                "missing_permissions",
                forum=channel.mention,
                permissions=missing.render(self.lang(channel.guild.id)),
            )
        return channel

    async def ensure_tags(
        self, forum: discord.ForumChannel, config: BoardConfig
    ) -> dict[str, discord.ForumTag]:
        """The tags this forum needs, created or adopted by name; refused (nothing changed)
        when they would not fit within Discord's 20."""
        offers, news = config.holds(forum.id)
        wanted = service.forum_tag_keys(offers=offers, news=news, shared=config.shared)
        lang = self.lang(forum.guild.id)
        stored = await self.store.config.tags(forum.id)
        existing = {tag.id: tag for tag in forum.available_tags}
        by_name = {fold(tag.name): tag for tag in forum.available_tags}
        found: dict[str, discord.ForumTag] = {}
        missing: list[str] = []
        for key in wanted:
            tag = existing.get(stored.get(key, 0)) or by_name.get(fold(render.tag_name(key, lang)))
            if tag is None:
                missing.append(key)
            else:
                found[key] = tag
        if missing:
            require_tag_room(forum, missing, lang)
            new = [discord.ForumTag(name=render.tag_name(key, lang)) for key in missing]
            edited = await forum.edit(available_tags=[*forum.available_tags, *new])
            tags = edited.available_tags if isinstance(edited, discord.ForumChannel) else []
            by_name = {fold(tag.name): tag for tag in tags}
            for key in missing:
                tag = by_name.get(fold(render.tag_name(key, lang)))
                if tag is not None:
                    found[key] = tag
        if {k: v.id for k, v in found.items()} != stored:
            await self.store.config.save_tags(forum.id, {k: v.id for k, v in found.items()})
        return found

    async def _tag_ids(self, post: Post, config: BoardConfig) -> list[int]:
        stored = await self.store.config.tags(post.forum_id or 0)
        return [
            stored[k] for k in service.tags_for(post, shared_forum=config.shared) if k in stored
        ]

    # -- telling the moderators ----------------------------------------------------------------
    async def tell_moderators(self, guild_id: int, text: str) -> bool:
        """A message in the moderators' channel (else the announcements'); False if none."""
        settings = self.bot.settings_store.guild(guild_id)
        for channel_id in (settings.mod_channel_id, settings.announce_channel_id):
            if not channel_id:
                continue
            try:
                await self.bot.get_partial_messageable(channel_id, guild_id=guild_id).send(
                    text, allowed_mentions=NO_MENTIONS
                )
                return True
            except discord.HTTPException as error:
                log.warning("tableau: could not tell the moderators of %s (%s)", guild_id, error)
        return False

    async def report_problem(self, guild_id: int, problem: Unavailable) -> None:
        """A forum problem, told once (until it is fixed or another one comes)."""
        code = f"{problem.problem}:{problem.params.get('forum', '')}"
        if await self.store.config.set_problem(guild_id, code):
            lang = self.lang(guild_id)
            text = t(f"tableau.problem.{problem.problem}", lang, **problem.params)
            await self.tell_moderators(guild_id, t("tableau.problem.intro", lang, problem=text))

    # -- publishing -----------------------------------------------------------------------------
    async def publish(self, post: Post, *, claim_from: tuple[Status, ...]) -> Post:
        """Post it in its forum. A forum that cannot take it keeps it queued (moderators told
        once); returns the post in its new state."""
        now = self.now()
        if not await self.store.posts.claim(post.id, claim_from, now):
            current = await self.store.posts.get(post.id)
            return current or post
        post = post.with_(status=Status.PUBLISHING, claimed_at=now)
        config = await self.store.config.get(post.guild_id)
        guild = self.bot.get_guild(post.guild_id)
        try:
            forum = self.forum(guild, config, post.kind)
            tags = await self.ensure_tags(forum, config)
        except (Unavailable, UserError, discord.HTTPException) as error:
            return await self._queue(post, error)
        post = post.with_(forum_id=forum.id)
        keys = service.tags_for(post, shared_forum=config.shared)
        lang = self.lang(post.guild_id)
        feed_title = await self._feed_title(post)
        try:
            created = await forum.create_thread(
                name=render.title_for(post, lang),
                embed=render.post_embed(
                    post.with_(status=Status.LIVE), lang, feed_title=feed_title
                ),
                view=self.views.post(post.with_(status=Status.LIVE), lang) or discord.utils.MISSING,
                applied_tags=[tags[k] for k in keys if k in tags],
                allowed_mentions=NO_MENTIONS,
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
        except (discord.Forbidden, discord.NotFound) as error:
            return await self._queue(post, error)
        except UNCERTAIN as error:
            log.warning("tableau: post %s may or may not exist (%s): checking", post.id, error)
            return await self.reconcile(post)
        return await self._live(post, forum.id, created.thread.id)

    async def _queue(self, post: Post, error: BaseException) -> Post:
        await self.store.posts.set_status(post.id, Status.QUEUED, self.now())
        if isinstance(error, Unavailable):
            await self.report_problem(post.guild_id, error)
        elif isinstance(error, UserError):  # too many tags: the config screen says it too
            await self.report_problem(post.guild_id, Unavailable("too_many_tags"))
        else:
            await self.report_problem(post.guild_id, Unavailable("forum_refused"))
        return post.with_(status=Status.QUEUED)

    async def _live(self, post: Post, forum_id: int, thread_id: int) -> Post:
        now = self.now()
        await self.store.posts.published(post.id, forum_id, thread_id, now)
        post = post.with_(
            status=Status.LIVE, forum_id=forum_id, thread_id=thread_id, published_at=now
        )
        await self.store.config.set_problem(post.guild_id, None)
        if post.is_offer and post.closes_at is not None:
            await self.schedule_close(post)
        if self.on_live is not None:
            await self.on_live(post)
        return post

    async def reconcile(self, post: Post) -> Post:
        """A post claimed but not known to exist: adopt it if the forum has it, else queue it
        again (published at the next chance)."""
        if post.forum_id is None:
            config = await self.store.config.get(post.guild_id)
            post = post.with_(forum_id=config.forum_for(post.kind))
        name = render.title_for(post.with_(status=Status.LIVE), self.lang(post.guild_id))
        me = self.bot.user.id if self.bot.user else 0
        try:
            data = await self.bot.http.get_active_threads(post.guild_id)
        except discord.HTTPException as error:
            log.warning("tableau: cannot list active posts of %s (%s)", post.guild_id, error)
            return post
        for thread in data.get("threads", []):
            if (
                int(thread.get("parent_id") or 0) == post.forum_id
                and int(thread.get("owner_id") or 0) == me
                and thread.get("name") == name
                and await self.store.posts.by_thread(int(thread["id"])) is None
            ):
                log.info("tableau: post %s found in its forum: adopted, not posted again", post.id)
                return await self._live(post, int(post.forum_id or 0), int(thread["id"]))
        await self.store.posts.set_status(post.id, Status.QUEUED, self.now())
        return post.with_(status=Status.QUEUED)

    async def recover(self) -> None:
        """At start-up: posts left « publishing » are looked for (adopted if they exist, else
        queued); then what is queued is tried again."""
        for post in await self.store.posts.with_status(Status.PUBLISHING):
            await self.reconcile(post)
        for guild_id in sorted(
            {p.guild_id for p in await self.store.posts.with_status(Status.QUEUED)}
        ):
            await self.publish_queued(guild_id)

    async def publish_queued(self, guild_id: int) -> int:
        published = 0
        for post in await self.store.posts.with_status(Status.QUEUED, guild_id):
            done = await self.publish(post, claim_from=(Status.QUEUED,))
            if done.status is not Status.LIVE:
                break  # still unavailable: the rest waits too
            published += 1
        return published

    async def _feed_title(self, post: Post) -> str | None:
        if post.feed_id is None:
            return None
        feed = await self.store.feeds.get(post.feed_id)
        return feed.title if feed else t("tableau.source_gone", self.lang(post.guild_id))

    # -- a post's later life ----------------------------------------------------------------------
    def closes_at(
        self, deadline: date | None, place_zone: str | None, guild_id: int, published: datetime
    ) -> datetime:
        zone = ZoneInfo(place_zone) if place_zone else self.bot.settings_store.guild_zone(guild_id)
        return service.closes_at(deadline, published=published, zone_end=lambda d: day_end(d, zone))

    async def schedule_close(self, post: Post) -> None:
        assert post.closes_at is not None
        await self.bot.reminders.schedule(
            CLOSE_KIND,
            str(post.id),
            post.guild_id,
            Schedule(
                occurrence=post.closes_at.isoformat(),
                due_at=post.closes_at,
                # always worth doing, however late (the bot was down): never « missed »
                expires_at=post.closes_at + ALWAYS,
                payload={"id": post.id},
            ),
        )

    async def redraw(self, post: Post, *, rename: bool = False) -> None:
        """The starter message (and the post's name) after an edit."""
        if not post.thread_id:
            return
        lang = self.lang(post.guild_id)
        feed_title = await self._feed_title(post)
        await self._unarchive(post)
        view = self.views.post(post, lang)
        await self._starter(post).edit(
            embed=render.post_embed(post, lang, feed_title=feed_title), view=view
        )
        if rename:
            await self.bot.http.edit_channel(post.thread_id, name=render.title_for(post, lang))

    async def close(self, post: Post, status: Status) -> bool:
        """Clôturée or Pourvue: renamed, tagged, archived and locked. False when someone closed
        it first. Discord refusing for good (forum gone, permission lost) is told to the
        moderators once; the post stays closed here. A passing failure undoes the closing and
        is raised (tried again)."""
        now = self.now()
        if not await self.store.posts.set_status(post.id, status, now, only_from=Status.LIVE):
            return False
        closed = post.with_(status=status, closed_at=now)
        await self.bot.reminders.cancel(CLOSE_KIND, str(post.id))
        try:
            await self._close_on_discord(closed)
        except (discord.Forbidden, discord.NotFound) as error:
            log.warning("tableau: post %s closed here, not on Discord (%s)", post.id, error)
            await self.report_problem(
                post.guild_id, Unavailable("cannot_close", forum=f"<#{post.forum_id}>")
            )
        except BaseException:
            await self.store.posts.set_status(post.id, Status.LIVE, now)
            if post.closes_at is not None:
                await self.schedule_close(post)
            raise
        return True

    async def _close_on_discord(self, post: Post) -> None:
        if not post.thread_id:
            return
        lang = self.lang(post.guild_id)
        config = await self.store.config.get(post.guild_id)
        await self._unarchive(post)
        feed_title = await self._feed_title(post)
        await self._starter(post).edit(
            embed=render.post_embed(post, lang, feed_title=feed_title), view=None
        )
        await self.bot.http.edit_channel(
            post.thread_id,
            name=render.title_for(post, lang),
            applied_tags=[str(i) for i in await self._tag_ids(post, config)],
            archived=True,
            locked=True,
        )

    async def starter_edit(self, post: Post) -> None:
        """A closed post's message redrawn (e.g. without its author), the post left closed."""
        assert post.thread_id is not None
        lang = self.lang(post.guild_id)
        await self._unarchive(post)
        try:
            feed_title = await self._feed_title(post)
            await self._starter(post).edit(
                embed=render.post_embed(post, lang, feed_title=feed_title), view=None
            )
        finally:
            await self.bot.http.edit_channel(post.thread_id, archived=True)

    def _starter(self, post: Post) -> discord.PartialMessage:
        """A forum post's first message has the post's id."""
        assert post.thread_id is not None
        channel = self.bot.get_partial_messageable(post.thread_id, guild_id=post.guild_id)
        return channel.get_partial_message(post.thread_id)

    async def _unarchive(self, post: Post) -> None:
        """A post quiet for a week is archived by Discord; its message can only change once it
        is open again."""
        assert post.thread_id is not None
        await self.bot.http.edit_channel(post.thread_id, archived=False)

    async def remove(self, post: Post) -> None:
        """Removed by the moderators: the forum post is deleted."""
        await self.store.posts.set_status(post.id, Status.REMOVED, self.now())
        await self.bot.reminders.cancel(CLOSE_KIND, str(post.id))
        if post.thread_id:
            with contextlib.suppress(discord.NotFound):  # already deleted by hand
                await self.bot.http.delete_channel(post.thread_id)
