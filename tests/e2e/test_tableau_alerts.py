"""Le tableau's offer alerts in a daily digest, through the loopback Discord: one DM per member at
8:00 in their own zone, only the offers that match their alert (and are still open when it is
sent), never anything public, exactly once across a restart.

What a member expects, decided here: the digest is a list of offers they can still answer. An
offer closed at its deadline, marked « Pourvue » or removed by the moderators before the digest
is not listed (nor counted); their own offers are never listed; and the digest follows the alert
as it stands when it is sent (filters narrowed meanwhile apply)."""

from __future__ import annotations

from datetime import UTC, datetime

from tableau_support import board, publish_offer

ALERT = {"categories": [], "countries": [], "places": "", "professions": "", "rhythm": ["daily"]}
DIGEST_WORDS = ("pour vous", "for you", "résumé du jour", "daily digest")


async def advance_to(world, when: datetime) -> None:  # type: ignore[no-untyped-def]
    await world.advance(seconds=(when - world.bot.clock.now()).total_seconds())


async def offer_alert(world, user, **choices) -> None:  # type: ignore[no-untyped-def]
    form = await world.guild.slash(user, "alertes offres")
    assert form.modal is not None, form.text
    saved = await form.submit_modal({**ALERT, **choices}, by=user)
    assert saved.ephemeral and not saved.followups, saved.text


def public_digests(world) -> list:  # type: ignore[no-untyped-def,type-arg]
    """Anything looking like a digest anywhere but in DMs (channels, forum posts, threads)."""
    found = []
    for channel in [*world.guild.channels, *world.guild.threads]:
        for message in channel.visible_messages():
            if any(words in message.text for words in DIGEST_WORDS):
                found.append(message)
    return found


def post_of(forum, title: str):  # type: ignore[no-untyped-def]
    [post] = [p for p in forum.posts if p.title == title]
    return post


