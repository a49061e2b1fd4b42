"""Under Discord's limits (the strict loopback Discord): bursts of clicks, a fan-out during a
burst, a busy channel. Every member answered, every reminder delivered once, no 429, and the
public messages end on their exact state. Counts only: no timing is asserted here (the figures
are bench/rsvp.py's and bench/reminders_fanout.py's). Bursts stay small enough for every
click to be answered within Discord's 3 s (real seconds) on a busy machine."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from apero_support import advance_to, create_series, go_label, reminders_in
from discord_server import Harness

GOING = re.compile(r"Je viens \((\d+)\)")


async def publish(world: Harness, channel: Any = None, **options: Any) -> Any:
    defaults = {"titre": "Café réseau", "quand": "vendredi 18h", "format": "presentiel"}
    preview = await world.guild.slash(
        world.alice, "rencontre creer", **(defaults | {"lieu": "Lyon"} | options)
    )
    done = await preview.click("Publier", by=world.alice)
    link = re.search(r"channels/\d+/(\d+)/(\d+)", done.text)
    assert link is not None, done.text
    target = world.state.channels[int(link[1])]
    return next(m for m in target.messages if m.id == int(link[2]))


def going(embeds: list[dict[str, Any]]) -> int | None:
    for embed in embeds:
        for f in embed.get("fields", []):
            if found := GOING.match(f["name"]):
                return int(found[1])
    return None


def edits_of(world: Harness, message: Any) -> list[dict[str, Any]]:
    return [
        r.json for r in world.requests_to("PATCH", rf"/messages/{message.id}$") if r.status < 300
    ]


def no_429(world: Harness) -> None:
    assert world.ratelimits.hits == [], world.ratelimits.hits[:5]


async def test_a_burst_of_clicks_is_answered_and_the_message_ends_exact(world: Harness) -> None:
    message = await publish(world)
    members = [await world.guild.add_member(f"membre{i}") for i in range(20)]

    replies = await world.click_together(message, "Je viens", by=members)

    assert all(r.answered and r.ephemeral for r in replies)
    assert going(message.embeds) == len(members)
    shown = [going(edit["embeds"]) for edit in edits_of(world, message)]
    assert shown[-1] == len(members)
    # Each redraw reads the state when it is drawn: never backwards. (How few they are depends
    # on how fast the clicks are handled: bench/rsvp.py measures it, test_redraw.py proves it.)
    assert shown == sorted(shown)
    adds = Counter(r.path for r in world.requests_to("PUT", r"/thread-members/\d+$"))
    assert len(adds) == len(members) and set(adds.values()) == {1}  # each member added once
    no_429(world)


async def test_apero_clicks_together_end_on_the_exact_count(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    await create_series(world, annonces)
    await advance_to(world, datetime(2026, 3, 5, 17, tzinfo=UTC))  # the eve's reminder
    [eve] = reminders_in(annonces)
    members = [await world.guild.add_member(f"membre{i}") for i in range(15)]

    replies = await world.click_together(eve, "Je serai là (0)", by=members)

    assert all(r.answered and r.followups and r.followups[0].ephemeral for r in replies)
    assert go_label(eve) == f"Je serai là ({len(members)})"
    shown = [
        int(re.findall(r"\((\d+)\)", str(edit["components"]))[0]) for edit in edits_of(world, eve)
    ]
    assert shown == sorted(shown) and shown[-1] == len(members)
    no_429(world)


async def test_a_fan_out_during_a_burst_delivers_everything_once(world: Harness) -> None:
    message = await publish(world)
    annonces = world.guild.channel("annonces")
    for i in range(40):
        reply = await world.guild.slash(
            world.alice, "annonce programmer", salon=annonces, quand="demain 10h", texte=f"A{i}"
        )
        assert "programmée" in reply.text, reply.text
    members = [await world.guild.add_member(f"membre{i}") for i in range(15)]
    world.clock.advance(timedelta(days=1))

    fan_out = asyncio.create_task(world.in_bot(world.bot.reminders.run_due))
    replies = await world.click_together(message, "Je viens", by=members)
    await fan_out

    assert all(r.answered for r in replies)
    posted = Counter(m.content.split("\n")[0] for m in annonces.messages)
    assert posted == Counter(f"A{i}" for i in range(40))  # each once
    assert going(message.embeds) == len(members)
    no_429(world)


async def test_a_busy_channel_gets_its_messages_and_its_redraws(world: Harness) -> None:
    """The meet-up is published where announcements fall due: sends and edits share the
    channel while members click."""
    annonces = world.guild.channel("annonces")
    await world.guild.slash(world.alice, "rencontre reglages", salon=annonces)
    message = await publish(world)
    assert message.channel_id == annonces.id
    for i in range(15):
        await world.guild.slash(
            world.alice, "annonce programmer", salon=annonces, quand="demain 10h", texte=f"B{i}"
        )
    members = [await world.guild.add_member(f"membre{i}") for i in range(20)]
    world.clock.advance(timedelta(days=1))

    fan_out = asyncio.create_task(world.in_bot(world.bot.reminders.run_due))
    first = await world.click_together(message, "Je viens", by=members[:10])
    second = await world.click_together(message, "Je viens", by=members[10:])
    await fan_out

    assert all(r.answered for r in first + second)
    posted = [m.content.split("\n")[0] for m in annonces.messages if m.content.startswith("B")]
    assert sorted(posted) == sorted(f"B{i}" for i in range(15))
    assert going(message.embeds) == len(members)
    no_429(world)
