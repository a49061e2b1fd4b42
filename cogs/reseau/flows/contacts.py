"""The directory and contacts made with consent: asking, answering, the inbox, expiry, reports.

From the requester's side a refusal, a block and no answer look the same: the answer to a new
request is the same words whatever happens next (given before anything else is done, so that
it also takes the same time), nothing is sent at a refusal or a block, and the expiry item tells
all three « pas de suite pour le moment » at the same moment (see service/consent.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.checks import require_guild
from bot.discord_text import NO_MENTIONS, SAFE_MENTIONS, escape, ts
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.reminders import Schedule
from bot.user_error import UserError
from cogs.reseau import render
from cogs.reseau.flows.common import Common
from cogs.reseau.service import (
    DirectoryFilters,
    DraftKind,
    clamp_page,
    directory_ranking,
    page_count,
)
from cogs.reseau.service.consent import (
    NOTICE_WINDOW,
    Answer,
    ContactRequest,
    Outcome,
    RequestKind,
    RequestStatus,
    validate_details,
)
from cogs.reseau.views import (
    DetailsModal,
    RequestForm,
    RequestModal,
)

log = logging.getLogger(__name__)

EXPIRY_KIND = "reseau.expiry"
MAX_REFILLS = 3  # a page is read again at most this often when it showed members who left
THREAD_NAME_LIMIT = 100
INBOX_BUTTON_ROWS = 4  # requests shown with their buttons in /contacts (one row each)


def expiry_ref(request_id: int) -> str:
    return f"request:{request_id}"


class ContactFlows:
    def __init__(
        self, common: Common, on_accepted_mentoring: Callable[[ContactRequest], Awaitable[None]]
    ) -> None:
        self.c = common
        self.store = common.store
        self.on_accepted_mentoring = on_accepted_mentoring  # the pairing starts (mentoring)

    # -- the directory ---------------------------------------------------------------------------
    async def show_directory(
        self,
        interaction: discord.Interaction[Any],
        filters: DirectoryFilters,
        page: int,
        *,
        edit: bool,
    ) -> None:
        guild = await self.c.require_directory(interaction)
        lang = interaction_lang(interaction)
        viewer = await self.store.profiles.profile(guild.id, interaction.user.id)
        ranking = directory_ranking(guild.id, interaction.user.id, filters, viewer)
        rows, total, names = [], 0, {}
        for _ in range(MAX_REFILLS):
            rows, total = await self.store.profiles.directory_page(ranking, page)
            if not rows and total:
                page = clamp_page(page, total)
                continue
            ids = [p.user_id for p in rows]
            if not interaction.response.is_done() and not self.c.presence.known(guild.id, ids):
                # asking Discord who is still a member may take longer than the 3 s allowed
                if edit:
                    await interaction.response.defer()
                else:
                    await interaction.response.defer(ephemeral=True, thinking=True)
            seen = await self.c.presence.check_many(guild, ids)
            gone = [p for p in rows if seen[p.user_id] is None]
            for profile in gone:  # they left the server: their profile goes
                await self.store.profiles.forget_member(guild.id, profile.user_id)
            names = {u: s.name for u, s in seen.items() if s is not None}
            if not gone:
                break
        shown = [(p, names.get(p.user_id, "")) for p in rows if p.user_id in names]
        embed = render.directory_embed(shown, page, total, filters, lang)
        view = self.c.ui.directory_view(
            filters, page, page_count(total), [(p.id, n) for p, n in shown], lang
        )
        await self.c.respond(interaction, edit=edit, embed=embed, view=view)

    # -- asking ----------------------------------------------------------------------------------
    async def ask_form(self, interaction: discord.Interaction[Any], profile_id: int) -> None:
        """« Demander un contact »: the form, for a visible profile of this server."""
        guild = await self.c.require_directory(interaction)
        lang = interaction_lang(interaction)
        profile = await self.store.profiles.profile_by_id(profile_id)
        if (
            profile is None
            or profile.guild_id != guild.id
            or not profile.visible
            or profile.user_id == interaction.user.id
        ):
            await self.c.respond(interaction, content=t("reseau.request.no_follow_up", lang))
            return
        seen = await self.c.presence.check(guild, profile.user_id)
        await interaction.response.send_modal(
            RequestModal(self, guild.id, profile.user_id, seen.name if seen else "…", lang)
        )

    async def submit_request(
        self, interaction: discord.Interaction[Any], form: RequestForm
    ) -> None:
        lang = interaction_lang(interaction)
        # the guard may wait for its model, and Discord for a member: more than the 3 s allowed
        await interaction.response.defer(ephemeral=True, thinking=True)
        kinds = await self.c.guard(form.message)
        if kinds:
            payload = {
                "recipient_id": form.recipient_id,
                "kind": form.kind,
                "arrival": form.arrival,
                "message": form.message,
            }
            draft_id = await self.store.requests.save_draft(
                form.guild_id, interaction.user.id, DraftKind.REQUEST, payload, self.c.now()
            )
            await self.c.respond(
                interaction,
                content=t(
                    "reseau.guard.warning_request", lang, kinds=self.c.secrecy.describe(kinds, lang)
                ),
                view=self.c.ui.draft_view(draft_id, lang),
            )
            return
        await self.send_request(
            interaction, form.guild_id, form.recipient_id, form.kind, form.message, form.arrival
        )

    async def send_request(
        self,
        interaction: discord.Interaction[Any],
        guild_id: int,
        recipient_id: int,
        kind: RequestKind,
        message: str,
        arrival: str | None,
        *,
        edit: bool = False,
    ) -> None:
        """Record the request and answer the requester — the same words whatever happens next —
        then schedule its expiry and, only if it may reach the recipient, tell them."""
        guild = self.c.guild(guild_id)
        lang = interaction_lang(interaction)
        now = self.c.now()
        seen = await self.c.presence.check(guild, recipient_id, fresh=True)
        outcome, request = await self.store.requests.ask(
            guild_id,
            interaction.user.id,
            recipient_id,
            kind,
            message,
            now,
            recipient_is_bot=bool(seen and seen.bot),
            recipient_is_member=seen is not None,
            arrival=arrival,
        )
        if request is None or outcome is Outcome.NEUTRAL:
            await self.c.respond(
                interaction, edit=edit, content=t("reseau.request.no_follow_up", lang), view=None
            )
            return
        await self.c.bot.reminders.schedule(
            EXPIRY_KIND,
            expiry_ref(request.id),
            guild_id,
            Schedule(
                occurrence="expiry",
                due_at=request.expires_at,
                expires_at=request.expires_at + NOTICE_WINDOW,
                payload={"request": request.id},
            ),
        )
        await self.c.respond(
            interaction,
            edit=edit,
            content=t(
                "reseau.request.sent",
                lang,
                name=escape(seen.name if seen else ""),
                until=ts(request.expires_at, "D"),
            ),
            view=None,
        )
        if outcome is Outcome.SEND:
            await self.notify_recipient(request, guild, interaction.user.display_name)

    async def notify_recipient(
        self, request: ContactRequest, guild: discord.Guild, requester_name: str
    ) -> None:
        """The request reaches its recipient by DM; closed DMs: it waits in /contacts."""
        lang = self.c.server_lang(guild.id)
        profile = await self.store.profiles.profile(guild.id, request.requester_id)
        sent = await self.c.dm(
            request.recipient_id,
            content=t("reseau.request.dm_intro", lang, server=escape(guild.name)),
            embed=render.request_embed(request, requester_name, profile, lang),
            view=self.c.ui.answer_view(request.id, lang),
        )
        if sent is None:
            log.info("request %s waits in /contacts: the recipient's DMs are closed", request.id)

    async def send_draft(
        self, interaction: discord.Interaction[Any], guild_id: int, payload: dict[str, Any]
    ) -> None:
        """« Envoyer quand même » after the guard's warning on a request."""
        await self.send_request(
            interaction,
            guild_id,
            int(payload["recipient_id"]),
            RequestKind(payload["kind"]),
            str(payload["message"]),
            payload.get("arrival"),
            edit=True,
        )

    # -- answering -------------------------------------------------------------------------------
    async def answer(
        self, interaction: discord.Interaction[Any], request_id: int, action: str
    ) -> None:
        lang = interaction_lang(interaction)
        request = await self.store.requests.request(request_id)
        if request is None:
            raise UserError("reseau.error.request_closed")
        if action == "report":
            await self.report(interaction, request)
            return
        if action == Answer.ACCEPT:
            await self.accept(interaction, request)
            return
        updated = await self.store.requests.answer(
            request_id, Answer(action), interaction.user.id, self.c.now()
        )
        if updated is None:
            raise UserError("reseau.error.request_closed")
        # Nothing is sent to the requester: they learn « pas de suite » at the expiry only.
        await self.c.respond(
            interaction, edit=True, content=t(f"reseau.answer.{action}_done", lang), view=None
        )

    async def accept(self, interaction: discord.Interaction[Any], request: ContactRequest) -> None:
        """A private thread in the moderators' chosen channel, or, without one, the details each
        chooses to give (the recipient's first, in a form)."""
        if interaction.user.id != request.recipient_id:
            raise UserError("reseau.error.not_yours")
        guild = self.c.guild(request.guild_id)
        config = await self.c.config(guild.id)
        channel = guild.get_channel(config.thread_channel_id) if config.thread_channel_id else None
        usable = isinstance(channel, discord.TextChannel) and all(
            getattr(channel.permissions_for(guild.me), p)
            for p in ("view_channel", "create_private_threads", "send_messages_in_threads")
        )
        if not usable:
            if request.status != RequestStatus.PENDING or self.c.now() >= request.expires_at:
                raise UserError("reseau.error.request_closed")
            await interaction.response.send_modal(
                DetailsModal(self, request.id, interaction_lang(interaction), accepting=True)
            )
            return
        await interaction.response.defer()
        accepted = await self._accept(interaction, request)
        assert isinstance(channel, discord.TextChannel)
        thread = await self._open_thread(channel, accepted)
        lang = interaction_lang(interaction)
        if thread is None:  # Discord refused after all: the details, then
            await self.c.respond(
                interaction,
                edit=True,
                content=t("reseau.answer.accept_no_thread", lang),
                view=self.c.ui.details_view(accepted.id, lang),
            )
            await self._tell_requester(accepted, guild, thread=None)
            return
        await self.c.respond(
            interaction,
            edit=True,
            content=t("reseau.answer.accepted_thread", lang, thread=thread.mention),
            view=None,
        )
        await self._tell_requester(accepted, guild, thread=thread)

    async def _accept(
        self, interaction: discord.Interaction[Any], request: ContactRequest
    ) -> ContactRequest:
        accepted = await self.store.requests.answer(
            request.id, Answer.ACCEPT, interaction.user.id, self.c.now()
        )
        if accepted is None:
            raise UserError("reseau.error.request_closed")
        await self.c.bot.reminders.cancel(EXPIRY_KIND, expiry_ref(request.id))
        if accepted.kind == RequestKind.MENTORING:
            await self.on_accepted_mentoring(accepted)
        return accepted

    async def _open_thread(
        self, channel: discord.TextChannel, request: ContactRequest
    ) -> discord.Thread | None:
        lang = self.c.server_lang(channel.guild.id)
        try:
            thread = await channel.create_thread(
                name=t("reseau.thread.name", lang)[:THREAD_NAME_LIMIT],
                type=discord.ChannelType.private_thread,
                invitable=False,
            )
            for user_id in (request.requester_id, request.recipient_id):
                await thread.add_user(discord.Object(user_id))  # type: ignore[arg-type]
            await thread.send(
                t(
                    "reseau.thread.intro",
                    lang,
                    requester=f"<@{request.requester_id}>",
                    recipient=f"<@{request.recipient_id}>",
                ),
                allowed_mentions=SAFE_MENTIONS,
            )
        except discord.HTTPException:
            log.warning("could not open a private thread in guild %s", channel.guild.id)
            return None
        await self.store.requests.set_thread(request.id, thread.id)
        return thread

    async def accept_with_details(
        self, interaction: discord.Interaction[Any], request_id: int, details: str
    ) -> None:
        """The recipient accepted without a thread channel, giving the details they chose."""
        lang = interaction_lang(interaction)
        given = validate_details(details)
        request = await self.store.requests.request(request_id)
        if request is None:
            raise UserError("reseau.error.request_closed")
        accepted = await self._accept(interaction, request)
        await self.store.requests.set_details(accepted.id, interaction.user.id, given)
        await self.c.respond(
            interaction, edit=True, content=t("reseau.answer.accepted_details", lang), view=None
        )
        refreshed = await self.store.requests.request(accepted.id)
        assert refreshed is not None
        await self._tell_requester(refreshed, self.c.guild(accepted.guild_id), thread=None)

    async def _tell_requester(
        self, request: ContactRequest, guild: discord.Guild, *, thread: discord.Thread | None
    ) -> None:
        lang = self.c.server_lang(guild.id)
        seen = await self.c.presence.check(guild, request.recipient_id)
        name = escape(seen.name if seen else "")
        if thread is not None:
            await self.c.dm(
                request.requester_id,
                content=t("reseau.request.accepted_thread", lang, name=name, thread=thread.mention),
            )
            return
        await self.c.dm(
            request.requester_id,
            content=t("reseau.request.accepted_details", lang, name=name)
            + "\n"
            + render.details_text(request, request.requester_id, seen.name if seen else "", lang),
            view=self.c.ui.details_view(request.id, lang),
        )

    async def details_form(self, interaction: discord.Interaction[Any], request_id: int) -> None:
        request = await self.store.requests.request(request_id)
        if request is None or request.status != RequestStatus.ACCEPTED:
            raise UserError("reseau.error.request_closed")
        if interaction.user.id not in (request.requester_id, request.recipient_id):
            raise UserError("reseau.error.not_yours")
        await interaction.response.send_modal(
            DetailsModal(self, request.id, interaction_lang(interaction), accepting=False)
        )

    async def give_details(
        self, interaction: discord.Interaction[Any], request_id: int, details: str
    ) -> None:
        """Either side of an accepted request gives (or changes) the details they choose; the
        other is told by DM, and both find them in /contacts."""
        lang = interaction_lang(interaction)
        given = validate_details(details)
        if not await self.store.requests.set_details(request_id, interaction.user.id, given):
            raise UserError("reseau.error.request_closed")
        request = await self.store.requests.request(request_id)
        assert request is not None
        guild = self.c.guild(request.guild_id)
        other = (
            request.recipient_id
            if interaction.user.id == request.requester_id
            else request.requester_id
        )
        await self.c.respond(interaction, content=t("reseau.details.given", lang))
        server_lang = self.c.server_lang(guild.id)
        await self.c.dm(
            other,
            content=render.details_text(request, other, interaction.user.display_name, server_lang),
        )

    # -- reports ---------------------------------------------------------------------------------
    async def report(self, interaction: discord.Interaction[Any], request: ContactRequest) -> None:
        """« Signaler »: that one request goes to the moderators' channel, nothing else."""
        lang = interaction_lang(interaction)
        if interaction.user.id != request.recipient_id:
            raise UserError("reseau.error.not_yours")
        settings = self.c.bot.settings_store.guild(request.guild_id)
        if settings.mod_channel_id is None:
            raise UserError("reseau.error.no_mod_channel")
        if not await self.store.requests.mark_reported(request.id):
            await self.c.respond(interaction, content=t("reseau.report.already", lang))
            return
        mod_lang = self.c.server_lang(request.guild_id)
        channel = self.c.bot.get_partial_messageable(
            settings.mod_channel_id, guild_id=request.guild_id
        )
        try:
            await channel.send(
                embed=render.report_embed(request, mod_lang, self.c.now()),
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException:
            await self.store.requests.unmark_reported(request.id)
            raise UserError("reseau.error.no_mod_channel") from None
        await self.c.respond(
            interaction,
            edit=True,
            content=t("reseau.report.done", lang),
            view=self.c.ui.answer_view(request.id, lang, reported=True)
            if request.status == RequestStatus.PENDING
            else None,
        )

    # -- the inbox -------------------------------------------------------------------------------
    async def inbox(self, interaction: discord.Interaction[Any]) -> None:
        """`/contacts`: what waits for the member's answer (with its buttons), their contacts,
        and what they sent as they can see it."""
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.c.now()
        received = await self.store.requests.received(guild.id, interaction.user.id, now)
        sent = await self.store.requests.sent(guild.id, interaction.user.id)
        others = {r.requester_id for r in received} | {r.recipient_id for r in sent}
        seen = await self.c.presence.check_many(guild, sorted(o for o in others if o))
        names = {u: s.name for u, s in seen.items() if s is not None}
        embed = render.inbox_embed(received, sent, names, lang)
        view = discord.ui.View(timeout=None)
        waiting = [r for r in received if r.status == RequestStatus.PENDING][:INBOX_BUTTON_ROWS]
        for request in waiting:
            for item in self.c.ui.answer_view(request.id, lang, reported=request.reported).children:
                item.row = waiting.index(request)
                view.add_item(item)
        accepted_without_thread = [
            r for r in (*received, *sent) if r.status == RequestStatus.ACCEPTED and not r.thread_id
        ][: 5 - len(waiting)]
        for request in accepted_without_thread:
            view.add_item(self.c.ui.details_view(request.id, lang).children[0])
        await self.c.respond(interaction, embed=embed, view=view)
