"""Apéro reminders through the engine: right instants across DST, skips, pause, « Je serai là »,
restarts, and a channel the bot loses.

The clock starts on Monday 2 March 2026, 09:00 UTC. Expected instants are written from the UTC
offsets of the week (Paris +1 → +2 on 29 March, back on 25 October; Montréal −5 → −4 on
8 March, back on 1 November), not computed by the code under test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apero_support import advance_to, create_series, go_label, reminders_in, rows, stamp
from discord_server import Harness
from discord_server import permissions as P
from discord_server.world import Channel


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def expect_post(world: Harness, channel: Channel, due: datetime, start: datetime) -> None:
    """Nothing a minute before `due`; at `due`, exactly one new reminder for `start`."""
    before = len(reminders_in(channel))
    await advance_to(world, due - timedelta(minutes=1))
    assert len(reminders_in(channel)) == before, f"posted before {due}"
    await advance_to(world, due)
    posted = reminders_in(channel)
    assert len(posted) == before + 1, f"nothing posted at {due}"
    assert stamp(start) in posted[-1].text


async def test_paris_friday_weeks_across_the_march_changes(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    await create_series(world, annonces)
    # (eve at 18:00 Paris, 15 min before, the start); Montréal hour in words alongside.
    weeks = [
        (utc(2026, 3, 5, 17), utc(2026, 3, 6, 16, 45), utc(2026, 3, 6, 17), "12:00"),
        (utc(2026, 3, 12, 17), utc(2026, 3, 13, 16, 45), utc(2026, 3, 13, 17), "13:00"),
        (utc(2026, 3, 19, 17), utc(2026, 3, 20, 16, 45), utc(2026, 3, 20, 17), "13:00"),
        (utc(2026, 3, 26, 17), utc(2026, 3, 27, 16, 45), utc(2026, 3, 27, 17), "13:00"),
        (utc(2026, 4, 2, 16), utc(2026, 4, 3, 15, 45), utc(2026, 4, 3, 16), "12:00"),
    ]
    for eve, quarter, start, montreal in weeks:
        await expect_post(world, annonces, eve, start)
        await expect_post(world, annonces, quarter, start)
        text = reminders_in(annonces)[-1].text
        assert "à 18:00" in text and f"à {montreal}" in text and "meet.jit.si" in text
    assert len(reminders_in(annonces)) == 2 * len(weeks)


async def test_montreal_thursday_across_the_autumn_changes(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    world.clock.set(utc(2026, 10, 19, 12))  # Monday 19 October
    await create_series(
        world, annonces, nom="5 à 7", jour="jeudi", heure="17h", zone="America/Montreal"
    )
    weeks = [  # eve 18:00 Montréal, 15 min before, start 17:00 Montréal; Paris hour in words
        (utc(2026, 10, 21, 22), utc(2026, 10, 22, 20, 45), utc(2026, 10, 22, 21), "23:00"),
        (utc(2026, 10, 28, 22), utc(2026, 10, 29, 20, 45), utc(2026, 10, 29, 21), "22:00"),
        (utc(2026, 11, 4, 23), utc(2026, 11, 5, 21, 45), utc(2026, 11, 5, 22), "23:00"),
    ]
    for eve, quarter, start, paris in weeks:
        await expect_post(world, annonces, eve, start)
        await expect_post(world, annonces, quarter, start)
        assert f"à {paris}" in reminders_in(annonces)[-1].text


async def test_paris_series_across_october_change(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    world.clock.set(utc(2026, 10, 19, 12))
    await create_series(world, annonces, rappels="15 min avant")
    for start in (utc(2026, 10, 23, 16), utc(2026, 10, 30, 17), utc(2026, 11, 6, 17)):
        await expect_post(world, annonces, start - timedelta(minutes=15), start)


async def test_role_mention_and_embed(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    role = world.state.add_role(world.guild.state, "Apéro", 0)
    role.mentionable = True
    world.gateway.dispatch(
        "GUILD_ROLE_CREATE", {"guild_id": str(world.guild.id), "role": role.payload()}
    )
    await world.idle()
    await create_series(world, annonces, role=role, rappels="15 min avant")
    await advance_to(world, utc(2026, 3, 6, 16, 45))
    [posted] = reminders_in(annonces)
    assert posted.content == role.mention
    # Only that role may ping: no @everyone, no users, whatever the text says.
    mentions = posted.allowed_mentions or {}
    assert [str(r) for r in mentions.get("roles", [])] == [str(role.id)]
    assert mentions.get("parse") == []
    assert go_label(posted) == "Je serai là (0)"


async def test_skip_pause_and_resume(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    await create_series(world, annonces)
    [choice] = await world.guild.autocomplete(world.alice, "apero sauter", serie="")
    serie = choice["value"]
    skip = await world.guild.slash(world.alice, "apero sauter", serie=serie, date="13/03")
    assert "sauté" in skip.text
    twice = await world.guild.slash(world.alice, "apero sauter", serie=serie, date="2026-03-13")
    assert "déjà sauté" in twice.text
    await expect_post(world, annonces, utc(2026, 3, 5, 17), utc(2026, 3, 6, 17))
    await expect_post(world, annonces, utc(2026, 3, 6, 16, 45), utc(2026, 3, 6, 17))
    # The 13th is skipped: the next post is the eve of the 20th.
    await expect_post(world, annonces, utc(2026, 3, 19, 17), utc(2026, 3, 20, 17))
    assert not any(stamp(utc(2026, 3, 13, 17)) in m.text for m in reminders_in(annonces))
    members_view = await world.guild.slash(world.bob, "apero prochaines", nombre=2)
    assert stamp(utc(2026, 3, 20, 17)) in members_view.text
    # Pause: nothing for two weeks, even at the due instants.
    paused = await world.guild.slash(world.alice, "apero pause", serie=serie)
    assert "pause" in paused.text
    again = await world.guild.slash(world.alice, "apero pause", serie=serie)
    assert "déjà en pause" in again.text
    count = len(reminders_in(annonces))
    await advance_to(world, utc(2026, 4, 2, 12))
    assert len(reminders_in(annonces)) == count
    resumed = await world.guild.slash(world.alice, "apero reprendre", serie=serie)
    assert "repris" in resumed.text
    await expect_post(world, annonces, utc(2026, 4, 2, 16), utc(2026, 4, 3, 16))
    # Un-skipping a date gives it back its reminders.
    await world.guild.slash(world.alice, "apero sauter", serie=serie, date="2026-04-10")
    offered = await world.guild.autocomplete(
        world.alice, "apero annuler-saut", serie=serie, date=""
    )
    assert [c["value"] for c in offered] == ["2026-04-10"]
    back = await world.guild.slash(world.alice, "apero annuler-saut", serie=serie, date="10/04")
    assert "rétabli" in back.text
    await expect_post(world, annonces, utc(2026, 4, 3, 15, 45), utc(2026, 4, 3, 16))
    await expect_post(world, annonces, utc(2026, 4, 9, 16), utc(2026, 4, 10, 16))


async def test_je_serai_la_counts_per_occurrence_and_after_restart(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    await create_series(world, annonces)
    await advance_to(world, utc(2026, 3, 5, 17))
    [eve] = reminders_in(annonces)
    assert go_label(eve) == "Je serai là (0)"
    bob = await eve.click("Je serai là (0)", by=world.bob)
    assert bob.followups and bob.followups[0].ephemeral and "noté" in bob.followups[0].text
    assert go_label(eve) == "Je serai là (1)"
    carol = await eve.click("Je serai là (1)", by=world.carol)
    assert "Noted" in carol.text  # Carol reads English
    assert go_label(eve) == "Je serai là (2)"  # the public label is in the server's language
    await world.restart()
    again = await eve.click("Je serai là (2)", by=world.bob)  # a second click withdraws
    assert "ne venez plus" in again.text
    assert go_label(eve) == "Je serai là (1)"
    await advance_to(world, utc(2026, 3, 6, 16, 45))
    quarter = reminders_in(annonces)[-1]
    assert go_label(quarter) == "Je serai là (1)"  # same occurrence, same count
    await advance_to(world, utc(2026, 3, 12, 17))
    next_week = reminders_in(annonces)[-1]
    assert stamp(utc(2026, 3, 13, 17)) in next_week.text
    assert go_label(next_week) == "Je serai là (0)"  # a new occurrence starts at zero
    await next_week.click("Je serai là (0)", by=world.bob)
    assert go_label(next_week) == "Je serai là (1)"
    # Once the apéro is long over, the old button says so and counts nothing.
    await advance_to(world, utc(2026, 3, 13, 21))
    late = await eve.click("Je serai là (1)", by=world.bob)
    assert "terminé" in late.text and go_label(eve) == "Je serai là (1)"
    assert await rows(world, "SELECT COUNT(*) FROM apero_attendance") == 2


async def test_restarts_mid_week_send_nothing_twice_and_miss_nothing(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    await create_series(world, annonces)
    await advance_to(world, utc(2026, 3, 5, 17))  # the eve is posted
    await world.restart()
    await world.crash()
    await advance_to(world, utc(2026, 3, 6, 12))
    assert len(reminders_in(annonces)) == 1
    # Down across the 15-minute reminder: sent late, once, when the bot is back before the start.
    clock = world.clock
    await world.stop_bot()
    clock.set(utc(2026, 3, 6, 16, 50))
    await world.start_bot()
    await world.idle()
    posted = reminders_in(annonces)
    assert len(posted) == 2 and "en retard" in posted[-1].text
    await world.restart()
    await advance_to(world, utc(2026, 3, 12, 16, 59))
    assert len(reminders_in(annonces)) == 2
    await advance_to(world, utc(2026, 3, 12, 17))
    await world.restart()
    await advance_to(world, utc(2026, 3, 13, 16, 45))
    await world.restart()
    await advance_to(world, utc(2026, 3, 13, 18))
    starts = [utc(2026, 3, 6, 17)] * 2 + [utc(2026, 3, 13, 17)] * 2
    assert all(stamp(s) in m.text for s, m in zip(starts, reminders_in(annonces), strict=True))
    # The ledger agrees: one delivery per (series, occurrence, offset).
    assert await rows(world, "SELECT COUNT(*) FROM reminder_ledger WHERE kind = 'apero'") == 4


async def test_permission_loss_pauses_and_tells_moderators_once(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    moderation = await world.add_channel("moderation")
    await world.guild.slash(world.alice, "config salon-moderation", salon=moderation)
    await create_series(world, annonces)
    bot_role = world.guild.role("Passerelle")
    await world.set_overwrites(
        annonces,
        [{"id": str(bot_role.id), "type": 0, "allow": "0", "deny": str(P.SEND_MESSAGES)}],
    )
    await advance_to(world, utc(2026, 3, 5, 17))
    assert reminders_in(annonces) == []
    told = [m for m in moderation.visible_messages() if "Apéro du vendredi" in m.text]
    assert len(told) == 1 and "pause" in told[0].text and annonces.mention in told[0].text
    attempts = len(world.requests_to("POST", rf"^/channels/{annonces.id}/messages$"))
    await advance_to(world, utc(2026, 3, 20, 17))  # two more weeks: no retry every week
    assert len(world.requests_to("POST", rf"^/channels/{annonces.id}/messages$")) == attempts
    assert len([m for m in moderation.visible_messages() if "Apéro du" in m.text]) == 1
    listing = await world.guild.slash(world.alice, "apero liste")
    assert "salon inutilisable" in listing.text
    [choice] = await world.guild.autocomplete(world.alice, "apero reprendre", serie="")
    refused = await world.guild.slash(world.alice, "apero reprendre", serie=choice["value"])
    assert "Envoyer des messages" in refused.text  # still broken: resuming is refused, named
    await world.set_overwrites(annonces, [])
    resumed = await world.guild.slash(world.alice, "apero reprendre", serie=choice["value"])
    assert "repris" in resumed.text
    await expect_post(world, annonces, utc(2026, 3, 26, 17), utc(2026, 3, 27, 17))


async def test_deleted_channel_pauses_the_series(world: Harness) -> None:
    moderation = await world.add_channel("moderation")
    await world.guild.slash(world.alice, "config salon-moderation", salon=moderation)
    doomed = await world.add_channel("apero")
    await create_series(world, doomed)
    doomed.deleted = True
    world.gateway.dispatch("CHANNEL_DELETE", doomed.payload())
    await world.idle()
    await advance_to(world, utc(2026, 3, 5, 17))
    told = [m for m in moderation.visible_messages() if "Apéro du vendredi" in m.text]
    assert len(told) == 1 and "supprimé" in told[0].text
    assert await rows(world, "SELECT paused FROM apero_series") == 1
