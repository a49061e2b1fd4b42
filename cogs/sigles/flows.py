"""The Discord side of Sigles, as one object built in `setup` and handed to the cog, the views
and the handlers: answering `/sigle`, the server's own entries (`/glossaire`), the suggestion
workflow (a member proposes, moderators approve, edit or reject, the author is told through the
reminder engine), turning the sigle of the week on and off; and each server's glossary index.
"""

from __future__ import annotations

import asyncio
import io
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot import offload
from bot.checks import require_channel_permissions, require_guild, require_moderator
from bot.discord_text import CHOICE_NAME_LIMIT, CHOICES_MAX, escape, truncate, ts
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.recurrence import Occurrence
from bot.regions import REGIONS
from bot.reminders import Schedule
from bot.user_error import UserError
from cogs.sigles import render, rotation, service
from cogs.sigles.export import to_csv, to_json
from cogs.sigles.glossary import Entry, Glossary
from cogs.sigles.rotation import WeeklySettings
from cogs.sigles.service import Decision, ExportFormat, Library, Suggestion, SuggestionStatus
from cogs.sigles.store import SiglesStore
from cogs.sigles.views import EditSuggestionModal, SuggestModal, decision_view, propose_view

if TYPE_CHECKING:
    from bot.client import Passerelle

Interaction = discord.Interaction[Any]
DECISION_KIND = "sigles.decision"
# What the bot needs where it posts: the weekly sigle, the moderators' suggestion cards.
POST_PERMISSIONS = ("view_channel", "send_messages", "embed_links")
# The servers' indexes kept in memory, least recently used out first: a server with 10,000
# entries of its own weighs about 24 MB, one with a few dozen next to nothing (the shipped
# glossary is shared). Servers without entries of their own cost no slot.
CACHED_SERVERS = 64
CACHED_ENTRIES = 40_000


@dataclass
class _Slot:
    """One server's index: being built (`task`), then built (`library`); `previous` is the
    index from before the change being indexed, for answers that cannot wait (autocomplete)."""

    task: asyncio.Task[None] | None = None
    library: Library | None = None
    previous: Library | None = None


