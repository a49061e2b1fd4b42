"""What every answer of the web side carries, and what it never shows.

* Security headers on every response, errors included (`on_response_prepare`): a strict CSP
  (the page replaces it with its own, which allows its one style and one script by hash), no
  framing, no MIME sniffing, no referrer, and no server version.
* No stack trace ever served: an unexpected error is logged with a reference and answered with
  a short plain text; HTTP errors get the same short bodies (an unknown server's page and a
  server whose page is off are the same 404).
* The access log names the route, never the path: subscription secrets are in paths. No client
  address either (personal data).
* The client's address for rate limits: the peer, or the first address a trusted reverse proxy
  (WEB_TRUSTED_PROXIES) saw.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

log = logging.getLogger("bot.web")
access_log = logging.getLogger("bot.web.access")

DEFAULT_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
SERVER_NAME = "Passerelle"
SERVER_ERROR = 500
CLIENT_ERROR = 400
TEXTS = {
    404: "Introuvable. / Not found.\n",
    405: "Méthode non permise. / Method not allowed.\n",
    429: "Trop de requêtes : réessayez plus tard. / Too many requests: try again later.\n",
}
UNMATCHED = "unmatched"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Content-Security-Policy", DEFAULT_CSP)
    response.headers["Server"] = SERVER_NAME


PLAIN = "text/plain; charset=utf-8"
_BODIES = {status: text.encode() for status, text in TEXTS.items()}


def plain(status: int, text: str | None = None, **headers: str) -> web.Response:
    """A short plain-text answer (the common ones encoded once: wrong tokens are many)."""
    body = text.encode() if text else _BODIES.get(status) or f"{status}\n".encode()
    return web.Response(status=status, body=body, headers={"Content-Type": PLAIN, **headers})


def route_name(request: web.Request) -> str:
    """The route's name (bounded, secret-free), for metrics and logs."""
    route = request.match_info.route
    if route is None or not route.name:
        return UNMATCHED
    return route.name


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < CLIENT_ERROR:  # 304 and redirects pass as they are
            raise
        headers = {k: v for k, v in exc.headers.items() if k in ("Retry-After", "Allow")}
        return plain(exc.status, **headers)
    except (asyncio.CancelledError, ConnectionResetError):
        raise
    except Exception:
        ref = secrets.token_hex(4).upper()
        log.exception("web: unexpected error ref=%s on route %s", ref, route_name(request))
        return plain(
            SERVER_ERROR,
            f"Erreur interne (référence {ref}). / Internal error (reference {ref}).\n",
        )


def observed(record: Callable[[str, int, float], None]) -> Callable[..., Awaitable[object]]:
    """Outermost middleware: every request's route, status and time, for the metrics."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        started = time.perf_counter()
        status = SERVER_ERROR
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            record(route_name(request), status, time.perf_counter() - started)

    return middleware


class AccessLogger(AbstractAccessLogger):
    """`GET feed 200 1.2ms`: the route's name, never the path (it may hold a secret)."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        name = UNMATCHED
        match = getattr(request, "match_info", None)
        if match is not None and match.route is not None and match.route.name:
            name = match.route.name
        self.logger.info("%s %s %d %.1fms", request.method, name, response.status, time * 1000)

    @property
    def enabled(self) -> bool:
        return self.logger.isEnabledFor(logging.INFO)


def client_address(request: web.Request, trusted: frozenset[str]) -> str:
    """The peer, or — when the peer is a trusted proxy — the last address it did not add."""
    peer = request.remote or "?"
    if peer not in trusted:
        return peer
    forwarded = request.headers.get("X-Forwarded-For", "")
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    while hops and hops[-1] in trusted:
        hops.pop()
    return hops[-1] if hops else peer