async def test_offer_digests_reach_each_member_at_eight_in_their_own_zone_once(world) -> None:
    mods = await world.add_channel("moderation")
    await world.guild.slash(world.alice, "config salon-moderation", salon=mods)
    offers, _ = await board(world)
    dan = await world.guild.add_member("dan")
    carol, bob = world.carol, world.bob  # carol in Montréal (English), bob in Paris (the default)
    await world.guild.slash(carol, "rappels", fuseau="America/Montreal")
    await offer_alert(
        world, carol, categories=["stage"], countries=["QC"], professions="travailleur social"
    )
    await offer_alert(
        world, bob, categories=["emploi", "remplacement"], countries=["FR"], professions="fr-es"
    )
    # 2 March, 9:00 UTC: 10:00 in Paris, 4:00 in Montréal
    post = publish_offer
    await post(world, dan, type="stage", lieu="QC-06", profession="qc-ts", title="Stage TS Mtl")
    await post(world, dan, type="stage", lieu="QC-06", profession="fr-ass", title="Stage ASS Qc")
    await post(world, dan, type="stage", lieu="FR-29", profession="fr-ass", title="Stage Brest")
    await post(world, dan, type="emploi", lieu="QC-06", profession="qc-ts", title="Emploi TS")
    await post(world, dan, type="stage", lieu="QC-06", title="Stage sans métier")
    await post(world, dan, type="stage", lieu="QC-06", profession="qc-ts", title="Stage retiré")
    await post(world, dan, type="emploi", lieu="FR-75", profession="fr-es", title="ES Paris")
    await post(world, dan, type="remplacement", lieu="FR-13", profession="fr-es", title="Rempl")
    await post(world, dan, type="emploi", lieu="FR-75", profession="fr-eje", title="EJE Paris")
    await post(world, dan, type="stage", lieu="FR-75", profession="fr-es", title="Stage ES")
    await post(world, bob, type="emploi", lieu="FR-75", profession="fr-es", title="ES de Bob")
    await post(world, dan, type="emploi", lieu="FR-69", profession="fr-es", title="ES Lyon")
    await post(world, dan, type="emploi", lieu="FR-75", profession="fr-es", title="ES ce jour",
               deadline="02/03")  # fmt: skip
    assert len(offers.posts) == 13
    assert carol.dms == [] and bob.dms == []  # daily: nothing at once
    # Before the digests: Dan fills the Lyon offer; the moderators remove one on a report.
    await world.click(post_of(offers, "ES Lyon").starter_message, "Pourvue", by=dan)
    form = await world.click(post_of(offers, "Stage retiré").starter_message, "Signaler", by=bob)
    await form.submit_modal({"reason": "Plus d'actualité"}, by=bob)
    [card] = [m for m in mods.visible_messages() if "Stage retiré" in m.text]
    await world.click(card, "Retirer la publication", by=world.alice)

    await world.restart()  # between the posting and the digests

    # 8:00 in Montréal on 2 March is 13:00 UTC (EST)
    await advance_to(world, datetime(2026, 3, 2, 12, 59, tzinfo=UTC))
    assert carol.dms == [] and bob.dms == []
    await advance_to(world, datetime(2026, 3, 2, 13, 1, tzinfo=UTC))
    [digest] = carol.dms
    assert "2 new offers for you" in digest.text, digest.text
    assert "Stage TS Mtl" in digest.text and "Stage ASS Qc" in digest.text  # equivalents too
    for other in ("Brest", "Emploi TS", "sans métier", "retiré", "Paris", "Rempl", "Bob", "Lyon"):
        assert other not in digest.text, other
    assert bob.dms == []  # 14:01 in Paris: his 8:00 has passed today, it is tomorrow's

    # 8:00 in Paris on 3 March is 7:00 UTC (CET); « ES ce jour » closed at the end of 2 March
    await advance_to(world, datetime(2026, 3, 3, 6, 59, tzinfo=UTC))
    assert bob.dms == [] and post_of(offers, "[Clôturée] ES ce jour").locked
    await advance_to(world, datetime(2026, 3, 3, 7, 1, tzinfo=UTC))
    [digest] = bob.dms
    assert "2 nouvelles offres pour vous" in digest.text, digest.text
    assert "ES Paris" in digest.text and "Rempl" in digest.text
    for other in ("Stage", "EJE", "ES de Bob", "ES Lyon", "ES ce jour", "Emploi TS"):
        assert other not in digest.text, other
    assert f"/channels/{world.guild.id}/{post_of(offers, 'ES Paris').id}" in digest.text

    await world.restart()
    await world.advance(days=2)
    assert len(carol.dms) == 1 and len(bob.dms) == 1  # exactly once; no empty digest
    assert dan.dms == [] and world.alice.dms == []
    assert public_digests(world) == []


async def test_the_digest_follows_the_alert_as_it_stands_when_it_is_sent(world) -> None:
    await board(world)
    dan = await world.guild.add_member("dan")
    bob = world.bob
    await offer_alert(world, bob, categories=["emploi"])
    await publish_offer(world, dan, type="emploi", lieu="FR-75", title="Emploi à Paris")
    await publish_offer(world, dan, type="emploi", lieu="QC-06", title="Emploi à Montréal")
    await offer_alert(world, bob, categories=["emploi"], countries=["FR"])  # narrowed
    await advance_to(world, datetime(2026, 3, 3, 7, 1, tzinfo=UTC))
    [digest] = bob.dms
    assert "Emploi à Paris" in digest.text and "Montréal" not in digest.text
    assert "1 nouvelle offre pour vous" in digest.text, digest.text


async def test_going_from_the_daily_digest_to_at_once_sends_what_waited(world) -> None:
    await board(world)
    dan = await world.guild.add_member("dan")
    bob = world.bob
    await offer_alert(world, bob, categories=["emploi"])
    await publish_offer(world, dan, type="emploi", title="Emploi 1")
    await publish_offer(world, dan, type="emploi", title="Emploi 2")
    assert bob.dms == []
    await offer_alert(world, bob, categories=["emploi"], rhythm=["now"])
    await world.advance(minutes=1)
    assert sorted(m.text.count("Emploi 1") > 0 for m in bob.dms) == [False, True]
    assert all("résumé du jour" not in m.text for m in bob.dms)
    await offer_alert(world, bob, categories=["emploi"])  # daily again: nothing left waiting
    await world.advance(days=2)
    assert len(bob.dms) == 2
