"""The web side's routes and middlewares, built from what it needs (`WebContext`).

Routes (GET, and HEAD from the same handlers):
  /feed/{token}.ics                  a server's or a member's calendar (secret link)
  /agenda/{guild_id}                 a server's public page (404 unless turned on)
  /agenda/{guild_id}/{item}.ics      one item of that page, to add to a calendar
  /healthz                           200 or 503 with the checks (JSON)
  /metrics                           Prometheus; loopback peers only, or METRICS_TOKEN
  /robots.txt
What feeds and pages are made from is read from the database a few seconds apart (any bot
process can serve any server; `bot.web.cache`); the links' hashes are kept in memory
(`bot.web.store`), so a request for a cached feed or page, or with a wrong token, touches no
database. Rendered bodies (with their validators) and rate-limit buckets live in memory.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web

from bot.agenda import Agenda
from bot.i18n import t
from bot.web import ics, page
from bot.web.cache import STALE_FOR, FreshReads, RenderCache, respond
from bot.web.ratelimit import Limits, RateLimiter
from bot.web.security import (
    AccessLogger,
    client_address,
    errors,
    observed,
    plain,
    security_headers,
)
from bot.web.store import Link, LinkScope, WebStore

if TYPE_CHECKING:
    from bot.agenda import AgendaRegistry
    from bot.clock import Clock
    from bot.health import Health
    from bot.metrics import Metrics

CALENDAR = "text/calendar; charset=utf-8"
HTML = "text/html; charset=utf-8"
FEED_CACHE = "private, max-age=300"
PAGE_CACHE = "public, max-age=60"
FORWARDED = ("X-Forwarded-For", "Forwarded", "X-Real-IP")
ROBOTS = "User-agent: *\nDisallow: /feed/\n"
SERVICE_UNAVAILABLE = 503
OK = 200
NOT_FOUND = 404
TOO_MANY = 429

__all__ = ["AccessLogger", "WebContext", "build_app"]


@dataclass
class WebContext:
    """What the web side reads; the bot builds it (`bot.client`), benches and tests too."""

    store: WebStore
    agenda: AgendaRegistry
    clock: Clock
    metrics: Metrics
    lang_of: Callable[[int], str]
    health: Callable[[], Awaitable[Health]]
    refresh_metrics: Callable[[], Awaitable[None]]
    metrics_token: str | None = field(default=None, repr=False)
    trusted_proxies: frozenset[str] = frozenset()
    limits: Limits = field(default_factory=Limits)
    requests: RateLimiter = field(init=False)
    failures: RateLimiter = field(init=False)
    feeds: RenderCache = field(default_factory=RenderCache)
    pages: RenderCache = field(default_factory=RenderCache)
    reads: FreshReads = field(default_factory=lambda: FreshReads(stale_for=STALE_FOR))

    def __post_init__(self) -> None:
        self.requests = self.limits.requests()
        self.failures = self.limits.failures()


CTX = web.AppKey("passerelle", WebContext)


def _ctx(request: web.Request) -> WebContext:
    return request.app[CTX]


# Refusals are answered, not raised: an aiohttp HTTPException is a whole response built and
# then rebuilt by the `errors` middleware, and refusals are what floods are made of.
def _too_many(wait: float) -> web.Response:
    return plain(TOO_MANY, **{"Retry-After": str(max(1, round(wait + 0.5)))})


def _not_found() -> web.Response:
    return plain(NOT_FOUND)


@web.middleware
async def rate_limit(request: web.Request, handler: Callable) -> web.StreamResponse:
    ctx = _ctx(request)
    wait = ctx.requests.take(client_address(request, ctx.trusted_proxies))
    if wait is not None:
        return _too_many(wait)
    return await handler(request)


# -- feeds ------------------------------------------------------------------------------------
def _feed_name(link: Link) -> str:
    if link.scope is LinkScope.GUILD:
        return t("agenda.ics.guild_name", link.lang, server=link.label)
    return t("agenda.ics.member_name", link.lang)


async def feed(request: web.Request) -> web.StreamResponse:
    ctx = _ctx(request)
    client = client_address(request, ctx.trusted_proxies)
    wait = ctx.failures.exhausted(client)
    if wait is not None:  # this client has guessed enough: not even a lookup
        return _too_many(wait)
    link = await ctx.store.resolve(request.match_info["token"])
    if link is None:
        ctx.failures.take(client)
        return _not_found()
    now = ctx.clock.now()
    read = ctx.agenda.for_guild if link.scope is LinkScope.GUILD else ctx.agenda.for_member
    agenda = await ctx.reads.get((link.scope, link.owner_id), lambda: read(link.owner_id, now))
    name = _feed_name(link)
    rendered = ctx.feeds.get(
        (link.scope, link.owner_id),
        (agenda, name, link.lang, now.year),
        lambda: ics.render(agenda, name=name, lang=link.lang, now=now),
        now,
    )
    return respond(
        request,
        rendered,
        content_type=CALENDAR,
        cache_control=FEED_CACHE,
        extra={"Content-Disposition": 'inline; filename="agenda.ics"'},
    )


# -- the public page --------------------------------------------------------------------------
async def _page_agenda(request: web.Request) -> tuple[WebContext, int, str]:
    ctx = _ctx(request)
    guild_id = int(request.match_info["guild_id"])
    found = await ctx.reads.get(("page-on", guild_id), lambda: ctx.store.page(guild_id))
    if found is None:  # never turned on, turned off, or no such server: the same 404
        raise web.HTTPNotFound()
    return ctx, guild_id, found.guild_name


async def agenda_page(request: web.Request) -> web.StreamResponse:
    ctx, guild_id, server = await _page_agenda(request)
    now = ctx.clock.now()
    lang = ctx.lang_of(guild_id)
    agenda = await ctx.reads.get(("page", guild_id), lambda: ctx.agenda.upcoming(guild_id, now))
    rendered = ctx.pages.get(
        ("page", guild_id),
        (agenda, server, lang),
        lambda: page.render(agenda, guild_id=guild_id, server=server, lang=lang, now=now),
        now,
        # The page shows each series' next occurrence: it holds until the first of them.
        until=lambda: page.holds_until(agenda, now),
    )
    return respond(
        request,
        rendered,
        content_type=HTML,
        cache_control=PAGE_CACHE,
        extra={"Content-Security-Policy": page.CSP},
    )


async def page_item(request: web.Request) -> web.StreamResponse:
    ctx, guild_id, _ = await _page_agenda(request)
    now = ctx.clock.now()
    lang = ctx.lang_of(guild_id)
    agenda = await ctx.reads.get(("page", guild_id), lambda: ctx.agenda.upcoming(guild_id, now))
    key = request.match_info["key"]
    item = agenda.find(key)
    if item is None:
        raise web.HTTPNotFound()
    single = Agenda(
        events=tuple(e for e in agenda.events if e is item),
        series=tuple(s for s in agenda.series if s is item),
    )
    rendered = ctx.pages.get(
        ("item", guild_id, key),
        (single, lang),
        lambda: ics.render(single, name=item.title, lang=lang, now=now),
        now,
    )
    return respond(
        request,
        rendered,
        content_type=CALENDAR,
        cache_control=PAGE_CACHE,
        extra={"Content-Disposition": f'attachment; filename="{key}.ics"'},
    )


# -- operations -------------------------------------------------------------------------------
async def healthz(request: web.Request) -> web.StreamResponse:
    health = await _ctx(request).health()
    return web.json_response(
        health.as_json(),
        status=OK if health.ok else SERVICE_UNAVAILABLE,
        headers={"Cache-Control": "no-store"},
    )


def _loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def metrics_allowed(request: web.Request, token: str | None) -> bool:
    """With METRICS_TOKEN: `Authorization: Bearer <token>` only. Without: a direct loopback
    peer only (a reverse proxy on the same machine forwards; its requests are refused)."""
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    return _loopback(request.remote) and not any(h in request.headers for h in FORWARDED)


async def metrics(request: web.Request) -> web.StreamResponse:
    ctx = _ctx(request)
    if not metrics_allowed(request, ctx.metrics_token):
        raise web.HTTPNotFound()  # as if there were nothing here
    await ctx.refresh_metrics()
    return web.Response(
        body=ctx.metrics.render(),
        headers={"Content-Type": ctx.metrics.content_type, "Cache-Control": "no-store"},
    )


async def robots(request: web.Request) -> web.StreamResponse:
    return plain(OK, ROBOTS)


def build_app(ctx: WebContext) -> web.Application:
    app = web.Application(
        middlewares=[observed(ctx.metrics.web_request), errors, rate_limit],
        client_max_size=1024,  # nothing here takes a body
    )
    app[CTX] = ctx
    app.on_response_prepare.append(security_headers)
    get = app.router.add_get
    get("/feed/{token}.ics", feed, name="feed")
    get(r"/agenda/{guild_id:\d{1,20}}", agenda_page, name="page")
    get(r"/agenda/{guild_id:\d{1,20}}/{key:[a-z0-9-]{1,64}}.ics", page_item, name="page-item")
    get("/healthz", healthz, name="healthz")
    get("/metrics", metrics, name="metrics")
    get("/robots.txt", robots, name="robots")
    return app
