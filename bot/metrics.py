"""What operators can graph: Prometheus metrics of one bot process (`/metrics`).

One `Metrics` per bot, on its own registry (tests and restarts run several bots in a process).
The core calls it at a few places only: the reminder engine's outcomes, the one error handler
and the command tree's completion, discord.py's HTTP client (an aiohttp trace: every answer
from Discord, 429s among them), the database (a timing hook), and the web side. Labels are
bounded sets (kinds, command names, routes), never ids, paths or member input.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import aiohttp
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest

TOO_MANY_REQUESTS = 429
RATE_LIMIT_SCOPES = ("user", "global", "shared")
STATUS_CLASS = 100  # 404 → "4xx"
DATABASE_BUCKETS = (0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
WEB_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)


class Outcome:
    """How an interaction ended (the `outcome` label)."""

    OK = "ok"
    REFUSED = "refused"  # bad input or missing rights: answered, nothing broken
    ERROR = "error"  # unexpected: logged with a reference


class Metrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.reminders = Counter(
            "passerelle_reminders",
            "Reminder deliveries by kind and outcome (sent, late, missed, failed, fallback, "
            "skipped)",
            ["kind", "outcome"],
            registry=r,
        )
        self.reminder_queue = Gauge(
            "passerelle_reminder_queue_items", "Items waiting in the reminder engine", registry=r
        )
        self.reminder_lag = Gauge(
            "passerelle_reminder_lag_seconds",
            "How long the oldest due reminder item has been waiting",
            registry=r,
        )
        self.interactions = Counter(
            "passerelle_interactions",
            "Interactions by command (or component) and outcome (ok, refused, error)",
            ["command", "outcome"],
            registry=r,
        )
        self.discord_requests = Counter(
            "passerelle_discord_requests",
            "Answers from Discord's REST API by status class",
            ["status"],
            registry=r,
        )
        self.discord_rate_limited = Counter(
            "passerelle_discord_rate_limited",
            "429 answers from Discord's REST API, by scope (user, global, shared)",
            ["scope"],
            registry=r,
        )
        self.gateway_connected = Gauge(
            "passerelle_gateway_connected", "1 while the gateway session is live", registry=r
        )
        self.database = Histogram(
            "passerelle_database_seconds",
            "Database calls by kind (read, write, transaction)",
            ["operation"],
            buckets=DATABASE_BUCKETS,
            registry=r,
        )
        self.web_requests = Counter(
            "passerelle_web_requests",
            "Web requests by route and status",
            ["route", "status"],
            registry=r,
        )
        self.web_latency = Histogram(
            "passerelle_web_request_seconds",
            "Web request handling time by route",
            ["route"],
            buckets=WEB_BUCKETS,
            registry=r,
        )
        self._web_children: dict[tuple[str, int], tuple[Any, Any]] = {}

    # -- what the core calls --------------------------------------------------------------------
    def reminder(self, kind: str, outcome: str) -> None:
        self.reminders.labels(kind, outcome).inc()

    def engine(self, queue: int, lag: timedelta) -> None:
        self.reminder_queue.set(queue)
        self.reminder_lag.set(lag.total_seconds())

    def interaction(self, command: str, outcome: str) -> None:
        self.interactions.labels(command, outcome).inc()

    def database_call(self, operation: str, seconds: float) -> None:
        self.database.labels(operation).observe(seconds)

    def web_request(self, route: str, status: int, seconds: float) -> None:
        # Every web request comes here: the labelled children are looked up once per
        # (route, status), both sets being bounded.
        children = self._web_children.get((route, status))
        if children is None:
            children = (
                self.web_requests.labels(route, str(status)),
                self.web_latency.labels(route),
            )
            self._web_children[(route, status)] = children
        children[0].inc()
        children[1].observe(seconds)

    def http_trace(self, trace: aiohttp.TraceConfig | None = None) -> aiohttp.TraceConfig:
        """Given to discord.py (`http_trace=`): every answer Discord's REST API gives it. discord.py
        takes one trace config: `trace`, when given, gets this hook after its own."""
        trace = trace or aiohttp.TraceConfig()

        async def on_end(
            session: aiohttp.ClientSession, context: SimpleNamespace, params: Any
        ) -> None:
            status = params.response.status
            self.discord_requests.labels(f"{status // STATUS_CLASS}xx").inc()
            if status == TOO_MANY_REQUESTS:
                scope = params.response.headers.get("X-RateLimit-Scope", "user")
                known = scope if scope in RATE_LIMIT_SCOPES else "other"
                self.discord_rate_limited.labels(known).inc()

        trace.on_request_end.append(on_end)
        return trace

    def render(self) -> bytes:
        return generate_latest(self.registry)