class Libraries:
    """Each server's glossary index (its own entries layered on the shipped ones).

    Built whole off the event loop when a server is first asked about (`bot.offload`: a worker
    thread, from immutable values, the garbage collector paused; about a second of CPU at
    10,000 entries would otherwise stall every other member), or after a bulk change (an
    import, an erasure: `changed`). A `/glossaire` change or an approved suggestion is applied
    to the index in place of rebuilding it (`update`: the changed entries only, on the loop,
    a few milliseconds). Bounded (least recently used servers out, see `CACHED_SERVERS` and
    `CACHED_ENTRIES`); forgotten when the bot leaves a server (`forget`). An index that goes
    after a rebuild is taken apart off the loop (`offload.release`).
    """

    def __init__(
        self,
        store: SiglesStore,
        shipped: Glossary,
        *,
        servers: int = CACHED_SERVERS,
        entries: int = CACHED_ENTRIES,
    ) -> None:
        self.store = store
        self.shipped = shipped
        self.servers, self.entries = servers, entries
        self._plain: Library | None = None
        self._plain_task: asyncio.Task[Library] | None = None
        self._plain_guilds: set[int] = set()  # known to have no entries of their own
        self._slots: OrderedDict[int, _Slot] = OrderedDict()

    @property
    def plain(self) -> Library:
        """The shipped glossary's index (what a server without entries of its own reads).

        Built off the loop after the bot is ready (`prepare`), not at start-up: about 0.1 s of
        CPU the start would otherwise wait for. Asked before that (a test, a moment's race), it
        is built here."""
        if self._plain is None:
            self._plain = service.shipped_library(self.shipped)
        return self._plain

    async def prepare(self) -> None:
        """Build the shipped glossary's index off the event loop, once (`bot.offload`); the
        answers that read it wait for it (started after ready: a first question waits at most
        the build, never the loop)."""
        if self._plain is not None:
            return
        if self._plain_task is None:
            self._plain_task = asyncio.get_running_loop().create_task(
                offload.build(service.shipped_library, self.shipped), name="sigles-index-shipped"
            )
        try:
            library = await asyncio.shield(self._plain_task)
        except Exception:
            self._plain_task = None  # built again when next asked
            raise
        if self._plain is None:
            self._plain = library

    async def get(self, guild_id: int | None) -> Library:
        """The server's index with every change made so far (waits for one being built)."""
        if guild_id is None or guild_id in self._plain_guilds:
            await self.prepare()
            return self.plain
        slot = self._slot(guild_id)
        return slot.library or await self._wait(slot)

    def latest(self, guild_id: int | None) -> Library:
        """The server's index as it is now, without waiting (autocomplete must answer within
        3 s): while a change is being indexed, the one before it; while a server's index is
        first built, the shipped glossary alone (callers on the loop `prepare` it first)."""
        if guild_id is None or guild_id in self._plain_guilds:
            return self.plain
        slot = self._slot(guild_id)
        return slot.library or slot.previous or self.plain

    def ready(self, guild_id: int | None) -> bool:
        """True when `get` answers without waiting for an index being built."""
        if guild_id is None or guild_id in self._plain_guilds:
            return self._plain is not None
        slot = self._slots.get(guild_id)
        return slot is not None and slot.library is not None

    def update(
        self,
        guild_id: int,
        removed: Sequence[service.GuildEntry] = (),
        added: Sequence[service.GuildEntry] = (),
    ) -> None:
        """A few of the server's entries changed (already written: `removed` as they were,
        `added` as they now are): its index follows, here on the loop, in proportion to the
        change (`Library.changed`: a few milliseconds at 10,000 entries, never a rebuild)."""
        if guild_id in self._plain_guilds:
            base = self.plain
        else:
            slot = self._slots.get(guild_id)
            if slot is None:
                return  # not in memory: read whole when next asked
            if slot.library is None:  # being read: maybe from before the change
                self.changed(guild_id)
                return
            base = slot.library
        library = base.changed(removed, added)
        self._slots.pop(guild_id, None)  # the index it comes from goes (it shares the rest)
        if library.rows:
            self._plain_guilds.discard(guild_id)
            self._slots[guild_id] = _Slot(library=library)
            self._evict()
        else:
            self._plain_guilds.add(guild_id)

    def changed(self, guild_id: int) -> None:
        """Many of the server's entries changed (an import, an erasure): index them again now,
        off the loop."""
        self._plain_guilds.discard(guild_id)
        old = self._slots.pop(guild_id, None)
        previous = None if old is None else (old.library or old.previous)
        self._start(guild_id, previous or self._plain)

    def changed_elsewhere(self, guild_id: int | None) -> None:
        """Another process changed the server's entries (None: maybe any server's): an index
        held here is built again; a server not held here is read when next asked."""
        held = [guild_id] if guild_id is not None else [*self._slots, *self._plain_guilds]
        for gid in held:
            if gid in self._slots or gid in self._plain_guilds:
                self.changed(gid)

    def forget(self, guild_id: int) -> None:
        """The bot left the server: nothing of it stays in memory."""
        self._plain_guilds.discard(guild_id)
        slot = self._slots.pop(guild_id, None)
        if slot is not None:
            self._release(slot)

    def cached(self) -> dict[int, int]:
        """The servers whose index is in memory, with how many entries of their own."""
        return {gid: len(s.library.rows) for gid, s in self._slots.items() if s.library}

    def _slot(self, guild_id: int) -> _Slot:
        slot = self._slots.get(guild_id)
        if slot is None:
            return self._start(guild_id, None)
        self._slots.move_to_end(guild_id)
        return slot

    def _start(self, guild_id: int, previous: Library | None) -> _Slot:
        slot = _Slot(previous=previous)
        slot.task = asyncio.get_running_loop().create_task(
            self._build(guild_id, slot), name=f"sigles-index-{guild_id}"
        )
        slot.task.add_done_callback(lambda _: self._built(guild_id, slot))
        self._slots[guild_id] = slot
        return slot

    async def _wait(self, slot: _Slot) -> Library:
        assert slot.task is not None  # a slot without its index is being built
        await asyncio.shield(slot.task)
        assert slot.library is not None
        return slot.library

    async def _build(self, guild_id: int, slot: _Slot) -> None:
        # The index lives in the slot only (never in the task's result), so that it can be
        # handed to `offload.release` when it goes.
        async with offload.collector_paused():  # thousands of entries: see bot.offload
            rows = await self.store.entries(guild_id)
            if not rows:
                await self.prepare()
                slot.library = self.plain
                return
            slot.library = await offload.build(service.build_library, self.shipped, tuple(rows))

    def _built(self, guild_id: int, slot: _Slot) -> None:
        task = slot.task
        assert task is not None
        failed = task.cancelled() or task.exception() is not None  # the awaiting callers see it
        if self._slots.get(guild_id) is not slot:
            return  # changed or forgotten meanwhile: this index is not the server's any more
        if failed:
            del self._slots[guild_id]  # built again on the next question
            return
        slot.task = None
        self._release(slot, keep=slot.library)
        if slot.library is self._plain:
            del self._slots[guild_id]
            self._plain_guilds.add(guild_id)
        self._evict()

    def _evict(self) -> None:
        weights = self.cached()
        total = sum(weights.values())
        while len(self._slots) > 1 and (len(self._slots) > self.servers or total > self.entries):
            guild_id, slot = self._slots.popitem(last=False)
            total -= weights.get(guild_id, 0)
            self._release(slot)

    def _release(self, slot: _Slot, *, keep: Library | None = None) -> None:
        """Let the slot's indexes go (but `keep`), taken apart off the loop."""
        holders = []
        if slot.previous is not None:
            holders.append([slot.previous])
            slot.previous = None
        if keep is None and slot.library is not None:
            holders.append([slot.library])
            slot.library = None
        for holder in holders:
            if holder[0] is not self._plain:
                offload.release(holder)


