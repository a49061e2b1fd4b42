"""Discord's rate limits: per-route buckets (by major parameter) and the global limit.

Windows are in real (monotonic) seconds since discord.py sleeps in real time. Defaults are
roomy so ordinary tests never wait; tests tighten them via `RateLimits.configure`.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field


@dataclass
class Bucket:
    limit: int
    window: float
    remaining: int
    reset_at: float


@dataclass
class RateLimits:
    route_limit: int = 50
    route_window: float = 1.0
    global_per_second: int = 50
    overrides: dict[str, tuple[int, float]] = field(default_factory=dict)
    buckets: dict[tuple[str, str], Bucket] = field(default_factory=dict)
    global_window: list[float] = field(default_factory=list)
    hits: list[dict[str, object]] = field(default_factory=list)  # every 429 sent

    def configure(
        self,
        *,
        route_limit: int | None = None,
        route_window: float | None = None,
        global_per_second: int | None = None,
        route: str | None = None,
    ) -> None:
        """Change limits. With `route` (a template like 'POST /channels/{channel_id}/messages'),
        only that route's buckets change."""
        if route is not None:
            self.overrides[route] = (route_limit or self.route_limit, route_window or 1.0)
        else:
            if route_limit is not None:
                self.route_limit = route_limit
            if route_window is not None:
                self.route_window = route_window
        if global_per_second is not None:
            self.global_per_second = global_per_second
        self.buckets.clear()

    def check(
        self, route: str, major: str, *, exempt_global: bool
    ) -> tuple[dict[str, str], dict[str, object] | None]:
        """Count one request. Returns the headers to send and, when limited, a 429 body."""
        now = time.monotonic()
        if not exempt_global:
            self.global_window[:] = [t for t in self.global_window if now - t < 1.0]
            if len(self.global_window) >= self.global_per_second:
                retry = max(0.001, 1.0 - (now - self.global_window[0]))
                body = {"message": "You are being rate limited.", "retry_after": retry}
                body["global"] = True
                self.hits.append({"route": route, "global": True, "retry_after": retry})
                headers = {"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"}
                headers["Retry-After"] = str(max(1, round(retry)))
                return headers, body
            self.global_window.append(now)
        limit, window = self.overrides.get(route, (self.route_limit, self.route_window))
        key = (route, major)
        bucket = self.buckets.get(key)
        if bucket is None or now >= bucket.reset_at:
            bucket = Bucket(limit, window, limit, now + window)
            self.buckets[key] = bucket
        bucket_hash = hashlib.sha1(route.encode()).hexdigest()[:16]
        reset_after = max(0.0, bucket.reset_at - now)
        headers = {
            "X-RateLimit-Limit": str(bucket.limit),
            "X-RateLimit-Bucket": bucket_hash,
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        }
        if bucket.remaining <= 0:
            headers["X-RateLimit-Remaining"] = "0"
            headers["X-RateLimit-Scope"] = "user"
            headers["Retry-After"] = str(max(1, round(reset_after)))
            body = {"message": "You are being rate limited.", "retry_after": reset_after}
            body["global"] = False
            self.hits.append({"route": route, "global": False, "retry_after": reset_after})
            return headers, body
        bucket.remaining -= 1
        headers["X-RateLimit-Remaining"] = str(bucket.remaining)
        return headers, None
