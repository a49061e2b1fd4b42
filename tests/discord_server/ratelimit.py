"""Discord's rate limits as the loopback server plays them (figures and sources: tests/README.md).

- **Per-route buckets**, keyed by the bucket and the request's top-level resource (the "major
  parameter": channel, guild, or webhook id + token), with Discord's headers on every answer
  (`X-RateLimit-Limit/Remaining/Reset/Reset-After/Bucket`) and, on a 429, `Retry-After`,
  `X-RateLimit-Scope` and the JSON body `{"message", "retry_after", "global"}`.
- **The global limit**: 50 requests per second per bot, over a sliding second. Interaction
  endpoints (the callback, and the followups/edits on the interaction token) are *not* counted
  in it (Discord documents it); they have their own buckets.
- **Sub-limits** Discord applies inside a bucket (a channel's name/topic: 2 changes per
  10 minutes): a 429 with `X-RateLimit-Remaining` > 0, which discord.py reads as a sub-limit.

`time_scale` multiplies every window (counts and shapes unchanged, headers consistent with the
scaled windows): the test fixture runs with a small scale so a test sending 20 messages into one
channel does not wait 15 s, benchmarks with the real figures (scale 1). Windows are in real
(monotonic) seconds since discord.py sleeps in real time.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass, field
from typing import Any

GLOBAL_PER_SECOND = 50
GLOBAL_WINDOW = 1.0
INVALID_REQUESTS_LIMIT = 10_000  # 401/403/429 answers per 10 minutes (Cloudflare ban beyond)
INVALID_REQUESTS_WINDOW = 600.0


@dataclass(frozen=True)
class Limit:
    """`count` requests per `window` seconds (at scale 1) in bucket `name`."""

    count: int
    window: float
    name: str
    per: str = "major"  # "major": one bucket per top-level resource; "bot": one for the bot


# Routes as the server records them ("METHOD /template"). Anything absent shares the default.
MESSAGE_CREATE = "POST /channels/{channel_id}/messages"
MESSAGE_EDIT = "PATCH /channels/{channel_id}/messages/{message_id}"
MESSAGE_DELETE = "DELETE /channels/{channel_id}/messages/{message_id}"
THREAD_MEMBER_ADD = "PUT /channels/{channel_id}/thread-members/{user_id}"
DM_CREATE = "POST /users/@me/channels"
CHANNEL_EDIT = "PATCH /channels/{channel_id}"
CALLBACK = "POST /interactions/{interaction_id}/{token}/callback"
WEBHOOK_ROUTES = (
    "POST /webhooks/{webhook_id}/{token}",
    "GET /webhooks/{webhook_id}/{token}/messages/{message_id}",
    "PATCH /webhooks/{webhook_id}/{token}/messages/{message_id}",
    "DELETE /webhooks/{webhook_id}/{token}/messages/{message_id}",
)

INTERACTION_WEBHOOK = Limit(5, 5.0, "interaction-webhook")
ROUTE_LIMITS: dict[str, Limit] = {
    MESSAGE_CREATE: Limit(5, 5.0, "message-create"),
    MESSAGE_EDIT: Limit(5, 5.0, "message-edit"),
    MESSAGE_DELETE: Limit(5, 1.0, "message-delete"),
    THREAD_MEMBER_ADD: Limit(5, 5.0, "thread-member-add"),
    DM_CREATE: Limit(5, 5.0, "dm-create", per="bot"),
    CALLBACK: Limit(5, 5.0, "interaction-callback"),
    **dict.fromkeys(WEBHOOK_ROUTES, INTERACTION_WEBHOOK),
}
DEFAULT_LIMIT = Limit(50, 1.0, "default")
# A sub-limit inside PATCH /channels/{id}: name and topic changes, per channel.
RENAME_LIMIT = Limit(2, 600.0, "channel-rename")
GLOBAL_EXEMPT_PREFIXES = ("POST /interactions/", "GET /webhooks/", "POST /webhooks/")
GLOBAL_EXEMPT_PREFIXES += ("PATCH /webhooks/", "DELETE /webhooks/")


def bucket_hash(name: str) -> str:
    return hashlib.sha1(name.encode()).hexdigest()[:16]


@dataclass
class Bucket:
    limit: int
    remaining: int
    reset_at: float


@dataclass
class Hit:
    """One 429 the server answered."""

    route: str
    major: str
    bucket: str
    scope: str  # "user" (a route bucket or sub-limit) or "global"
    retry_after: float

    @property
    def is_global(self) -> bool:
        return self.scope == "global"

    def __getitem__(self, key: str) -> Any:  # hits used to be dicts: hit["global"]
        return self.is_global if key == "global" else getattr(self, key)


@dataclass
class Decision:
    """What the limiter decided for one request: headers to send, and the 429 body if limited."""

    headers: dict[str, str]
    limited: dict[str, Any] | None
    bucket: str
    counted_global: bool


@dataclass
class RateLimits:
    time_scale: float = 1.0
    global_per_second: int = GLOBAL_PER_SECOND
    overrides: dict[str, Limit] = field(default_factory=dict)
    default: Limit = DEFAULT_LIMIT
    buckets: dict[tuple[str, str], Bucket] = field(default_factory=dict)
    global_window: list[float] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)  # every 429 sent by a limit (not by a fault)
    invalid: list[float] = field(default_factory=list)  # instants of 401/403/429 answers
    invalid_limit: int = INVALID_REQUESTS_LIMIT

    # --- configuration ----------------------------------------------------------------------
    def configure(
        self,
        *,
        route: str | None = None,
        limit: int | None = None,
        window: float | None = None,
        global_per_second: int | None = None,
        time_scale: float | None = None,
    ) -> None:
        """Change the figures. `route` ('POST /channels/{channel_id}/messages') with `limit`
        and/or `window` (seconds at scale 1) changes that route's buckets; without `route`,
        `limit`/`window` change the default for routes Discord publishes no figure for."""
        if route is not None:
            base = self.limit_for(route)
            self.overrides[route] = Limit(
                limit or base.count, window or base.window, base.name, base.per
            )
        elif limit is not None or window is not None:
            d = self.default
            self.default = Limit(limit or d.count, window or d.window, d.name, d.per)
        if global_per_second is not None:
            self.global_per_second = global_per_second
        if time_scale is not None:
            self.time_scale = time_scale
        self.buckets.clear()
        self.global_window.clear()

    def limit_for(self, route: str) -> Limit:
        return self.overrides.get(route) or ROUTE_LIMITS.get(route) or self.default

    @staticmethod
    def counts_globally(route: str) -> bool:
        return not route.startswith(GLOBAL_EXEMPT_PREFIXES)

    # --- one request ------------------------------------------------------------------------
    def check(self, route: str, major: str, *, body: Any = None) -> Decision:
        """Count one request of `route` on resource `major`."""
        now = time.monotonic()
        rule = self.limit_for(route)
        key = major if rule.per == "major" else "@bot"
        bucket = self._bucket((rule.name, key), rule, now)
        headers = self._headers(rule, bucket, now)
        counted = self.counts_globally(route)
        if counted:
            window = GLOBAL_WINDOW * self.time_scale
            self.global_window[:] = [t for t in self.global_window if now - t < window]
            if len(self.global_window) >= self.global_per_second:
                retry = max(0.001, window - (now - self.global_window[0]))
                return self._limited(route, major, rule.name, "global", retry, {})
        if bucket.remaining <= 0:
            retry = max(0.001, bucket.reset_at - now)
            return self._limited(route, major, rule.name, "user", retry, headers)
        sub = self._sub_limit(route, major, body, now)
        if sub is not None:
            sub_bucket, sub_rule = sub
            if sub_bucket.remaining <= 0:
                retry = max(0.001, sub_bucket.reset_at - now)
                return self._limited(route, major, sub_rule.name, "user", retry, headers)
            sub_bucket.remaining -= 1
        if counted:
            self.global_window.append(now)
        bucket.remaining -= 1
        headers["X-RateLimit-Remaining"] = str(bucket.remaining)
        return Decision(headers, None, rule.name, counted)

    def record_status(self, status: int, scope: str | None = None) -> None:
        """Count the invalid requests Discord counts (401, 403, 429 except `shared` scope)."""
        if status in (401, 403) or (status == 429 and scope != "shared"):
            now = time.monotonic()
            window = INVALID_REQUESTS_WINDOW * self.time_scale
            self.invalid[:] = [t for t in self.invalid if now - t < window]
            self.invalid.append(now)

    @property
    def banned(self) -> bool:
        """Over 10,000 invalid requests in 10 minutes: Cloudflare answers instead of Discord."""
        if len(self.invalid) < self.invalid_limit:
            return False
        window = INVALID_REQUESTS_WINDOW * self.time_scale
        return time.monotonic() - self.invalid[-self.invalid_limit] < window

    # --- internals --------------------------------------------------------------------------
    def _bucket(self, key: tuple[str, str], rule: Limit, now: float) -> Bucket:
        bucket = self.buckets.get(key)
        if bucket is None or now >= bucket.reset_at:
            bucket = Bucket(rule.count, rule.count, now + rule.window * self.time_scale)
            self.buckets[key] = bucket
        return bucket

    def _sub_limit(
        self, route: str, major: str, body: Any, now: float
    ) -> tuple[Bucket, Limit] | None:
        if route == CHANNEL_EDIT and isinstance(body, dict) and {"name", "topic"} & set(body):
            rule = self.overrides.get(RENAME_LIMIT.name) or RENAME_LIMIT
            return self._bucket((rule.name, major), rule, now), rule
        return None

    def _headers(self, rule: Limit, bucket: Bucket, now: float) -> dict[str, str]:
        reset_after = max(0.0, bucket.reset_at - now)
        return {
            "X-RateLimit-Limit": str(bucket.limit),
            "X-RateLimit-Remaining": str(max(0, bucket.remaining)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket_hash(rule.name),
        }

    def _limited(
        self,
        route: str,
        major: str,
        bucket: str,
        scope: str,
        retry: float,
        headers: dict[str, str],
    ) -> Decision:
        retry = round(retry, 3) or 0.001
        self.hits.append(Hit(route, major, bucket, scope, retry))
        headers = dict(headers)
        headers["X-RateLimit-Scope"] = scope
        headers["Retry-After"] = str(max(1, math.ceil(retry)))
        if scope == "global":
            headers["X-RateLimit-Global"] = "true"
        body = {"message": "You are being rate limited.", "retry_after": retry}
        body["global"] = scope == "global"
        return Decision(headers, body, bucket, False)
