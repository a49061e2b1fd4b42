"""Profiles as members use them: hidden until shown, one per server, choices on the card, the
secrecy guard on the presentation, and how others see them."""

from __future__ import annotations

from discord_server import Harness
from reseau_support import SHOW, directory, make_profile


async def test_a_profile_is_hidden_until_its_owner_shows_it(world: Harness) -> None:
    card = await make_profile(world, world.alice, visible=False)
    assert card.ephemeral
    assert "masqué" in card.text and "Assistante ou assistant de service social" in card.text
    # what it corresponds to across the Atlantic, with the difference in one line
    assert "Équivalent : Travailleuse sociale ou travailleur social · Québec" in card.text
    assert "ARM" in card.text
    page = await directory(world, world.bob)
    assert "Alice" not in page.text and "Personne pour le moment" in page.text
    shown = await card.click(SHOW, by=world.alice)
    assert "Visible dans l'annuaire" in shown.text
    page = await directory(world, world.bob)
    assert "Alice" in page.text and "Demander un contact · Alice" in str(page.components)
    hidden = await world.guild.slash(world.alice, "profil masquer")
    assert hidden.ephemeral and "masqué" in hidden.text
    assert "Alice" not in (await directory(world, world.bob)).text


async def test_one_profile_per_member_and_server_edited_in_place(world: Harness) -> None:
    await make_profile(world, world.alice)
    again = await world.guild.slash(world.alice, "profil creer", profession="fr-es", lieu="FR-75")
    assert again.modal is None and "déjà un profil" in again.text
    form = await world.guild.slash(world.alice, "profil modifier", lieu="QC-06")
    assert form.modal is not None
    edited = await form.submit_modal(
        {"presentation": "TS en CLSC.", "city": "Montréal", "years": "12"}, by=world.alice
    )
    assert "Montréal (06)" in edited.text and "12 ans d'exercice" in edited.text
    assert "Visible dans l'annuaire" in edited.text  # editing keeps the visibility
    count = await world.bot.db.fetchval("SELECT COUNT(*) FROM reseau_profiles")
    assert count == 1


async def test_choices_on_the_card_and_the_directory_filters(world: Harness) -> None:
    card = await make_profile(world, world.alice)
    card = await card.select(
        "reseau:choice:" + str(world.alice.id) + ":fields",
        ["protection_enfance", "migration"],
        by=world.alice,
    )
    assert "Protection de l'enfance" in card.text and "Migration, asile" in card.text
    card = await card.select(
        "reseau:choice:" + str(world.alice.id) + ":open", ["cafe"], by=world.alice
    )
    assert "Un café ou un appel vidéo" in card.text
    await make_profile(world, world.carol, "qc-ts", "QC-06")
    by_field = await directory(world, world.bob, domaine="migration")
    assert "Alice" in by_field.text and "Carol" not in by_field.text
    by_side = await directory(world, world.bob, cote="america")
    assert "Carol" in by_side.text and "Alice" not in by_side.text
    # a French social worker's filter finds the Québec social worker (equivalent under the ARM)
    by_profession = await directory(world, world.bob, profession="fr-ass")
    assert by_profession.text.index("Alice") < by_profession.text.index("Carol")


async def test_only_the_owner_can_use_their_card(world: Harness) -> None:
    card = await make_profile(world, world.alice, visible=False)
    other = await card.click(SHOW, by=world.bob)
    assert "pas pour vous" in other.text
    assert "Alice" not in (await directory(world, world.carol)).text


async def test_contact_details_never_go_in_a_presentation(world: Harness) -> None:
    opened = await world.guild.slash(world.alice, "profil creer", profession="fr-ass", lieu="FR-75")
    refused = await opened.submit_modal(
        {"presentation": "Écrivez-moi : alice.martin@example.org", "city": "", "years": ""},
        by=world.alice,
    )
    assert "Pas de coordonnées dans la présentation" in refused.text
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM reseau_profiles") == 0


