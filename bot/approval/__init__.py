"""The house's one way to have moderators approve what a member proposes.

A feature keeps the thing itself (a post, a glossary entry) and registers a handler for its kind:

    bot.approvals.register("tableau.post", handler)            # in setup
    request = await bot.approvals.submit("tableau.post", str(post_id), guild=…, author_id=…,
                                         channel_id=…, lang=…)  # raises UserError if no channel

`submit` posts a card in the moderators' channel (`/config`): the handler's embed with
« Approuver » / « Refuser » buttons bound to the request's id (they work after a restart). A
moderator's click is decided once (two moderators clicking together: one wins, the other is told),
`handler.approved(request, moderator_id)` carries it out (a `UserError` there leaves the request
pending and tells the moderator why), « Refuser » asks for an optional reason, then
`handler.refused(request)`. A handler may also offer its own buttons on the card
(`extra_items(request, lang)`, e.g. « Modifier »; `refresh(kind, ref)` redraws a pending card after
an edit). The card then says who decided and loses its buttons, and the author
gets `handler.notice(request)` by DM through the reminder engine (exactly once); when their DMs are
closed it waits for them as a note after their next command (`bot.notices`), never in a public
channel. `withdraw(kind, ref)` takes a pending request back (the thing was deleted).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord

from bot.approval.model import Action, ApprovalHandler, Request, Status
from bot.approval.store import ApprovalStore
from bot.approval.views import ApprovalViews
from bot.checks import require_channel_permissions, require_guild, require_moderator
from bot.discord_text import NO_MENTIONS, escape, truncate
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.personal_data import Field, Item, Label, Records
from bot.reminders import DueItem, OneShotHandler, Outgoing, Schedule
from bot.user_error import UserError

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.db import Database
    from bot.guild_settings import SettingsStore
    from bot.notices import Notices
    from bot.reminders import ReminderEngine

__all__ = ["NOTICE_KIND", "Action", "ApprovalHandler", "Approvals", "Request", "Status"]

log = logging.getLogger(__name__)

NOTICE_KIND = "approval.decision"
CARD_PERMISSIONS = ("view_channel", "send_messages", "embed_links")
REASON_SHOWN = 300
Interaction = discord.Interaction[Any]


class Approvals:
    def __init__(
        self,
        client: discord.Client,
        *,
        db: Database,
        settings: SettingsStore,
        reminders: ReminderEngine,
        notices: Notices,
        clock: Clock,
    ) -> None:
        self.client = client
        self.store = ApprovalStore(db)
        self.settings = settings
        self.reminders = reminders
        self.notices = notices
        self.clock = clock
        self.handlers: dict[str, ApprovalHandler] = {}
        self.views = ApprovalViews(self)
        reminders.register(NOTICE_KIND, DecisionNotice(self))

    @property
    def items(self) -> list[type[discord.ui.DynamicItem[Any]]]:
        """To register with `add_dynamic_items` (the bot does it)."""
        return self.views.items

    def register(self, kind: str, handler: ApprovalHandler) -> None:
        self.handlers[kind] = handler

    # -- members propose ------------------------------------------------------------------------
    def mod_channel(self, guild: discord.Guild) -> discord.TextChannel:
        """The moderators' channel (`/config`), usable by the bot; else a UserError."""
        channel_id = self.settings.guild(guild.id).mod_channel_id
        if channel_id is None:
            raise UserError("approval.error.no_mod_channel")
        channel = guild.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            raise UserError("approval.error.mod_channel_gone")
        require_channel_permissions(channel, guild.me, *CARD_PERMISSIONS)
        return channel

    async def submit(
        self,
        kind: str,
        ref: str,
        *,
        guild: discord.Guild,
        author_id: int,
        channel_id: int | None,
        lang: str,
    ) -> Request:
        """Post the card for (kind, ref) in the moderators' channel; the request is pending.
        Raises UserError (nothing kept) when the moderators' channel cannot take it."""
        handler = self.handlers[kind]
        channel = self.mod_channel(guild)
        now = self.clock.now()
        request = await self.store.add(guild.id, kind, ref, author_id, channel_id, lang, now)
        if request is None:
            existing = await self.store.by_ref(kind, ref)
            assert existing is not None
            return existing  # already waiting (a second click): one card
        mod_lang = self.settings.lang_of(guild.id)
        try:
            message = await channel.send(
                t("approval.card.intro", mod_lang, author=f"<@{author_id}>"),
                embed=await handler.card(request, mod_lang),
                view=self._card_view(request, mod_lang),
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException:
            await self.store.drop(request.id)  # nobody would ever see it
            raise UserError("approval.error.mod_channel_gone") from None
        await self.store.set_card(request.id, channel.id, message.id)
        return request.with_(mod_channel_id=channel.id, mod_message_id=message.id)

    def _card_view(self, request: Request, lang: str) -> Any:
        """Approuver, the handler's own buttons if it has any (e.g. « Modifier »), Refuser."""
        extra = getattr(self.handlers[request.kind], "extra_items", None)
        return self.views.card(request.id, lang, extra(request, lang) if extra else None)

    async def by_ref(self, kind: str, ref: str) -> Request | None:
        return await self.store.by_ref(kind, ref)

    async def refresh(self, kind: str, ref: str) -> None:
        """A pending card drawn again from the handler (the thing was edited meanwhile)."""
        request = await self.store.by_ref(kind, ref)
        if request is None or request.status is not Status.PENDING or not request.mod_message_id:
            return
        lang = self.settings.lang_of(request.guild_id)
        channel = self.client.get_partial_messageable(
            request.mod_channel_id or 0, guild_id=request.guild_id
        )
        try:
            await channel.get_partial_message(request.mod_message_id).edit(
                embed=await self.handlers[request.kind].card(request, lang),
                view=self._card_view(request, lang),
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException as error:
            log.warning("approval %s: the card could not be redrawn (%s)", request.id, error)

    async def withdraw(self, kind: str, ref: str) -> None:
        """The feature dropped the thing: a pending request is closed and its card says so."""
        request = await self.store.by_ref(kind, ref)
        if request is None or request.status is not Status.PENDING:
            return
        if not await self.store.claim(request.id, Status.WITHDRAWN, None, None, self.clock.now()):
            return
        await self._redraw(request.with_(status=Status.WITHDRAWN), None)

    # -- moderators decide ----------------------------------------------------------------------
    async def _pending(self, interaction: Interaction, request_id: int) -> Request:
        guild = require_guild(interaction)
        require_moderator(interaction)
        request = await self.store.get(request_id)
        if request is None or request.guild_id != guild.id or request.kind not in self.handlers:
            raise UserError("approval.error.unknown")
        if request.status is not Status.PENDING:
            raise UserError(f"approval.error.already_{request.status}")
        return request

    async def approve(self, interaction: Interaction, request_id: int) -> None:
        request = await self._pending(interaction, request_id)
        await interaction.response.defer()
        await self._decide(interaction, request, Status.APPROVED, None)

    async def ask_reason(self, interaction: Interaction, request_id: int) -> None:
        await self._pending(interaction, request_id)
        lang = interaction_lang(interaction)
        await interaction.response.send_modal(self.views.refusal_form(request_id, lang))

    async def refuse(self, interaction: Interaction, request_id: int, reason: str) -> None:
        request = await self._pending(interaction, request_id)
        await interaction.response.defer()
        await self._decide(interaction, request, Status.REFUSED, reason.strip() or None)

    async def _decide(
        self, interaction: Interaction, request: Request, status: Status, reason: str | None
    ) -> None:
        now = self.clock.now()
        moderator = interaction.user.id
        if not await self.store.claim(request.id, status, moderator, reason, now):
            current = await self.store.get(request.id)
            raise UserError(f"approval.error.already_{current.status if current else 'gone'}")
        decided = request.with_(status=status, decided_by=moderator, decided_at=now, reason=reason)
        handler = self.handlers[request.kind]
        try:
            if status is Status.APPROVED:
                await handler.approved(decided, moderator)
            else:
                await handler.refused(decided)
        except BaseException:
            await self.store.reopen(request.id)  # not carried out: still waiting
            raise
        await self._redraw(decided, interaction)
        await self.reminders.schedule(
            NOTICE_KIND,
            str(request.id),
            request.guild_id,
            Schedule(occurrence=str(status), due_at=now),
        )

    async def _redraw(self, request: Request, interaction: Interaction | None) -> None:
        """The card after a decision: who decided (and why), no more buttons."""
        if not request.mod_channel_id or not request.mod_message_id:
            return
        lang = self.settings.lang_of(request.guild_id)
        handler = self.handlers.get(request.kind)
        line = t(f"approval.card.{request.status}", lang, moderator=f"<@{request.decided_by}>")
        if request.status is Status.REFUSED and request.reason:
            reason = escape(truncate(request.reason, REASON_SHOWN))
            line = t("approval.card.refused_because", lang, line=line, reason=reason)
        embeds = [await handler.card(request, lang)] if handler is not None else []
        try:
            if interaction is not None:
                await interaction.edit_original_response(content=line, embeds=embeds, view=None)
                return
            channel = self.client.get_partial_messageable(
                request.mod_channel_id, guild_id=request.guild_id
            )
            await channel.get_partial_message(request.mod_message_id).edit(
                content=line, embeds=embeds, view=None, allowed_mentions=NO_MENTIONS
            )
        except discord.HTTPException as error:
            log.warning("approval %s: the card could not be redrawn (%s)", request.id, error)

    # -- personal data --------------------------------------------------------------------------
    async def export(self, user_id: int) -> list[Item]:
        return [
            Records.of(
                "approval.data.requests",
                (
                    (
                        Field("approval.data.server", str(r.guild_id)),
                        Field("approval.data.kind", Label(f"approval.kind.{r.kind}")),
                        Field("approval.data.state", Label(f"approval.data.state.{r.status}")),
                        Field("approval.data.reason", r.reason),
                        Field("approval.data.created_at", r.created_at),
                    )
                    for r in await self.store.by_author(user_id)
                ),
            )
        ]

    async def erase(self, user_id: int) -> int:
        """Requests lose their author (the feature erases the things themselves)."""
        for request in await self.store.by_author(user_id):
            await self.reminders.cancel(NOTICE_KIND, str(request.id))
        return await self.store.forget(user_id)


class DecisionNotice(OneShotHandler):
    """« Votre offre a été acceptée / refusée » by DM; closed DMs: a note after the next command."""

    def __init__(self, approvals: Approvals) -> None:
        self.approvals = approvals

    async def _text(self, item: DueItem) -> tuple[Request, str] | None:
        request = await self.approvals.store.get(int(item.ref))
        if request is None or request.author_id is None:
            return None
        if request.status not in (Status.APPROVED, Status.REFUSED):
            return None
        handler = self.approvals.handlers.get(request.kind)
        text = None if handler is None else await handler.notice(request)
        return None if text is None else (request, text)

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        found = await self._text(item)
        if found is None:
            return []
        request, text = found
        assert request.author_id is not None
        if (await self.approvals.settings.member(request.author_id)).dm_closed:
            await self._note(request, text, self.approvals.clock.now())
            return []
        return [Outgoing(target=f"dm:{request.author_id}", content=text)]

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        found = await self._text(item)
        if found is not None:  # the DM was refused just now (closed): keep it for them
            request, text = found
            assert request.author_id is not None
            if (await self.approvals.settings.member(request.author_id)).dm_closed:
                await self._note(request, text, self.approvals.clock.now())
        return None

    async def _note(self, request: Request, text: str, now: datetime) -> None:
        assert request.author_id is not None
        await self.approvals.notices.add(
            request.author_id, f"approval:{request.id}", text, now, guild_id=request.guild_id
        )
