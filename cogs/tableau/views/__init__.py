"""Le tableau's views, built from the item classes bound to one bot's workflows.

Views must be built from the bound classes: discord.py registers again the class of every
dynamic item of a view it sends, so an unbound one would replace the bound registration.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

import discord

from bot.errors import ErrorHandlingView
from bot.i18n import t
from bot.ui import bind
from cogs.tableau.service import Post, PostAction, PostKind, Search, Status, encode_search
from cogs.tableau.views.actions import Actions, Context
from cogs.tableau.views.forms import AlertModal, PostModal, ReportModal
from cogs.tableau.views.items import DraftAction, DraftButton, PageButton, PostButton, RemoveButton

__all__ = ["Actions", "Context", "TableauViews"]

Item = TypeVar("Item", bound=discord.ui.DynamicItem[Any])


def _bound(flows: Actions, item: type[Item]) -> type[Item]:
    [bound] = bind(flows, item)
    return cast("type[Item]", bound)


class TableauViews:
    def __init__(self, flows: Actions) -> None:
        self.flows = flows
        self._post = _bound(flows, PostButton)
        self._remove = _bound(flows, RemoveButton)
        self._draft = _bound(flows, DraftButton)
        self._page = _bound(flows, PageButton)

    @property
    def items(self) -> list[type[discord.ui.DynamicItem[Any]]]:
        """To register with `bot.add_dynamic_items` in `setup`."""
        return [self._post, self._remove, self._draft, self._page]

    def post(self, post: Post, lang: str) -> ErrorHandlingView | None:
        """Under an open post: « Pourvue » (offers), « Modifier », « Signaler »; none after."""
        if post.status is not Status.LIVE:
            return None
        view = ErrorHandlingView(timeout=None)
        actions = [PostAction.EDIT, PostAction.REPORT]
        if post.kind is PostKind.OFFER:
            actions.insert(0, PostAction.FILLED)
        if post.feed_id is not None:
            actions = [PostAction.REPORT]
        for action in actions:
            view.add_item(self._post(post.id, action, lang))
        return view

    def report(self, post_id: int, lang: str) -> ErrorHandlingView:
        view = ErrorHandlingView(timeout=None)
        view.add_item(self._remove(post_id, lang))
        return view

    def draft(self, post_id: int, lang: str) -> ErrorHandlingView:
        view = ErrorHandlingView(timeout=None)
        for action in DraftAction:
            view.add_item(self._draft(post_id, action, lang))
        return view

    def pages(
        self, search: Search, profession: str | None, page: int, pages: int, lang: str
    ) -> ErrorHandlingView:
        chosen = Search(**{**search.__dict__, "professions": (profession,) if profession else ()})
        view = ErrorHandlingView(timeout=None)
        view.add_item(
            self._page(
                encode_search(chosen, max(0, page - 1)) + ":p",
                t("tableau.search.previous", lang),
                disabled=page <= 0,
            )
        )
        view.add_item(
            self._page(
                encode_search(chosen, page + 1) + ":n",
                t("tableau.search.next", lang),
                disabled=page + 1 >= pages,
            )
        )
        return view

    def post_form(self, context: Context, lang: str) -> PostModal:
        return PostModal(self.flows, lang, context=context)

    def edit_form(self, post: Post, lang: str) -> PostModal:
        return PostModal(self.flows, lang, post=post)

    def alert_form(self, kind: PostKind, lang: str, current: Any = None) -> AlertModal:
        return AlertModal(self.flows, kind, lang, current)

    def report_form(self, post_id: int, lang: str) -> ReportModal:
        return ReportModal(self.flows, post_id, lang)
