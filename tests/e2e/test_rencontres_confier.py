"""A meet-up entrusted to a member (issue 17, hosts): a moderator entrusts it, the member manages
it like its organiser (who stays on record) and nothing else; one who leaves or erases their
data hands it back and the moderators hear it once.

Alice moderates; Bob organises « Café réseau ASS »; Carol is entrusted with it.
"""

from __future__ import annotations

import json
from typing import Any

from discord_server import Harness
from discord_server.world import Channel, Message, User
from test_rencontres import field, publish, thread_of

REFUSED = "la personne qui organise"
REFUSED_EN = "Only the organiser"


async def moderators_channel(world: Harness) -> Channel:
    moderation = await world.add_channel("moderation")
    await world.guild.slash(world.alice, "config salon-moderation", salon=moderation)
    return moderation


def told(channel: Channel, words: str) -> list[Message]:
    return [m for m in channel.visible_messages() if words in m.text]


async def manager_of(world: Harness, event_id: int) -> int | None:
    return await world.bot.db.fetchval(
        "SELECT manager_id FROM rencontres WHERE id = ?", (event_id,)
    )


async def entrust(world: Harness, event: str, member: User) -> Any:
    given = await world.guild.slash(
        world.alice, "rencontre confier", evenement=event, membre=member
    )
    assert given.ephemeral and member.mention in given.text and "confiée" in given.text, given.text
    assert given.message is not None and given.message.allowed_mentions == {"parse": []}
    return given


async def test_the_member_entrusted_manages_that_meet_up_and_nothing_else(
    world: Harness,
) -> None:
    message = await publish(world, world.bob)  # #1, Bob's
    await publish(world, world.bob, titre="Balade", quand="samedi 10h")  # #2, Bob's too
    await message.click("Je viens", by=world.alice)
    # Carol manages nothing yet.
    assert await world.guild.autocomplete(world.carol, "rencontre modifier", evenement="") == []
    refused = await world.guild.slash(world.carol, "rencontre modifier", evenement="1", titre="x")
    assert REFUSED_EN in refused.text
    await entrust(world, "1", world.carol)
    assert await manager_of(world, 1) == world.carol.id
    # The public message names both: the organiser stays on record.
    assert (
        field(message, "Organisation") == f"{world.bob.mention} · confiée à {world.carol.mention}"
    )
    # Carol is offered that meet-up only, and may edit it and read its participants.
    offered = await world.guild.autocomplete(world.carol, "rencontre modifier", evenement="")
    assert [c["value"] for c in offered] == ["1"]
    edited = await world.guild.slash(
        world.carol, "rencontre modifier", evenement="1", titre="Café réseau du vendredi"
    )
    assert "title" in edited.text, edited.text  # Carol reads English
    assert message.embeds[0]["title"] == "Café réseau du vendredi"
    listed = await world.guild.slash(world.carol, "rencontre participants", evenement="1")
    assert listed.attachments and "1 answer" in listed.text
    # …and form its groups (one sign-up: the size rule answers, not the rights).
    groups = await world.guild.slash(world.carol, "rencontre groupes", evenement="1")
    assert "Groups of at least 4, but only 1 person signed up so far" in groups.text, groups.text
    prepared = await world.guild.slash(
        world.carol, "rencontre preparer-groupes", evenement="1", presence=True
    )
    assert prepared.ephemeral and REFUSED_EN not in prepared.text, prepared.text
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM rencontre_group_settings") == 1
    # Refused on Bob's other meet-up, and for what moderators only do.
    for path, options in (
        ("rencontre modifier", {"evenement": "2", "titre": "x"}),
        ("rencontre annuler", {"evenement": "2"}),
        ("rencontre participants", {"evenement": "2"}),
        ("rencontre groupes", {"evenement": "2"}),
        ("rencontre preparer-groupes", {"evenement": "2", "presence": True}),
    ):
        reply = await world.guild.slash(world.carol, path, **options)
        assert reply.ephemeral and REFUSED_EN in reply.text, (path, reply.text)
    confier = await world.guild.slash(
        world.carol, "rencontre confier", evenement="1", membre=world.carol
    )
    assert confier.ephemeral and "moderat" in confier.text.lower()
    # Bob, the organiser, still manages it.
    bob = await world.guild.slash(world.bob, "rencontre modifier", evenement="1", lieu="Lyon 7e")
    assert "lieu" in bob.text
    # Taken back: Carol is refused from then on.
    taken = await world.guild.slash(world.alice, "rencontre confier", evenement="1")
    assert "n'est plus confiée" in taken.text
    assert await manager_of(world, 1) is None
    assert field(message, "Organisation") == world.bob.mention
    again = await world.guild.slash(world.carol, "rencontre annuler", evenement="1")
    assert REFUSED_EN in again.text
    twice = await world.guild.slash(world.alice, "rencontre confier", evenement="1")
    assert "n'est confiée à personne" in twice.text
    # Entrusted again, Carol may cancel it.
    await entrust(world, "1", world.carol)
    cancelled = await world.guild.slash(world.carol, "rencontre annuler", evenement="1")
    assert "cancelled" in cancelled.text
    assert any(m.content.startswith("❌") for m in thread_of(world, message).messages)


