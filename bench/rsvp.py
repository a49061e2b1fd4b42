"""Bursts of clicks on one meet-up, Passerelle side by side with a bare discord.py bot.

1. **Burst**: 100 members click « Je viens » on one published meet-up within 2 s. Goals: every
   click answered, p99 callback < 1 s, 0 × 429, the public message ends exact (« Je viens
   (100) »), and no more edits of it in any 5 s than the channel allows (5).
2. **Throughput**: 50 members click at the same instant: interactions answered per second,
   against the bare bot answering a button (goal ≥ 0.8×).

Both bots are real processes on the loopback Discord, with Discord's limits.
Run: .venv/bin/python bench/rsvp.py [--quick]
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import time
from pathlib import Path

from _loopback import (
    CHANNEL_EDITS,
    COMPONENT,
    OK_BELOW,
    Bench,
    args,
    machine_note,
    percentile,
    ratio,
    summary,
)
from discord_server import permissions as P

EDIT = "PATCH /channels/{channel_id}/messages/{message_id}"
THREAD_ADD = "PUT /channels/{channel_id}/thread-members/{user_id}"


def new_bench() -> Bench:
    bench = Bench()
    role = bench.state.add_role(bench.guild, "Passerelle", P.BOT_DEFAULT)
    bench.guild.members[bench.state.bot_user.id].role_ids.append(role.id)
    return bench


async def publish(bench: Bench) -> object:
    """The organiser creates and publishes a meet-up; returns its public message."""
    organiser = bench.owner
    preview = await bench.slash(
        organiser,
        "rencontre creer",
        titre="Café réseau ASS",
        quand="demain 18h",
        format="presentiel",
        lieu="Café des Arts, Lyon",
    )
    assert preview.message is not None, "no preview"
    data = bench.click_data(preview.message, "Publier")
    inter, sent = bench.send(COMPONENT, organiser, bench.channel, data, preview.message)
    await bench.answered(inter, sent)
    await bench.until(lambda: bool(bench.channel.messages))
    return bench.channel.messages[-1]


def going(message: object) -> int | None:
    for embed in message.embeds:  # type: ignore[attr-defined]
        for f in embed.get("fields", []):
            found = re.match(r"Je viens \((\d+)\)", f["name"])
            if found:
                return int(found[1])
    return None


def worst_edits(bench: Bench, message_id: int, window: float) -> tuple[int, int]:
    """(edits of the message, most edits in any `window` seconds)."""
    stamps = sorted(
        bench.when(r) for r in bench.requests("PATCH", EDIT) if str(message_id) in r.path
    )
    worst = 0
    for i, start in enumerate(stamps):
        worst = max(worst, sum(1 for s in stamps[i:] if s - start < window))
    return len(stamps), worst


async def bare(members: int, spread: float) -> list[float]:
    bench = new_bench()
    await bench.start()
    try:
        users = bench.add_members(members)
        await bench.start_bare()
        button = {"type": 2, "style": 3, "label": "Je viens", "custom_id": "bare:go"}
        message = bench.state.new_message(
            bench.channel,
            bench.state.bot_user,
            content="Café réseau ASS",
            components=[{"type": 1, "components": [button]}],
        )
        data = bench.click_data(message, "Je viens")
        # Warmed as Passerelle is (it has published the meet-up): a first click, not measured.
        await bench.clicks(bench.add_members(1, prefix="premier"), message, data, 0)
        return await bench.clicks(users, message, data, spread)
    finally:
        await bench.stop()


async def passerelle(members: int, spread: float, *, all_adds: bool) -> dict[str, object]:
    bench = new_bench()
    await bench.start()
    try:
        users = bench.add_members(members)
        with tempfile.TemporaryDirectory() as tmp:
            await bench.start_passerelle(Path(tmp) / "bench.db")
            await bench.settled()
            message = await publish(bench)
            data = bench.click_data(message, "Je viens")
            before = len(bench.server.requests)
            started = time.monotonic()
            latencies = await bench.clicks(users, message, data, spread)
            answered = time.monotonic() - started
            await bench.until(lambda: going(message) == members, within=120)
            final_at = time.monotonic() - started
            adds_then = len(bench.requests("PUT", THREAD_ADD))
            adds_at = float("nan")
            if all_adds:  # Discord adds 5 members a 5 s to a thread: a while for a hundred
                await bench.until(lambda: len(bench.requests("PUT", THREAD_ADD)) >= members, 600)
                adds_at = time.monotonic() - started
            adds = [r for r in bench.requests("PUT", THREAD_ADD) if r.status < OK_BELOW]
            edits, worst = worst_edits(bench, message.id, CHANNEL_EDITS[1])  # type: ignore[attr-defined]
            return {
                "latencies": latencies,
                "answered": answered,
                "final_at": final_at,
                "final": going(message),
                "edits": edits,
                "worst": worst,
                "too_many": bench.too_many(before),
                "thread_adds": len(adds),
                "adds_then": adds_then,
                "adds_at": adds_at,
                "warnings": [line for line in getattr(bench, "log", []) if "WARNING" in line],
            }
    finally:
        await bench.stop()


async def main() -> None:
    options = args(__doc__)
    burst, spread, concurrent = (20, 0.5, 10) if options.quick else (100, 2.0, 50)
    print(machine_note())

    print(f"\n# {burst} members click « Je viens » within {spread:g} s")
    base = await bare(burst, spread)
    ours = await passerelle(burst, spread, all_adds=not options.quick)
    lat = ours["latencies"]
    assert isinstance(lat, list)
    print(f"bare:       {summary(base)}")
    print(f"passerelle: {summary(lat)}")
    print(ratio("callback p50", percentile(base, 50) * 1e3, percentile(lat, 50) * 1e3, "ms"))
    print(
        ratio(
            "callback p99", percentile(base, 99) * 1e3, percentile(lat, 99) * 1e3, "ms", "< 1000 ms"
        )
    )
    print(
        f"answered {len(lat)}/{burst}; final message « Je viens ({ours['final']}) » "
        f"{ours['final_at']:.2f} s after the first click; 429 answers: {ours['too_many']}"
    )
    print(
        f"edits of the message: {ours['edits']}; most in any {CHANNEL_EDITS[1]:g} s: "
        f"{ours['worst']} (channel budget {CHANNEL_EDITS[0]})"
    )
    print(
        f"thread adds: {ours['adds_then']} when the message was final; all {ours['thread_adds']}"
        f" after {ours['adds_at']:.1f} s (Discord: 5 per 5 s per thread)"
    )

    print(f"\n# {concurrent} members click at the same instant")
    base = await bare(concurrent, 0)
    ours = await passerelle(concurrent, 0, all_adds=False)
    lat = ours["latencies"]
    assert isinstance(lat, list)
    bare_rate = concurrent / max(base)
    our_rate = concurrent / max(lat)
    print(ratio("answered per second", bare_rate, our_rate, "/s", "≥ 0.8×"))
    print(f"bare: {summary(base)}; passerelle: {summary(lat)}; 429: {ours['too_many']}")


if __name__ == "__main__":
    asyncio.run(main())
