"""Apéro hosts (issue 17): a member a moderator chose runs one series, and nothing else.

Alice moderates; Bob becomes the host of « Apéro du vendredi »; « 5 à 7 » stays the
moderators'. The clock starts on Monday 2 March 2026, 09:00 UTC.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from apero_support import advance_to, create_series, reminders_in, rows
from discord_server import Harness
from discord_server.world import Channel, Message, User

REFUSED = "réservée à la modération"


async def series_ids(world: Harness) -> dict[str, str]:
    found = await world.guild.autocomplete(world.alice, "apero pause", serie="")
    return {c["name"]: c["value"] for c in found}


async def two_series(world: Harness) -> tuple[str, str]:
    annonces = world.guild.channel("annonces")
    await create_series(world, annonces)
    await create_series(world, annonces, nom="5 à 7", jour="jeudi", heure="17h")
    ids = await series_ids(world)
    return ids["Apéro du vendredi"], ids["5 à 7"]


async def moderators_channel(world: Harness) -> Channel:
    moderation = await world.add_channel("moderation")
    await world.guild.slash(world.alice, "config salon-moderation", salon=moderation)
    return moderation


def told(channel: Channel, words: str) -> list[Message]:
    return [m for m in channel.visible_messages() if words in m.text]


async def host_of(world: Harness, serie: str) -> int | None:
    return await world.bot.db.fetchval(
        "SELECT host_id FROM apero_series WHERE id = ?", (int(serie),)
    )


async def make_host(world: Harness, serie: str, member: User) -> None:
    given = await world.guild.slash(world.alice, "apero confier", serie=serie, membre=member)
    assert given.ephemeral and member.mention in given.text and "anime" in given.text, given.text
    assert given.message is not None and given.message.allowed_mentions == {"parse": []}


async def test_a_host_edits_pauses_skips_resumes_and_announces_their_series(
    world: Harness,
) -> None:
    annonces = world.guild.channel("annonces")
    vendredi, _ = await two_series(world)
    await make_host(world, vendredi, world.bob)
    # Bob is offered his series only.
    offered = await world.guild.autocomplete(world.bob, "apero modifier", serie="")
    assert [c["value"] for c in offered] == [vendredi]
    edited = await world.guild.slash(
        world.bob, "apero modifier", serie=vendredi, heure="19h", accueil="Apportez un verre"
    )
    assert "modifié" in edited.text, edited.text
    due = await world.bot.db.fetchall(
        "SELECT ref, due_at FROM reminder_items WHERE kind = 'apero' AND ref LIKE ?",
        (f"{vendredi}:m%",),
    )
    assert [r["due_at"] for r in due] == [int(datetime(2026, 3, 6, 17, 45, tzinfo=UTC).timestamp())]
    paused = await world.guild.slash(world.bob, "apero pause", serie=vendredi)
    assert "en pause" in paused.text
    resumed = await world.guild.slash(world.bob, "apero reprendre", serie=vendredi)
    assert "repris" in resumed.text
    skipped = await world.guild.slash(world.bob, "apero sauter", serie=vendredi, date="13/03")
    assert "sauté" in skipped.text
    back = await world.guild.slash(world.bob, "apero annuler-saut", serie=vendredi, date="13/03")
    assert "rétabli" in back.text
    announced = await world.guild.slash(
        world.bob, "apero annoncer", serie=vendredi, message="Ce soir : @everyone on parle budget"
    )
    assert "annoncé" in announced.text and annonces.mention in announced.text
    [posted] = reminders_in(annonces)
    assert "on parle budget" in posted.text and "Apportez un verre" in posted.text
    assert "@\u200beveryone" in posted.text  # the host's text is escaped, and pings nobody
    assert posted.allowed_mentions == {"parse": []}
    [button] = posted.buttons()
    assert button["label"] == "Je serai là (0)"
    await posted.click("Je serai là (0)", by=world.carol)
    assert posted.buttons()[0]["label"] == "Je serai là (1)"


async def test_a_host_is_refused_everything_else(world: Harness) -> None:
    vendredi, cinq_a_sept = await two_series(world)
    await make_host(world, vendredi, world.bob)
    other = await world.add_channel("ailleurs")
    # Another series: refused, nothing changed.
    for path, extra in (
        ("apero modifier", {"heure": "20h"}),
        ("apero pause", {}),
        ("apero reprendre", {}),
        ("apero sauter", {"date": "2026-03-12"}),
        ("apero annoncer", {}),
    ):
        reply = await world.guild.slash(world.bob, path, serie=cinq_a_sept, **extra)
        assert reply.ephemeral and REFUSED in reply.text and "5 à 7" in reply.text, path
    assert await rows(world, "SELECT COUNT(*) FROM apero_skips") == 0
    assert await rows(world, "SELECT SUM(paused) FROM apero_series") == 0
    assert await rows(world, "SELECT COUNT(*) FROM apero_series WHERE at_time = '20:00'") == 0
    # Moderators' commands, even on his own series.
    for path, extra in (
        ("apero creer", {"nom": "Le mien", "jour": "lundi", "heure": "12h",
                         "salon": other, "lien": "https://meet.jit.si/x"}),
        ("apero supprimer", {"serie": vendredi}),
        ("apero confier", {"serie": vendredi, "membre": world.carol}),
        ("apero retirer-animation", {"serie": vendredi}),
        ("apero liste", {}),
    ):  # fmt: skip
        reply = await world.guild.slash(world.bob, path, **extra)
        assert reply.ephemeral and REFUSED in reply.text, (path, reply.text)
    assert await rows(world, "SELECT COUNT(*) FROM apero_series") == 2
    assert await host_of(world, vendredi) == world.bob.id
    # Where his series is posted and which role it pings are the moderators' choice.
    moved = await world.guild.slash(world.bob, "apero modifier", serie=vendredi, salon=other)
    assert "au choix de la modération" in moved.text
    # Carol hosts nothing.
    carol = await world.guild.slash(world.carol, "apero pause", serie=vendredi)
    assert "Only the moderators and the host" in carol.text
    # The moderators' list shows the host without pinging him.
    listing = await world.guild.slash(world.alice, "apero liste")
    assert f"animé par {world.bob.mention}" in listing.text
    assert listing.message is not None and listing.message.allowed_mentions == {"parse": []}
    # Given back to the moderators: Bob is refused from then on.
    taken = await world.guild.slash(world.alice, "apero retirer-animation", serie=vendredi)
    assert "revient à la modération" in taken.text
    again = await world.guild.slash(world.bob, "apero pause", serie=vendredi)
    assert REFUSED in again.text
    assert await world.guild.autocomplete(world.bob, "apero pause", serie="") == []


async def test_a_host_who_leaves_hands_the_series_back_and_moderators_hear_it_once(
    world: Harness,
) -> None:
    moderation = await moderators_channel(world)
    vendredi, cinq_a_sept = await two_series(world)
    await make_host(world, vendredi, world.bob)
    await make_host(world, cinq_a_sept, world.carol)
    # Bob leaves: the bot hears nothing (no members intent) until someone acts on his series.
    await world.guild.remove_member(world.bob)
    assert told(moderation, "a quitté") == []
    paused = await world.guild.slash(world.alice, "apero pause", serie=vendredi)
    assert "en pause" in paused.text
    [notice] = told(moderation, "a quitté")
    assert world.bob.mention in notice.text and "Apéro du vendredi" in notice.text
    assert notice.allowed_mentions == {"parse": []}
    assert await host_of(world, vendredi) is None
    await world.guild.slash(world.alice, "apero reprendre", serie=vendredi)
    listing = await world.guild.slash(world.alice, "apero liste")
    assert f"animé par {world.bob.mention}" not in listing.text
    assert f"animé par {world.carol.mention}" in listing.text  # Carol is still here
    assert len(told(moderation, "a quitté")) == 1
    # Carol leaves: found at the engine's next reminder of her series, told once for weeks.
    await world.guild.remove_member(world.carol)
    await advance_to(world, datetime(2026, 3, 4, 17, tzinfo=UTC))  # eve of Thursday 5 March
    assert len(reminders_in(world.guild.channel("annonces"))) == 1  # the reminder still goes
    [carol_left] = told(moderation, "5 à 7")
    assert world.carol.mention in carol_left.text
    await advance_to(world, datetime(2026, 3, 19, 22, tzinfo=UTC))  # two more weeks
    assert len(told(moderation, "a quitté")) == 2  # Bob's, Carol's: each once
    assert await rows(world, "SELECT COUNT(*) FROM apero_series WHERE host_id IS NOT NULL") == 0


async def test_a_host_who_erases_their_data_hands_the_series_back(world: Harness) -> None:
    moderation = await moderators_channel(world)
    vendredi, _ = await two_series(world)
    await make_host(world, vendredi, world.bob)
    shown = await world.guild.slash(world.bob, "mes-donnees")
    assert "1 série d'apéros animée" in shown.text
    exported = json.loads(shown.attachments[0].text)
    assert "Apéro du vendredi" in json.dumps(exported, ensure_ascii=False)
    ask = await shown.click("mesdonnees:erase:ask", by=world.bob)
    await ask.click("mesdonnees:erase:yes", by=world.bob)
    assert await host_of(world, vendredi) is None
    [notice] = told(moderation, "a effacé ses données")
    assert "Apéro du vendredi" in notice.text and world.bob.mention not in notice.text
    refused = await world.guild.slash(world.bob, "apero pause", serie=vendredi)
    assert REFUSED in refused.text
    await world.guild.slash(world.alice, "apero liste")  # a moderator acts: nothing more told
    assert len(moderation.visible_messages()) == 1


async def test_a_bot_or_someone_off_the_server_cannot_host(world: Harness) -> None:
    vendredi, _ = await two_series(world)
    robot = await world.guild.add_member("robot")
    robot.bot = True
    refused = await world.guild.slash(world.alice, "apero confier", serie=vendredi, membre=robot)
    assert refused.ephemeral and "Un bot ne peut pas animer" in refused.text
    stranger = world.state.add_user("passante")  # not a member of the server
    refused = await world.guild.slash(world.alice, "apero confier", serie=vendredi, membre=stranger)
    assert "n'est pas membre du serveur" in refused.text
    await make_host(world, vendredi, world.bob)
    twice = await world.guild.slash(world.alice, "apero confier", serie=vendredi, membre=world.bob)
    assert "anime déjà" in twice.text
    assert await host_of(world, vendredi) == world.bob.id
    english = await world.guild.slash(world.carol, "apero confier", serie=vendredi, membre=robot)
    assert "moderat" in english.text.lower()  # Carol is no moderator: refused first
