"""Scheduled announcements as moderators see them: the list, the zone dates are read in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from discord_server import Harness


async def _schedule(world: Harness, user, channel, when: str, text: str) -> int:
    reply = await world.guild.slash(
        user, "annonce programmer", salon=channel, quand=when, texte=text
    )
    assert reply.ephemeral and "programmée" in reply.text, reply.text
    return int(await world.bot.db.fetchval("SELECT MAX(id) FROM announcements"))


async def test_a_missed_announcement_is_no_longer_listed_as_pending(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    number = await _schedule(world, world.alice, annonces, "aujourd'hui 16h", "Trop tard")
    clock = world.clock
    await world.stop_bot()
    clock.advance(timedelta(hours=13))  # 16:00 + 6 h of usefulness have passed while down
    await world.start_bot()
    assert annonces.messages == []
    listed = await world.guild.slash(world.alice, "annonce liste")
    assert "Trop tard" not in listed.text and "Aucune annonce" in listed.text, listed.text
    again = await world.guild.slash(world.alice, "annonce annuler", numero=number)
    assert "n'est plus en attente" in again.text


async def test_an_announcement_given_up_after_retries_is_no_longer_pending(
    world: Harness,
) -> None:
    annonces = world.guild.channel("annonces")
    await _schedule(world, world.alice, annonces, "demain 10h", "Jamais partie")
    # Network failures: discord.py does not retry them itself (its 5xx retries sleep 25 s).
    world.faults.cut_connection(times=100, route=r"^/channels/\d+/messages$")
    await world.advance(hours=23)  # due Tuesday 10:00 Paris
    for _ in range(8):
        await world.advance(hours=1)
    assert annonces.messages == []
    listed = await world.guild.slash(world.alice, "annonce liste")
    assert "Jamais partie" not in listed.text, listed.text
    world.bot_errors.clear()  # the engine logs that it gave up


async def test_dates_are_read_in_the_moderators_own_zone(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    await world.guild.slash(world.alice, "rappels", fuseau="America/Montreal")
    await _schedule(world, world.alice, annonces, "demain 10h", "Bonjour Montréal")
    due = await world.bot.db.fetchval("SELECT due_at FROM announcements")
    # Tuesday 3 March 2026, 10:00 in Montréal (UTC-5) is 15:00 UTC, not 10:00 Paris.
    assert datetime.fromtimestamp(due, UTC) == datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    zone = await world.bot.db.fetchval("SELECT zone FROM announcements")
    assert zone == "America/Montreal"


async def test_a_failure_report_falls_back_to_the_announce_channel(world: Harness) -> None:
    moderation = await world.add_channel("moderation")
    await world.guild.slash(world.alice, "config salon-moderation", salon=moderation)
    await world.guild.slash(
        world.alice, "config salon-annonces", salon=world.guild.channel("annonces")
    )
    doomed = await world.add_channel("evenements")
    await _schedule(world, world.alice, doomed, "demain 9h", "A")
    await world.delete_channel(moderation)  # the moderators' channel is gone too
    await world.delete_channel(doomed)
    await world.advance(days=1)
    reports = [m.content for m in world.guild.channel("annonces").messages]
    assert len(reports) == 1 and f"<#{doomed.id}>" in reports[0], reports


async def test_a_crash_between_delivery_and_settling_leaves_no_stray_record(
    world: Harness,
) -> None:
    """The drill's stray « skipped » record (issue 12): a process killed after a message was
    delivered (and the announcement marked sent) but before its item was settled. On restart the
    item is due again and renders nothing: that is not « nothing to send », it was sent."""
    from bot.reminders import Schedule

    annonces = world.guild.channel("annonces")
    await _schedule(world, world.alice, annonces, "demain 10h", "Une seule fois")
    guild_id = world.guild.id
    [item] = await world.bot.reminders.pending(guild_id, 5)
    await world.advance(hours=24)
    assert [m.content for m in annonces.messages] == ["Une seule fois"]
    # What the killed process leaves: the item back, unsettled, with its ledger row "sent".
    await world.bot.reminders.schedule(
        item.kind,
        item.ref,
        guild_id,
        Schedule(item.occurrence, item.due_at, item.expires_at, item.payload),
    )
    await world.restart()
    await world.advance(minutes=1)
    assert [m.content for m in annonces.messages] == ["Une seule fois"]
    assert await world.bot.reminders.count_pending(guild_id) == 0
    rows = await world.bot.db.fetchall(
        "SELECT target, status FROM reminder_ledger WHERE kind = ? AND ref = ?",
        (item.kind, item.ref),
    )
    assert [(r["target"], r["status"]) for r in rows] == [(f"channel:{annonces.id}", "sent")]
