"""A local feed server for the feed tests and the benchmark (aiohttp on 127.0.0.1).

Good feeds (RSS 2.0 and Atom, with ETag and Last-Modified, answering 304 to a matching
conditional GET) and every bad case of issue 16: an HTML page, malformed XML, 50 MB (streamed,
never built in memory), endless redirects, a redirect to anywhere, a slow server, a feed whose
entry ids change on every request, and errors on demand. It counts what it served.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import socket
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

MEGABYTE = 1024 * 1024
BASE_DATE = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@dataclass
class Entry:
    id: str
    title: str
    link: str
    summary: str = ""
    published: datetime = BASE_DATE


@dataclass
class Feed:
    title: str
    entries: list[Entry] = field(default_factory=list)
    atom: bool = False
    status: int = 200  # an error status on demand
    version: int = 1  # changes the ETag when entries change

    def add(self, entry: Entry) -> None:
        self.entries.insert(0, entry)
        self.version += 1


def rss(title: str, entries: list[Entry]) -> bytes:
    items = "".join(
        f"<item><guid isPermaLink='false'>{escape(e.id)}</guid><title>{escape(e.title)}</title>"
        f"<link>{escape(e.link)}</link><description>{escape(e.summary)}</description>"
        f"<pubDate>{format_datetime(e.published)}</pubDate></item>"
        for e in entries
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{escape(title)}</title><link>https://example.org/</link>"
        f"<description>test</description>{items}</channel></rss>"
    ).encode()


def atom(title: str, entries: list[Entry]) -> bytes:
    items = "".join(
        f"<entry><id>{escape(e.id)}</id><title>{escape(e.title)}</title>"
        f"<link href='{escape(e.link)}'/><summary>{escape(e.summary)}</summary>"
        f"<updated>{e.published.isoformat()}</updated></entry>"
        for e in entries
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>{escape(title)}</title><id>urn:test:{escape(title)}</id>"
        f"<updated>{BASE_DATE.isoformat()}</updated>{items}</feed>"
    ).encode()


def entries(prefix: str, n: int, *, start: int = 0) -> list[Entry]:
    return [
        Entry(
            id=f"urn:{prefix}:{i}",
            title=f"{prefix} nouvelle {i}",
            link=f"https://example.org/{prefix}/{i}",
            summary=f"Résumé {i} de {prefix}",
            published=BASE_DATE - timedelta(hours=i),
        )
        for i in range(start + n - 1, start - 1, -1)
    ]


class FeedServer:
    def __init__(self) -> None:
        self.feeds: dict[str, Feed] = {}
        self.hits: Counter[str] = Counter()
        self.conditional_hits: Counter[str] = Counter()
        self.huge_bytes_sent = 0
        self.huge_most = 0  # the most one request of /huge sent before the client hung up
        self.slow_delay = 0.5  # seconds between two bytes of /slow
        self.redirect_to = ""
        self.active: Counter[str] = Counter()  # requests of /slow being served, per Host
        self.peak: Counter[str] = Counter()
        self.peak_all = 0
        self._changing = itertools.count()
        self._runner: web.AppRunner | None = None
        self.port = 0

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def feed(self, name: str, feed: Feed) -> str:
        self.feeds[name] = feed
        return self.url(f"/feeds/{name}")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/feeds/{name}", self._feed)
        app.router.add_get("/html", self._html)
        app.router.add_get("/malformed", self._malformed)
        app.router.add_get("/huge", self._huge)
        app.router.add_get("/huge-declared", self._huge_declared)
        app.router.add_get("/loop/{n}", self._loop)
        app.router.add_get("/redirect", self._redirect)
        app.router.add_get("/slow", self._slow)
        app.router.add_get("/changing", self._changing_ids)
        app.router.add_post("/control/add", self._control_add)
        app.router.add_get("/control/stats", self._control_stats)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # -- handlers -------------------------------------------------------------------------------
    async def _feed(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        self.hits[name] += 1
        feed = self.feeds.get(name)
        if feed is None:
            return web.Response(status=404)
        if feed.status != 200:
            return web.Response(status=feed.status)
        etag = f'"{hashlib.sha1(f"{name}:{feed.version}".encode()).hexdigest()[:16]}"'
        modified = format_datetime(BASE_DATE + timedelta(minutes=feed.version), usegmt=True)
        if request.headers.get("If-None-Match") == etag:
            self.conditional_hits[name] += 1
            return web.Response(status=304, headers={"ETag": etag})
        body = (atom if feed.atom else rss)(feed.title, feed.entries)
        kind = "application/atom+xml" if feed.atom else "application/rss+xml"
        return web.Response(
            body=body, headers={"ETag": etag, "Last-Modified": modified, "Content-Type": kind}
        )

    async def _html(self, request: web.Request) -> web.Response:
        self.hits["html"] += 1
        page = "<!doctype html><html><head><title>Accueil</title></head><body><p>Bonjour</p>"
        return web.Response(text=page + "</body></html>", content_type="text/html")

    async def _malformed(self, request: web.Request) -> web.Response:
        self.hits["malformed"] += 1
        broken = "<?xml version='1.0'?><rss version='2.0'><channel><title>Cassé</title><item>"
        return web.Response(text=broken + "<title>sans fin", content_type="application/rss+xml")

    async def _huge(self, request: web.Request) -> web.StreamResponse:
        """50 MB of a valid-looking feed, streamed without a length (never built in memory)."""
        self.hits["huge"] += 1
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        await response.write(b"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title>")
        chunk = b"<item><title>" + b"x" * 65000 + b"</title></item>"
        sent = 0
        try:
            while sent < 50 * MEGABYTE:
                await response.write(chunk)
                sent += len(chunk)
                self.huge_bytes_sent += len(chunk)
                self.huge_most = max(self.huge_most, sent)
        except (ConnectionError, RuntimeError):
            pass  # the client hung up: what we want
        return response

    async def _huge_declared(self, request: web.Request) -> web.StreamResponse:
        self.hits["huge-declared"] += 1
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        response.content_length = 50 * MEGABYTE
        await response.prepare(request)
        with contextlib.suppress(ConnectionError, RuntimeError):
            await response.write(b"<?xml version='1.0'?>")
        return response

    async def _loop(self, request: web.Request) -> web.Response:
        self.hits["loop"] += 1
        n = int(request.match_info["n"]) + 1
        raise web.HTTPFound(f"/loop/{n}")

    async def _redirect(self, request: web.Request) -> web.Response:
        self.hits["redirect"] += 1
        raise web.HTTPFound(request.query.get("to") or self.redirect_to)

    async def _slow(self, request: web.Request) -> web.StreamResponse:
        self.hits["slow"] += 1
        host = request.host
        self.active[host] += 1
        self.peak[host] = max(self.peak[host], self.active[host])
        self.peak_all = max(self.peak_all, sum(self.active.values()))
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        try:
            await response.prepare(request)
            for byte in rss("lent", entries("lent", 1)):
                await response.write(bytes([byte]))
                await asyncio.sleep(self.slow_delay)
        except (ConnectionError, RuntimeError):
            pass
        finally:
            self.active[host] -= 1
        return response

    async def _control_add(self, request: web.Request) -> web.Response:
        """Two new entries (or `n`) at the top of every feed: what a new day brings."""
        n = int(request.query.get("n", "2"))
        for name, feed in self.feeds.items():
            start = len(feed.entries)
            for entry in entries(name, n, start=start):
                feed.add(entry)
        return web.json_response({"feeds": len(self.feeds)})

    async def _control_stats(self, request: web.Request) -> web.Response:
        return web.json_response({"huge_most": self.huge_most, "hits": dict(self.hits)})

    async def _changing_ids(self, request: web.Request) -> web.Response:
        """The same five items, with new ids (and links) on every request."""
        self.hits["changing"] += 1
        turn = next(self._changing)
        items = [
            Entry(
                id=f"urn:changing:{turn}:{i}",
                title=f"Toujours la même nouvelle {i}",
                link=f"https://example.org/same/{i}?session={turn}",
            )
            for i in range(5)
        ]
        return web.Response(body=rss("Changeant", items), content_type="application/rss+xml")


def serve_forever(feeds: int, port_file: str, slow_delay: float = 0.02) -> None:
    """Run a server with `feeds` good feeds (f0, f1 …) in this process until killed; its port is
    written to `port_file` (benchmarks run it in a process of its own)."""

    async def run() -> None:
        server = FeedServer()
        server.slow_delay = slow_delay
        for i in range(feeds):
            server.feed(f"f{i}", Feed(f"Flux {i}", entries(f"f{i}", 20)))
        await server.start()
        Path(port_file).write_text(str(server.port))  # noqa: ASYNC240 — once, before serving
        await asyncio.Event().wait()

    asyncio.run(run())


class TableResolver(AbstractResolver):
    """The network's DNS as a test decides (the machine has none): names → addresses, a list
    per call for answers that change."""

    def __init__(self, table: dict[str, list[list[str]] | list[str]]) -> None:
        self.table = table
        self.calls: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.calls.append(host)
        answers = self.table.get(host)
        if answers is None:
            raise OSError(socket.EAI_NONAME, "unknown name")
        if answers and isinstance(answers[0], list):  # one answer per call, in turn
            current = answers.pop(0) if len(answers) > 1 else answers[0]
        else:
            current = answers
        return [
            {
                "hostname": host,
                "host": address,
                "port": port,
                "family": socket.AF_INET6 if ":" in address else socket.AF_INET,
                "proto": 0,
                "flags": 0,
            }
            for address in current  # type: ignore[union-attr]
        ]

    async def close(self) -> None:
        return None
