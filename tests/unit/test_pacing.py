"""The request budget: what the pacer grants, when, and in which order — on a virtual timer,
so nothing here depends on how busy the machine is."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import ClientSession, web

from bot.pacing import (
    DiscordLimits,
    LocalBucket,
    Pacer,
    Priority,
    RouteLimits,
    VirtualTimer,
    budget_trace,
    counts_globally,
    current_priority,
    priority,
    resource_of,
    route_of,
    worst_window,
)


def pacer(rate: float, burst: int = 1) -> tuple[Pacer, VirtualTimer]:
    timer = VirtualTimer()
    return Pacer(LocalBucket(rate, burst), timer), timer


async def grants(p: Pacer, timer: VirtualTimer, levels: list[Priority]) -> list[tuple[float, int]]:
    """Start one acquisition per level (in that order) and record (when, index) as granted."""
    out: list[tuple[float, int]] = []

    async def take(i: int, level: Priority) -> None:
        await p.acquire(level)
        out.append((timer.now(), i))

    await timer.run_until(asyncio.gather(*(take(i, lv) for i, lv in enumerate(levels))))
    return out


async def test_the_burst_goes_at_once_then_one_token_per_interval() -> None:
    p, timer = pacer(rate=200, burst=2)
    got = await grants(p, timer, [Priority.SCHEDULED] * 42)
    times = [when for when, _ in got]
    assert times[:2] == [0.0, 0.0]
    assert times[2:] == pytest.approx([k / 200 for k in range(1, 41)])
    assert [i for _, i in got] == list(range(42))  # first come, first served


async def test_no_window_holds_more_than_the_rate_and_the_burst() -> None:
    p, timer = pacer(rate=100, burst=2)
    got = await grants(p, timer, [Priority.SCHEDULED] * 300)
    stamps = [when for when, _ in got]
    # Windows are half-open like Discord's sliding second: the burst, then one per 1/rate.
    assert worst_window(stamps, 0.25) == 2 + 100 * 0.25 - 1
    assert worst_window(stamps, 1.0) == 2 + 100 - 1


async def test_members_go_before_scheduled_work_and_background_last() -> None:
    p, timer = pacer(rate=10, burst=1)
    levels = [Priority.BACKGROUND] * 2 + [Priority.SCHEDULED] * 5 + [Priority.MEMBER] * 3
    got = await grants(p, timer, levels)
    order = [levels[i] for _, i in got]
    # The first request takes the free token at once; the queue is then served by priority.
    assert order == [Priority.BACKGROUND] + [Priority.MEMBER] * 3 + [Priority.SCHEDULED] * 5 + [
        Priority.BACKGROUND
    ]
    assert p.waited[Priority.MEMBER] == 3 and p.granted[Priority.SCHEDULED] == 5


async def test_a_member_arriving_during_a_fan_out_waits_one_token_at_most() -> None:
    p, timer = pacer(rate=50, burst=1)
    fan_out = asyncio.gather(*(p.acquire(Priority.SCHEDULED) for _ in range(100)))
    await timer.advance(0.51)  # the fan-out is under way: 26 sent (t = 0, 0.02 … 0.5)
    assert p.granted[Priority.SCHEDULED] == 26 and p.waiting == 74
    asked = timer.now()
    member = asyncio.ensure_future(p.acquire(Priority.MEMBER))
    await timer.advance(1 / 50)
    assert member.done()
    assert timer.now() - asked == pytest.approx(1 / 50)
    await timer.run_until(fan_out)


async def test_background_work_takes_only_what_a_steady_fan_out_leaves() -> None:
    p, timer = pacer(rate=10, burst=2)
    scheduled: list[float] = []

    async def worker() -> None:  # one request, some work, the next: never two waiting at once
        for _ in range(20):
            await p.acquire(Priority.SCHEDULED)
            scheduled.append(timer.now())
            await timer.sleep(0.05)

    async def dm() -> float:
        await timer.sleep(0.01)
        await p.acquire(Priority.BACKGROUND)
        return timer.now()

    _, dm_at = await timer.run_until(asyncio.gather(worker(), dm()))
    assert dm_at > scheduled[-1]  # after the fan-out, not in its gaps
    assert scheduled[-1] == pytest.approx(1.8)  # the fan-out kept its pace: 2 at once, then 10/s


async def test_a_member_does_not_wait_behind_a_background_wait() -> None:
    p, timer = pacer(rate=10, burst=2)
    await p.acquire(Priority.SCHEDULED)
    background = asyncio.ensure_future(p.acquire(Priority.BACKGROUND))  # needs a full bucket
    await timer.advance(0.01)
    member = asyncio.ensure_future(p.acquire(Priority.MEMBER))
    await timer.advance(0.0)
    assert member.done() and not background.done()  # the one token left went to the member
    await timer.run_until(background)


async def test_the_priority_is_inherited_by_the_work_started_inside() -> None:
    seen: list[Priority] = []

    async def child() -> None:
        seen.append(current_priority())

    assert current_priority() is Priority.MEMBER
    with priority(Priority.SCHEDULED):
        await asyncio.create_task(child())
    await asyncio.create_task(child())
    assert seen == [Priority.SCHEDULED, Priority.MEMBER]


async def test_a_cancelled_wait_spends_no_token() -> None:
    p, timer = pacer(rate=10, burst=1)
    await p.acquire()
    first = asyncio.ensure_future(p.acquire())
    second = asyncio.ensure_future(p.acquire())
    await asyncio.sleep(0)
    first.cancel()
    await timer.advance(0.1)
    assert second.done() and first.cancelled()
    assert p.granted[Priority.MEMBER] == 2


async def test_discord_limits_keep_every_second_under_50_and_a_fan_out_near_its_floor() -> None:
    timer = VirtualTimer()
    p = DiscordLimits().global_pacer(timer)
    got = await grants(p, timer, [Priority.SCHEDULED] * 1000)
    stamps = [when for when, _ in got]
    assert worst_window(stamps, 1.0) < 50
    floor = 1000 / 50
    assert stamps[-1] <= 1.1 * floor


async def test_scaled_limits_grant_the_same_counts_in_shorter_windows() -> None:
    timer = VirtualTimer()
    p = DiscordLimits().scaled(0.05).global_pacer(timer)
    got = await grants(p, timer, [Priority.SCHEDULED] * 200)
    assert worst_window([when for when, _ in got], 0.05) < 50
    limits = DiscordLimits().scaled(0.05)
    assert limits.redraw_interval == pytest.approx(0.05) and limits.dm_rate == pytest.approx(20)


def test_interaction_answers_do_not_count_globally() -> None:
    assert not counts_globally("/interactions/1/tok/callback")
    assert not counts_globally("/webhooks/1/tok/messages/@original")
    assert counts_globally("/channels/1/messages")
    assert counts_globally("/users/@me/channels")


async def test_the_http_hook_takes_a_token_for_counted_requests_only() -> None:
    app = web.Application()

    async def ok(request: web.Request) -> web.Response:
        return web.json_response({})

    app.router.add_route("*", "/{tail:.*}", ok)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    base = f"http://127.0.0.1:{port}/api/v10"
    p = Pacer(LocalBucket(1000, 10))
    try:
        async with ClientSession(trace_configs=[budget_trace(p, lambda: base)]) as session:
            for path in ("/channels/1/messages", "/interactions/1/t/callback", "/webhooks/1/t"):
                async with session.post(base + path, json={}) as response:
                    assert response.status == 200
            with priority(Priority.SCHEDULED):
                async with session.post(base + "/channels/2/messages", json={}):
                    pass
            async with session.get(f"http://127.0.0.1:{port}/elsewhere"):
                pass
    finally:
        await runner.cleanup()
    assert p.granted == {Priority.MEMBER: 1, Priority.SCHEDULED: 1}


async def test_a_route_with_nothing_left_waits_for_its_window_on_that_channel_only() -> None:
    timer = VirtualTimer()
    routes = RouteLimits(timer)
    sent: list[tuple[float, str]] = []

    async def send(path: str, remaining: int) -> None:
        held = await routes.before("POST", path)
        sent.append((timer.now(), path))
        routes.after(
            "POST",
            path,
            {"X-RateLimit-Remaining": str(remaining), "X-RateLimit-Reset-After": "5.0"},
        )
        routes.release(*held)

    async def scenario() -> None:
        await send("/channels/1/messages", 0)  # the channel's last one in this window
        await asyncio.gather(
            send("/channels/1/messages", 4),  # waits for the window
            send("/channels/2/messages", 4),  # another channel: at once
            send("/channels/1/messages/9", 4),  # another route on that channel: at once
        )

    await timer.run_until(scenario())
    assert sent == [
        (0.0, "/channels/1/messages"),
        (0.0, "/channels/2/messages"),
        (0.0, "/channels/1/messages/9"),
        (5.0, "/channels/1/messages"),
    ]
    assert routes.held == 1


async def test_one_request_at_a_time_per_route_and_channel() -> None:
    timer = VirtualTimer()
    routes = RouteLimits(timer)
    in_flight: list[int] = []
    most = 0

    async def send(i: int) -> None:
        nonlocal most
        held = await routes.before("PATCH", "/channels/1/messages/5")
        in_flight.append(i)
        most = max(most, len(in_flight))
        await timer.sleep(0.1)  # the round trip
        in_flight.remove(i)
        routes.after("PATCH", "/channels/1/messages/5", {"X-RateLimit-Remaining": "3"})
        routes.release(*held)

    await timer.run_until(asyncio.gather(*(send(i) for i in range(5))))
    assert most == 1 and timer.now() == pytest.approx(0.5)


def test_routes_are_named_without_their_ids() -> None:
    assert route_of("POST", "/channels/12/messages?x=1") == "POST /channels/{id}/messages"
    assert resource_of("/channels/12/messages/34") == "/channels/12"
    assert resource_of("/users/@me/channels") == "/users/@me/channels"
