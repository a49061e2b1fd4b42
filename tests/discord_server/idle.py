"""Knowing when the bot has finished handling what the test did — without sleeping.

How: the bot runs in a context where `BOT_ZONE` is set; a task factory on the running loop
records, for every task created in that zone, the task that created it. A task is *work* when
it is (or descends from) one of discord.py's dispatch tasks — `discord.py: on_…` events
(`Client._schedule_event`), `CommandTree-invoker`, `discord-ui-view-dispatch-…`,
`discord-ui-modal-dispatch-…`, `discord-ui-dynamic-item-…` — or the READY delay, an APScheduler
job run, or a call the driver made in the bot (e.g. `reminders.run_due`). The bot is idle when:

1. the gateway session is live and the bot's websocket has processed every frame sent
   (`bot.ws.sequence` ≥ the server's last sequence: parsing happens synchronously after the
   sequence is read, so every event task already exists);
2. no work task is pending, except ones parked on `View.wait()` / `Modal.wait()` /
   `Client.wait_for()` (waiting for the member) and the views' timeout sleepers and
   `delete_after` sleepers (real-time delays the test cannot wait for);
3. the server has no REST request in flight and no APScheduler job is due;
4. all of this holds over a few consecutive loop iterations.
The check polls every millisecond, fails loudly after a deadline and names the pending tasks.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

BOT_ZONE: contextvars.ContextVar[bool] = contextvars.ContextVar("fake_discord_bot", default=False)

WORK_NAMES = (
    "discord.py: ",
    "CommandTree-invoker",
    "discord-ui-view-dispatch-",
    "discord-ui-modal-dispatch-",
    "discord-ui-dynamic-item-",
    "discord-ui-view-timeout-",
    "fake-discord-work",
)
WORK_CORO = ("_delay_ready", "_chunk_and_dispatch", "run_coroutine_job")
SLEEPERS = ("__timeout_task_impl", "inner_call")
PARKED = (("ui/view.py", "wait"), ("ui/modal.py", "wait"), ("client.py", "wait_for"))


class IdleTimeoutError(AssertionError):
    pass


def _coro_name(task: asyncio.Task[Any]) -> str:
    coro = task.get_coro()
    return getattr(coro, "__qualname__", type(coro).__name__)


def _parked(task: asyncio.Task[Any]) -> bool:
    """Is the task waiting for a member (View.wait, Modal.wait, Client.wait_for)?"""
    coro: Any = task.get_coro()
    while coro is not None:
        code = getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)
        if code is not None:
            path = code.co_filename.replace("\\", "/")
            for suffix, name in PARKED:
                if code.co_name == name and path.endswith("discord/" + suffix):
                    return True
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    return False


class IdleTracker:
    def __init__(self) -> None:
        self.parents: dict[asyncio.Task[Any], asyncio.Task[Any] | None] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous: Any = None

    # --- the task factory -----------------------------------------------------------------
    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._previous = loop.get_task_factory()
        loop.set_task_factory(self._factory)

    def uninstall(self) -> None:
        if self._loop is not None:
            self._loop.set_task_factory(self._previous)
        self.parents.clear()

    def _factory(
        self, loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, Any], **kw: Any
    ) -> asyncio.Task[Any]:
        if self._previous is not None:
            task = self._previous(loop, coro, **kw)
        else:
            task = asyncio.Task(coro, loop=loop, **kw)
        context = kw.get("context")
        in_zone = context.get(BOT_ZONE, False) if context is not None else BOT_ZONE.get()
        if in_zone:
            try:
                parent = asyncio.current_task(loop)
            except RuntimeError:
                parent = None
            self.parents[task] = parent  # kept after the task ends: lineage survives parents
        return task

    # --- classification -------------------------------------------------------------------
    def _is_work(self, task: asyncio.Task[Any]) -> bool:
        seen = 0
        node: asyncio.Task[Any] | None = task
        while node is not None and seen < 50:
            if node.get_name().startswith(WORK_NAMES) or _coro_name(node).endswith(WORK_CORO):
                return True
            node = self.parents.get(node)
            seen += 1
        return False

    def pending_work(self) -> list[asyncio.Task[Any]]:
        out = []
        for task in list(self.parents):
            if task.done() or any(s in _coro_name(task) for s in SLEEPERS):
                continue
            if self._is_work(task) and not _parked(task):
                out.append(task)
        return out

    @staticmethod
    def describe(tasks: list[asyncio.Task[Any]]) -> str:
        return ", ".join(f"{t.get_name()} ({_coro_name(t)})" for t in tasks) or "none"


def in_bot_zone() -> contextvars.Context:
    ctx = contextvars.copy_context()
    ctx.run(BOT_ZONE.set, True)
    return ctx


def scheduler_due(bot: Any) -> bool:
    """An APScheduler job of the bot due now (its timer may not have fired yet)."""
    scheduler = getattr(bot, "scheduler", None)
    if scheduler is None or not getattr(scheduler, "running", False):
        return False
    now = datetime.now(UTC)
    for job in scheduler.get_jobs():
        if job.next_run_time is not None and job.next_run_time <= now:
            return True
    return False


async def wait_until(
    predicate: Callable[[], bool], describe: Callable[[], str], within: float, stable: int = 3
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    streak = 0
    while True:
        if predicate():
            streak += 1
            if streak >= stable:
                return
            await asyncio.sleep(0)
            continue
        streak = 0
        if loop.time() > deadline:
            raise IdleTimeoutError(f"the bot did not become idle within {within}s: {describe()}")
        await asyncio.sleep(0.001)