async def test_a_bot_someone_off_the_server_or_the_organiser_cannot_be_entrusted(
    world: Harness,
) -> None:
    await publish(world, world.bob)
    robot = await world.guild.add_member("robot")
    robot.bot = True
    refused = await world.guild.slash(world.alice, "rencontre confier", evenement="1", membre=robot)
    assert refused.ephemeral and "ne peut pas être confiée à un bot" in refused.text
    stranger = world.state.add_user("passante")  # not a member of the server
    refused = await world.guild.slash(
        world.alice, "rencontre confier", evenement="1", membre=stranger
    )
    assert "n'est pas membre du serveur" in refused.text
    organiser = await world.guild.slash(
        world.alice, "rencontre confier", evenement="1", membre=world.bob
    )
    assert "organise déjà" in organiser.text
    await entrust(world, "1", world.carol)
    twice = await world.guild.slash(
        world.alice, "rencontre confier", evenement="1", membre=world.carol
    )
    assert "déjà confiée à cette personne" in twice.text
    assert await manager_of(world, 1) == world.carol.id
    unknown = await world.guild.slash(
        world.alice, "rencontre confier", evenement="42", membre=world.carol
    )
    assert "Je ne trouve pas cette rencontre" in unknown.text


async def test_a_manager_who_leaves_hands_it_back_and_moderators_hear_it_once(
    world: Harness,
) -> None:
    moderation = await moderators_channel(world)
    first = await publish(world, world.bob)  # Friday 18:00 Paris
    second = await publish(world, world.bob, titre="Balade", quand="samedi 10h")
    dave = await world.guild.add_member("dave")
    await entrust(world, "1", world.carol)
    await entrust(world, "2", dave)
    # Carol leaves: the bot hears nothing (no members intent) until a moderator acts.
    await world.guild.remove_member(world.carol)
    assert told(moderation, "a quitté") == []
    done = await world.guild.slash(world.alice, "rencontre modifier", evenement="1", titre="Café")
    assert "titre" in done.text
    [notice] = told(moderation, "a quitté")
    assert world.carol.mention in notice.text and "n° 1" in notice.text
    assert notice.allowed_mentions == {"parse": []}
    assert await manager_of(world, 1) is None
    assert field(first, "Organisation") == world.bob.mention
    await world.guild.slash(world.alice, "rencontre participants", evenement="1")
    assert len(told(moderation, "a quitté")) == 1  # once
    # Dave leaves: found at the 24 h reminder of his meet-up, told once.
    await world.guild.remove_member(dave)
    await world.advance(days=4, hours=1)  # Friday 11:00 Paris: meet-up 2's 24 h reminder
    assert any(m.content.startswith("⏰") for m in thread_of(world, second).messages)
    [dave_left] = told(moderation, "Balade")
    assert dave.mention in dave_left.text
    await world.advance(hours=22)  # the 1 h reminder: nothing more told
    assert len(told(moderation, "a quitté")) == 2
    assert await manager_of(world, 2) is None


async def test_a_manager_who_erases_their_data_hands_it_back_unnamed(world: Harness) -> None:
    moderation = await moderators_channel(world)
    message = await publish(world, world.bob)
    dave = await world.guild.add_member("dave")
    await entrust(world, "1", dave)
    shown = await world.guild.slash(dave, "mes-donnees")
    assert "1 rencontre qui vous est confiée" in shown.text, shown.text
    exported = json.loads(shown.attachments[0].text)
    assert "Café réseau ASS" in json.dumps(exported, ensure_ascii=False)
    ask = await shown.click("mesdonnees:erase:ask", by=dave)
    await ask.click("mesdonnees:erase:yes", by=dave)
    assert await manager_of(world, 1) is None
    [notice] = told(moderation, "a effacé ses données")
    assert "Café réseau ASS" in notice.text and dave.mention not in notice.text
    assert field(message, "Organisation") == world.bob.mention
    refused = await world.guild.slash(dave, "rencontre modifier", evenement="1", titre="x")
    assert REFUSED in refused.text
    await world.guild.slash(world.alice, "rencontre participants", evenement="1")
    assert len(moderation.visible_messages()) == 1
