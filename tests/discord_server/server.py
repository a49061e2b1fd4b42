"""The loopback Discord: an aiohttp application on 127.0.0.1:<random port>.

The middleware does what Discord's edge does for every request: authenticate, record, validate
against the OpenAPI description, inject faults, apply rate limits, then run the route.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from . import validation
from .faults import CUT, LOST, Faults
from .ratelimit import RateLimits
from .world import Attachment, World, snowflake

API = "/api/v10"


class DiscordError(Exception):
    """An error answer in Discord's shape: {"message", "code"[, "errors"]}."""

    def __init__(
        self, status: int, code: int, message: str, errors: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status, self.code, self.message, self.errors = status, code, message, errors


def missing_access() -> DiscordError:
    return DiscordError(403, 50001, "Missing Access")


def missing_permissions() -> DiscordError:
    return DiscordError(403, 50013, "Missing Permissions")


def form_error(field_name: str, message: str, code: str = "BASE_TYPE_INVALID") -> DiscordError:
    errors = {field_name: {"_errors": [{"code": code, "message": message}]}}
    return DiscordError(400, 50035, "Invalid Form Body", errors)


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    # exactly "application/json": discord.py parses nothing else (no charset suffix).
    all_headers = {"Content-Type": "application/json", "Via": "1.1 google"}
    all_headers.update(headers or {})
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


def no_content(headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(status=204, headers={"Via": "1.1 google", **(headers or {})})


@dataclass
class RecordedRequest:
    method: str
    path: str  # after /api/v10
    query: dict[str, str]
    json: Any
    files: dict[str, Attachment] = field(default_factory=dict)
    status: int = 0
    route: str = ""
    bucket: str = ""  # the rate-limit bucket it was counted in
    counted_global: bool = False  # counted in the 50/s global limit
    headers: dict[str, str] = field(default_factory=dict)  # rate-limit headers answered
    at: float = field(default_factory=time.monotonic)  # when it arrived (benchmarks' windows)

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} -> {self.status}>"


BODY_KEY = web.RequestKey("body", object)


def major_of(request: web.Request) -> str:
    """The top-level resource Discord keys a route's bucket by (channel, guild, webhook+token;
    an interaction callback is keyed like discord.py does: interaction id + token)."""
    info = request.match_info
    for name in ("channel_id", "guild_id"):
        if name in info:
            return f"{name}={info[name]}"
    for name in ("webhook_id", "interaction_id"):
        if name in info:
            # The whole token tells interactions apart (the test tokens share their first
            # characters, and every interaction's followups share the application's id).
            token = hashlib.sha1(info.get("token", "").encode()).hexdigest()[:12]
            return f"{name}={info[name]}/{token}"
    return ""


class DiscordServer:
    def __init__(
        self, world: World | None = None, *, time_scale: float = 1.0, control: bool = False
    ) -> None:
        """`time_scale` scales every rate-limit window (1: Discord's real figures);
        `control` adds the control API (/_control/…) a separate process is driven through."""
        self.world = world or World()
        self.requests: list[RecordedRequest] = []
        self.violations: list[str] = []
        self.faults = Faults()
        self.ratelimits = RateLimits(time_scale=time_scale)
        self.in_flight = 0
        self.port = 0
        self._runner: web.AppRunner | None = None
        from .gateway import Gateway
        from .rest import setup_routes

        self.gateway = Gateway(self)
        self.app = web.Application(middlewares=[self._edge], client_max_size=64 * 1024**2)
        setup_routes(self.app, self)
        self.app.router.add_get("/gateway", self.gateway.handle)
        self.app.router.add_get("/gateway-resume", self.gateway.handle)
        self.app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._cdn)
        if control:
            from .control import setup_control_routes

            setup_control_routes(self.app, self)

    # --- lifecycle ------------------------------------------------------------------------
    async def start(self, *, port: int = 0) -> None:
        self._runner = web.AppRunner(self.app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        self.world.base_url = self.url

    async def stop(self) -> None:
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return self.url + API

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # --- the edge -------------------------------------------------------------------------
    @web.middleware
    async def _edge(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not request.path.startswith(API + "/"):
            return await handler(request)
        self.in_flight += 1
        try:
            return await self._api(request, handler)
        finally:
            self.in_flight -= 1

    async def _api(self, request: web.Request, handler: Any) -> web.StreamResponse:
        path = request.path[len(API) :]
        record = RecordedRequest(request.method, path, dict(request.query), None)
        self.requests.append(record)
        try:
            body, files = await self._read_body(request)
        except ValueError as exc:
            record.status = 400
            self.violations.append(f"{request.method} {path}: unreadable body ({exc})")
            return json_response({"message": "400: Bad Request", "code": 0}, 400)
        record.json, record.files = body, files
        request[BODY_KEY] = (body, files)

        problems = validation.validate_request(
            request.method,
            path=path,
            query=dict(request.query),
            content_type=request.content_type,
            body=body,
            file_fields=list(files),
        )
        for problem in problems:
            self.violations.append(f"{request.method} {path}: {problem}")

        public = path.startswith(("/interactions/", "/webhooks/"))
        if not public and request.headers.get("Authorization") != f"Bot {self.world.token}":
            record.status = 401
            self.ratelimits.record_status(401)
            return json_response({"message": "401: Unauthorized", "code": 0}, 401)

        resource = request.match_info.route.resource
        template = f"{request.method} {resource.canonical if resource else path}"
        record.route = template.replace(API, "")
        fault = self.faults.take(request.method, path)
        if fault is not None and fault.status == CUT:
            if request.transport is not None:
                request.transport.abort()
            record.status = CUT
            raise asyncio.CancelledError
        if fault is not None and fault.status == LOST:
            await handler(request)  # carried out …
            if request.transport is not None:  # … but the answer is lost on the way
                request.transport.abort()
            record.status = LOST
            raise asyncio.CancelledError
        if fault is not None and fault.status != 429:
            record.status = fault.status
            return web.Response(status=fault.status, text="upstream error", headers={"Via": "1.1"})
        if fault is not None:
            record.status = 429
            body429 = {"message": "You are being rate limited.", "retry_after": fault.retry_after}
            body429["global"] = fault.is_global
            headers = {"X-RateLimit-Remaining": "0", "Retry-After": "1"}
            return json_response(body429, 429, headers)

        if self.ratelimits.banned:  # Cloudflare, not Discord: no Via, not JSON
            record.status = 429
            return web.Response(status=429, text="error code: 1015")
        decision = self.ratelimits.check(record.route, major_of(request), body=body)
        record.bucket, record.counted_global = decision.bucket, decision.counted_global
        record.headers = decision.headers
        if decision.limited is not None:
            record.status = 429
            self.ratelimits.record_status(429, decision.headers.get("X-RateLimit-Scope"))
            return json_response(decision.limited, 429, decision.headers)
        try:
            response = await handler(request)
        except DiscordError as err:
            payload: dict[str, Any] = {"message": err.message, "code": err.code}
            if err.errors:
                payload["errors"] = err.errors
            response = json_response(payload, err.status)
        except web.HTTPNotFound:
            response = json_response({"message": "404: Not Found", "code": 0}, 404)
        response.headers.update(decision.headers)
        record.status = response.status
        self.ratelimits.record_status(response.status)
        return response

    async def _read_body(self, request: web.Request) -> tuple[Any, dict[str, Attachment]]:
        files: dict[str, Attachment] = {}
        if not request.can_read_body:
            return None, files
        if request.content_type.startswith("multipart/"):
            body = None
            reader = await request.multipart()
            async for part in reader:
                name = part.name or ""  # type: ignore[union-attr]
                data = await part.read()  # type: ignore[union-attr]
                if name == "payload_json":
                    body = json.loads(data)
                else:
                    ctype = part.headers.get("Content-Type")  # type: ignore[union-attr]
                    fname = part.filename or name  # type: ignore[union-attr]
                    files[name] = Attachment(snowflake(), fname, bytes(data), ctype)
            return body, files
        raw = await request.read()
        if not raw:
            return None, files
        if request.content_type != "application/json":
            raise ValueError(f"content type {request.content_type!r}")
        return json.loads(raw), files

    async def _cdn(self, request: web.Request) -> web.StreamResponse:
        attachment_id = int(request.match_info["attachment_id"])
        if attachment_id in self.world.uploads:
            return web.Response(body=self.world.uploads[attachment_id].data)
        for msg in self.world.messages.values():
            for att in msg.attachments:
                if att.id == attachment_id:
                    return web.Response(body=att.data, content_type="application/octet-stream")
        raise web.HTTPNotFound()
