"""/guide france-quebec and /guide quebec-france: one step at a time, its official source and
the date it was checked (or « à vérifier »), acronyms pointing to /sigle; the menu and the
buttons work after a restart."""

from __future__ import annotations

from discord_server import Harness


async def test_the_guide_from_france_to_quebec(world: Harness) -> None:
    first = await world.guild.slash(world.bob, "guide france-quebec")
    assert first.ephemeral
    assert (
        "De la France au Québec" in first.text and "1. Faire reconnaître son diplôme" in first.text
    )
    assert "legisquebec.gouv.qc.ca" in first.text and "Vérifiée le 2026-12-01" in first.text
    assert "`/sigle DEASS`" in first.text
    second = await first.click("Étape suivante ▶", by=world.bob)
    assert "2. Le permis de l'ordre professionnel" in second.text
    await world.restart()
    ramq = await second.select("guide:fq:pick", ["4"], by=world.bob)
    assert "5. L'assurance maladie : la RAMQ" in ramq.text and "carence" in ramq.text
    unchecked = await ramq.click("Étape suivante ▶", by=world.bob)
    assert "6. Le numéro d'assurance sociale" in unchecked.text and "À vérifier" in unchecked.text


async def test_the_guide_back_to_france_in_english(world: Harness) -> None:
    first = await world.guild.slash(world.carol, "guide quebec-france")
    assert "From Québec to France" in first.text and "DREETS" in first.text
    assert "Checked on 2026-12-01" in first.text
    assert [b["disabled"] for b in first.message.buttons()][:1] == [True]  # no step before
