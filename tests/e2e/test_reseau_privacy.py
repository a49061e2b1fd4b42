"""Privacy in Réseau: /mes-donnees exports and erases every piece, refused and expired
requests are deleted 30 days after they end, moderators see counts and never contents, and
/reseau config is for moderators only (checked on the server, hidden from members)."""

from __future__ import annotations

import json

from aide_support import aide_pages
from discord_server import Harness
from reseau_support import ask, directory, last_dm, make_profile


async def _export(world: Harness, member) -> dict:
    shown = await world.guild.slash(member, "mes-donnees")
    return json.loads(shown.attachments[0].text)


async def test_everything_is_exported_and_erased(world: Harness) -> None:
    await make_profile(world, world.alice, "qc-ts", "QC-06", presentation="TS en CLSC.")
    await world.guild.slash(world.alice, "mentorat proposer", capacite=2)
    await make_profile(world, world.bob, "fr-ass", "FR-29")
    await ask(world, world.bob, await directory(world, world.bob), "Alice", "Bonjour Alice")
    await ask(world, world.alice, await directory(world, world.alice), "Bob", "Bonjour Bob")
    await last_dm(world.alice).click("Bloquer", by=world.alice)

    section = "Réseau (profils, demandes de contact, mentorat)"
    mine = (await _export(world, world.alice))[section]
    assert mine["1 profil"][0]["présentation"] == "TS en CLSC."
    assert mine["1 demande de contact reçue"][0]["message"] == "Bonjour Alice"
    assert mine["1 demande de contact reçue"][0]["état"] == "bloquée"
    assert mine["1 demande de contact envoyée"][0]["message"] == "Bonjour Bob"
    assert mine["1 membre bloqué"] == [
        {"serveur": str(world.guild.id), "membre (identifiant)": str(world.bob.id)}
    ]
    assert mine["1 offre de mentor"][0]["capacité"] == 2
    theirs = (await _export(world, world.bob))[section]
    assert not any("bloqué" in heading for heading in theirs)  # never shown to the blocked
    assert theirs["1 demande de contact envoyée"][0]["état"] == "en attente"

    shown = await world.guild.slash(world.alice, "mes-donnees")
    asked = await shown.click("Tout effacer", by=world.alice)
    done = await asked.click("Oui, tout effacer", by=world.alice)
    assert "effacé" in done.text.lower() or "supprim" in done.text.lower(), done.text
    assert "reseau" not in await world.bot.personal_data.export(world.alice.id)
    assert "Alice" not in (await directory(world, world.bob)).text
    # her request to Bob is gone, and its expiry with it; Bob's request to her ends as usual
    await world.advance(days=8)
    assert world.bob.dms[-1].text == (
        "Votre demande de contact à un membre : pas de suite pour le moment."
    )
    gone = await world.bob.dms[0].click("Accepter", by=world.bob)  # Alice's request to him
    assert "n'est plus ouverte" in gone.text


async def test_ended_requests_are_deleted_thirty_days_after_they_end(world: Harness) -> None:
    await make_profile(world, world.alice, "qc-ts", "QC-06")
    await make_profile(world, world.carol, "qc-ts", "QC-03")
    await ask(world, world.bob, await directory(world, world.bob), "Alice", "Bonjour")
    await ask(world, world.bob, await directory(world, world.bob), "Carol", "Hello")
    await last_dm(world.alice).click("Refuser", by=world.alice)
    form = await last_dm(world.carol).click("Accepter", by=world.carol)  # the server's language
    await form.submit_modal({"details": "carol@example.org"}, by=world.carol)
    await world.advance(days=7)  # Alice's refusal ends for Bob: « pas de suite »
    await world.advance(days=29)
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM reseau_requests") == 2
    await world.advance(days=2)  # the daily run, past 30 days after the end
    rows = await world.bot.db.fetchall("SELECT status FROM reseau_requests")
    assert [r["status"] for r in rows] == ["accepted"]


async def test_moderators_see_counts_never_contents(world: Harness) -> None:
    await make_profile(
        world, world.carol, "qc-ts", "QC-06", presentation="Présentation confidentielle"
    )
    await make_profile(world, world.bob, "fr-ass", "FR-29", visible=False)
    await ask(world, world.bob, await directory(world, world.bob), "Carol", "Message confidentiel")
    shown = await world.guild.slash(world.alice, "reseau config")
    assert shown.ephemeral
    text = shown.text
    assert "2 profils, 1 visible dans l'annuaire" in text and "1 demande en cours" in text
    assert "0 binôme de mentorat" in text
    assert "Présentation confidentielle" not in text and "Message confidentiel" not in text


async def test_network_settings_are_for_moderators_only(world: Harness) -> None:
    refused = await world.guild.slash(world.bob, "reseau config")
    assert "réservée à la modération" in refused.text
    commands = {c["name"]: c for c in await world.bot.command_payload()}
    assert commands["reseau"]["default_member_permissions"]  # hidden from members by Discord
    assert not commands["annuaire"].get("default_member_permissions")
    salon = await world.add_channel("mises-en-relation")
    set_ = await world.guild.slash(world.alice, "reseau config", salon=salon)
    assert f"<#{salon.id}>" in set_.text
    reset = await world.guild.slash(world.alice, "reseau config", effacer="salon")
    assert "échangent les coordonnées" in reset.text


async def test_help_describes_the_network(world: Harness) -> None:
    member = await aide_pages(world, world.bob)
    for command in (
        "/profil creer",
        "/annuaire",
        "/contacts",
        "/mentorat chercher",
        "/guide france-quebec",
    ):
        assert command in member, command
    assert "/reseau config" not in member
    moderator = await aide_pages(world, world.alice)
    assert "/reseau config" in moderator
