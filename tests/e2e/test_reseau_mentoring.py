"""Mentoring France ↔ Québec: offers, the three best mentors, a consented pairing, check-ins by
DM at 2 weeks, 1 month and 3 months, help without details, and the end for both."""

from __future__ import annotations

from typing import Any

from discord_server import Harness
from reseau_support import last_dm, make_profile


async def _mentor(
    world: Harness, name: str, lieu: str, profession: str = "qc-ts", capacity: int = 2
) -> Any:
    member = await world.guild.add_member(name)
    await make_profile(world, member, profession, lieu)
    offered = await world.guild.slash(member, "mentorat proposer", capacite=capacity)
    assert "Vous êtes mentor" in offered.text, offered.text
    return member


async def _paired(world: Harness, capacity: int = 2) -> tuple[Any, Any]:
    """Bob (French social worker) finds and asks a Montréal social worker, who accepts."""
    mentor = await _mentor(world, "lea", "QC-06", capacity=capacity)
    found = await world.guild.slash(
        world.bob, "mentorat chercher", destination="QC-06", arrivee="09/2026", profession="fr-ass"
    )
    form = await found.click("Demander un mentorat · Lea", by=world.bob)
    sent = await form.submit_modal({"message": "J'arrive en septembre au CLSC."}, by=world.bob)
    assert "Demande envoyée à Lea" in sent.text
    request = last_dm(mentor)
    assert "Bob vous demande un mentorat" in request.text and "09/2026" in request.text
    accept = await request.click("Accepter", by=mentor)
    await accept.submit_modal({"details": "lea@example.org"}, by=mentor)
    return mentor, world.bob


async def test_the_best_three_mentors_for_a_destination(world: Harness) -> None:
    await _mentor(world, "lea", "QC-06")  # Montréal, social worker: equivalent
    await _mentor(world, "marc", "QC-03")  # Québec City, social worker
    await _mentor(world, "nina", "QC-06", "qc-tes")  # Montréal, another profession
    await _mentor(world, "omar", "QC-06", capacity=1)  # Montréal, social worker, soon full
    await _mentor(world, "paul", "FR-75", "fr-ass")  # in France: not for this destination
    found = await world.guild.slash(
        world.bob,
        "mentorat chercher",
        destination="QC-06",
        arrivee="septembre 2026",
        profession="fr-ass",
    )
    names = [b["label"].split(" · ")[1] for b in found.message.buttons()]
    assert names == ["Lea", "Omar", "Nina"]
    assert "Paul" not in found.text and "2 places libres" in found.text


async def test_a_pairing_gets_three_check_ins_by_dm(world: Harness) -> None:
    mentor, newcomer = await _paired(world)
    moderation = await world.add_channel("moderation")
    await world.guild.slash(world.alice, "config salon-moderation", salon=moderation)
    counted = len(mentor.dms), len(newcomer.dms)
    await world.advance(days=13)
    assert (len(mentor.dms), len(newcomer.dms)) == counted
    await world.advance(days=1)
    first = last_dm(newcomer)
    assert "Deux semaines de mentorat" in first.text
    assert [b["label"] for b in first.buttons()] == [
        "Ça va",
        "Besoin d'un coup de main",
        "Terminer",
    ]
    assert "Deux semaines de mentorat" in last_dm(mentor).text
    ok = await first.click("Ça va", by=newcomer)
    assert "Merci" in ok.text
    await world.advance(days=16)
    second = last_dm(newcomer)
    assert "Un mois de mentorat" in second.text
    await world.restart()
    helped = await second.click("Besoin d'un coup de main", by=newcomer)  # after a restart too
    assert "sans aucun détail" in helped.text
    [alert] = moderation.messages
    assert (
        f"<@{newcomer.id}>" in alert.text and "CLSC" not in alert.text and "Lea" not in alert.text
    )
    await world.advance(days=60)
    third = last_dm(mentor)
    assert "Trois mois de mentorat" in third.text
    ended = await third.click("Terminer", by=mentor)
    assert "terminé pour vous deux" in ended.text
    assert "est terminé" in last_dm(newcomer).text
    before = len(mentor.dms), len(newcomer.dms)
    await world.advance(days=120)
    assert (len(mentor.dms), len(newcomer.dms)) == before


async def test_ending_a_mentoring_stops_its_check_ins(world: Harness) -> None:
    mentor, newcomer = await _paired(world)
    counts = await world.guild.slash(world.alice, "reseau config")
    assert "1 binôme de mentorat" in counts.text
    ended = await world.guild.slash(newcomer, "mentorat fin")
    assert "est terminé" in ended.text
    assert "est terminé" in last_dm(mentor).text
    before = len(mentor.dms), len(newcomer.dms)
    await world.advance(days=100)
    assert (len(mentor.dms), len(newcomer.dms)) == before
    withdrawn = await world.guild.slash(mentor, "mentorat fin")
    assert "offre de mentor est retirée" in withdrawn.text
    none = await world.guild.slash(
        world.carol,
        "mentorat chercher",
        destination="QC-06",
        arrivee="09/2026",
        profession="fr-ass",
    )
    assert "No mentor available" in none.text


async def test_a_full_mentor_is_no_longer_proposed(world: Harness) -> None:
    await _paired(world, capacity=1)
    await _mentor(world, "marc", "QC-06")
    found = await world.guild.slash(
        world.carol,
        "mentorat chercher",
        destination="QC-06",
        arrivee="09/2026",
        profession="fr-ass",
    )
    names = [b["label"].split(" · ")[1] for b in found.message.buttons()]
    assert names == ["Marc"]


async def test_bad_input_for_mentoring(world: Harness) -> None:
    nothing = await world.guild.slash(world.bob, "mentorat proposer", capacite=2)
    assert "créez d'abord votre profil" in nothing.text
    bad_month = await world.guild.slash(
        world.bob, "mentorat chercher", destination="QC-06", arrivee="un jour", profession="fr-ass"
    )
    assert "Je ne comprends pas le mois" in bad_month.text
    no_pairing = await world.guild.slash(world.bob, "mentorat fin")
    assert "pas de mentorat en cours" in no_pairing.text
