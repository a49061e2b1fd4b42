"""Offers and news from members: the form, the guard (news), approval or publication, the
buttons under a post (Pourvue, Modifier, Signaler), searching, and reports."""

from __future__ import annotations

import asyncio
import logging
import math
from typing import Any
from zoneinfo import ZoneInfo

import discord

from bot.approval import Request
from bot.approval import Status as ApprovalStatus
from bot.checks import is_moderator, require_guild, require_moderator
from bot.discord_text import NO_MENTIONS, escape
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.reference import places, professions
from bot.regions import REGIONS
from bot.secrecy import describe, kinds_found
from bot.user_error import UserError
from bot.when import parse_date, today_in
from cogs.tableau import render, service
from cogs.tableau.flows.common import Board
from cogs.tableau.service import (
    NEWS_GUARDED_KINDS,
    NOT_YET_PUBLIC,
    PAGE_SIZE,
    Post,
    PostAction,
    PostKind,
    Search,
    Status,
)
from cogs.tableau.views import Context

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]
APPROVAL_KIND = "tableau.post"


class PostFlows:
    def __init__(self, board: Board) -> None:
        self.board = board
        self.bot = board.bot
        self.store = board.store

    # -- the slash command, then the form -------------------------------------------------------
    def context(
        self,
        kind: PostKind,
        category: str,
        place: str,
        city: str | None,
        codes: list[str | None],
    ) -> Context:
        """What `/offre publier` or `/nouvelle publier` read, checked before the form opens."""
        where = resolve_place(place)
        known = {p.code for p in professions.professions()}
        return Context(
            kind=kind,
            category=service.validate_category(kind, category),
            place_code=where.code,
            country=where.country,
            city=service.validate_city(city),
            professions=service.validate_professions(codes, known),
        )

    async def open_form(self, interaction: Interaction, context: Context) -> None:
        require_guild(interaction)
        await interaction.response.send_modal(
            self.board.views.post_form(context, interaction_lang(interaction))
        )

    async def submit_post(
        self, interaction: Interaction, context: Context, fields: dict[str, str]
    ) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        now = self.board.now()
        place = places.get(context.place_code)
        zone = place.zone if place else None
        if context.kind is PostKind.OFFER:
            deadline = None
            if fields.get("deadline", "").strip():
                today = today_in(self._zone(zone, guild.id), now)
                deadline = parse_date(
                    fields["deadline"], today=today, lang_hint=str(interaction.locale)
                )
            offer = service.validate_offer(
                title=fields["title"],
                structure=fields["structure"],
                city=context.city,
                link=fields.get("link"),
                description=fields.get("description"),
                deadline=deadline,
            )
            title, structure, link, text = (
                offer.title,
                offer.structure,
                offer.link,
                offer.description,
            )
        else:
            news = service.validate_news(
                structure=fields["structure"],
                title=fields.get("title"),
                city=context.city,
                link=fields.get("link"),
                text=fields.get("description"),
            )
            structure, link, text, deadline = news.structure, news.link, news.text, None
            category = render.category_name(context.category, self.board.lang(guild.id))
            title = service.news_title(context.category, structure, news.title, category)
        draft = Post(
            id=0,
            guild_id=guild.id,
            kind=context.kind,
            category=context.category,
            status=Status.DRAFT,
            title=title,
            structure=structure,
            city=context.city,
            place_code=context.place_code,
            country=context.country,
            side=service.side_for(context.country),
            link=link,
            description=text,
            deadline=deadline,
            professions=context.professions,
            author_id=interaction.user.id,
            lang=self.board.lang(guild.id),
        )
        if draft.is_offer:
            draft = draft.with_(closes_at=self.board.closes_at(deadline, zone, guild.id, now))
        await interaction.response.defer(ephemeral=True, thinking=True)
        guarded = []
        if draft.kind is PostKind.NEWS:
            # the guard runs spaCy (a few ms; longer while the model loads): off the event loop
            found = await asyncio.to_thread(kinds_found, f"{title}\n{text}", ref_year=now.year)
            guarded = [k for k in found if k in NEWS_GUARDED_KINDS]
        post = await self.store.posts.add(draft, now)
        if guarded:
            await interaction.followup.send(
                t("tableau.guard.warning", lang, kinds=describe(guarded, lang)),
                view=self.board.views.draft(post.id, lang),
                ephemeral=True,
            )
            return
        await self._go(interaction, post, lang)

    async def draft(self, interaction: Interaction, post_id: int, send: bool) -> None:
        """« Publier quand même » / « Annuler » after the guard's question."""
        lang = interaction_lang(interaction)
        post = await self.store.posts.get(post_id)
        if post is None or post.author_id != interaction.user.id or post.status is not Status.DRAFT:
            raise UserError("tableau.error.draft_gone")
        if not send:
            await self.store.posts.delete(post.id)
            await interaction.response.edit_message(
                content=t("tableau.guard.dropped", lang), view=None
            )
            return
        await interaction.response.edit_message(content=t("tableau.guard.sending", lang), view=None)
        await self._go(interaction, post, lang)

    async def _go(self, interaction: Interaction, post: Post, lang: str) -> None:
        """Straight to the forum, or to the moderators first when the server asks for it."""
        guild = require_guild(interaction)
        config = await self.store.config.get(guild.id)
        if config.approval and not is_moderator(interaction):
            await self.store.posts.set_status(post.id, Status.PENDING, self.board.now())
            try:
                await self.bot.approvals.submit(
                    APPROVAL_KIND,
                    str(post.id),
                    guild=guild,
                    author_id=interaction.user.id,
                    channel_id=interaction.channel_id,
                    lang=lang,
                )
            except UserError:
                await self.store.posts.delete(post.id)  # nothing half-written
                raise
            await interaction.followup.send(t(f"tableau.pending.{post.kind}", lang), ephemeral=True)
            return
        done = await self.board.publish(post, claim_from=(Status.DRAFT,))
        if done.status is Status.LIVE:
            await interaction.followup.send(render.published(done, lang), ephemeral=True)
        else:
            await interaction.followup.send(t(f"tableau.queued.{post.kind}", lang), ephemeral=True)

    def _zone(self, zone: str | None, guild_id: int) -> ZoneInfo:
        return ZoneInfo(zone) if zone else self.bot.settings_store.guild_zone(guild_id)

    # -- the buttons under a post ---------------------------------------------------------------
    async def _managed(self, interaction: Interaction, post_id: int) -> Post:
        guild = require_guild(interaction)
        post = await self.store.posts.get(post_id)
        if post is None or post.guild_id != guild.id:
            raise UserError("tableau.error.unknown")
        service.require_open(post)
        return service.require_manager(post, interaction.user.id, is_moderator(interaction))

    async def post_action(self, interaction: Interaction, post_id: int, action: PostAction) -> None:
        lang = interaction_lang(interaction)
        if action is PostAction.REPORT:
            post = await self.store.posts.get(post_id)
            if post is None or post.status in NOT_YET_PUBLIC:
                raise UserError("tableau.error.unknown")
            self.bot.approvals.mod_channel(require_guild(interaction))  # said before the form
            await interaction.response.send_modal(self.board.views.report_form(post_id, lang))
            return
        post = await self._managed(interaction, post_id)
        if action is PostAction.EDIT:
            await interaction.response.send_modal(self.board.views.edit_form(post, lang))
            return
        if not post.is_offer:
            raise UserError("tableau.error.unknown")
        await interaction.response.defer(ephemeral=True, thinking=True)
        if not await self.board.close(post, Status.FILLED):
            raise UserError("tableau.error.not_open.closed")
        await interaction.followup.send(t("tableau.filled.done", lang), ephemeral=True)

    async def submit_edit(
        self, interaction: Interaction, post_id: int, fields: dict[str, str]
    ) -> None:
        lang = interaction_lang(interaction)
        post = await self._managed(interaction, post_id)
        now = self.board.now()
        if post.is_offer:
            place = places.get(post.place_code)
            zone = place.zone if place else None
            deadline = None
            if fields.get("deadline", "").strip():
                today = today_in(self._zone(zone, post.guild_id), now)
                deadline = parse_date(
                    fields["deadline"], today=today, lang_hint=str(interaction.locale)
                )
            offer = service.validate_offer(
                title=fields["title"],
                structure=fields["structure"],
                city=post.city,
                link=fields.get("link"),
                description=fields.get("description"),
                deadline=deadline,
            )
            published = post.published_at or now
            edited = post.with_(
                title=offer.title,
                structure=offer.structure,
                link=offer.link,
                description=offer.description,
                deadline=deadline,
                closes_at=self.board.closes_at(deadline, zone, post.guild_id, published),
            )
        else:
            news = service.validate_news(
                structure=fields["structure"],
                title=fields.get("title"),
                city=post.city,
                link=fields.get("link"),
                text=fields.get("description"),
            )
            category = render.category_name(post.category, post.lang)
            edited = post.with_(
                title=service.news_title(post.category, news.structure, news.title, category),
                structure=news.structure,
                link=news.link,
                description=news.text,
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.store.posts.update(edited, now)
        if edited.is_offer and edited.closes_at != post.closes_at and edited.closes_at:
            if edited.closes_at <= now:
                await self.board.close(edited, Status.CLOSED)
                await interaction.followup.send(t("tableau.edit.closed", lang), ephemeral=True)
                return
            await self.board.schedule_close(edited)
        await self.board.redraw(edited, rename=edited.title != post.title)
        await interaction.followup.send(t("tableau.edit.done", lang), ephemeral=True)

    # -- reports --------------------------------------------------------------------------------
    async def report(self, interaction: Interaction, post_id: int, reason: str) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        post = await self.store.posts.get(post_id)
        if post is None or post.guild_id != guild.id or post.status in NOT_YET_PUBLIC:
            raise UserError("tableau.error.unknown")
        channel = self.bot.approvals.mod_channel(guild)
        cleaned = " ".join(reason.split())[: service.REPORT_REASON_MAX]
        if not await self.store.reports.add(
            post.id, interaction.user.id, cleaned, self.board.now()
        ):
            raise UserError("tableau.report.already")
        mod_lang = self.board.lang(guild.id)
        await channel.send(
            render.report_card(post, interaction.user.id, cleaned, mod_lang),
            view=self.board.views.report(post.id, mod_lang),
            allowed_mentions=NO_MENTIONS,
        )
        await interaction.response.send_message(t("tableau.report.sent", lang), ephemeral=True)

    async def remove(self, interaction: Interaction, post_id: int) -> None:
        require_moderator(interaction)
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        post = await self.store.posts.get(post_id)
        if post is None or post.guild_id != guild.id:
            raise UserError("tableau.error.unknown")
        if post.status is Status.REMOVED:
            raise UserError("tableau.error.not_open.removed")
        await interaction.response.defer()
        await self.board.remove(post)
        line = t(
            "tableau.report.removed", self.board.lang(guild.id), moderator=interaction.user.mention
        )
        await interaction.edit_original_response(
            content=f"{interaction.message.content if interaction.message else ''}\n{line}"[:2000],
            view=None,
            allowed_mentions=NO_MENTIONS,
        )
        log.info("tableau: post %s removed by a moderator (%s)", post.id, lang)

    # -- searching ------------------------------------------------------------------------------
    async def search(
        self,
        interaction: Interaction,
        *,
        category: str | None,
        place: str | None,
        side: str | None,
        profession: str | None,
        words: str | None,
    ) -> None:
        where = resolve_place(place) if place else None
        if profession and professions.get(profession) is None:
            raise UserError("tableau.error.profession", text=profession[:60])
        search = Search(
            category=category,
            place_code=where.code if where else None,
            country=where.country if where and not where.code else None,
            side=service.Side(side) if side else None,
            words=" ".join((words or "").split())[: service.SEARCH_WORDS_MAX],
        )
        await self._page(interaction, search, profession, 0, edit=False)

    async def search_page(self, interaction: Interaction, state: str) -> None:
        search, page, profession = service.decode_search(state)
        await self._page(interaction, search, profession, page, edit=True)

    async def _page(
        self,
        interaction: Interaction,
        search: Search,
        profession: str | None,
        page: int,
        *,
        edit: bool,
    ) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        wanted = search
        if profession:
            equivalents, _ = professions.professions().family(profession)
            wanted = Search(
                **{**search.__dict__, "professions": (profession, *sorted(equivalents))}
            )
        found, total = await self.store.posts.search(guild.id, wanted, page)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        if not found and page > 0:  # fewer results since the button was drawn: the last page
            page = pages - 1
            found, total = await self.store.posts.search(guild.id, wanted, page)
        embed = render.search_embed(found, total, page, pages, lang)
        view = self.board.views.pages(search, profession, page, pages, lang)
        if edit:
            await interaction.response.edit_message(embed=embed, view=view)
        else:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
            view.stop()  # paging buttons are dynamic items

    # -- the approval handler (bot.approval) ----------------------------------------------------
    async def card(self, request: Request, lang: str) -> discord.Embed:
        post = await self.store.posts.get(int(request.ref))
        if post is None:
            return discord.Embed(description=t("tableau.error.unknown", lang))
        return render.post_embed(post.with_(status=Status.LIVE), lang)

    async def approved(self, request: Request, moderator_id: int) -> None:
        post = await self.store.posts.get(int(request.ref))
        if post is None or post.status is not Status.PENDING:
            raise UserError("tableau.error.unknown")
        done = await self.board.publish(post, claim_from=(Status.PENDING,))
        if done.status is not Status.LIVE:
            await self.store.posts.set_status(post.id, Status.PENDING, self.board.now())
            raise UserError("tableau.error.board_unavailable")

    async def refused(self, request: Request) -> None:
        await self.store.posts.set_status(
            int(request.ref), Status.REFUSED, self.board.now(), only_from=Status.PENDING
        )

    async def notice(self, request: Request) -> str | None:
        post = await self.store.posts.get(int(request.ref))
        if post is None:
            return None
        title = escape(post.title)
        if request.status is ApprovalStatus.APPROVED:
            return t(
                f"tableau.approved.{post.kind}",
                request.lang,
                title=title,
                link=render.post_jump(post),
            )
        reason = escape(request.reason or "") or t("tableau.refused.no_reason", request.lang)
        return t(f"tableau.refused.{post.kind}", request.lang, title=title, reason=reason)


def resolve_place(text: str) -> service.Place:
    """A place code or a country code from the autocomplete (or typed): « FR-75 », « QC »."""
    value = (text or "").strip()
    if value.upper() in REGIONS:
        return service.Place(None, value.upper(), service.side_for(value.upper()))
    place = places.get(value)
    if place is None:
        found = places.search(value, limit=1)
        place = found[0] if found else None
    if place is None:
        raise UserError("tableau.error.place", text=value[:60])
    return service.Place(place.code, str(place.country), place.side, place.zone)


__all__ = ["APPROVAL_KIND", "PostFlows", "resolve_place"]