class SiglesFlows:
    def __init__(self, bot: Passerelle, store: SiglesStore, shipped: Glossary) -> None:
        self.bot = bot
        self.store = store
        self.libraries = Libraries(store, shipped)

    def guild_lang(self, guild_id: int) -> str:
        return self.bot.settings_store.lang_of(guild_id)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        self.libraries.forget(guild.id)

    # -- /sigle ---------------------------------------------------------------------------------
    async def look_up(self, interaction: Interaction, typed: str, region: str | None) -> None:
        service.clean_query(typed)  # a typing mistake is said at once
        lang = interaction_lang(interaction)
        guild_id = interaction.guild_id
        await self._defer_unless_ready(interaction, guild_id)
        library = await self.libraries.get(guild_id)
        answer = service.answer(library.matcher, typed, region)
        if answer.kind == service.AnswerKind.NOT_FOUND:
            can_propose = answer.can_propose and guild_id is not None
            text = render.not_found_text(answer, lang, can_propose=can_propose)
            view = propose_view(answer.query, lang) if can_propose else None
            await _answer(interaction, text, view=view)
            return
        embed = render.answer_embed(answer, library.glossary, lang, library.credits)
        await _answer(interaction, embed=embed)

    async def suggest_terms(
        self, interaction: Interaction, typed: str, region: str | None
    ) -> list[app_commands.Choice[str]]:
        if len(typed) > service.MAX_QUERY:
            return []
        await self.libraries.prepare()
        library = self.libraries.latest(interaction.guild_id)
        first = region if region in REGIONS else None
        matches = library.matcher.suggest(
            typed,
            region_first=first or self.bot.settings_store.region_of(interaction.guild_id),
            limit=CHOICES_MAX,
        )
        return [
            app_commands.Choice(name=m.label(CHOICE_NAME_LIMIT), value=m.entry.sigle)
            for m in matches
        ]

    # -- /glossaire: the server's own entries ---------------------------------------------------
    async def pick_entries(
        self, interaction: Interaction, typed: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        await self.libraries.prepare()
        library = self.libraries.latest(interaction.guild_id)
        return [
            app_commands.Choice(
                name=truncate(
                    f"{r.entry.sigle} ({r.entry.region}) — {r.entry.developpe}", CHOICE_NAME_LIMIT
                ),
                value=str(r.id),
            )
            for r in library.pick(typed, CHOICES_MAX)
        ]

    async def _checked(self, interaction: Interaction, data: dict[str, Any]) -> Entry:
        """A server entry from a moderator's fields, every field and reference checked (each
        reference looked up in the glossary's index: a few microseconds, here on the loop)."""
        guild_id = require_guild(interaction).id
        await self._defer_unless_ready(interaction, guild_id)
        known = (await self.libraries.get(guild_id)).glossary
        return service.build_entry(data, guild_id=guild_id, known=known)

    async def _defer_unless_ready(self, interaction: Interaction, guild_id: int | None) -> None:
        """Discord waits 3 s for an answer: say "thinking" while the server's entries are being
        indexed (about a second per 10,000 entries)."""
        if not self.libraries.ready(guild_id) and not interaction.response.is_done():
            await interaction.response.defer(ephemeral=True, thinking=True)

    async def add_entry(self, interaction: Interaction, data: dict[str, Any]) -> None:
        guild = require_guild(interaction)
        entry = await self._checked(interaction, data)
        added = await self.store.add(guild.id, entry, interaction.user.id, self.bot.clock.now())
        if added is None:
            raise service.exists(entry)
        await self._indexed(guild.id, (), added)
        await self._done(interaction, "sigles.admin.added", entry)

    async def edit_entry(
        self, interaction: Interaction, typed_id: str, data: dict[str, Any]
    ) -> None:
        guild = require_guild(interaction)
        row = await self._own_entry(guild.id, typed_id)
        entry = await self._checked(interaction, service.entry_fields(row.entry) | data)
        if not await self.store.update(guild.id, row.id, entry, self.bot.clock.now()):
            raise service.exists(entry)
        await self._indexed(guild.id, (row,), row.id)
        await self._done(interaction, "sigles.admin.edited", entry)

    async def remove_entry(self, interaction: Interaction, typed_id: str) -> None:
        guild = require_guild(interaction)
        row = await self._own_entry(guild.id, typed_id)
        await self.store.delete(guild.id, row.id)
        await self._indexed(guild.id, (row,), None)
        await self._done(interaction, "sigles.admin.removed", row.entry)

    async def _indexed(
        self, guild_id: int, before: Sequence[service.GuildEntry], entry_id: int | None
    ) -> None:
        """The server's index follows one written change: `before`, the row as it was (if it
        was), `entry_id`, the row as it now is (read back: exactly what the store holds)."""
        row = None if entry_id is None else await self.store.entry(guild_id, entry_id)
        self.libraries.update(guild_id, before, () if row is None else (row,))

    async def _own_entry(self, guild_id: int, typed_id: str) -> service.GuildEntry:
        row = await self.store.entry(guild_id, service.parse_entry_id(typed_id))
        if row is None:
            raise UserError("sigles.error.unknown_entry")
        return row

    async def import_entries(self, interaction: Interaction, upload: discord.Attachment) -> None:
        guild = require_guild(interaction)
        service.check_import_size(upload.size)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            data = await upload.read()
        except discord.HTTPException:
            raise UserError("sigles.error.import_unreadable") from None
        known = (await self.libraries.get(guild.id)).glossary
        entries = await offload.build(
            service.parse_import, data, upload.filename, guild_id=guild.id, known=known
        )
        added, updated = await self.store.import_entries(
            guild.id, entries, interaction.user.id, self.bot.clock.now()
        )
        self.libraries.changed(guild.id)
        lang = interaction_lang(interaction)
        await interaction.followup.send(
            t("sigles.admin.imported", lang, n=added, updated=updated), ephemeral=True
        )

    async def export_entries(self, interaction: Interaction, fmt: ExportFormat) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        entries = [row.entry for row in await self.store.entries(guild.id)]
        data = await offload.build(_exported, entries, fmt)
        day = self.bot.clock.now().astimezone(UTC).date().isoformat()
        upload = discord.File(io.BytesIO(data), filename=f"sigles-{guild.id}-{day}.{fmt}")
        if entries:
            text = t("sigles.admin.exported", lang, n=len(entries))
        else:
            text = t("sigles.admin.exported_none", lang)
        await interaction.response.send_message(text, file=upload, ephemeral=True)

    async def _done(self, interaction: Interaction, key: str, entry: Entry) -> None:
        lang = interaction_lang(interaction)
        region = t(f"region.{entry.region}", lang)
        await _answer(interaction, t(key, lang, sigle=escape(entry.sigle), region=region))

    # -- the sigle of the week ------------------------------------------------------------------
    async def start_weekly(
        self, interaction: Interaction, channel: discord.TextChannel, weekday: int, hour: str
    ) -> None:
        guild = require_guild(interaction)
        at = rotation.parse_hour(hour)
        require_channel_permissions(channel, guild.me, *POST_PERMISSIONS)
        settings = WeeklySettings(guild.id, channel.id, weekday, at)
        now = self.bot.clock.now()
        await self.store.save_weekly(settings, now)
        occ = self.next_post(settings, now)
        await self.bot.reminders.schedule(
            rotation.KIND, str(guild.id), guild.id, rotation.schedule_for(occ)
        )
        # A channel that failed before and was fixed may be reported again if it fails again.
        await self.bot.reminders.clear_reports(guild.id, channel.id)
        lang = interaction_lang(interaction)
        text = t(
            "sigles.semaine.started",
            lang,
            channel=channel.mention,
            weekday=t(f"weekday.{weekday}", lang),
            time=f"{at:%H:%M}",
            zone=self.bot.settings_store.guild_zone(guild.id).key,
            next=ts(occ.start, "F"),
            relative=ts(occ.start, "R"),
        )
        rule = t("sigles.semaine.rule", lang)
        await interaction.response.send_message(f"{text}\n{rule}", ephemeral=True)

    def next_post(self, settings: WeeklySettings, after: datetime) -> Occurrence:
        zone = self.bot.settings_store.guild_zone(settings.guild_id)
        return rotation.next_post(settings, zone, after)

    async def stop_weekly(self, interaction: Interaction) -> None:
        guild = require_guild(interaction)
        stopped = await self.store.delete_weekly(guild.id)
        await self.bot.reminders.cancel(rotation.KIND, str(guild.id))
        key = "sigles.semaine.stopped" if stopped else "sigles.semaine.not_started"
        await interaction.response.send_message(
            t(key, interaction_lang(interaction)), ephemeral=True
        )

    # -- suggestions: members -------------------------------------------------------------------
    def mod_channel(self, guild: discord.Guild) -> discord.TextChannel:
        """The moderators' channel from /config; refused before anything is written."""
        channel_id = self.bot.settings_store.guild(guild.id).mod_channel_id
        if channel_id is None:
            raise UserError("sigles.error.no_mod_channel")
        channel = guild.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            raise UserError("sigles.error.mod_channel_gone")
        require_channel_permissions(channel, guild.me, *POST_PERMISSIONS)
        return channel

    async def open_suggestion(self, interaction: Interaction, query: str) -> None:
        guild = require_guild(interaction)
        self.mod_channel(guild)  # say it now, before the member types a whole form
        region = self.bot.settings_store.region_of(guild.id)
        lang = interaction_lang(interaction)
        await interaction.response.send_modal(SuggestModal(self, lang, query, region))

    async def submit_suggestion(
        self,
        interaction: Interaction,
        *,
        sigle: str,
        region: str,
        domaine: str,
        developpe: str,
        explication: str,
    ) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        fields = service.suggestion_fields(sigle, region, domaine, developpe, explication)
        library = await self.libraries.get(guild.id)
        service.require_not_known(fields, library.glossary)
        service.require_no_duplicate(fields, await self.store.pending(guild.id))
        channel = self.mod_channel(guild)
        now = self.bot.clock.now()
        suggestion_id = await self.store.add_suggestion(
            guild.id, interaction.user.id, interaction.channel_id, lang, fields, now
        )
        suggestion = await self._suggestion(suggestion_id)
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

    # -- suggestions: moderators ----------------------------------------------------------------
    async def decide(self, interaction: Interaction, suggestion_id: int, action: Decision) -> None:
        suggestion = await self._pending_for_moderator(interaction, suggestion_id)
        if action == Decision.APPROVE:
            await self._approve(interaction, suggestion)
        elif action == Decision.REJECT:
            if not await self.store.reject(suggestion_id, interaction.user.id, self._now()):
                service.require_pending(await self._suggestion(suggestion_id))
            await self._decided(interaction, suggestion_id, SuggestionStatus.REJECTED)
        else:
            modal = EditSuggestionModal(self, interaction_lang(interaction), suggestion)
            await interaction.response.send_modal(modal)

    async def save_edit(
        self,
        interaction: Interaction,
        suggestion_id: int,
        *,
        sigle: str,
        domaine: str,
        developpe: str,
        explication: str,
        source: str,
    ) -> None:
        suggestion = await self._pending_for_moderator(interaction, suggestion_id)
        region = suggestion.region
        fields = service.suggestion_fields(sigle, region, domaine, developpe, explication)
        if source.strip():
            fields["source"] = service.check_fields(fields | {"source": source})["source"]
        await self.store.edit_suggestion(suggestion_id, fields)
        edited = await self._suggestion(suggestion_id)
        lang = self.guild_lang(suggestion.guild_id)
        await interaction.response.edit_message(
            embed=render.suggestion_embed(edited, lang), view=decision_view(suggestion_id, lang)
        )

    async def _pending_for_moderator(
        self, interaction: Interaction, suggestion_id: int
    ) -> Suggestion:
        guild = require_guild(interaction)
        require_moderator(interaction)
        suggestion = await self.store.suggestion(suggestion_id)
        if suggestion is None or suggestion.guild_id != guild.id:
            raise UserError("sigles.error.unknown_suggestion")
        service.require_pending(suggestion)
        return suggestion

    async def _approve(self, interaction: Interaction, suggestion: Suggestion) -> None:
        jump = (
            f"https://discord.com/channels/{suggestion.guild_id}/"
            f"{suggestion.mod_channel_id}/{suggestion.mod_message_id}"
        )
        known = (await self.libraries.get(suggestion.guild_id)).glossary
        entry = service.entry_from_suggestion(suggestion, fallback_source=jump, known=known)
        approved = await self.store.approve(suggestion, entry, interaction.user.id, self._now())
        if approved is None:  # decided by another moderator meanwhile, or already there
            service.require_pending(await self._suggestion(suggestion.id))
            raise service.exists(entry)
        await self._indexed(suggestion.guild_id, (), approved)
        await self._decided(interaction, suggestion.id, SuggestionStatus.APPROVED)

    async def _decided(
        self, interaction: Interaction, suggestion_id: int, status: SuggestionStatus
    ) -> None:
        decided = await self._suggestion(suggestion_id)
        lang = self.guild_lang(decided.guild_id)
        line = t(f"sigles.suggestion.{status}", lang, moderator=interaction.user.mention)
        await interaction.response.edit_message(
            embed=render.suggestion_embed(decided, lang, status_line=line), view=None
        )
        await self.bot.reminders.schedule(
            DECISION_KIND,
            str(suggestion_id),
            decided.guild_id,
            Schedule(occurrence=status, due_at=self._now()),
        )

    async def _suggestion(self, suggestion_id: int) -> Suggestion:
        suggestion = await self.store.suggestion(suggestion_id)
        if suggestion is None:  # erased meanwhile (the author asked `/mes-donnees`)
            raise UserError("sigles.error.unknown_suggestion")
        return suggestion

    def _now(self) -> datetime:
        return self.bot.clock.now()


def _exported(entries: Sequence[Entry], fmt: ExportFormat) -> bytes:
    text = to_json(entries) if fmt == ExportFormat.JSON else to_csv(entries)
    return text.encode("utf-8")


async def _answer(
    interaction: Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
) -> None:
    """Answer ephemerally, whether or not the answer was deferred."""
    extra: dict[str, Any] = {"embed": embed} if embed is not None else {}
    if view is not None:
        extra["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=True, **extra)
    else:
        await interaction.response.send_message(content, ephemeral=True, **extra)
