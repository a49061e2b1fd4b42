"""The suggestion workflow on Discord: a member proposes, moderators approve, edit or reject,
the author is told (through the reminder engine, which falls back when DMs are closed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.checks import require_channel_permissions, require_guild, require_moderator
from bot.discord_text import escape
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.personal_data import Field, Item, Label, Records
from bot.reminders import DueItem, OneShotHandler, Outgoing, Schedule
from bot.user_error import UserError
from cogs.sigles import render, service
from cogs.sigles.service import APPROVED, REJECTED, Suggestion
from cogs.sigles.views import SuggestModal, decision_view

if TYPE_CHECKING:
    from cogs.sigles.cog import SiglesCog

Interaction = discord.Interaction[Any]
DECISION_KIND = "sigles.decision"
MOD_PERMISSIONS = ("view_channel", "send_messages", "embed_links")


class SuggestionFlows:
    def __init__(self, cog: SiglesCog) -> None:
        self.cog = cog
        self.bot = cog.bot
        self.store = cog.store

    def guild_lang(self, guild_id: int) -> str:
        return self.bot.settings_store.lang_of(guild_id)

    def mod_channel(self, guild: discord.Guild) -> discord.TextChannel:
        """The moderators' channel from /config; refused before anything is written."""
        channel_id = self.bot.settings_store.guild(guild.id).mod_channel_id
        if channel_id is None:
            raise UserError("sigles.error.no_mod_channel")
        channel = guild.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            raise UserError("sigles.error.mod_channel_gone")
        require_channel_permissions(channel, guild.me, *MOD_PERMISSIONS)
        return channel

    # -- members --------------------------------------------------------------------------------
    async def open_suggestion(self, interaction: Interaction, query: str) -> None:
        guild = require_guild(interaction)
        self.mod_channel(guild)  # say it now, before the member types a whole form
        region = self.cog.region_of(guild.id)
        lang = interaction_lang(interaction)
        await interaction.response.send_modal(SuggestModal(lang, query, region))

    async def submit_suggestion(self, interaction: Interaction, **typed: str) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        fields = service.suggestion_fields(**typed)
        library = await self.cog.library(guild.id)
        service.require_not_known(fields, library.matcher.glossary)
        service.require_no_duplicate(fields, await self.store.pending(guild.id))
        channel = self.mod_channel(guild)
        now = self.bot.clock.now()
        suggestion_id = await self.store.add_suggestion(
            guild.id, interaction.user.id, interaction.channel_id, lang, fields, now
        )
        suggestion = await self.store.suggestion(suggestion_id)
        assert suggestion is not None
        mod_lang = self.guild_lang(guild.id)
        try:
            message = await channel.send(
                embed=render.suggestion_embed(suggestion, mod_lang),
                view=decision_view(suggestion_id, mod_lang),
            )
        except discord.HTTPException:
            # Nobody would ever see it: take it back and say so.
            await self.store.drop_suggestion(suggestion_id)
            raise UserError("sigles.error.mod_channel_gone") from None
        await self.store.set_mod_message(suggestion_id, channel.id, message.id)
        await interaction.response.send_message(
            t("sigles.propose.sent", lang, sigle=escape(suggestion.sigle)), ephemeral=True
        )

    # -- moderators -----------------------------------------------------------------------------
    async def pending_for_moderator(self, interaction: Interaction, suggestion_id: int):
        guild = require_guild(interaction)
        require_moderator(interaction)
        suggestion = await self.store.suggestion(suggestion_id)
        if suggestion is None or suggestion.guild_id != guild.id:
            raise UserError("sigles.error.unknown_suggestion")
        service.require_pending(suggestion)
        return suggestion

    async def save_edit(self, interaction: Interaction, suggestion_id: int, **typed: str) -> None:
        suggestion = await self.pending_for_moderator(interaction, suggestion_id)
        source = typed.pop("source").strip()
        fields = service.suggestion_fields(region=suggestion.region, **typed)
        if source:
            fields["source"] = service.check_fields(fields | {"source": source})["source"]
        await self.store.edit_suggestion(suggestion_id, fields)
        edited = await self.store.suggestion(suggestion_id)
        assert edited is not None
        lang = self.guild_lang(suggestion.guild_id)
        await interaction.response.edit_message(
            embed=render.suggestion_embed(edited, lang), view=decision_view(suggestion_id, lang)
        )

    async def approve(self, interaction: Interaction, suggestion_id: int) -> None:
        suggestion = await self.pending_for_moderator(interaction, suggestion_id)
        library = await self.cog.library(suggestion.guild_id)
        jump = (
            f"https://discord.com/channels/{suggestion.guild_id}/"
            f"{suggestion.mod_channel_id}/{suggestion.mod_message_id}"
        )
        entry = service.entry_from_suggestion(
            suggestion, fallback_source=jump, known=library.matcher.glossary
        )
        service.require_new(entry, library.rows)
        now = self.bot.clock.now()
        await self.store.approve(suggestion, entry, interaction.user.id, now)
        self.cog.invalidate(suggestion.guild_id)
        await self._decided(interaction, suggestion_id, APPROVED)

    async def reject(self, interaction: Interaction, suggestion_id: int) -> None:
        await self.pending_for_moderator(interaction, suggestion_id)
        await self.store.reject(suggestion_id, interaction.user.id, self.bot.clock.now())
        await self._decided(interaction, suggestion_id, REJECTED)

    async def _decided(self, interaction: Interaction, suggestion_id: int, status: str) -> None:
        decided = await self.store.suggestion(suggestion_id)
        assert decided is not None
        lang = self.guild_lang(decided.guild_id)
        line = t(f"sigles.suggestion.{status}", lang, moderator=interaction.user.mention)
        await interaction.response.edit_message(
            embed=render.suggestion_embed(decided, lang, status_line=line), view=None
        )
        now = self.bot.clock.now()
        await self.bot.reminders.schedule(
            DECISION_KIND,
            str(suggestion_id),
            decided.guild_id,
            Schedule(occurrence=status, due_at=now),
        )


