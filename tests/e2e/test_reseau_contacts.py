"""Contacts made with consent, as members live them: asking from the directory, answering by
DM or in /contacts, a private thread or exchanged details, expiry, blocks, reports, limits, a
restart in between, and members who left."""

from __future__ import annotations

from datetime import timedelta

import discord
from discord_server import Harness
from reseau_support import ask, directory, last_dm, make_profile


async def _alice_listed(world: Harness) -> None:
    await make_profile(world, world.alice, "qc-ts", "QC-06", presentation="TS en CLSC à Montréal.")


async def test_a_request_reaches_the_recipient_by_dm_and_never_publicly(world: Harness) -> None:
    await _alice_listed(world)
    page = await directory(world, world.bob)
    sent = await ask(world, world.bob, page, "Alice", "Bonjour, je pars à Montréal en septembre.")
    assert sent.ephemeral and "Demande envoyée à Alice" in sent.text
    dm = last_dm(world.alice)
    assert "Bob aimerait entrer en contact avec vous" in dm.text
    assert "je pars à Montréal" in dm.text
    labels = [b["label"] for b in dm.buttons()]
    assert labels == ["Accepter", "Refuser", "Bloquer", "Signaler"]
    assert all(not c.messages for c in world.guild.channels)  # nothing posted in the server
    assert world.bob.dms == []  # and nothing to the requester


async def test_accepting_without_a_thread_channel_exchanges_chosen_details(world: Harness) -> None:
    await _alice_listed(world)
    await ask(world, world.bob, await directory(world, world.bob), "Alice", "Bonjour !")
    form = await last_dm(world.alice).click("Accepter", by=world.alice)
    assert form.modal is not None
    done = await form.submit_modal({"details": "alice.ts@example.org"}, by=world.alice)
    assert "Demande acceptée" in done.text
    told = last_dm(world.bob)
    assert "Alice a accepté votre demande" in told.text and "alice.ts@example.org" in told.text
    give = await told.click("Donner mes coordonnées", by=world.bob)
    await give.submit_modal({"details": "bob@example.org, 06 12 34 56 78"}, by=world.bob)
    assert "bob@example.org" in last_dm(world.alice).text
    inbox = await world.guild.slash(world.bob, "contacts")
    assert inbox.ephemeral and "alice.ts@example.org" in inbox.text
    assert all(not c.messages for c in world.guild.channels)


async def test_accepting_opens_a_private_thread_in_the_chosen_channel(world: Harness) -> None:
    rencontres = await world.add_channel("mises-en-relation")
    configured = await world.guild.slash(world.alice, "reseau config", salon=rencontres)
    assert "mises-en-relation" in configured.text or str(rencontres.id) in configured.text
    await _alice_listed(world)
    await ask(world, world.bob, await directory(world, world.bob), "Alice", "Bonjour !")
    accepted = await last_dm(world.alice).click("Accepter", by=world.alice)
    threads = rencontres.threads
    assert len(threads) == 1 and threads[0].type is discord.ChannelType.private_thread
    thread = threads[0]
    assert {world.alice.id, world.bob.id} <= set(thread.member_ids)
    assert f"<#{thread.id}>" in accepted.text
    assert f"<#{thread.id}>" in last_dm(world.bob).text
    assert rencontres.messages == []  # nothing in the channel itself


async def test_closed_dms_the_request_waits_in_contacts(world: Harness) -> None:
    lea = await world.guild.add_member("lea", dms_open=False)
    await make_profile(world, lea, "qc-ts", "QC-06")
    sent = await ask(world, world.bob, await directory(world, world.bob), "Lea", "Bonjour Léa")
    assert "Demande envoyée à Lea" in sent.text  # the same answer as with open DMs
    assert lea.dms == [] and all(not c.messages for c in world.guild.channels)
    inbox = await world.guild.slash(lea, "contacts")
    assert inbox.ephemeral and "Bonjour Léa" in inbox.text
    refused = await inbox.click("Refuser", by=lea)
    assert "Demande refusée" in refused.text
    assert world.bob.dms == []  # the requester is told nothing at a refusal


