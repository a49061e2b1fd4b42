"""bot.net: the SSRF-safe fetcher against a local server (127.0.0.1, its port allowed by the
explicit test setting), with a resolver of our own instead of the network's DNS."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import AsyncIterator

import pytest
from aiohttp.abc import AbstractResolver
from feed_server import Feed, FeedServer, TableResolver, entries

from bot.net import FetchError, FetchPolicy, FetchProblem, SafeFetcher, forbidden_reason
from bot.net.addresses import Reason


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    running = FeedServer()
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


def fetcher_for(server: FeedServer, resolver: AbstractResolver | None = None, **policy: object):
    settings = {"min_interval": 0.0, "loopback_ports": frozenset({server.port})} | policy
    return SafeFetcher(FetchPolicy(**settings), resolver=resolver)  # type: ignore[arg-type]


async def problem_of(fetcher: SafeFetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetcher.get(url)
    return caught.value


# -- addresses -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", Reason.LOOPBACK),
        ("127.8.9.10", Reason.LOOPBACK),
        ("::1", Reason.LOOPBACK),
        ("10.0.0.1", Reason.PRIVATE),
        ("172.16.5.4", Reason.PRIVATE),
        ("192.168.1.1", Reason.PRIVATE),
        ("169.254.169.254", Reason.LINK_LOCAL),  # cloud metadata
        ("fe80::1", Reason.LINK_LOCAL),
        ("fe80::1%eth0", Reason.LINK_LOCAL),
        ("fc00::1", Reason.PRIVATE),
        ("fd12:3456::1", Reason.PRIVATE),
        ("224.0.0.1", Reason.MULTICAST),
        ("239.255.255.250", Reason.MULTICAST),
        ("ff02::1", Reason.MULTICAST),
        ("0.0.0.0", Reason.UNSPECIFIED),
        ("::", Reason.UNSPECIFIED),
        ("240.0.0.1", Reason.PRIVATE),
        ("100.64.0.1", Reason.NOT_GLOBAL),  # carrier-grade NAT
        ("192.0.2.1", Reason.PRIVATE),  # documentation
        ("::ffff:127.0.0.1", Reason.LOOPBACK),  # IPv4-mapped
        ("::ffff:10.1.2.3", Reason.PRIVATE),
        ("::ffff:169.254.169.254", Reason.LINK_LOCAL),
        ("2002:7f00:1::1", Reason.LOOPBACK),  # 6to4 around 127.0.0.1
        ("2002:a00:1::1", Reason.PRIVATE),  # 6to4 around 10.0.0.1
        ("64:ff9b::a00:1", Reason.PRIVATE),  # NAT64 around 10.0.0.1
        ("not an address", Reason.RESERVED),
    ],
)
def test_forbidden_addresses(address: str, reason: Reason) -> None:
    assert forbidden_reason(address) is reason


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
def test_global_addresses_are_allowed(address: str) -> None:
    assert forbidden_reason(address) is None


def test_loopback_only_on_the_ports_a_test_allows() -> None:
    allowed = frozenset({8080})
    assert forbidden_reason("127.0.0.1", 8080, loopback_ports=allowed) is None
    assert forbidden_reason("::ffff:127.0.0.1", 8080, loopback_ports=allowed) is None
    assert forbidden_reason("127.0.0.1", 22, loopback_ports=allowed) is Reason.LOOPBACK
    assert forbidden_reason("10.0.0.1", 8080, loopback_ports=allowed) is Reason.PRIVATE
    assert forbidden_reason("127.0.0.1", 8080) is Reason.LOOPBACK  # nothing allowed by default
    assert ipaddress.ip_address("127.0.0.1").is_loopback


# -- fetching --------------------------------------------------------------------------------------
async def test_a_feed_then_a_conditional_get(server: FeedServer) -> None:
    url = server.feed("ok", Feed("Actualités", entries("ok", 3)))
    fetcher = fetcher_for(server)
    try:
        first = await fetcher.get(url)
        assert first.status == 200 and b"ok nouvelle 2" in first.body
        assert first.etag and first.last_modified
        again = await fetcher.get(url, etag=first.etag, last_modified=first.last_modified)
        assert again.not_modified and again.body == b""
        assert server.conditional_hits["ok"] == 1
        server.feeds["ok"].add(entries("ok", 1, start=3)[0])
        changed = await fetcher.get(url, etag=first.etag)
        assert changed.status == 200 and changed.etag != first.etag
    finally:
        await fetcher.close()


async def test_by_default_the_loopback_is_refused(server: FeedServer) -> None:
    url = server.feed("ok", Feed("Actualités", entries("ok", 1)))
    fetcher = SafeFetcher(FetchPolicy(min_interval=0))
    try:
        error = await problem_of(fetcher, url)
        assert error.problem is FetchProblem.ADDRESS and server.hits["ok"] == 0
        error = await problem_of(fetcher, f"http://localhost:{server.port}/feeds/ok")
        assert error.problem is FetchProblem.ADDRESS and server.hits["ok"] == 0
    finally:
        await fetcher.close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/feed",
        "gopher://example.org/",
        "javascript:alert(1)",
        "data:text/plain,hello",
    ],
)
async def test_only_http_and_https(server: FeedServer, url: str) -> None:
    fetcher = fetcher_for(server)
    try:
        assert (await problem_of(fetcher, url)).problem is FetchProblem.SCHEME
    finally:
        await fetcher.close()


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/feed",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/feed",  # IPv6 loopback, a port the test did not allow
        "http://[::ffff:10.0.0.1]/feed",
        "http://[fe80::1]/feed",
        "http://0.0.0.0:{port}/feeds/ok",
        "http://2130706433:{port}/feeds/ok",  # 127.0.0.1 as one number
        "http://0x7f.1:{port}/feeds/ok",
        "http://127.0.0.1:22/",  # loopback on a port the test did not allow
    ],
)
async def test_private_addresses_are_refused_before_connecting(
    server: FeedServer, url: str
) -> None:
    fetcher = fetcher_for(server, loopback_ports=frozenset({server.port}))
    try:
        error = await problem_of(fetcher, url.format(port=server.port))
        assert error.problem in (FetchProblem.ADDRESS, FetchProblem.BAD_URL)
    finally:
        await fetcher.close()


async def test_a_name_that_resolves_to_a_private_address(server: FeedServer) -> None:
    resolver = TableResolver(
        {
            "intranet.example": ["10.20.30.40"],
            "mixed.example": ["93.184.215.14", "192.168.0.10"],
            "metadata.example": ["::ffff:169.254.169.254"],
            "feeds.example": ["127.0.0.1"],
        }
    )
    fetcher = fetcher_for(server, resolver)
    try:
        for name in ("intranet.example", "mixed.example", "metadata.example"):
            error = await problem_of(fetcher, f"http://{name}/feed")
            assert error.problem is FetchProblem.ADDRESS, name
        assert (await problem_of(fetcher, "http://nowhere.example/")).problem is FetchProblem.DNS
        server.feed("ok", Feed("Actualités", entries("ok", 1)))
        fetched = await fetcher.get(f"http://feeds.example:{server.port}/feeds/ok")
        assert fetched.status == 200 and server.hits["ok"] == 1
    finally:
        await fetcher.close()


async def test_dns_rebinding_is_checked_on_every_connection(server: FeedServer) -> None:
    """The name first resolves to the allowed test address, then to a private one: the second
    connection asks again (no cache) and is refused; nothing reaches the private address."""
    resolver = TableResolver({"rebind.example": [["127.0.0.1"], ["10.0.0.7"]]})
    fetcher = fetcher_for(server, resolver)
    url = f"http://rebind.example:{server.port}/feeds/ok"
    server.feed("ok", Feed("Actualités", entries("ok", 1)))
    try:
        assert (await fetcher.get(url)).status == 200
        await fetcher.close()  # a new connection, as the next poll would make
        assert (await problem_of(fetcher, url)).problem is FetchProblem.ADDRESS
        assert resolver.calls == ["rebind.example", "rebind.example"]
        assert server.hits["ok"] == 1
    finally:
        await fetcher.close()


async def test_every_redirect_is_checked(server: FeedServer) -> None:
    resolver = TableResolver({"intranet.example": ["10.0.0.9"], "localhost": ["127.0.0.1"]})
    fetcher = fetcher_for(server, resolver)
    server.feed("ok", Feed("Actualités", entries("ok", 1)))
    try:
        for target in (
            "http://127.0.0.1:22/",  # loopback, another port
            "http://localhost:6379/",  # a name for loopback, another port
            "http://intranet.example/feed",  # a name resolving to a private address
            "http://[::ffff:192.168.1.1]/",
            "file:///etc/passwd",
        ):
            error = await problem_of(fetcher, server.url(f"/redirect?to={target}"))
            assert error.problem in (FetchProblem.ADDRESS, FetchProblem.SCHEME), target
        fine = await fetcher.get(server.url("/redirect?to=/feeds/ok"))
        assert fine.status == 200 and fine.url.endswith("/feeds/ok")
    finally:
        await fetcher.close()


async def test_endless_redirects_stop_at_the_limit(server: FeedServer) -> None:
    fetcher = fetcher_for(server, max_redirects=3)
    try:
        assert (await problem_of(fetcher, server.url("/loop/0"))).problem is FetchProblem.REDIRECTS
        assert server.hits["loop"] == 4  # the first request and three redirects
    finally:
        await fetcher.close()


async def test_fifty_megabytes_are_cut_at_the_cap(server: FeedServer) -> None:
    fetcher = fetcher_for(server, max_bytes=1024 * 1024)
    try:
        assert (await problem_of(fetcher, server.url("/huge"))).problem is FetchProblem.TOO_LARGE
        declared = await problem_of(fetcher, server.url("/huge-declared"))
        assert declared.problem is FetchProblem.TOO_LARGE
    finally:
        await fetcher.close()
    await asyncio.sleep(0)  # let the server notice the closed connection
    assert server.huge_most < 20 * 1024 * 1024  # stopped long before 50 MB


async def test_a_slow_server_times_out(server: FeedServer) -> None:
    server.slow_delay = 0.2
    fetcher = fetcher_for(server, total_timeout=0.5, read_timeout=5.0)
    try:
        assert (await problem_of(fetcher, server.url("/slow"))).problem is FetchProblem.TIMEOUT
    finally:
        await fetcher.close()


async def test_http_errors_are_named(server: FeedServer) -> None:
    server.feed("gone", Feed("Partie", status=410))
    fetcher = fetcher_for(server)
    try:
        error = await problem_of(fetcher, server.url("/feeds/gone"))
        assert error.problem is FetchProblem.HTTP and error.status == 410
        missing = await problem_of(fetcher, server.url("/feeds/nothing"))
        assert missing.status == 404
    finally:
        await fetcher.close()


async def test_one_request_at_a_time_per_host(server: FeedServer) -> None:
    """Slow fetches on two hosts (two names for the test server): never two at once on one host,
    while the two hosts are served side by side."""
    server.slow_delay = 0.0005
    resolver = TableResolver({"a.example": ["127.0.0.1"], "b.example": ["127.0.0.1"]})
    fetcher = fetcher_for(server, resolver)
    urls = [f"http://{h}.example:{server.port}/slow" for h in ("a", "b") for _ in range(3)]
    try:
        results = await asyncio.gather(*(fetcher.get(u) for u in urls))
        assert all(r.status == 200 for r in results)
        a, b = f"a.example:{server.port}", f"b.example:{server.port}"
        assert server.peak[a] == 1 and server.peak[b] == 1
        assert server.peak_all == 2
    finally:
        await fetcher.close()


async def test_the_minimum_interval_between_two_requests_to_a_host(server: FeedServer) -> None:
    server.feed("ok", Feed("Actualités", entries("ok", 1)))
    clock = [100.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += seconds

    fetcher = SafeFetcher(
        FetchPolicy(min_interval=30.0, loopback_ports=frozenset({server.port})),
        monotonic=lambda: clock[0],
        sleep=sleep,
    )
    try:
        await fetcher.get(server.url("/feeds/ok"))
        assert waits == []
        clock[0] += 10.0
        await fetcher.get(server.url("/feeds/ok"))
        assert waits == [pytest.approx(20.0)]
        clock[0] += 45.0
        await fetcher.get(server.url("/feeds/ok"))
        assert waits == [pytest.approx(20.0)]  # long enough since: no wait
    finally:
        await fetcher.close()
