"""`SafeFetcher`: one polite, SSRF-safe HTTP GET at a time per host.

- **Only http and https**, a host name or a literal address that passes `forbidden_reason`;
  host names are resolved by `GuardedResolver` inside aiohttp's connector, so the connection goes
  to the address that was checked. aiohttp connects to literal addresses without asking its
  resolver: those are checked here before each request.
- **Redirects by hand** (`max_redirects`, each hop checked like the first URL).
- **Timeouts**: to connect, between two reads, and for the whole exchange (a server that trickles
  one byte a second is cut at `total_timeout`).
- **A size cap** on the decoded body, read in chunks and stopped at `max_bytes` (a gzip bomb is
  cut as it inflates); a `Content-Length` above the cap is refused before reading.
- **Conditional GET**: `etag` / `last_modified` given back are sent as `If-None-Match` /
  `If-Modified-Since`; 304 answers `Fetched(not_modified=True)`.
- **Politeness**: one request at a time per host and at least `min_interval` seconds between
  two requests to one host (redirect hops included); no cookies, no proxy from the environment.

Backing off a source that keeps failing is the caller's business (it knows what the source is).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

import aiohttp
from aiohttp.abc import AbstractResolver
from aiohttp.resolver import DefaultResolver
from yarl import URL

from bot.net.addresses import Forbidden, GuardedResolver, forbidden_reason, literal_address

SCHEMES = ("http", "https")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
NOT_MODIFIED = 304
FIRST_ERROR_STATUS = 400
CHUNK = 64 * 1024
GATES_KEPT = 512  # idle per-host gates are forgotten beyond this many hosts
URL_MAX = 2000
ACCEPT_FEEDS = ", ".join(
    [
        "application/atom+xml",
        "application/rss+xml",
        "application/xml;q=0.9",
        "text/xml;q=0.9",
        "*/*;q=0.1",
    ]
)


class FetchProblem(StrEnum):
    BAD_URL = "bad_url"
    SCHEME = "scheme"
    ADDRESS = "address"
    DNS = "dns"
    REDIRECTS = "redirects"
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"
    HTTP = "http"
    NETWORK = "network"


class FetchError(Exception):
    """Why a fetch failed: `problem`, and the HTTP `status` for `FetchProblem.HTTP`."""

    def __init__(self, problem: FetchProblem, *, status: int | None = None, detail: str = ""):
        super().__init__(
            f"{problem}{f' {status}' if status else ''}{f': {detail}' if detail else ''}"
        )
        self.problem = problem
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class FetchPolicy:
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 20.0
    max_bytes: int = 2 * 1024 * 1024
    max_redirects: int = 3
    min_interval: float = 2.0
    # Tests serve from 127.0.0.1 on these ports; nothing else ever sets this.
    loopback_ports: frozenset[int] = frozenset()
    user_agent: str = "Passerelle (bot Discord; flux RSS/Atom)"
    accept: str = ACCEPT_FEEDS


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == NOT_MODIFIED


@dataclass
class _Gate:
    lock: asyncio.Lock
    next_at: float = 0.0


def check_url(url: str, *, loopback_ports: frozenset[int] = frozenset()) -> URL:
    """`url` parsed, if it may be fetched as far as can be told without DNS; else FetchError."""
    if len(url) > URL_MAX:
        raise FetchError(FetchProblem.BAD_URL)
    try:
        parsed = URL(url)
    except (ValueError, TypeError):
        raise FetchError(FetchProblem.BAD_URL) from None
    if parsed.scheme not in SCHEMES:
        raise FetchError(FetchProblem.SCHEME, detail=parsed.scheme)
    host = parsed.raw_host
    if not host or parsed.user or parsed.password:
        raise FetchError(FetchProblem.BAD_URL)
    address = literal_address(host)
    if address is not None:
        reason = forbidden_reason(address, parsed.port, loopback_ports=loopback_ports)
        if reason is not None:
            raise FetchError(FetchProblem.ADDRESS, detail=reason)
    elif all(part.isdigit() or part.startswith("0x") for part in host.split(".")):
        # « 2130706433 », « 0x7f.1 »: old numeric spellings of addresses; never a real name.
        raise FetchError(FetchProblem.ADDRESS, detail="numeric host")
    return parsed


class SafeFetcher:
    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        resolver: AbstractResolver | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._inner_resolver = resolver
        self._monotonic = monotonic
        self._sleep = sleep
        self._session: aiohttp.ClientSession | None = None
        self._gates: dict[str, _Gate] = {}

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            resolver = GuardedResolver(
                self._inner_resolver or DefaultResolver(),
                loopback_ports=self.policy.loopback_ports,
            )
            connector = aiohttp.TCPConnector(resolver=resolver, use_dns_cache=False, limit=32)
            self._session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                trust_env=False,
                headers={"User-Agent": self.policy.user_agent},
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """The resource at `url` (after at most `max_redirects` checked redirects)."""
        current = check_url(url, loopback_ports=self.policy.loopback_ports)
        for _hop in range(self.policy.max_redirects + 1):
            answer = await self._one(current, etag=etag, last_modified=last_modified)
            if isinstance(answer, Fetched):
                return answer
            current = check_url(str(answer), loopback_ports=self.policy.loopback_ports)
        raise FetchError(FetchProblem.REDIRECTS)

    async def _one(self, url: URL, *, etag: str | None, last_modified: str | None) -> Fetched | URL:
        headers = {"Accept": self.policy.accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        policy = self.policy
        timeout = aiohttp.ClientTimeout(
            total=policy.total_timeout,
            connect=policy.connect_timeout,
            sock_read=policy.read_timeout,
        )
        async with self._turn(url.host or ""):
            try:
                async with asyncio.timeout(policy.total_timeout):
                    async with self._client().get(
                        url, headers=headers, allow_redirects=False, timeout=timeout
                    ) as response:
                        return await self._read(url, response)
            except FetchError:
                raise
            except Forbidden as refused:
                raise FetchError(FetchProblem.ADDRESS, detail=refused.reason) from None
            except aiohttp.ClientConnectorDNSError as error:
                if isinstance(error.__cause__, Forbidden):
                    raise FetchError(FetchProblem.ADDRESS, detail=error.__cause__.reason) from None
                raise FetchError(FetchProblem.DNS) from None
            except (TimeoutError, aiohttp.ServerTimeoutError):
                raise FetchError(FetchProblem.TIMEOUT) from None
            except aiohttp.InvalidURL:
                raise FetchError(FetchProblem.BAD_URL) from None
            except (aiohttp.ClientError, OSError) as error:
                raise FetchError(FetchProblem.NETWORK, detail=type(error).__name__) from None

    async def _read(self, url: URL, response: aiohttp.ClientResponse) -> Fetched | URL:
        if response.status in REDIRECT_STATUSES:
            location = response.headers.get("Location")
            if not location:
                raise FetchError(FetchProblem.HTTP, status=response.status)
            try:
                return url.join(URL(location))
            except ValueError:
                raise FetchError(FetchProblem.BAD_URL) from None
        common = {
            "url": str(url),
            "status": response.status,
            "etag": response.headers.get("ETag"),
            "last_modified": response.headers.get("Last-Modified"),
            "content_type": response.headers.get("Content-Type", ""),
        }
        if response.status == NOT_MODIFIED:
            return Fetched(**common)  # type: ignore[arg-type]
        if response.status >= FIRST_ERROR_STATUS:
            raise FetchError(FetchProblem.HTTP, status=response.status)
        limit = self.policy.max_bytes
        if response.content_length is not None and response.content_length > limit:
            raise FetchError(FetchProblem.TOO_LARGE)
        body = bytearray()
        async for chunk in response.content.iter_chunked(CHUNK):
            body += chunk
            if len(body) > limit:
                raise FetchError(FetchProblem.TOO_LARGE)
        return Fetched(body=bytes(body), **common)  # type: ignore[arg-type]

    def _turn(self, host: str) -> _Turn:
        host = host.lower()
        gate = self._gates.get(host)
        if gate is None:
            if len(self._gates) >= GATES_KEPT:
                now = self._monotonic()
                for name in [h for h, g in self._gates.items() if not g.lock.locked()]:
                    if self._gates[name].next_at <= now:
                        del self._gates[name]
            gate = self._gates[host] = _Gate(asyncio.Lock())
        return _Turn(self, gate)


class _Turn:
    """One host's turn: its lock, then the wait for its minimum interval; the interval starts
    when the exchange ends."""

    def __init__(self, fetcher: SafeFetcher, gate: _Gate) -> None:
        self.fetcher = fetcher
        self.gate = gate

    async def __aenter__(self) -> None:
        await self.gate.lock.acquire()
        wait = self.gate.next_at - self.fetcher._monotonic()
        if wait > 0:
            try:
                await self.fetcher._sleep(wait)
            except BaseException:
                self.gate.lock.release()
                raise

    async def __aexit__(self, *exc: object) -> None:
        self.gate.next_at = self.fetcher._monotonic() + self.fetcher.policy.min_interval
        self.gate.lock.release()
