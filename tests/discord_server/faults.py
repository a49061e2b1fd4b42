"""Faults on demand: 5xx answers and forced 429s for the next N matching requests.

Gateway faults (RECONNECT, INVALID_SESSION, dropped socket) live on the gateway and are
reached through the driver (`world.gateway_reconnect()` …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LOST = 0  # a pseudo-status: the request is carried out, the answer never arrives
CUT = -1  # a pseudo-status: the connection breaks before the request is carried out


@dataclass
class HttpFault:
    status: int
    remaining: int
    route: re.Pattern[str] | None
    method: str | None
    retry_after: float = 0.0
    is_global: bool = False


@dataclass
class Faults:
    pending: list[HttpFault] = field(default_factory=list)
    injected: list[tuple[str, str, int]] = field(default_factory=list)  # (method, path, status)

    def http_error(
        self,
        status: int = 500,
        *,
        times: int = 1,
        route: str | None = None,
        method: str | None = None,
    ) -> None:
        """Answer `status` (500, 502, 504…) to the next `times` requests whose path matches the
        regex `route` (searched in the path after /api/v10) and whose method is `method`."""
        pattern = re.compile(route) if route else None
        self.pending.append(HttpFault(status, times, pattern, method))

    def rate_limit(
        self,
        *,
        times: int = 1,
        retry_after: float = 0.05,
        route: str | None = None,
        method: str | None = None,
        is_global: bool = False,
    ) -> None:
        """Answer 429 (with Discord's body and headers) to the next `times` matching requests."""
        pattern = re.compile(route) if route else None
        self.pending.append(HttpFault(429, times, pattern, method, retry_after, is_global))

    def lose_response(
        self, *, times: int = 1, route: str | None = None, method: str | None = None
    ) -> None:
        """Carry out the next `times` matching requests, then cut the connection before the
        answer: Discord accepted, the bot never learns it (what a crash at that instant does)."""
        pattern = re.compile(route) if route else None
        self.pending.append(HttpFault(LOST, times, pattern, method))

    def cut_connection(
        self, *, times: int = 1, route: str | None = None, method: str | None = None
    ) -> None:
        """Break the connection on the next `times` matching requests, before carrying them out
        (a network failure: discord.py does not retry it itself, the bot's code must)."""
        pattern = re.compile(route) if route else None
        self.pending.append(HttpFault(CUT, times, pattern, method))

    def take(self, method: str, path: str) -> HttpFault | None:
        for fault in self.pending:
            if fault.method and fault.method != method:
                continue
            if fault.route and not fault.route.search(path):
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self.pending.remove(fault)
            self.injected.append((method, path, fault.status))
            return fault
        return None
