"""The web side's pieces: reads reused for a few seconds and shared, rate-limit buckets bounded,
who may read /metrics, the client's address behind a trusted proxy, the WEB_* settings."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import make_mocked_request

from bot.settings import SettingsError, load_settings
from bot.web.app import metrics_allowed
from bot.web.cache import FreshReads, RenderCache
from bot.web.ratelimit import RateLimiter
from bot.web.security import client_address


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_reads_are_reused_while_fresh_then_read_again() -> None:
    clock = Clock()
    reads = FreshReads(5.0, clock=clock)
    calls = []

    async def read() -> int:
        calls.append(clock.now)
        return len(calls)

    assert await reads.get("k", read) == 1
    clock.now = 4.9
    assert await reads.get("k", read) == 1  # an edit may wait up to 5 s here
    clock.now = 5.0
    assert await reads.get("k", read) == 2
    assert await reads.get("other", read) == 3


async def settle() -> None:
    """Let the background reads run to their end."""
    for _ in range(10):
        await asyncio.sleep(0)


async def test_a_stale_read_is_served_while_a_new_one_runs_in_the_background() -> None:
    clock = Clock()
    reads = FreshReads(5.0, stale_for=10.0, clock=clock)
    gate = asyncio.Event()
    calls = []

    async def read() -> int:
        calls.append(clock.now)
        if len(calls) > 1:
            await gate.wait()
        return len(calls)

    assert await reads.get("k", read) == 1
    clock.now = 6.0  # stale: served at once, one new read starts
    assert [await reads.get("k", read) for _ in range(50)] == [1] * 50
    assert reads.background == 1
    await settle()
    assert calls == [0.0, 6.0]  # one read for the fifty
    assert await reads.get("k", read) == 1  # still under way: the stale value again
    gate.set()
    await settle()
    assert await reads.get("k", read) == 2  # landed: the edit shows (within 5 + 10 s)
    clock.now = 6.0 + 15.0  # too old to serve: this request waits for a read
    assert await reads.get("k", read) == 3
    assert reads.background == 1


async def test_a_failed_background_read_keeps_the_stale_value_then_fails_when_too_old(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    reads = FreshReads(5.0, stale_for=10.0, clock=clock)
    values = iter([1])

    async def read() -> int:
        try:
            return next(values)
        except StopIteration:
            raise RuntimeError("database down") from None

    assert await reads.get("k", read) == 1
    clock.now = 6.0
    assert await reads.get("k", read) == 1
    await settle()
    assert "background read failed" in caplog.text
    clock.now = 16.0
    with pytest.raises(RuntimeError):
        await reads.get("k", read)


async def test_background_reads_stop_with_the_web_side() -> None:
    clock = Clock()
    reads = FreshReads(5.0, stale_for=10.0, clock=clock)
    never = asyncio.Event()
    started = []

    async def read() -> int:
        started.append(1)
        if len(started) > 1:
            await never.wait()
        return 1

    await reads.get("k", read)
    clock.now = 6.0
    await reads.get("k", read)
    await settle()
    assert len(started) == 2
    reads.cancel()
    await settle()
    assert reads.background == 1
    assert not reads._refreshing  # nothing left running once the web side stopped


def test_a_render_is_reused_while_its_source_is_the_same_and_until_it_expires() -> None:
    cache = RenderCache()
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    until = start + timedelta(hours=1)
    renders = []

    def render() -> bytes:
        renders.append(1)
        return f"body {len(renders)}".encode()

    source = ("agenda", "Serveur", "fr")
    first = cache.get("page", source, render, start, until=lambda: until)
    assert (
        cache.get("page", source, render, until - timedelta(seconds=1), until=lambda: until)
        is first
    )
    assert len(renders) == 1
    # The next occurrence it shows has begun: rendered again.
    again = cache.get("page", source, render, until, until=lambda: None)
    assert again.body == b"body 2" and again.etag != first.etag
    assert cache.get("page", source, render, until + timedelta(days=9)) is again  # no expiry
    changed = cache.get("page", ("edited", "Serveur", "fr"), render, until)
    assert changed.body == b"body 3" and len(renders) == 3


async def test_requests_arriving_during_a_read_share_it() -> None:
    reads = FreshReads(0.0)
    gate = asyncio.Event()
    calls = 0

    async def read() -> int:
        nonlocal calls
        calls += 1
        await gate.wait()
        return calls

    waiting = [asyncio.create_task(reads.get("k", read)) for _ in range(100)]
    await asyncio.sleep(0)
    gate.set()
    assert await asyncio.gather(*waiting) == [1] * 100
    assert calls == 1


async def test_a_failed_read_fails_every_waiter_and_is_not_kept() -> None:
    reads = FreshReads(60.0)

    async def broken() -> int:
        raise RuntimeError("down")

    async def fine() -> int:
        return 7

    with pytest.raises(RuntimeError):
        await reads.get("k", broken)
    assert await reads.get("k", fine) == 7


def test_rate_limit_buckets_refill_and_stay_bounded() -> None:
    clock = Clock()
    limiter = RateLimiter(rate=1.0, burst=3, max_clients=100, clock=clock)
    assert [limiter.take("a") for _ in range(3)] == [None, None, None]
    assert limiter.take("a") == pytest.approx(1.0)
    clock.now = 2.0
    assert limiter.take("a") is None and limiter.take("a") is None
    assert limiter.exhausted("a") is not None and limiter.exhausted("fresh") is None
    for n in range(10_000):
        limiter.take(f"10.0.{n // 256}.{n % 256}")
    assert len(limiter) == 100  # the oldest forgotten, memory bounded


def test_metrics_only_for_a_direct_loopback_peer_or_the_token() -> None:
    def request(peer: str, **headers: str) -> object:
        req = make_mocked_request("GET", "/metrics", headers=headers)
        req._transport_peername = (peer, 1234)  # type: ignore[attr-defined]
        return req

    assert metrics_allowed(request("127.0.0.1"), None)  # type: ignore[arg-type]
    assert metrics_allowed(request("::1"), None)  # type: ignore[arg-type]
    assert not metrics_allowed(request("192.0.2.7"), None)  # type: ignore[arg-type]
    proxied = request("127.0.0.1", **{"X-Forwarded-For": "192.0.2.7"})
    assert not metrics_allowed(proxied, None)  # type: ignore[arg-type]
    secret = "s" * 32
    with_token = request("192.0.2.7", Authorization=f"Bearer {secret}")
    assert metrics_allowed(with_token, secret)  # type: ignore[arg-type]
    assert not metrics_allowed(request("127.0.0.1"), secret)  # type: ignore[arg-type]
    wrong = request("192.0.2.7", Authorization="Bearer nope")
    assert not metrics_allowed(wrong, secret)  # type: ignore[arg-type]


def test_the_client_behind_a_trusted_proxy() -> None:
    def address(peer: str, forwarded: str | None, trusted: set[str]) -> str:
        headers = {"X-Forwarded-For": forwarded} if forwarded else {}
        req = make_mocked_request("GET", "/", headers=headers)
        req._transport_peername = (peer, 1)  # type: ignore[attr-defined]
        return client_address(req, frozenset(trusted))

    assert address("198.51.100.1", "203.0.113.9", set()) == "198.51.100.1"  # not trusted
    assert address("127.0.0.1", "203.0.113.9", {"127.0.0.1"}) == "203.0.113.9"
    # A visitor's own X-Forwarded-For is ignored: the proxy appends the real address.
    assert address("127.0.0.1", "1.1.1.1, 203.0.113.9", {"127.0.0.1"}) == "203.0.113.9"
    assert address("127.0.0.1", None, {"127.0.0.1"}) == "127.0.0.1"


def test_web_settings() -> None:
    off = load_settings({"DISCORD_TOKEN": "x"}, env_file=None)
    assert off.web_port is None and off.web_host == "127.0.0.1"
    on = load_settings(
        {
            "DISCORD_TOKEN": "x",
            "WEB_PORT": "8080",
            "WEB_HOST": "0.0.0.0",
            "PUBLIC_BASE_URL": "https://agenda.example.org/",
            "METRICS_TOKEN": "m" * 32,
            "WEB_TRUSTED_PROXIES": "127.0.0.1, ::1",
        },
        env_file=None,
    )
    assert on.web_port == 8080 and on.public_base_url == "https://agenda.example.org"
    assert on.web_trusted_proxies == ("127.0.0.1", "::1")
    assert "m" * 32 not in repr(on)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WEB_PORT", "http"),
        ("WEB_PORT", "70000"),
        ("PUBLIC_BASE_URL", "agenda.example.org"),
        ("METRICS_TOKEN", "short"),
        ("WEB_TRUSTED_PROXIES", "proxy.local"),
    ],
)
def test_bad_web_settings_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"DISCORD_TOKEN": "x", name: value}, env_file=None)
    assert str(caught.value).startswith(name) and " / " in str(caught.value)
