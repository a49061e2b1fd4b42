"""The exactly-once delivery engine.

SQLite holds every due item and a ledger of every delivery; APScheduler holds one wake-up (the
earliest due item) and is rebuilt from the table at start and after every change. For each due
item the engine asks the feature what to send, writes 'sending' in the ledger, sends with a nonce
derived from the delivery key (Discord drops a repeat), writes the outcome, and only then
advances or removes the item.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from bot.discord_text import NO_MENTIONS, SAFE_MENTIONS
from bot.i18n import t
from bot.reminders.model import DueItem, Outgoing, Problem, ReminderHandler, Schedule
from bot.reminders.pacing import Spacer, TokenBucket
from bot.reminders.policy import (
    CLAIM_LEASE,
    Timeliness,
    backoff,
    gives_up,
    nonce_for,
    timeliness,
)
from bot.reminders.store import FINAL, ReminderStore
from bot.shards import Sharding

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from bot.clock import Clock
    from bot.db import Database
    from bot.db.buckets import SharedBucket
    from bot.guild_settings import SettingsStore
    from bot.metrics import Metrics

log = logging.getLogger(__name__)

WAKE_JOB = "reminders.wake"
SENDING = "sending"  # written before a send; not an outcome


class Transient(Exception):
    """Worth trying again later (429 after discord.py's own retries, 5xx, network)."""


class Permanent(Exception):
    """Not worth retrying (channel deleted, permission lost, bad request)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class DMClosed(Exception):
    """Discord error 50007: the member does not accept DMs from the bot."""


# Discord's JSON error codes and the HTTP status the engine tells apart.
CANNOT_DM_USER = 50007
MISSING_ACCESS = 50001
TOO_MANY_REQUESTS = 429


def classify(error: BaseException) -> BaseException:
    if isinstance(error, DMClosed | Transient | Permanent):
        return error
    if isinstance(error, discord.Forbidden):
        if error.code == CANNOT_DM_USER:
            return DMClosed()
        return Permanent(
            "missing_access" if error.code == MISSING_ACCESS else "missing_permissions"
        )
    if isinstance(error, discord.NotFound):
        return Permanent("unknown_channel")
    if isinstance(error, discord.DiscordServerError):
        return Transient(str(error.status))
    if isinstance(error, discord.HTTPException):
        return (
            Transient("429")
            if error.status == TOO_MANY_REQUESTS
            else Permanent(f"http_{error.status}")
        )
    if isinstance(error, aiohttp.ClientError | OSError | asyncio.TimeoutError):
        return Transient("network")
    return error


class ReminderEngine:
    """Given what it needs explicitly (the Discord client to send with, the database, the
    scheduler, the clock, the settings), so the core has no import cycle through the bot."""

    def __init__(
        self,
        client: discord.Client,
        *,
        db: Database,
        scheduler: AsyncIOScheduler,
        clock: Clock,
        settings: SettingsStore,
        metrics: Metrics | None = None,
        workers: int = 8,
        rate_per_second: float = 47.0,
        dm_interval: float = 1.0,
        batch: int = 500,
        sharding: Sharding | None = None,
    ) -> None:
        self.client = client
        self.scheduler = scheduler
        self.clock = clock
        self.settings = settings
        self.metrics = metrics
        # Only the items of this process's servers (bot/shards.py); all when unsharded.
        self.store = ReminderStore(db, sharding)
        self.handlers: dict[str, ReminderHandler] = {}
        self.workers = workers
        # Replaced by a bucket in the database when several processes share the bot's budget.
        self.limiter: TokenBucket | SharedBucket = TokenBucket(rate_per_second, burst=2)
        self.dm_spacer = Spacer(dm_interval)
        self.batch = batch
        self._tick = asyncio.Lock()
        self._running = False
        # Who claims the items this process sends (a new one at every start).
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"

    # -- what features call ---------------------------------------------------------------------
    def register(self, kind: str, handler: ReminderHandler) -> None:
        self.handlers[kind] = handler

    async def schedule(self, kind: str, ref: str, guild_id: int | None, when: Schedule) -> None:
        """Create or move the item (kind, ref); the ledger keeps what was already delivered."""
        await self.store.upsert(kind, ref, guild_id, when)
        await self._rewake()

    async def cancel(self, kind: str, ref: str) -> None:
        await self.store.delete(kind, ref)
        await self._rewake()

    async def cancel_prefix(self, kind: str, prefix: str) -> None:
        await self.store.delete_prefix(kind, prefix)
        await self._rewake()

    # -- what moderators' screens and features' housekeeping read --------------------------------
    async def pending(self, guild_id: int, limit: int) -> list[DueItem]:
        """The server's next scheduled items, soonest first."""
        return await self.store.pending(guild_id, limit)

    async def count_pending(self, guild_id: int) -> int:
        return await self.store.count_pending(guild_id)

    async def recent_problems(self, guild_id: int, limit: int) -> list[Problem]:
        """The server's latest missed or failed deliveries, newest first."""
        return await self.store.recent_problems(guild_id, limit)

    async def clear_reports(self, guild_id: int, channel_id: int) -> None:
        """A moderator fixed a channel: its next failure is reported again."""
        await self.store.clear_reports(guild_id, channel_id)

    async def queue_length(self) -> int:
        """How many items wait (every server): `/metrics`."""
        return await self.store.count_all()

    async def lag(self) -> timedelta:
        """How long the oldest due item has been waiting (zero when nothing is overdue):
        `/healthz` and `/metrics`. A healthy engine keeps it near zero."""
        oldest = await self.store.next_due()
        now = self.clock.now()
        return max(timedelta(0), now - oldest) if oldest is not None else timedelta(0)

    async def forget_deliveries(self, kind: str, before: datetime) -> int:
        """Drop this kind's delivery records older than `before` (a feature whose records
        name people keeps them no longer than it keeps the people's links)."""
        return await self.store.forget_deliveries(kind, before)

    # -- life cycle -----------------------------------------------------------------------------
    async def start(self) -> None:
        """Rebuild the wake-up from the table; overdue items are handled at once (late policy)."""
        self._running = True
        if self.store.db.dialect == "sqlite":
            # One process per SQLite file: a claim left there is a dead process's, ours.
            await self.store.release_all()
        await self._rewake()

    async def stop(self) -> None:
        self._running = False
        if self.scheduler.get_job(WAKE_JOB):
            self.scheduler.remove_job(WAKE_JOB)
        try:
            async with asyncio.timeout(10):
                async with self._tick:
                    pass
        except TimeoutError:
            log.warning("a reminder run was still going on at shutdown")

    async def wait_idle(self) -> None:
        async with self._tick:
            pass

    async def _rewake(self) -> None:
        if not self._running:
            return
        nxt = await self.store.next_due()
        scheduler = self.scheduler
        if nxt is None:
            if scheduler.get_job(WAKE_JOB):
                scheduler.remove_job(WAKE_JOB)
            return
        # The bot's clock may be a test clock: wake after the same delay, in real time.
        delay = max(0.0, (nxt - self.clock.now()).total_seconds())
        scheduler.add_job(
            self.run_due,
            "date",
            run_date=datetime.now(UTC) + timedelta(seconds=delay),
            id=WAKE_JOB,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    # -- the run --------------------------------------------------------------------------------
    async def run_due(self) -> int:
        """Settle everything due now; returns how many items were handled."""
        handled = 0
        async with self._tick:
            renewing = asyncio.create_task(self._renew_claims(), name="reminders-renew")
            try:
                handled = await self._claim_and_handle()
            finally:
                renewing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await renewing
        await self._rewake()
        return handled

    async def _renew_claims(self) -> None:
        """While a run works, what it claimed stays its own (a live process keeps its items)."""
        while True:
            await asyncio.sleep(CLAIM_LEASE.total_seconds() / 3)
            await self.store.renew(self.owner, self.clock.now() + CLAIM_LEASE)

    async def _claim_and_handle(self) -> int:
        handled = 0
        while True:
            now = self.clock.now()
            items = await self.store.claim(now, self.batch, self.owner, now + CLAIM_LEASE)
            if not items:
                break
            gate = asyncio.Semaphore(self.workers)

            async def one(
                item: DueItem, now: datetime = now, gate: asyncio.Semaphore = gate
            ) -> None:
                async with gate:
                    await self._handle(item, now)

            await asyncio.gather(*(one(item) for item in items))
            handled += len(items)
        return handled

    async def _handle(self, item: DueItem, now: datetime) -> None:
        handler = self.handlers.get(item.kind)
        if handler is None:
            log.error("no handler for reminder kind %s; retrying in an hour", item.kind)
            await self.store.retry_later(item, now + timedelta(hours=1))
            return
        try:
            when = timeliness(item.due_at, item.expires_at, now)
            if when is Timeliness.MISSED:
                await self._record(item, "*", "missed", now)
                log.warning(
                    "reminder %s %s for %s missed (due %s)",
                    item.kind,
                    item.ref,
                    item.occurrence,
                    item.due_at.isoformat(),
                )
                await self.store.settle(item, await handler.next_schedule(item))
                return
            outgoing = await handler.render(item, late=when is Timeliness.LATE)
            # Nothing to send: either the feature dropped it (skipped), or this occurrence was
            # already delivered by a process that died before settling it — then the feature's
            # state already says "sent" and only the settling is left, with no new record.
            if not outgoing and not await self.store.has_deliveries(item):
                await self._record(item, "*", "skipped", now)
            pending = False
            for out in outgoing:
                if not await self._deliver_once(handler, item, out, now, when):
                    pending = True
            if pending:
                attempts = item.attempts + 1
                if not gives_up(attempts):
                    await self.store.retry_later(item, now + backoff(attempts))
                    return
                for out in outgoing:
                    if await self.store.ledger_status(item, out.target) not in FINAL:
                        await self._record(item, out.target, "failed", now, error="retries")
                log.error("reminder %s %s gave up after %d tries", item.kind, item.ref, attempts)
            following: Schedule | None = await handler.next_schedule(item)
            await self.store.settle(item, following)
        except Exception:
            log.exception("reminder %s %s could not be handled", item.kind, item.ref)
            attempts = item.attempts + 1
            if not gives_up(attempts):
                await self.store.retry_later(item, now + backoff(attempts))
                return
            # A bug, not Discord: record it and move on rather than retry for ever.
            await self._record(item, "*", "failed", now, error="internal")
            try:  # a recurring item goes on with its next occurrence, if that can be computed
                following = await handler.next_schedule(item)
            except Exception:
                log.exception("reminder %s %s: no next occurrence either", item.kind, item.ref)
                following = None
            await self.store.settle(item, following)

    async def _record(
        self, item: DueItem, target: str, status: str, now: datetime, **details: Any
    ) -> None:
        """An outcome in the ledger, and in the metrics."""
        await self.store.record(item, target, status, now, **details)
        if self.metrics is not None:
            self.metrics.reminder(item.kind, status)

    async def _deliver_once(
        self,
        handler: ReminderHandler,
        item: DueItem,
        out: Outgoing,
        now: datetime,
        when: Timeliness,
    ) -> bool:
        """True when this target is settled (delivered, fallen back, or failed for good)."""
        if await self.store.ledger_status(item, out.target) in FINAL:
            return True
        await self.store.record(item, out.target, SENDING, now)
        nonce = nonce_for(item.kind, item.ref, item.occurrence, out.target)
        status = "late" if when is Timeliness.LATE else "sent"
        try:
            message = await self._send(item, out, nonce)
        except Exception as raw:
            error = classify(raw)
            if isinstance(error, DMClosed):
                return await self._fallback(item, out, now)
            if isinstance(error, Transient):
                log.warning("reminder %s %s: transient failure %s", item.kind, item.ref, error)
                return False
            if isinstance(error, Permanent):
                await self._record(item, out.target, "failed", now, error=error.code)
                if not await handler.on_permanent_failure(item, out.target, error.code):
                    await self._report(item, out, error.code, now)
                return True
            raise
        await self._record(item, out.target, status, now, message_id=message.id)
        await handler.on_delivered(item, out.target, message)
        return True

    async def _send(self, item: DueItem, out: Outgoing, nonce: str) -> discord.Message:
        mentions = out.allowed_mentions or SAFE_MENTIONS
        if out.is_dm:
            member = await self.settings.member(out.target_id)
            if member.dm_closed:
                raise DMClosed()  # Discord said 50007 before: do not knock again
            await self.dm_spacer.wait()
            await self.limiter.acquire()
            channel: discord.abc.Messageable = await self.client.create_dm(
                discord.Object(out.target_id)  # type: ignore[arg-type]
            )
        else:
            channel = self.client.get_partial_messageable(out.target_id, guild_id=item.guild_id)
        await self.limiter.acquire()
        return await channel.send(
            content=out.content,
            embeds=out.embeds,
            view=out.view or discord.utils.MISSING,
            allowed_mentions=mentions,
            nonce=nonce,
        )

    async def _fallback(self, item: DueItem, out: Outgoing, now: datetime) -> bool:
        store = self.settings
        member = await store.member(out.target_id)
        if not member.dm_closed:
            await store.save_member(replace(member, dm_closed=True))
        if out.fallback_channel_id is None or not out.fallback_content:
            await self._record(item, out.target, "fallback", now, error="dm_closed")
            return True
        fallback = Outgoing(
            target=f"channel:{out.fallback_channel_id}",
            content=out.fallback_content,
            allowed_mentions=discord.AllowedMentions(
                everyone=False, roles=False, users=[discord.Object(out.target_id)]
            ),
        )
        try:
            fallback_nonce = nonce_for(
                item.kind, item.ref, item.occurrence, "fallback:" + out.target
            )
            message = await self._send(item, fallback, fallback_nonce)
        except Exception as raw:
            if isinstance(classify(raw), Transient):
                return False
            await self._record(item, out.target, "failed", now, error="fallback")
            return True
        await self._record(item, out.target, "fallback", now, message_id=message.id)
        return True

    async def _report(self, item: DueItem, out: Outgoing, code: str, now: datetime) -> None:
        """Tell the server's moderators once per (channel, error)."""
        if item.guild_id is None or out.is_dm:
            return
        if not await self.store.first_report(item.guild_id, out.target_id, code, now):
            return
        settings = self.settings.guild(item.guild_id)
        lang = self.settings.lang_of(item.guild_id)
        where = [
            c
            for c in (settings.mod_channel_id, settings.announce_channel_id)
            if c and c != out.target_id
        ]
        text = t(
            "reminders.failure_report",
            lang,
            channel=f"<#{out.target_id}>",
            reason=t(f"reminders.failure.{code}", lang)
            if code in KNOWN_CODES
            else t("reminders.failure.other", lang, code=code),
        )
        for channel_id in where:  # the moderators' channel, else the announcements'; once
            try:
                await self.limiter.acquire()
                await self.client.get_partial_messageable(channel_id, guild_id=item.guild_id).send(
                    text, allowed_mentions=NO_MENTIONS
                )
                return
            except discord.HTTPException:
                log.warning("could not report a reminder failure in guild %s", item.guild_id)
        log.warning("reminder failure in guild %s not reported: no usable channel", item.guild_id)


KNOWN_CODES = ("missing_permissions", "missing_access", "unknown_channel")
