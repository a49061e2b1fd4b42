"""/apero: creating with a preview, listing, editing, deleting, and every refused input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from apero_support import LINK, create_series, rows, stamp
from discord import ChannelType
from discord_server import Harness
from discord_server import permissions as P


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def test_create_shows_a_preview_then_saves(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    preview = await world.guild.slash(
        world.alice, "apero creer", nom="Apéro du vendredi", jour="vendredi", heure="18h",
        salon=annonces, lien=LINK,
    )  # fmt: skip
    assert preview.ephemeral
    text = preview.text
    # The next four Fridays (the clock starts on Monday 2 March 2026), as Discord timestamps and
    # in words for Paris and Montréal: Montréal changes hour on 8 March, Paris on 29 March.
    for start in (utc(2026, 3, 6, 17), utc(2026, 3, 13, 17), utc(2026, 3, 20, 17)):
        assert stamp(start) in text
    assert stamp(utc(2026, 3, 27, 17)) in text
    assert "vendredi 6 mars 2026 à 18:00" in text and "vendredi 6 mars 2026 à 12:00" in text
    assert "vendredi 13 mars 2026 à 13:00" in text  # Montréal already on summer time
    assert "Europe/Paris" in text and "la veille à 18 h" in text and "15 min avant" in text
    # Nothing is a series before « Enregistrer ».
    assert await rows(world, "SELECT COUNT(*) FROM apero_series") == 0
    saved = await preview.click("Enregistrer", by=world.alice)
    assert "enregistré" in saved.text
    assert await rows(world, "SELECT COUNT(*) FROM apero_series") == 1
    assert await rows(world, "SELECT COUNT(*) FROM reminder_items WHERE kind = 'apero'") == 2
    assert not saved.components  # the preview's buttons are gone once saved


async def test_preview_cancel_writes_nothing_and_save_survives_a_restart(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    values = {"nom": "Apéro", "jour": "vendredi", "heure": "18h", "salon": annonces, "lien": LINK}
    preview = await world.guild.slash(world.alice, "apero creer", **values)
    cancelled = await preview.click("Annuler", by=world.alice)
    assert "rien n'a été enregistré" in cancelled.text
    await _nothing_written(world)
    preview = await world.guild.slash(world.alice, "apero creer", **values)
    draft_id = await world.bot.db.fetchval("SELECT MAX(id) FROM apero_drafts")
    await world.restart()
    # By the custom_id every release posted, so previews sent before an upgrade still save.
    saved = await preview.click(f"apero:draft:{draft_id}:save", by=world.alice)
    assert "enregistré" in saved.text
    assert await rows(world, "SELECT COUNT(*) FROM apero_series") == 1


async def test_montreal_series_preview_and_welcome_modal(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    preview = await world.guild.slash(
        world.alice, "apero creer", nom="5 à 7", jour="jeudi", heure="17:00", salon=annonces,
        lien=LINK, zone="America/Montreal", rappels="la veille à 18h, 1 h avant",
    )  # fmt: skip
    assert "jeudi 5 mars 2026 à 17:00" in preview.text  # Montréal (fr_CA words)
    assert "jeudi 5 mars 2026 à 23:00" in preview.text  # Paris, before either change
    assert "jeudi 12 mars 2026 à 22:00" in preview.text  # Montréal changed on 8 March
    form = await preview.click("Message d'accueil…", by=world.alice)
    assert form.modal is not None
    updated = await form.submit_modal(
        {"Affiché dans chaque rappel": "Apportez votre verre !"}, by=world.alice
    )
    assert "Apportez votre verre" in updated.text
    saved = await updated.click("Enregistrer", by=world.alice)
    assert "enregistré" in saved.text
    listing = await world.guild.slash(world.alice, "apero liste")
    assert "5 à 7" in listing.text and "America/Montreal" in listing.text


async def test_several_series_and_upcoming_open_to_members(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    await create_series(world, annonces)
    await create_series(
        world, annonces, nom="5 à 7", jour="jeudi", heure="17h", zone="America/Montreal"
    )
    reply = await world.guild.slash(world.bob, "apero prochaines", nombre=3)
    assert reply.ephemeral
    text = reply.text
    # Thursday 5 March 17:00 Montréal (22:00 UTC) comes before Friday 6 March 18:00 Paris.
    first_5a7, first_vendredi = (
        text.index(stamp(utc(2026, 3, 5, 22))),
        text.index(stamp(utc(2026, 3, 6, 17))),
    )
    assert first_5a7 < first_vendredi
    assert stamp(utc(2026, 3, 12, 21)) in text  # the second "5 à 7", after Montréal's change
    english = await world.guild.slash(world.carol, "apero prochaines")
    assert "Upcoming" in english.text


async def test_modify_reschedules_and_delete_asks_first(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    await create_series(world, annonces)
    [choice] = await world.guild.autocomplete(world.alice, "apero modifier", serie="vendr")
    reply = await world.guild.slash(
        world.alice, "apero modifier", serie=choice["value"], heure="19h", rappels="30 min avant"
    )
    assert "modifié" in reply.text and stamp(utc(2026, 3, 6, 18)) in reply.text
    due = await world.bot.db.fetchall("SELECT ref, due_at FROM reminder_items WHERE kind = 'apero'")
    assert [(r["ref"], r["due_at"]) for r in due] == [
        (f"{choice['value']}:m30", int(utc(2026, 3, 6, 17, 30).timestamp()))
    ]
    ask = await world.guild.slash(world.alice, "apero supprimer", serie=choice["value"])
    assert await rows(world, "SELECT COUNT(*) FROM apero_series") == 1
    kept = await ask.click("Garder", by=world.alice)
    assert "conservé" in kept.text
    ask = await world.guild.slash(world.alice, "apero supprimer", serie=choice["value"])
    done = await ask.click("Supprimer", by=world.alice)
    assert "supprimé" in done.text
    assert await rows(world, "SELECT COUNT(*) FROM apero_series") == 0
    assert await rows(world, "SELECT COUNT(*) FROM reminder_items WHERE kind = 'apero'") == 0


# -- bad input: a clear ephemeral answer in the member's language, nothing written -------------
async def _nothing_written(world: Harness) -> None:
    for table in ("apero_series", "apero_drafts", "apero_skips"):
        assert await rows(world, f"SELECT COUNT(*) FROM {table}") == 0, table
    assert await rows(world, "SELECT COUNT(*) FROM reminder_items WHERE kind = 'apero'") == 0


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"heure": "25h"}, "Heure non comprise : « 25h »"),
        ({"heure": "vers 18h"}, "Heure non comprise"),
        ({"zone": "Europe/Pariss"}, "Europe/Pariss"),
        ({"lien": "ftp://exemple.org/apero"}, "http:// ou https://"),
        ({"lien": "meet.jit.si/apero"}, "http:// ou https://"),
        ({"rappels": "bientôt"}, "Rappel non compris : « bientôt »"),
        ({"rappels": "le jour même à 19h"}, "après le début"),
        ({"nom": "x" * 61}, "Nom trop long"),
    ],
)
async def test_bad_creation_input_is_refused(
    world: Harness, options: dict[str, str], expected: str
) -> None:
    values = {"nom": "Apéro", "jour": "vendredi", "heure": "18h", "lien": LINK} | options
    reply = await world.guild.slash(
        world.alice, "apero creer", salon=world.guild.channel("annonces"), **values
    )
    assert reply.ephemeral and expected in reply.text, reply.text
    assert not reply.components
    await _nothing_written(world)


async def test_channel_where_the_bot_cannot_post_is_named(world: Harness) -> None:
    bot_role = world.guild.role("Passerelle")
    closed = await world.add_channel(
        "fermé", overwrites=[{"id": str(bot_role.id), "type": 0, "allow": "0",
                              "deny": str(P.SEND_MESSAGES)}],
    )  # fmt: skip
    reply = await world.guild.slash(
        world.alice, "apero creer", nom="Apéro", jour="vendredi", heure="18h", salon=closed,
        lien=LINK,
    )  # fmt: skip
    assert reply.ephemeral and "Envoyer des messages" in reply.text and closed.mention in reply.text
    await _nothing_written(world)


async def test_role_the_bot_cannot_mention_is_refused(world: Harness) -> None:
    bot_role = world.guild.role("Passerelle")
    quiet = await world.add_channel(
        "calme", overwrites=[{"id": str(bot_role.id), "type": 0, "allow": "0",
                              "deny": str(P.MENTION_EVERYONE)}],
    )  # fmt: skip
    role = world.state.add_role(world.guild.state, "Apéro", 0)  # not mentionable
    world.gateway.dispatch(
        "GUILD_ROLE_CREATE", {"guild_id": str(world.guild.id), "role": role.payload()}
    )
    await world.idle()
    reply = await world.guild.slash(
        world.alice, "apero creer", nom="Apéro", jour="vendredi", heure="18h", salon=quiet,
        lien=LINK, role=role,
    )  # fmt: skip
    assert reply.ephemeral and "mention_everyone" in reply.text and role.mention in reply.text
    await _nothing_written(world)
    # Where the bot may mention every role, the same role is fine.
    await create_series(world, world.guild.channel("annonces"), role=role)


async def test_non_moderators_are_refused_in_their_language(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    values = {"nom": "Apéro", "jour": "vendredi", "heure": "18h", "salon": annonces, "lien": LINK}
    french = await world.guild.slash(world.bob, "apero creer", **values)
    assert french.ephemeral and "réservée à la modération" in french.text
    english = await world.guild.slash(world.carol, "apero creer", **values)
    assert english.ephemeral and "moderat" in english.text.lower()
    assert "réservée" not in english.text
    await _nothing_written(world)
    await create_series(world, annonces)
    [choice] = await world.guild.autocomplete(world.alice, "apero pause", serie="")
    for path, extra in (
        ("apero pause", {}),
        ("apero sauter", {"date": "2026-03-13"}),
        ("apero supprimer", {}),
    ):
        reply = await world.guild.slash(world.bob, path, serie=choice["value"], **extra)
        assert reply.ephemeral and "réservée à la modération" in reply.text
    assert await rows(world, "SELECT COUNT(*) FROM apero_skips") == 0
    assert await rows(world, "SELECT paused FROM apero_series") == 0


async def test_skip_dates_must_be_occurrences(world: Harness) -> None:
    await create_series(world, world.guild.channel("annonces"))
    [choice] = await world.guild.autocomplete(world.alice, "apero sauter", serie="")
    serie = choice["value"]
    offered = await world.guild.autocomplete(world.alice, "apero sauter", serie=serie, date="")
    assert offered[0]["value"] == "2026-03-06" and "vendredi 6 mars 2026" in offered[0]["name"]
    for date, expected in (
        ("2026-03-12", "n'est pas une date"),  # a Thursday
        ("2026-02-27", "déjà passé"),
        ("32/13", "Date non comprise"),
        ("noël", "Date non comprise"),
    ):
        reply = await world.guild.slash(world.alice, "apero sauter", serie=serie, date=date)
        assert reply.ephemeral and expected in reply.text, (date, reply.text)
    unknown = await world.guild.slash(world.alice, "apero sauter", serie="999", date="2026-03-13")
    assert "introuvable" in unknown.text
    assert await rows(world, "SELECT COUNT(*) FROM apero_skips") == 0
    not_skipped = await world.guild.slash(
        world.alice, "apero annuler-saut", serie=serie, date="2026-03-13"
    )
    assert "n'est pas sauté" in not_skipped.text


async def test_voice_channel_instead_of_a_link(world: Harness) -> None:
    salon_vocal = await world.add_channel("apéro-vocal", type=ChannelType.voice)
    await create_series(world, world.guild.channel("annonces"), lien=None, vocal=salon_vocal)
    fields = await world.bot.db.fetchone("SELECT link, voice_channel_id FROM apero_series")
    assert fields["link"] is None and fields["voice_channel_id"] == salon_vocal.id
    reply = await world.guild.slash(world.bob, "apero prochaines", nombre=1)
    assert salon_vocal.mention in reply.text
    neither = await world.guild.slash(
        world.alice, "apero creer", nom="Sans lieu", jour="lundi", heure="12h",
        salon=world.guild.channel("annonces"),
    )  # fmt: skip
    assert neither.ephemeral and "lien visio ou un salon vocal" in neither.text


async def test_upcoming_fits_an_embed_with_long_links(world: Harness) -> None:
    # Ten occurrences of a series in a third zone with a 500-character link would make ten
    # fields of ~800 characters: the embed must stay within Discord's 6000 in total.
    long_link = "https://meet.jit.si/" + "a" * 480
    await create_series(
        world, world.guild.channel("annonces"), lien=long_link, zone="America/Vancouver"
    )
    reply = await world.guild.slash(world.bob, "apero prochaines", nombre=10)
    assert reply.ephemeral and reply.embeds
    embed = reply.embeds[0]
    size = (
        len(embed.get("title", ""))
        + len(embed.get("description", ""))
        + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
        + len(embed.get("footer", {}).get("text", ""))
    )
    assert size <= 6000 and "de plus" in reply.text  # what did not fit is counted
    assert not world.violations