class DecisionNotice(OneShotHandler):
    """ "Your suggestion was approved/rejected", by DM, or in the channel it came from."""

    def __init__(self, flows: SuggestionFlows) -> None:
        self.flows = flows

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        s = await self.flows.store.suggestion(int(item.ref))
        if s is None or s.status not in (APPROVED, REJECTED):
            return []  # erased meanwhile: nobody to tell
        text = notice_text(s)
        return [
            Outgoing(
                target=f"dm:{s.author_id}",
                content=text,
                fallback_channel_id=s.channel_id,
                fallback_content=f"<@{s.author_id}> {text}",
            )
        ]


def notice_text(s: Suggestion) -> str:
    return t(f"sigles.notify.{s.status}", s.lang, sigle=escape(s.sigle))


class SiglesData:
    """`/mes-donnees`: suggestions a member made, entries credited to them or they added."""

    def __init__(self, cog: SiglesCog) -> None:
        self.cog = cog

    async def export(self, user_id: int) -> list[Item]:
        store = self.cog.store
        suggestions = await store.suggestions_by(user_id)
        credited = await store.credited_to(user_id)
        added = await store.created_by(user_id)

        def entry(r: Any) -> tuple[Field, ...]:
            return (
                Field("sigles.data.server", str(r.entry.guild_id)),
                Field("sigles.data.sigle", r.entry.sigle),
                Field("sigles.data.region", Label(f"region.{r.entry.region}")),
            )

        return [
            Records.of(
                "sigles.data.suggestions",
                (
                    (
                        Field("sigles.data.server", str(s.guild_id)),
                        Field("sigles.data.sigle", s.sigle),
                        Field("sigles.data.region", Label(f"region.{s.region}")),
                        Field("sigles.data.developpe", s.developpe),
                        Field("sigles.data.explication", s.explication),
                        Field("sigles.data.state", Label(f"sigles.data.state.{s.status}")),
                        Field("sigles.data.created_at", s.created_at),
                    )
                    for s in suggestions
                ),
            ),
            Records.of("sigles.data.credited", (entry(r) for r in credited)),
            Records.of("sigles.data.added", (entry(r) for r in added)),
        ]

    async def erase(self, user_id: int) -> int:
        suggestions = await self.cog.store.suggestions_by(user_id)
        for s in suggestions:
            await self.cog.bot.reminders.cancel(DECISION_KIND, str(s.id))
        count, guilds = await self.cog.store.erase_member(user_id)
        for guild_id in guilds:
            self.cog.invalidate(guild_id)  # the credit line goes from the answers
        return count