async def test_the_guard_asks_before_saving_an_identifying_detail(world: Harness) -> None:
    opened = await world.guild.slash(world.alice, "profil creer", profession="fr-ass", lieu="FR-75")
    warned = await opened.submit_modal(
        {"presentation": "J'ai suivi Mme Dupont, née le 12/03/1990.", "city": "", "years": ""},
        by=world.alice,
    )
    assert "Secret professionnel" in warned.text
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM reseau_profiles") == 0
    cancelled = await warned.click("Annuler", by=world.alice)
    assert "rien n'a été enregistré" in cancelled.text
    opened = await world.guild.slash(world.alice, "profil creer", profession="fr-ass", lieu="FR-75")
    warned = await opened.submit_modal(
        {"presentation": "J'ai suivi Mme Dupont, née le 12/03/1990.", "city": "", "years": ""},
        by=world.alice,
    )
    saved = await warned.click("Envoyer quand même", by=world.alice)
    assert "Profil enregistré" in saved.text
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM reseau_profiles") == 1


async def test_moving_to_quebec_with_a_month(world: Harness) -> None:
    card = await make_profile(world, world.alice, destination="QC-06", move_month="septembre 2026")
    assert "Montréal (06) · Québec, vers 09/2026" in card.text
    opened = await world.guild.slash(
        world.bob, "profil creer", profession="fr-ass", lieu="FR-29", destination="QC-06"
    )
    bad = await opened.submit_modal(
        {"presentation": "", "city": "", "years": "", "move_month": "bientôt"}, by=world.bob
    )
    assert "Je ne comprends pas le mois" in bad.text
    # Bob, moving to Montréal too, sees Alice first: she is going where he is going
    await make_profile(world, world.carol, "fr-ass", "FR-29")
    await make_profile(
        world, world.bob, "fr-ass", "FR-13", destination="QC-06", move_month="10/2026"
    )
    page = await directory(world, world.bob)
    assert page.text.index("Alice") < page.text.index("Carol")


async def test_seeing_a_members_profile(world: Harness) -> None:
    await make_profile(world, world.alice, visible=False)
    hidden = await world.guild.slash(world.bob, "profil voir", membre=world.alice)
    assert "pas de profil visible" in hidden.text
    await world.guild.slash(world.alice, "profil voir")  # her own card, hidden
    mine = await world.guild.slash(world.alice, "profil voir")
    await mine.click(SHOW, by=world.alice)
    seen = await world.guild.slash(world.bob, "profil voir", membre=world.alice)
    assert "Assistante ou assistant de service social" in seen.text
    assert "Demander un contact · Alice" in str(seen.components)
    assert "masqué" not in seen.text.lower()


async def test_deleting_a_profile_asks_first(world: Harness) -> None:
    await make_profile(world, world.alice)
    asked = await world.guild.slash(world.alice, "profil supprimer")
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM reseau_profiles") == 1
    done = await asked.click("Supprimer définitivement", by=world.alice)
    assert "supprimé" in done.text
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM reseau_profiles") == 0


async def test_autocomplete_of_places_and_professions(world: Harness) -> None:
    places = await world.guild.autocomplete(world.alice, "profil creer", lieu="bouches")
    assert places[0] == {"name": "Bouches-du-Rhône (13) · France", "value": "FR-13"}
    codes = await world.guild.autocomplete(world.alice, "profil creer", lieu="2a")
    assert codes[0]["value"] == "FR-2A"
    jobs = await world.guild.autocomplete(
        world.alice, "profil creer", lieu="QC-06", profession="travail"
    )
    assert jobs[0]["value"] == "qc-ts"
    assert all(
        j["value"].startswith(("qc-", "intervenant", "cadre", "etudiant", "autre")) for j in jobs
    )
    english = await world.guild.autocomplete(world.carol, "profil creer", profession="DEASS")
    assert english[0] == {
        "name": "Social worker (assistant de service social) · France",
        "value": "fr-ass",
    }