async def test_a_restart_between_request_and_answer_loses_nothing(world: Harness) -> None:
    await _alice_listed(world)
    await ask(world, world.bob, await directory(world, world.bob), "Alice", "Bonjour !")
    dm = last_dm(world.alice)
    await world.restart()
    form = await dm.click("Accepter", by=world.alice)  # the DM's buttons still work
    await form.submit_modal({"details": "alice.ts@example.org"}, by=world.alice)
    assert "alice.ts@example.org" in last_dm(world.bob).text
    await world.crash()
    inbox = await world.guild.slash(world.bob, "contacts")
    assert "alice.ts@example.org" in inbox.text


async def test_no_answer_ends_after_seven_days_exactly_once(world: Harness) -> None:
    await _alice_listed(world)
    await ask(world, world.bob, await directory(world, world.bob), "Alice", "Bonjour !")
    await world.advance(days=6, hours=23)
    assert world.bob.dms == []
    await world.advance(hours=1)
    assert [m.text for m in world.bob.dms] == [
        f"Votre demande de contact à <@{world.alice.id}> : pas de suite pour le moment."
    ]
    await world.restart()
    await world.advance(days=3)
    assert len(world.bob.dms) == 1
    inbox = await world.guild.slash(world.bob, "contacts")
    assert "pas de suite pour le moment" in inbox.text
    late = await last_dm(world.alice).click("Accepter", by=world.alice)
    assert "n'est plus ouverte" in late.text


async def test_a_block_is_silent_and_lasting(world: Harness) -> None:
    await _alice_listed(world)
    await ask(world, world.bob, await directory(world, world.bob), "Alice", "Bonjour !")
    blocked = await last_dm(world.alice).click("Bloquer", by=world.alice)
    assert "Personne bloquée" in blocked.text
    assert world.bob.dms == []
    await world.advance(days=7)
    assert "pas de suite pour le moment" in last_dm(world.bob).text
    await world.advance(days=30)
    before = len(world.alice.dms)
    again = await ask(world, world.bob, await directory(world, world.bob), "Alice", "Re-bonjour")
    assert "Demande envoyée à Alice" in again.text  # same words as ever…
    assert len(world.alice.dms) == before  # …but it never reaches her


async def test_a_report_sends_that_one_request_to_the_moderators(world: Harness) -> None:
    moderation = await world.add_channel("moderation")
    await world.guild.slash(world.alice, "config salon-moderation", salon=moderation)
    await _alice_listed(world)
    await make_profile(world, world.carol, "fr-ass", "FR-75")
    await ask(world, world.bob, await directory(world, world.bob), "Alice", "Message déplacé")
    await ask(world, world.bob, await directory(world, world.bob), "Carol", "Autre chose")
    reported = await last_dm(world.alice).click("Signaler", by=world.alice)
    assert "transmise à la modération" in reported.text
    assert [b["label"] for b in reported.message.buttons()] == ["Accepter", "Refuser", "Bloquer"]
    [report] = moderation.messages
    assert "Message déplacé" in report.text and "Autre chose" not in report.text
    assert f"<@{world.bob.id}>" in report.text
    assert world.bob.dms == []  # the requester is not told


