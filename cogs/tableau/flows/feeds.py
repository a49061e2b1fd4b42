"""Feeds: moderators add RSS/Atom addresses; a periodic engine item starts the polls that are
due, each in its own task (a slow feed never holds the engine), at most `POLLS_AT_ONCE` at a
time, one request at a time per host (`bot.net.SafeFetcher`). New entries become news posts in
the news forum with their source named, each entry claimed before it is posted (never twice)."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

import discord
from yarl import URL

from bot.checks import require_guild
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.net import FetchError, SafeFetcher
from bot.net.feeds import FeedReader, ReadError
from bot.net.fetch import check_url
from bot.reminders import Schedule
from bot.user_error import UserError
from cogs.tableau import render
from cogs.tableau.flows.common import Board
from cogs.tableau.service import NewsKind, Post, PostKind, Status, side_for
from cogs.tableau.service import feeds as rules
from cogs.tableau.service.feeds import Feed

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]
TICK_KIND = "tableau.flux"
TICK_REF = "poll"
TICK = timedelta(minutes=5)
TICK_USEFUL_FOR = timedelta(days=3650)
POLLS_AT_ONCE = 8
DUE_PER_TICK = 200
TAKEN_FOR = timedelta(minutes=15)  # a poll in progress is not due again meanwhile


class FeedFlows:
    def __init__(self, board: Board, fetcher: SafeFetcher) -> None:
        self.board = board
        self.bot = board.bot
        self.store = board.store
        self.fetcher = fetcher
        self.reader = FeedReader()  # feedparser in a worker process: never on the event loop
        self._gate = asyncio.Semaphore(POLLS_AT_ONCE)
        self._running: set[asyncio.Task[None]] = set()

    # -- moderators -----------------------------------------------------------------------------
    async def add(self, interaction: Interaction, url: str, name: str | None, place: Any) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        config = await self.store.config.get(guild.id)
        if config.news_forum_id is None:
            raise UserError("tableau.feed.error.no_forum")
        if await self.store.feeds.count(guild.id) >= rules.FEEDS_PER_SERVER:
            raise UserError("tableau.feed.error.too_many", max=rules.FEEDS_PER_SERVER)
        address = url.strip()
        try:
            check_url(address, loopback_ports=self.fetcher.policy.loopback_ports)
        except FetchError as error:
            raise problem_error(error.problem, error) from None
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.board.now()
        try:
            fetched = await self.fetcher.get(address)
            parsed = rules.entries_of(await self.reader.read(fetched.body, fetched.content_type))
        except FetchError as error:
            raise problem_error(error.problem, error) from None
        except ReadError as problem:
            raise problem_error(problem.problem) from None
        feed = await self.store.feeds.add(
            Feed(
                id=0,
                guild_id=guild.id,
                url=address,
                title=rules.feed_title(parsed.title, URL(address).host or address, name),
                place_code=place.code if place else None,
                country=place.country if place else None,
                added_by=interaction.user.id,
                etag=fetched.etag,
                last_modified=fetched.last_modified,
                next_poll_at=now + rules.POLL_INTERVAL,
            ),
            parsed.entries,
            now,
        )
        if feed is None:
            raise UserError("tableau.feed.error.duplicate")
        await self.ensure_tick()
        await interaction.followup.send(
            t(
                "tableau.feed.added",
                lang,
                title=feed.title,
                n=len(parsed.entries),
                forum=f"<#{config.news_forum_id}>",
            ),
            ephemeral=True,
        )

    async def show(self, interaction: Interaction) -> None:
        guild = require_guild(interaction)
        feeds = await self.store.feeds.of_guild(guild.id)
        embed = render.feed_list(feeds, interaction_lang(interaction))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    async def close(self) -> None:
        """Shutdown: polls under way stop (a poll not finished is simply due again)."""
        for task in list(self._running):
            task.cancel()
        await asyncio.gather(*list(self._running), return_exceptions=True)
        await self.fetcher.close()
        self.reader.close()

    async def remove(self, interaction: Interaction, feed_id: int) -> None:
        guild = require_guild(interaction)
        feed = await self.store.feeds.get(feed_id)
        if feed is None or feed.guild_id != guild.id:
            raise UserError("tableau.feed.error.unknown")
        await self.store.feeds.delete(feed.id)
        await interaction.response.send_message(
            t("tableau.feed.removed", interaction_lang(interaction), title=feed.title),
            ephemeral=True,
        )

    async def ensure_tick(self, *, at_once: bool = False) -> None:
        """The one periodic engine item that starts due polls (while any feed is followed)."""
        now = self.board.now()
        due = now if at_once else now + TICK
        await self.bot.reminders.schedule(TICK_KIND, TICK_REF, None, self._tick_at(due))

    async def next_tick(self) -> Schedule | None:
        if not await self.store.feeds.any():
            return None
        return self._tick_at(self.board.now() + TICK)

    @staticmethod
    def _tick_at(due: datetime) -> Schedule:
        # However late (the bot was down), a tick polls what is due: never « missed ».
        return Schedule(occurrence=due.isoformat(), due_at=due, expires_at=due + TICK_USEFUL_FOR)

    # -- polling --------------------------------------------------------------------------------
    async def poll_due(self) -> int:
        """Start the polls that are due, in their own tasks; returns how many started."""
        now = self.board.now()
        due = await self.store.feeds.due(now, DUE_PER_TICK)
        for feed in due:
            await self.store.feeds.postpone(feed.id, now + TAKEN_FOR)
            task = asyncio.create_task(self._poll_gated(feed), name=f"tableau-feed-{feed.id}")
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        return len(due)

    async def wait_polls(self) -> None:
        """Until the polls started so far are done (tests, shutdown)."""
        while self._running:
            await asyncio.gather(*list(self._running), return_exceptions=True)

    async def _poll_gated(self, feed: Feed) -> None:
        async with self._gate:
            try:
                await self.poll(feed)
            except Exception:
                log.exception("tableau: feed %s poll failed unexpectedly", feed.id)
                await self.store.feeds.polled(
                    feed.id,
                    now=self.board.now(),
                    next_at=rules.next_poll(self.board.now(), feed.failures + 1),
                    failures=feed.failures + 1,
                    error="internal",
                )

    async def poll(self, feed: Feed) -> None:
        now = self.board.now()
        try:
            fetched = await self.fetcher.get(
                feed.url, etag=feed.etag, last_modified=feed.last_modified
            )
            if fetched.not_modified:
                await self.store.feeds.polled(
                    feed.id, now=now, next_at=rules.next_poll(now, 0), failures=0, error=None
                )
                return
            parsed = rules.entries_of(await self.reader.read(fetched.body, fetched.content_type))
        except (FetchError, ReadError) as error:
            await self._failed(feed, str(error.problem), now)
            return
        keys, prints = await self.store.feeds.known(feed.id)
        news = rules.novelty(parsed.entries, keys, prints, first=False)
        await self.store.feeds.record(feed.id, news.to_record, now)
        if news.ids_changed and await self.store.feeds.mark(feed.id, unstable=True):
            lang = self.board.lang(feed.guild_id)
            await self.board.tell_moderators(
                feed.guild_id, t("tableau.feed.unstable", lang, title=feed.title, url=feed.url)
            )
        for entry in reversed(news.to_post):  # oldest first: the forum reads in order
            if not await self.store.feeds.claim_entry(feed.id, entry, now):
                continue  # another poll (or a run before a restart) has it
            post = await self.store.posts.add(
                Post(
                    id=0,
                    guild_id=feed.guild_id,
                    kind=PostKind.NEWS,
                    category=NewsKind.FLUX,
                    status=Status.QUEUED,
                    title=entry.title,
                    structure=feed.title,
                    place_code=feed.place_code,
                    country=feed.country,
                    side=side_for(feed.country),
                    link=entry.link,
                    description=entry.summary,
                    feed_id=feed.id,
                    lang=self.board.lang(feed.guild_id),
                ),
                now,
            )
            await self.store.feeds.link_entry(feed.id, entry.key, post.id)
            await self.board.publish(post, claim_from=(Status.QUEUED,))
        await self.store.feeds.polled(
            feed.id,
            now=now,
            next_at=rules.next_poll(now, 0),
            failures=0,
            error=None,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            keep_validators=False,
        )
        await self.store.feeds.prune(feed.id)

    async def _failed(self, feed: Feed, problem: str, now: datetime) -> None:
        failures = feed.failures + 1
        await self.store.feeds.polled(
            feed.id,
            now=now,
            next_at=rules.next_poll(now, failures),
            failures=failures,
            error=problem,
        )
        if rules.should_report(failures, feed.reported) and await self.store.feeds.mark(feed.id):
            lang = self.board.lang(feed.guild_id)
            await self.board.tell_moderators(
                feed.guild_id,
                t(
                    "tableau.feed.failing",
                    lang,
                    title=feed.title,
                    url=feed.url,
                    n=failures,
                    problem=render.feed_problem(problem, lang),
                ),
            )


def problem_error(problem: str, error: FetchError | None = None) -> UserError:
    key = f"tableau.feed.error.{problem}"
    status = str(error.status) if error is not None and error.status else ""
    return UserError(key, status=status)
