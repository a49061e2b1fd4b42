"""What the process holds, now and then in the log: for operators watching memory over weeks,
and for the soak benchmark (bench/soak.py) that checks it stays flat.

One line every `HEALTH_LOG_SECONDS` (off by default):
`health: tasks=… views=… view_items=… modals=… redraws=… thread_adds=… dm_lane=…`.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from typing import Any

log = logging.getLogger(__name__)


def snapshot(bot: Any) -> dict[str, int]:
    """Counts of what could pile up: asyncio tasks (each view with a timeout holds one), the
    views discord.py keeps to dispatch clicks, pending redraws and thread adds, DMs on the lane."""
    # discord.py keeps no public count of the views it holds: read its store, if it is there.
    store = getattr(getattr(bot, "_connection", None), "_view_store", None)
    views = getattr(store, "_views", {})
    engine = getattr(bot, "reminders", None)
    return {
        "tasks": len(asyncio.all_tasks()),
        "views": len(getattr(store, "_synced_message_views", {})),
        "view_items": sum(len(items) for items in views.values()),
        "modals": len(getattr(store, "_modals", {})),
        "redraws": bot.redraws.pending,
        "thread_adds": bot.thread_members.pending,
        "dm_lane": engine.dms_waiting if engine is not None else 0,
    }


def busiest(limit: int = 3) -> str:
    """The coroutines most tasks are running, e.g. `View.__timeout_task_impl:120`."""
    names = Counter(getattr(task.get_coro(), "__qualname__", "?") for task in asyncio.all_tasks())
    return ",".join(f"{name}:{n}" for name, n in names.most_common(limit))


async def report(bot: Any, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        counts = snapshot(bot)
        line = " ".join(f"{k}={v}" for k, v in counts.items())
        log.info("health: %s top=%s", line, busiest())