async def test_the_limits_of_asking(world: Harness) -> None:
    others = [await world.guild.add_member(n) for n in ("lea", "marc", "nina", "omar")]
    for member in others:
        await make_profile(world, member, "qc-ts", "QC-06")
    names = ["Lea", "Marc", "Nina"]
    for name in names:
        sent = await ask(world, world.bob, await directory(world, world.bob), name, "Bonjour")
        assert "Demande envoyée" in sent.text
    fourth = await ask(world, world.bob, await directory(world, world.bob), "Omar", "Bonjour")
    assert "3 demandes en attente" in fourth.text
    twice = await ask(world, world.bob, await directory(world, world.bob), "Lea", "Encore")
    assert "déjà une demande en attente" in twice.text
    too_long = await (await directory(world, world.carol)).click(
        "Ask for a contact · Lea", by=world.carol
    )
    assert too_long.modal is not None
    assert too_long.modal["components"][0]["components"][0]["max_length"] == 500
    # nobody is offered a button to ask themselves
    own = await directory(world, others[0])
    assert "Demander un contact · Lea" not in str(own.components)


async def test_the_guard_asks_before_a_request_is_sent(world: Harness) -> None:
    await _alice_listed(world)
    opened = await (await directory(world, world.bob)).click(
        "Demander un contact · Alice", by=world.bob
    )
    warned = await opened.submit_modal(
        {"message": "Je suis Mme Martin, joignable au 06 12 34 56 78"}, by=world.bob
    )
    assert "Secret professionnel" in warned.text and world.alice.dms == []
    sent = await warned.click("Envoyer quand même", by=world.bob)
    assert "Demande envoyée à Alice" in sent.text
    assert "06 12 34 56 78" in last_dm(world.alice).text


async def test_a_member_who_left_is_forgotten(world: Harness) -> None:
    lea = await world.guild.add_member("lea")
    await make_profile(world, lea, "qc-ts", "QC-06")
    await make_profile(world, world.carol, "qc-ts", "QC-03")
    page = await directory(world, world.bob)
    assert "Lea" in page.text
    del world.guild.state.members[lea.id]  # she leaves (no members intent: no event reaches us)
    sent = await ask(world, world.bob, page, "Lea", "Bonjour")
    assert sent.text == "Pas de suite pour le moment."
    await world.advance(minutes=11)  # the membership cache forgets her
    page = await directory(world, world.bob)
    assert "Lea" not in page.text and "Carol" in page.text
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM reseau_profiles") == 1


async def test_a_directory_kept_to_a_role(world: Harness) -> None:
    await _alice_listed(world)
    member_role = world.guild.role("Modération")
    await world.guild.slash(world.alice, "reseau config", role=member_role)
    refused = await world.guild.slash(world.bob, "annuaire")
    assert "réservé au rôle" in refused.text
    marc = await world.guild.add_member("marc", roles=(member_role,))
    assert "Alice" in (await directory(world, marc)).text
    await world.guild.slash(world.alice, "reseau config", effacer="role")
    assert "Alice" in (await directory(world, world.bob)).text


async def test_paging_through_the_directory(world: Harness) -> None:
    for index in range(7):
        member = await world.guild.add_member(f"membre{index}")
        await make_profile(world, member, "qc-ts", "QC-06")
    first = await directory(world, world.bob)
    assert "7 profils · page 1/2" in first.text
    second = await first.click("Suivants ▶", by=world.bob)
    assert "page 2/2" in second.text
    assert second.text.count("Demander un contact") == 0  # buttons are components, not text
    assert len([b for b in second.message.buttons() if b["label"].startswith("Demander")]) == 2
    # nothing is kept in memory for these pages (issue 14): every item is found again by id
    views = world.bot._connection._view_store
    assert not views._synced_message_views and not any(views._views.values())
    await world.restart()
    back = await second.click("◀ Précédents", by=world.bob)  # paging survives a restart
    assert "page 1/2" in back.text


async def test_the_requester_is_told_even_after_a_downtime(world: Harness) -> None:
    await _alice_listed(world)
    await ask(world, world.bob, await directory(world, world.bob), "Alice", "Bonjour !")
    clock = world.clock
    await world.stop_bot()
    clock.advance(timedelta(days=12))  # down at the expiry, and for days after
    await world.start_bot()
    assert [m.text for m in world.bob.dms] == [
        f"Votre demande de contact à <@{world.alice.id}> : pas de suite pour le moment."
    ]
