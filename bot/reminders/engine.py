"""The exactly-once delivery engine.

SQLite holds every due item and a ledger of every delivery; APScheduler holds one wake-up (the
earliest due item), armed at start and moved only when an earlier item is scheduled. For each
due item the engine asks the feature what to send, writes 'sending' in the ledger, sends with a
nonce derived from the delivery key (Discord drops a repeat), writes the outcome, and only then
advances or removes the item.

Pacing: every request goes through the bot's request budget (`bot.pacing`); a run sends at the
scheduled-work priority, so members' clicks go first. Channel messages are sent by `workers`
concurrent workers; DMs go to their own lane (`dm_pacer`, background priority) in tasks of their
own, so a reminder with many DMs never holds a worker that channel reminders need. One run at a
time: an item scheduled during a run is picked up by that run, without a second wake-up. Each
run ends by pruning the ledger (`Retention`) at most once every `PRUNE_EVERY`, in small chunks
that give way to deliveries.

Several processes (PostgreSQL, bot/shards.py): each sends its own servers' items, and claims
them first for a lease (`CLAIM_LEASE`, renewed while it holds them) in one statement, so no two
processes ever handle the same item; a process that dies loses its claims when the lease runs
out, and another (or itself restarted) takes them over — the ledger and the nonces still make
each delivery exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from asyncio import Semaphore
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.pacing import DiscordLimits, Pacer, Priority, priority
from bot.reminders.delivery import (  # noqa: F401 - KNOWN_CODES: part of the engine's API
    KNOWN_CODES,
    Delivery,
    DMClosed,
    Permanent,
    Transient,
    classify,
)
from bot.reminders.model import DueItem, Outgoing, Problem, ReminderHandler, Schedule
from bot.reminders.policy import (
    CLAIM_LEASE,
    PRUNE_CHUNK,
    PRUNE_EVERY,
    Retention,
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
    from bot.guild_settings import SettingsStore
    from bot.metrics import Metrics

log = logging.getLogger(__name__)

WAKE_JOB = "reminders.wake"
SENDING = "sending"  # written before a send; not an outcome


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
        dm_pacer: Pacer | None = None,
        metrics: Metrics | None = None,
        workers: int = 8,
        batch: int = 500,
        retention: Retention | None = None,
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
        self.delivery = Delivery(
            client, self.store, settings, dm_pacer or DiscordLimits().dm_pacer(), self._record
        )
        self.batch = batch
        self.retention = retention or Retention()
        self._tick = asyncio.Lock()
        self._running = False
        self._again = False  # something became due during a run: that run goes round again
        self._armed: datetime | None = None  # the instant the wake-up is armed for
        self._in_flight: set[int] = set()  # items whose DMs are still on their lane
        self._tasks: set[asyncio.Task[None]] = set()  # runs and DM lanes under way
        self._last_prune: datetime | None = None
        self._prune_unfinished = False
        # Who claims the items this process sends (a new one at every start), and the task
        # that renews its claims while it holds some (a run, or DMs on their lane).
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._renewing: asyncio.Task[None] | None = None

    # -- what features call ---------------------------------------------------------------------
    def register(self, kind: str, handler: ReminderHandler) -> None:
        self.handlers[kind] = handler

    async def schedule(self, kind: str, ref: str, guild_id: int | None, when: Schedule) -> None:
        """Create or move the item (kind, ref); the ledger keeps what was already delivered."""
        await self.store.upsert(kind, ref, guild_id, when)
        self._consider(when.due_at)

    # Cancelling never moves the wake-up: waking for nothing is harmless, and cheaper than
    # looking for the next due item after every change.
    async def cancel(self, kind: str, ref: str) -> None:
        await self.store.delete(kind, ref)

    async def cancel_prefix(self, kind: str, prefix: str) -> None:
        await self.store.delete_prefix(kind, prefix)

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

    @property
    def dm_pacer(self) -> Pacer:
        """The DMs' own lane (on top of the bot's request budget)."""
        return self.delivery.dm_pacer

    @dm_pacer.setter
    def dm_pacer(self, pacer: Pacer) -> None:
        self.delivery.dm_pacer = pacer

    @property
    def dms_waiting(self) -> int:
        """Items whose DMs are still on their lane."""
        return len(self._in_flight)

    # -- life cycle -----------------------------------------------------------------------------
    async def start(self) -> None:
        """Arm the wake-up from the table; overdue items are handled at once (late policy)."""
        self._running = True
        if self.store.db.dialect == "sqlite":
            # One process per SQLite file: a claim left there is a dead process's, ours.
            await self.store.release_all()
        self._renewing = asyncio.get_running_loop().create_task(
            self._renew_claims(), name="reminders renew claims"
        )
        nxt = await self.store.next_due()
        now = self.clock.now()
        # A first run at once through the scheduler: overdue items, and the ledger's pruning.
        self._arm(now if nxt is None else min(nxt, now))

    async def stop(self) -> None:
        self._running = False
        self._disarm()
        try:
            async with asyncio.timeout(10):
                async with self._tick:
                    pass
        except TimeoutError:
            log.warning("a reminder run was still going on at shutdown")
        # DMs still on their lane stay due: the next start sends them (the ledger skips the
        # ones already delivered).
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._renewing is not None:
            self._renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._renewing
            self._renewing = None
        # What this process held goes back at once (a process that dies instead loses its
        # claims when their lease runs out).
        try:
            await self.store.release(self.owner)
        except Exception:
            log.exception("reminder claims could not be released at shutdown")

    async def wait_idle(self) -> None:
        """Until no run and no DM lane is under way."""
        while True:
            async with self._tick:
                pass
            tasks = [t for t in self._tasks if t is not asyncio.current_task()]
            if not tasks:
                return
            await asyncio.gather(*tasks, return_exceptions=True)

    def busy_within(self, seconds: float) -> bool:
        """Whether a run is under way or the next one is due within `seconds` (what optional
        background work, e.g. loading the guard's model, waits for). DMs on their lane do not
        count: they trickle at one a second for as long as there are some."""
        if self._tick.locked():
            return True
        armed = self._armed
        return armed is not None and (armed - self.clock.now()).total_seconds() <= seconds

    # -- waking up ------------------------------------------------------------------------------
    def _consider(self, due_at: datetime) -> None:
        """Something is due at `due_at`: run now, or make sure the wake-up comes by then."""
        if not self._running:
            return
        if due_at <= self.clock.now():
            self._poke()
        else:
            self._arm(due_at)

    def _poke(self) -> None:
        """Run now: the run under way goes round again, or a new one starts."""
        if not self._running:
            return
        if self._tick.locked():
            self._again = True
            return
        self._spawn(self.run_due(), "reminders run")

    def _arm(self, due_at: datetime) -> None:
        """Arm the wake-up for `due_at` unless it is already armed for earlier."""
        now = self.clock.now()
        if self._armed is not None and now < self._armed <= due_at:
            return
        # The bot's clock may be a test clock: wake after the same delay, in real time.
        delay = max(0.0, (due_at - now).total_seconds())
        self.scheduler.add_job(
            self._wake,
            "date",
            run_date=datetime.now(UTC) + timedelta(seconds=delay),
            id=WAKE_JOB,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )
        self._armed = due_at

    def _disarm(self) -> None:
        if self.scheduler.get_job(WAKE_JOB):
            self.scheduler.remove_job(WAKE_JOB)
        self._armed = None

    async def _wake(self) -> None:
        """The wake-up job: start a run (in its own task, so the job ends at once and a
        long run never makes APScheduler skip the next wake-up)."""
        self._armed = None
        self._poke()

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> None:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- the run --------------------------------------------------------------------------------
    async def run_due(self) -> int:
        """Settle everything due now (DMs are handed to their lane); returns how many items
        were handled. Items scheduled meanwhile are picked up before it returns."""
        handled = 0
        async with self._tick:
            with priority(Priority.SCHEDULED):
                while True:
                    self._again = False
                    handled += await self._drain()
                    await self._prune_if_due()
                    nxt = await self.store.next_due_after(self.clock.now(), self.owner)
                    if not self._again:
                        break  # no await from here to the release: a poke cannot be lost
        if nxt is not None and self._running:
            self._arm(nxt)
        return handled

    async def _drain(self) -> int:
        handled = 0
        while True:
            now = self.clock.now()
            # Claimed for a lease, in one statement: no other process gets these items; the
            # ones whose DMs are still on this process's lane are held already.
            rows = await self.store.claim(now, self.batch, self.owner, now + CLAIM_LEASE)
            items = [item for item in rows if item.id not in self._in_flight]
            if not items:
                return handled
            gate = Semaphore(self.workers)

            async def one(
                item: DueItem, now: datetime = now, gate: asyncio.Semaphore = gate
            ) -> None:
                async with gate:
                    await self._handle(item, now)

            await asyncio.gather(*(one(item) for item in items))
            handled += len(items)

    async def _renew_claims(self) -> None:
        """While this process holds claims (a run, DMs on their lane), they stay its own: a
        live process keeps its items; renewed every third of the lease."""
        while True:
            await asyncio.sleep(CLAIM_LEASE.total_seconds() / 3)
            if not (self._tick.locked() or self._in_flight):
                continue
            try:
                await self.store.renew(self.owner, self.clock.now() + CLAIM_LEASE)
            except Exception:
                log.exception("reminder claims could not be renewed")

    async def _prune_if_due(self) -> None:
        """Drop ledger rows past their retention, a chunk at a time; stop when deliveries wait."""
        now = self.clock.now()
        if (
            not self._prune_unfinished
            and self._last_prune is not None
            and now - self._last_prune < PRUNE_EVERY
        ):
            return
        self._last_prune = now
        delivered, others = self.retention.cutoffs(now)
        while True:
            removed = await self.store.prune(delivered, others, PRUNE_CHUNK)
            self._prune_unfinished = removed == PRUNE_CHUNK
            if not self._prune_unfinished:
                return
            if self._again:  # something became due: deliver first, prune on the next round
                return
            await asyncio.sleep(0)

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
                if not out.is_dm and not await self._deliver_once(handler, item, out, now, when):
                    pending = True
            dms = [out for out in outgoing if out.is_dm]
            if dms:  # on their own lane: this worker goes on with the next item
                self._in_flight.add(item.id)
                self._spawn(
                    self._deliver_dms(handler, item, outgoing, dms, pending, when),
                    f"reminder DMs {item.kind} {item.ref}",
                )
                return
            await self._finish(handler, item, outgoing, pending, now)
        except Exception:
            await self._failed(handler, item, now)

    async def _deliver_dms(
        self,
        handler: ReminderHandler,
        item: DueItem,
        outgoing: list[Outgoing],
        dms: list[Outgoing],
        pending: bool,
        when: Timeliness,
    ) -> None:
        try:
            with priority(Priority.BACKGROUND):
                for out in dms:
                    now = self.clock.now()
                    if timeliness(item.due_at, item.expires_at, now) is Timeliness.MISSED:
                        # The lane was long and what it announces has begun: too late.
                        if await self.store.ledger_status(item, out.target) not in FINAL:
                            await self._record(item, out.target, "missed", now)
                        continue
                    if not await self._deliver_once(handler, item, out, now, when):
                        pending = True
                next_due = await self._finish(handler, item, outgoing, pending, self.clock.now())
        except Exception:
            next_due = await self._failed(handler, item, self.clock.now())
        finally:
            self._in_flight.discard(item.id)
        if next_due is not None:
            self._consider(next_due)

    async def _finish(
        self,
        handler: ReminderHandler,
        item: DueItem,
        outgoing: list[Outgoing],
        pending: bool,
        now: datetime,
    ) -> datetime | None:
        """Retry later, give up, or settle; returns when the item is next due (if it is)."""
        if pending:
            attempts = item.attempts + 1
            if not gives_up(attempts):
                retry_at = now + backoff(attempts)
                await self.store.retry_later(item, retry_at)
                return retry_at
            for out in outgoing:
                if await self.store.ledger_status(item, out.target) not in FINAL:
                    await self._record(item, out.target, "failed", now, error="retries")
            log.error("reminder %s %s gave up after %d tries", item.kind, item.ref, attempts)
        following: Schedule | None = await handler.next_schedule(item)
        await self.store.settle(item, following)
        return None if following is None else following.due_at

    async def _failed(
        self, handler: ReminderHandler, item: DueItem, now: datetime
    ) -> datetime | None:
        log.exception("reminder %s %s could not be handled", item.kind, item.ref)
        attempts = item.attempts + 1
        if not gives_up(attempts):
            retry_at = now + backoff(attempts)
            await self.store.retry_later(item, retry_at)
            return retry_at
        # A bug, not Discord: record it and move on rather than retry for ever.
        await self._record(item, "*", "failed", now, error="internal")
        try:  # a recurring item goes on with its next occurrence, if that can be computed
            following = await handler.next_schedule(item)
        except Exception:
            log.exception("reminder %s %s: no next occurrence either", item.kind, item.ref)
            following = None
        await self.store.settle(item, following)
        return None if following is None else following.due_at

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
            message = await self.delivery.send(item, out, nonce)
        except Exception as raw:
            error = classify(raw)
            if isinstance(error, DMClosed):
                return await self.delivery.fallback(item, out, now)
            if isinstance(error, Transient):
                log.warning("reminder %s %s: transient failure %s", item.kind, item.ref, error)
                return False
            if isinstance(error, Permanent):
                await self._record(item, out.target, "failed", now, error=error.code)
                if not await handler.on_permanent_failure(item, out.target, error.code):
                    await self.delivery.report(item, out, error.code, now)
                return True
            raise
        await self._record(item, out.target, status, now, message_id=message.id)
        await handler.on_delivered(item, out.target, message)
        return True
