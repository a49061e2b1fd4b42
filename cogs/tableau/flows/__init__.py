"""Le tableau's Discord-side workflows: ONE object (`TableauFlows`), built in `setup` and handed
to the cog, the views (through `bot.ui.bind`) and the handlers. It is composed of its parts —
the board (forums, tags, a post's life), posts from members, alerts, feeds, configuration and
the weekly digest — and answers what the views declare (`views.actions.Actions`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.net import SafeFetcher
from cogs.tableau.flows.alerts import AlertFlows
from cogs.tableau.flows.common import Board
from cogs.tableau.flows.config import ConfigFlows
from cogs.tableau.flows.feeds import FeedFlows
from cogs.tableau.flows.posts import PostFlows
from cogs.tableau.service import Post, PostAction, PostKind, Status
from cogs.tableau.store import TableauStore
from cogs.tableau.views import Context, TableauViews

if TYPE_CHECKING:
    from bot.client import Passerelle

Interaction = discord.Interaction[Any]


class TableauFlows:
    def __init__(self, bot: Passerelle, store: TableauStore, fetcher: SafeFetcher) -> None:
        self.bot, self.store = bot, store
        self.board = Board(bot, store)
        self.views = TableauViews(self)
        self.board.views = self.views
        self.posts = PostFlows(self.board)
        self.alerts = AlertFlows(self.board)
        self.feeds = FeedFlows(self.board, fetcher)
        self.config = ConfigFlows(self.board)
        self.board.on_live = self.alerts.dispatch

    # -- what the views call (views.actions.Actions) ---------------------------------------------
    async def post_action(self, interaction: Interaction, post_id: int, action: PostAction) -> None:
        await self.posts.post_action(interaction, post_id, action)

    async def remove(self, interaction: Interaction, post_id: int) -> None:
        await self.posts.remove(interaction, post_id)

    async def search_page(self, interaction: Interaction, state: str) -> None:
        await self.posts.search_page(interaction, state)

    async def draft(self, interaction: Interaction, post_id: int, send: bool) -> None:
        await self.posts.draft(interaction, post_id, send)

    async def submit_post(
        self, interaction: Interaction, context: Context, fields: dict[str, str]
    ) -> None:
        await self.posts.submit_post(interaction, context, fields)

    async def submit_edit(
        self, interaction: Interaction, post_id: int, fields: dict[str, str]
    ) -> None:
        await self.posts.submit_edit(interaction, post_id, fields)

    async def save_alert(
        self, interaction: Interaction, kind: PostKind, choices: dict[str, Any]
    ) -> None:
        await self.alerts.save_alert(interaction, kind, choices)

    async def report(self, interaction: Interaction, post_id: int, reason: str) -> None:
        await self.posts.report(interaction, post_id, reason)

    # -- personal data ---------------------------------------------------------------------------
    async def erase_member(self, user_id: int) -> int:
        """Alerts and reports go; posts not yet public are deleted; public ones stay without
        their author (the name leaves the post and the database)."""
        count = 0
        for alert in await self.store.alerts.of_user(user_id):
            await self.alerts.delete(alert)
            count += 1
        count += await self.store.reports.erase(user_id)
        count += await self.store.feeds.forget_adder(user_id)
        for post in await self.store.posts.by_author(user_id):
            count += 1
            if post.status in (Status.DRAFT, Status.PENDING, Status.QUEUED, Status.REFUSED):
                await self.bot.approvals.withdraw("tableau.post", str(post.id))
                await self.store.posts.delete(post.id)
                continue
            await self.store.posts.forget_author(post.id)
            await self._anonymise(post.with_(author_id=None))
        return count

    async def _anonymise(self, post: Post) -> None:
        if not post.thread_id or post.status is Status.REMOVED:
            return
        try:
            if post.status is Status.LIVE:
                await self.board.redraw(post)
            else:  # closed: the message changes, the post stays archived and locked
                await self.board.starter_edit(post)
        except discord.HTTPException:
            pass  # the post is gone or closed to the bot: nothing of theirs left to show
