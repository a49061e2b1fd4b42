"""Small groups end to end (issue 17): a meet-up's participants split into groups of 4 to 6,
each with its private thread and told there; a re-run after withdrawals and new sign-ups moves
few people; what members declared when signing up is honoured.
"""

from __future__ import annotations

import re
from typing import Any

from discord import ChannelType
from discord_server import Harness
from discord_server.world import Channel, User
from test_rencontres import publish, thread_of


async def crowd(world: Harness, message: Any, n: int, prefix: str = "membre") -> list[User]:
    members = [await world.guild.add_member(f"{prefix}{k:02d}") for k in range(n)]
    for member in members:
        reply = await message.click("Je viens", by=member)
        assert "vous venez" in reply.text
    return members


def group_threads(world: Harness) -> dict[int, Channel]:
    found = {}
    for thread in world.guild.threads:
        named = re.match(r"Groupe (\d+) · ", thread.name)
        if named and thread.type is ChannelType.private_thread:
            found[int(named[1])] = thread
    return found


def members_of(world: Harness, thread: Channel) -> set[int]:
    return set(thread.member_ids) - {world.bot.user.id}


async def in_db(world: Harness) -> dict[int, int]:
    rows = await world.bot.db.fetchall(
        "SELECT user_id, number FROM rencontre_group_members WHERE rencontre_id = 1"
    )
    return {r["user_id"]: r["number"] for r in rows}


async def test_participants_are_split_each_in_a_private_thread_and_a_re_run_moves_few(
    world: Harness,
) -> None:
    message = await publish(world, world.bob)
    people = await crowd(world, message, 13)
    reply = await world.guild.slash(world.bob, "rencontre groupes", evenement="1")
    assert reply.ephemeral and "Groupes de « Café réseau ASS » (3 groupes)" in reply.text
    assert reply.message.allowed_mentions == {"parse": []}
    threads = group_threads(world)
    assert sorted(threads) == [1, 2, 3]
    assert sorted(len(members_of(world, t)) for t in threads.values()) == [4, 4, 5]
    seated = [u for t in threads.values() for u in members_of(world, t)]
    assert sorted(seated) == sorted(p.id for p in people)  # everyone once
    for number, thread in threads.items():  # each member told in their group's thread
        [welcome] = thread.messages
        assert f"groupe {number} de « Café réseau ASS »" in welcome.content
        assert {str(u) for u in welcome.allowed_mentions["users"]} == {
            str(u) for u in members_of(world, thread)
        }
    notice = [m for m in thread_of(world, message).messages if "sont formés" in m.content]
    assert len(notice) == 1 and "3 groupes de 4 à 5 personnes" in notice[0].content
    before = await in_db(world)

    # Two of group 1 withdraw, one more signs up, and it is run again after a restart.
    gone = [p for p in people if before[p.id] == 1][:2]
    for member in gone:
        await message.click("Je me retire", by=member)
    [late] = await crowd(world, message, 1, prefix="tard")
    await world.restart()
    again = await world.guild.slash(world.bob, "rencontre groupes", evenement="1")
    assert "Personnes changées de groupe : 0 ; nouvelles venues : 1." in again.text, again.text
    after = await in_db(world)
    assert set(after) == ({p.id for p in people} - {g.id for g in gone}) | {late.id}
    assert all(after[u] == before[u] for u in after if u in before)  # nobody moved
    assert after[late.id] == 1  # into the group with room
    threads = group_threads(world)
    assert sorted(threads) == [1, 2, 3]
    for member in gone:
        assert all(member.id not in t.member_ids for t in threads.values())
    assert late.id in threads[1].member_ids
    [joined] = [m for m in threads[1].messages if late.mention in m.content]
    assert "rejoint le groupe 1" in joined.content
    assert [str(u) for u in joined.allowed_mentions["users"]] == [str(late.id)]
    # Only the newcomer was pinged: the others' threads got nothing new.
    assert len(threads[2].messages) == 1 and len(threads[3].messages) == 1


