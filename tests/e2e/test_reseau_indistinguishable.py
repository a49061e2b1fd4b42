"""Issue 15's acceptance: from the requester's side, a refusal, a block and no answer are
indistinguishable — the same messages, at the same moments, and nothing at all when the
recipient refuses or blocks.

Three requesters ask three recipients at the same instant; one recipient refuses, one blocks,
one never answers. Everything each requester can observe is recorded, with the recipient's
name and mention replaced by a placeholder, and the three records must be identical."""

from __future__ import annotations

from typing import Any

from discord_server import Harness
from reseau_support import ask, directory, last_dm, make_profile


def _neutral(text: str, recipient: Any) -> str:
    name = recipient.username.capitalize()
    return text.replace(f"<@{recipient.id}>", "<X>").replace(name, "<X>")


def _dm_requests(world: Harness, requester: Any) -> list[Any]:
    """Everything the bot asked Discord about this requester's direct messages."""
    channel = world.state.dm_channel_for(requester, create=False)
    found = [
        r
        for r in world.requests_to("POST", r"^/users/@me/channels$")
        if str((r.json or {}).get("recipient_id")) == str(requester.id)
    ]
    if channel is not None:
        found += world.requests_to("POST", rf"^/channels/{channel.id}/messages$")
    return found


async def _observe(
    world: Harness, pairs: list[tuple[Any, Any]], seen: dict[int, list[str]]
) -> None:
    """What each requester can see right now: their DMs, their /contacts, the bot's requests."""
    for requester, recipient in pairs:
        inbox = await world.guild.slash(requester, "contacts")
        seen[requester.id].append(
            "|".join(
                [
                    f"dms={[_neutral(m.text, recipient) for m in requester.dms]}",
                    f"contacts={_neutral(inbox.text, recipient)}",
                    f"dm_requests={len(_dm_requests(world, requester))}",
                ]
            )
        )


async def test_refusal_block_and_silence_look_the_same_to_the_requester(world: Harness) -> None:
    recipients = [await world.guild.add_member(n) for n in ("lea", "marc", "nina")]
    requesters = [await world.guild.add_member(n) for n in ("paul", "remi", "sami")]
    for recipient in recipients:
        await make_profile(world, recipient, "qc-ts", "QC-06")
    pairs = list(zip(requesters, recipients, strict=True))
    seen: dict[int, list[str]] = {r.id: [] for r in requesters}

    answers = []
    for requester, recipient in pairs:
        page = await directory(world, requester)
        name = recipient.username.capitalize()
        answers.append(
            _neutral((await ask(world, requester, page, name, "Bonjour")).text, recipient)
        )
    assert answers[0] == answers[1] == answers[2], answers
    await _observe(world, pairs, seen)

    lea, marc, _nina = recipients
    refused = await last_dm(lea).click("Refuser", by=lea)
    blocked = await last_dm(marc).click("Bloquer", by=marc)
    assert "refusée" in refused.text and "bloquée" in blocked.text
    await _observe(world, pairs, seen)  # at the moment of the refusal and the block: nothing

    await world.advance(days=3)
    await _observe(world, pairs, seen)
    await world.advance(days=3, hours=23)
    await _observe(world, pairs, seen)  # still waiting, all three
    await world.advance(hours=1)
    await _observe(world, pairs, seen)  # the expiry: « pas de suite », all three, now
    await world.advance(days=2)
    await _observe(world, pairs, seen)  # and only once

    records = list(seen.values())
    assert records[0] == records[1] == records[2], "\n".join(map(str, records))
    timeline = records[0]
    assert all("dm_requests=0" in moment for moment in timeline[:4])
    assert "pas de suite pour le moment" in timeline[4] and "dm_requests=0" not in timeline[4]
    assert timeline[4] == timeline[5]

    again = []
    for requester, recipient in pairs:
        page = await directory(world, requester)
        name = recipient.username.capitalize()
        again.append(_neutral((await ask(world, requester, page, name, "Re")).text, recipient))
    assert again[0] == again[1] == again[2] and "à partir du" in again[0], again
