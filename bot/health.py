"""Is this bot process alive? `/healthz` (and Docker's HEALTHCHECK through `python -m bot health`).

Healthy when the database answers a write, the gateway session is live and the reminder engine
is keeping up (its oldest due item waits less than `MAX_LAG`). Each check is bounded in time,
so a stuck database makes the answer « unhealthy », never a hanging request.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.db import meta
from bot.db.timestamps import to_ts

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.db import Database
    from bot.reminders import ReminderEngine

log = logging.getLogger(__name__)

MAX_LAG = timedelta(minutes=1)
CHECK_TIMEOUT = 5.0  # seconds for each check
PROBE_KEY = "health_probe"


class Check:
    DATABASE = "database"
    GATEWAY = "gateway"
    ENGINE = "engine"


@dataclass
class GatewayState:
    """Kept by the bot from discord.py's events: connect/resumed → up, disconnect → down."""

    connected: bool = False
    changed_at: datetime | None = None

    def up(self, now: datetime) -> None:
        self.connected, self.changed_at = True, now

    def down(self, now: datetime) -> None:
        self.connected, self.changed_at = False, now


@dataclass(frozen=True)
class Health:
    checks: dict[str, bool]
    lag: timedelta | None = None

    @property
    def ok(self) -> bool:
        return all(self.checks.values())

    def as_json(self) -> dict[str, object]:
        body: dict[str, object] = {
            "status": "ok" if self.ok else "unhealthy",
            "checks": {name: "ok" if good else "failing" for name, good in self.checks.items()},
        }
        if self.lag is not None:
            body["engine_lag_seconds"] = round(self.lag.total_seconds(), 3)
        if not self.ok:
            body["failing"] = [name for name, good in self.checks.items() if not good]
        return body


async def _database(db: Database, now: datetime) -> bool:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            await meta.put(db, PROBE_KEY, str(to_ts(now)))
        return True
    except Exception:
        log.warning("health: the database did not answer a write", exc_info=True)
        return False


async def _engine(engine: ReminderEngine) -> timedelta | None:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            return await engine.lag()
    except Exception:
        log.warning("health: could not read the reminder engine's lag", exc_info=True)
        return None


async def check(
    *, db: Database, gateway: GatewayState, engine: ReminderEngine, clock: Clock
) -> Health:
    now = clock.now()
    database = await _database(db, now)
    lag = await _engine(engine)
    return Health(
        checks={
            Check.DATABASE: database,
            Check.GATEWAY: gateway.connected,
            Check.ENGINE: lag is not None and lag < MAX_LAG,
        },
        lag=lag,
    )