async def test_withdrawals_that_need_fewer_groups_move_only_the_last_group(world: Harness) -> None:
    message = await publish(world, world.bob)
    people = await crowd(world, message, 15)
    await world.guild.slash(world.bob, "rencontre groupes", evenement="1")
    before = await in_db(world)
    threads = group_threads(world)
    assert sorted(len(members_of(world, t)) for t in threads.values()) == [5, 5, 5]
    # Group 3 loses four of its five: 11 people, two groups (6 and 5); its last one moves.
    three = [p for p in people if before[p.id] == 3]
    for member in three[:4]:
        await message.click("Je me retire", by=member)
    again = await world.guild.slash(world.alice, "rencontre groupes", evenement="1")  # moderator
    assert "Personnes changées de groupe : 1 ; nouvelles venues : 0." in again.text, again.text
    after = await in_db(world)
    assert sorted(set(after.values())) == [1, 2] and after[three[4].id] in (1, 2)
    assert three[4].id not in threads[3].member_ids
    assert any("n'existe plus" in m.content for m in threads[3].messages)
    assert three[4].id in threads[after[three[4].id]].member_ids


async def test_what_members_declare_when_signing_up_is_honoured(world: Harness) -> None:
    message = await publish(world, world.bob)
    early = await crowd(world, message, 2, prefix="tot")  # before the organiser asks
    asked = await world.guild.slash(
        world.bob,
        "rencontre preparer-groupes",
        evenement="1",
        presence=True,
        villes="Lyon ; Montréal",
    )
    assert asked.ephemeral and "présentiel ou visio, la ville (Lyon, Montréal)" in asked.text
    [ask] = [m for m in thread_of(world, message).messages if "l'organisation demande" in m.content]
    opened = await ask.click("Préciser pour les groupes", by=early[0])
    assert opened.ephemeral
    await opened.select("Vous venez en présentiel ou en visio ?", ["visio"], by=early[0])
    noted = await opened.select("Votre ville", ["Montréal"], by=early[0])
    assert "Visio, Montréal" in noted.text
    # Newcomers are asked with their « Je viens ».
    visio, lyon = [], []
    for k in range(10):
        member = await world.guild.add_member(f"nouveau{k:02d}")
        going = await message.click("Je viens", by=member)
        assert [s["placeholder"] for s in going.message.components[0]["components"]] == [
            "Vous venez en présentiel ou en visio ?"
        ]
        if k < 3:
            await going.select("Vous venez en présentiel ou en visio ?", ["visio"], by=member)
            visio.append(member)
        else:
            await going.select("Votre ville", ["Lyon"], by=member)
            lyon.append(member)
    reply = await world.guild.slash(world.bob, "rencontre groupes", evenement="1")
    assert "groupes" in reply.text
    groups = {}
    for number, thread in group_threads(world).items():
        groups[number] = members_of(world, thread)
    visio_ids = {early[0].id, *(m.id for m in visio)}
    for members in groups.values():  # never in person and video together
        assert members <= visio_ids or not members & visio_ids
    [video_group] = [g for g in groups.values() if g & visio_ids]
    assert video_group == visio_ids  # four on video: one group of their own
    # In person: seven from Lyon and one who said nothing, in two groups of four.
    in_person = [g for g in groups.values() if not g & visio_ids]
    assert sorted(len(g) for g in in_person) == [4, 4]
    lyon_ids = {m.id for m in lyon}
    assert all(len(g - lyon_ids) <= 1 for g in in_person)


async def test_bad_group_requests_are_refused_and_nothing_is_written(world: Harness) -> None:
    message = await publish(world, world.bob)
    await crowd(world, message, 5)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"taille-min": 1}, "au moins 2 personnes par groupe"),
        (
            {"taille-min": 5, "taille-max": 3},
            "La taille minimale (5) dépasse la taille maximale (3)",
        ),
        ({"taille-min": 8, "taille-max": 10}, "il n'y a pour l'instant que 5 personnes inscrites"),
        ({"taille-max": 40}, "25 au plus"),
        ({}, "Les 5 inscrits tiennent dans un seul groupe de 6"),
    ]
    for options, expected in cases:
        reply = await world.guild.slash(world.bob, "rencontre groupes", evenement="1", **options)
        assert reply.ephemeral and expected in reply.text, (options, reply.text)
    refused = await world.guild.slash(
        world.carol, "rencontre groupes", evenement="1", **{"taille-max": 4}
    )
    assert "Only the organiser" in refused.text
    cities = await world.guild.slash(
        world.bob, "rencontre preparer-groupes", evenement="1", villes="x" * 60
    )
    assert "trop long" in cities.text
    await world.guild.slash(world.bob, "rencontre annuler", evenement="1")
    cancelled = await world.guild.slash(
        world.bob, "rencontre groupes", evenement="1", **{"taille-max": 4}
    )
    assert "a été annulée" in cancelled.text
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM rencontre_groups") == 0
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM rencontre_group_settings") == 0
    assert group_threads(world) == {}
