"""Date polls end to end (issue 17): from `/rencontre sondage` to a published meet-up whose
available voters are invited, on the strict loopback Discord.

START (tests/conftest.py) is Monday 2 March 2026, 10:00 in Paris (09:00 UTC). Montréal is
UTC-5 until Sunday 8 March, then UTC-4. « vendredi 18h » is Friday 6 March 17:00 UTC (noon in
Montréal), « samedi 10h » Saturday 7 March 09:00 UTC (4:00 in Montréal), « 12/03 20h »
Thursday 12 March 19:00 UTC (15:00 in Montréal).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from aide_support import aide_pages
from discord import ComponentType
from discord_server import Harness
from discord_server.world import Message, User
from test_rencontres import field, publish, thread_of

FRIDAY = datetime(2026, 3, 6, 17, tzinfo=UTC)
SATURDAY = datetime(2026, 3, 7, 9, tzinfo=UTC)
THURSDAY_12 = datetime(2026, 3, 12, 19, tzinfo=UTC)
SLOTS = "vendredi 18h ; samedi 10h ; 12/03 20h"
YES_1_3 = "✅ Oui : cochez vos créneaux (1 à 3)"
MAYBE_1_3 = "🟨 Si besoin : cochez vos créneaux (1 à 3)"


def stamp(instant: datetime) -> str:
    return f"<t:{int(instant.timestamp())}:F>"


async def start_poll(world: Harness, user: User, **options: Any) -> Message:
    """`/rencontre sondage` then « Publier »: the public message."""
    defaults: dict[str, Any] = {
        "titre": "Café réseau",
        "creneaux": SLOTS,
        "format": "presentiel",
        "lieu": "Café des Arts, Lyon",
    }
    chosen = {k: v for k, v in (defaults | options).items() if v is not None}
    preview = await world.guild.slash(user, "rencontre sondage", **chosen)
    assert preview.ephemeral and preview.message.buttons(), preview.text
    done = await preview.click(preview.message.buttons()[0]["custom_id"], by=user)
    link = re.search(r"channels/\d+/(\d+)/(\d+)", done.text)
    assert link is not None, done.text
    channel = world.state.channels[int(link[1])]
    return next(m for m in channel.messages if m.id == int(link[2]))


def selects(message: Message) -> list[dict[str, Any]]:
    return [
        c
        for row in message.components
        for c in row.get("components", [])
        if c["type"] == ComponentType.string_select.value
    ]


def slot_text(message: Message, number: int) -> str:
    """The lines of slot `number` in the public message (its timestamp, words and counts)."""
    text = "\n".join(e.get("description", "") for e in message.embeds)
    found = re.search(
        rf"(?:⭐ )?\*\*{number}\.\*\* [^\n]*(?:\n(?!(?:⭐ )?\*\*\d+\.\*\*)[^\n]*)*", text
    )
    assert found is not None, text
    return found[0]


def edits_of(world: Harness, message: Message) -> int:
    return len(
        world.requests_to("PATCH", rf"^/channels/{message.channel_id}/messages/{message.id}$")
    )


async def rows(world: Harness, sql: str) -> int:
    return int(await world.bot.db.fetchval(sql))


# -- from the poll to the meet-up -----------------------------------------------------------------
async def test_a_poll_from_creation_to_the_meet_up_with_members_in_paris_and_montreal(
    world: Harness,
) -> None:
    general = world.guild.default_channel
    dave = await world.guild.add_member("dave")
    erin = await world.guild.add_member("erin")
    fred = await world.guild.add_member("fred")
    await world.guild.slash(world.carol, "rappels", fuseau="America/Montreal")
    await world.guild.slash(erin, "rappels", **{"messages-prives": "on"})

    preview = await world.guild.slash(
        world.bob,
        "rencontre sondage",
        titre="Café réseau",
        creneaux=SLOTS,
        format="presentiel",
        lieu="Café des Arts, Lyon",
        cloture="jeudi 12h",
    )
    assert preview.ephemeral and "ven. 6 mars 18:00 (Europe/Paris)" in preview.text
    assert "jeu. 12 mars 20:00 (Europe/Paris)" in preview.text
    assert [b["label"] for b in preview.message.buttons()] == ["Publier", "Abandonner"]
    assert general.messages == []  # nothing public before « Publier »
    published = await preview.click("Publier", by=world.bob)
    assert "C'est publié" in published.text
    [poll] = general.messages
    # Each slot as a Discord timestamp (each member reads their own time) and in words.
    first = slot_text(poll, 1)
    assert stamp(FRIDAY) in first
    assert "Paris : vendredi 6 mars 2026 à 18:00 · Montréal : vendredi 6 mars 2026 à 12:00" in first
    assert "Montréal : samedi 7 mars 2026 à 04:00" in slot_text(poll, 2)
    assert stamp(THURSDAY_12) in slot_text(poll, 3)
    assert "Montréal : jeudi 12 mars 2026 à 15:00" in slot_text(poll, 3)
    assert [s["placeholder"] for s in selects(poll)] == [YES_1_3, MAYBE_1_3]
    assert [b["label"] for b in poll.buttons()] == ["Mes disponibilités", "Clore le sondage"]

    # Dave: Oui to 2 and 3 (1 becomes Non). Carol, in Montréal: Oui to 2, then Si besoin to 1.
    mine = await poll.select(YES_1_3, ["2", "3"], by=dave)
    assert mine.ephemeral and "Oui : 2, 3" in mine.text and "Non : 1" in mine.text
    await poll.select(YES_1_3, ["2"], by=world.carol)
    carol = await poll.select(MAYBE_1_3, ["1"], by=world.carol)
    assert "Yes: 2" in carol.text and "If need be: 1" in carol.text and "No: 3" in carol.text
    await poll.select(YES_1_3, ["1"], by=fred)  # Non to 2 and 3
    # Erin answers slot by slot in « Mes disponibilités »: Si besoin to 2, Non to 3.
    grid = await poll.click("Mes disponibilités", by=erin)
    assert grid.ephemeral and "pas de réponse" in grid.text
    assert len(selects(grid.message)) == 3
    grid = await grid.select("rencontre:poll:1:slot:2", ["maybe"], by=erin)
    grid = await grid.select("rencontre:poll:1:slot:3", ["no"], by=erin)
    assert grid.message is not None and "🟨 **2.**" in grid.text and "❌ **3.**" in grid.text
    [slot_two] = [s for s in selects(grid.message) if s["custom_id"].endswith(":2")]
    assert [o["value"] for o in slot_two["options"] if o.get("default")] == ["maybe"]

    # Live counts (coalesced redraws end on the final state), ⭐ the leading slot.
    assert "✅ 1 · 🟨 1 · ❌ 1" in slot_text(poll, 1)
    assert "✅ 2 · 🟨 1 · ❌ 1" in slot_text(poll, 2) and "⭐" in slot_text(poll, 2)
    assert "✅ 1 · 🟨 0 · ❌ 3" in slot_text(poll, 3)
    assert "4 personnes ont répondu" in poll.text

    # Only the organiser or a moderator closes it.
    refused = await poll.click("Clore le sondage", by=dave)
    assert refused.ephemeral and "la personne qui a lancé le sondage" in refused.text
    closed = await poll.click("Clore le sondage", by=world.bob)
    assert closed.ephemeral and "est clos" in closed.text
    assert poll.embeds[0]["title"].startswith("📅 Sondage clos")
    assert poll.components == []  # no more answers
    [proposal] = [m for m in general.messages if m.id != poll.id]
    assert "Meilleur créneau : n° 2" in proposal.content and stamp(SATURDAY) in proposal.content
    assert world.bob.mention in proposal.content
    assert [str(u) for u in proposal.allowed_mentions["users"]] == [str(world.bob.id)]
    # Nobody but the organiser confirms.
    nope = await proposal.click("Confirmer le créneau 2", by=dave)
    assert "la personne qui a lancé le sondage" in nope.text
    draft = await proposal.click("Confirmer le créneau 2", by=world.bob)
    assert draft.ephemeral and "Créneau 2 confirmé" in draft.text
    assert "samedi 7 mars 2026 à 10:00 (Europe/Paris)" in draft.text  # the usual preview
    assert [b["label"] for b in draft.message.buttons()] == ["Publier", "Modifier", "Annuler"]
    assert poll.embeds[0]["title"].startswith("📅 Date retenue")
    again = await proposal.click("Confirmer le créneau 2", by=world.bob)
    assert "déjà confirmé" in again.text

    done = await draft.click("Publier", by=world.bob)
    assert "C'est publié" in done.text
    meetup = general.messages[-1]
    assert meetup.embeds[0]["title"] == "Café réseau"
    thread = thread_of(world, meetup)
    # Dave and Carol (Oui) are invited in the thread, Erin (Si besoin; DMs asked for) by DM,
    # not Fred (Non to that slot); nobody is signed up.
    [invite] = [m for m in thread.messages if "Vous aviez répondu Oui ou Si besoin" in m.content]
    assert dave.mention in invite.content and world.carol.mention in invite.content
    assert erin.mention not in invite.content and world.bob.mention not in invite.content
    assert fred.mention not in invite.content and fred.dms == []
    assert {str(u) for u in invite.allowed_mentions["users"]} == {str(dave.id), str(world.carol.id)}
    assert [b["label"] for b in invite.buttons()] == ["Je viens", "Peut-être", "Je me retire"]
    [dm] = erin.dms
    assert "Café réseau" in dm.content and dm.buttons()[0]["label"] == "Je viens"
    assert field(meetup, "Je viens") == "personne pour l'instant"
    # Erin signs up from her DM, Dave from the thread.
    signed = await dm.click("Je viens", by=erin)
    assert "vous venez" in signed.text
    await invite.click("Je viens", by=dave)
    assert field(meetup, "Je viens") == f"{erin.mention}, {dave.mention}"
    # Published once, invited once.
    await world.advance(minutes=5)
    assert len([m for m in thread.messages if "Vous aviez répondu" in m.content]) == 1
    assert len(erin.dms) == 1


async def test_a_montreal_organiser_types_montreal_times(world: Harness) -> None:
    await world.guild.slash(world.carol, "rappels", fuseau="America/Montreal")
    poll = await start_poll(
        world,
        world.carol,
        titre="Visio Québec–France",
        creneaux="friday 12pm; saturday 4am",
        format="visio",
        lieu=None,
        lien="https://meet.example.org/qf",
    )
    assert stamp(FRIDAY) in slot_text(poll, 1) and stamp(SATURDAY) in slot_text(poll, 2)
    assert "Paris : vendredi 6 mars 2026 à 18:00" in slot_text(poll, 1)  # the server speaks fr
    assert "https://meet.example.org/qf" in poll.text


# -- the closing date, a long poll, restarts -------------------------------------------------------
async def test_a_closing_date_due_while_the_bot_is_down_closes_once_and_40_slots_fit(
    world: Harness,
) -> None:
    general = world.guild.default_channel
    days = [date(2026, 3, 3) + timedelta(days=n) for n in range(40)]  # the most a poll takes
    text = " ; ".join(f"{d:%d/%m} 18h" for d in days)
    poll = await start_poll(world, world.bob, creneaux=text, cloture="03/03 12h")
    placeholders = [s["placeholder"] for s in selects(poll)]
    assert placeholders == [
        "✅ Oui : cochez vos créneaux (1 à 25)",
        "🟨 Si besoin : cochez vos créneaux (1 à 25)",
        "✅ Oui : cochez vos créneaux (26 à 40)",
        "🟨 Si besoin : cochez vos créneaux (26 à 40)",
    ]
    assert [len(s["options"]) for s in selects(poll)] == [25, 25, 15, 15]
    # Every slot shown, within Discord's 6000 characters across the message's embeds.
    shown = "\n".join(e.get("description", "") for e in poll.embeds)
    assert all(f"**{n}.**" in shown for n in range(1, 41))
    assert stamp(datetime(2026, 4, 11, 16, tzinfo=UTC)) in slot_text(poll, 40)  # 18:00 CEST
    total = sum(
        len(e.get("title", ""))
        + len(e.get("description", ""))
        + len(e.get("footer", {}).get("text", ""))
        + sum(len(f["name"]) + len(f["value"]) for f in e.get("fields", []))
        for e in poll.embeds
    )
    assert total <= 6000, total
    dave = await world.guild.add_member("dave")
    await poll.select("✅ Oui : cochez vos créneaux (26 à 40)", ["26", "40"], by=dave)
    await poll.select("✅ Oui : cochez vos créneaux (1 à 25)", ["1"], by=world.carol)
    grid = await poll.click("Mes disponibilités", by=world.carol)  # opened before the closing
    assert "page 1 of 10" in grid.text
    nxt = await grid.click("Next ▶", by=world.carol)
    assert "page 2 of 10" in nxt.text

    # The bot is down when the closing date (Tuesday 12:00 Paris) falls due.
    clock = world.bot.clock  # shared by every bot of the test, like wall time
    await world.stop_bot()
    clock.advance(timedelta(hours=27))  # Tuesday 13:00 Paris
    await world.start_bot()
    [proposal] = [m for m in general.messages if m.id != poll.id]
    assert "Meilleur créneau : n° 1" in proposal.content  # 1 Oui each for 1, 26, 40: earliest
    assert poll.components == [] and "Sondage clos" in poll.embeds[0]["title"]
    # Exactly once: another restart, more time, nothing new.
    await world.restart()
    await world.advance(hours=1)
    assert len(general.messages) == 2
    # Answering a closed poll (a grid opened before) is refused, nothing written.
    late = await nxt.select("rencontre:poll:1:slot:5", ["yes"], by=world.carol)
    assert late.ephemeral and "is closed" in late.text
    kept = await world.bot.db.fetchval(
        "SELECT choice FROM rencontre_poll_answers WHERE position = 5 AND user_id = ?",
        (world.carol.id,),
    )
    assert kept == "no"  # her answer from before the closing (page 1 answered)
    # The organiser picks another slot (26, on the second page of choices).
    picked = await proposal.select("Ou choisir un autre créneau (26 à 40)", ["26"], by=world.bob)
    assert "Créneau 26 confirmé" in picked.text and "samedi 28 mars 2026 à 18:00" in picked.text


async def test_buttons_and_selects_work_after_a_restart(world: Harness) -> None:
    poll = await start_poll(world, world.bob)
    await world.restart()
    mine = await poll.select(YES_1_3, ["1"], by=world.carol)
    assert "Yes: 1" in mine.text
    assert "✅ 1 · 🟨 0 · ❌ 0" in slot_text(poll, 1)
    grid = await poll.click("Mes disponibilités", by=world.carol)
    await world.restart()
    grid = await grid.select("rencontre:poll:1:slot:3", ["maybe"], by=world.carol)
    assert "🟨 **3.**" in grid.text
    closed = await poll.click("Clore le sondage", by=world.alice)  # a moderator
    assert "est clos" in closed.text


async def test_without_a_place_the_organiser_says_where_when_confirming(world: Harness) -> None:
    poll = await start_poll(world, world.bob, format=None, lieu=None)
    assert "précisé une fois la date choisie" in poll.text
    await poll.click("Clore le sondage", by=world.bob)
    proposal = world.guild.default_channel.messages[-1]
    form = await proposal.click("Confirmer le créneau 1", by=world.bob)
    assert form.modal is not None
    draft = await form.submit_modal(
        {"Adresse, ou lien de la visio (https://…)": "https://meet.example.org/x"}, by=world.bob
    )
    assert "Créneau 1 confirmé" in draft.text and "https://meet.example.org/x" in draft.text


async def test_a_poll_after_an_abandoned_draft_shows_its_own_slots(world: Harness) -> None:
    """The abandoned draft's number may be given again (SQLite reuses the highest id): the new
    poll shows the slots it was given."""
    preview = await world.guild.slash(world.bob, "rencontre sondage", titre="A", creneaux=SLOTS)
    gone = await preview.click("Abandonner", by=world.bob)
    assert gone.ephemeral
    assert await rows(world, "SELECT COUNT(*) FROM rencontre_polls") == 0
    poll = await start_poll(world, world.bob, creneaux="mardi 9h ; mercredi 9h")
    assert stamp(datetime(2026, 3, 3, 8, tzinfo=UTC)) in slot_text(poll, 1)
    assert stamp(datetime(2026, 3, 4, 8, tzinfo=UTC)) in slot_text(poll, 2)
    assert "**3.**" not in poll.text
    assert selects(poll)[0]["placeholder"] == "✅ Oui : cochez vos créneaux (1 à 2)"


async def test_a_meet_up_draft_abandoned_leaves_the_poll_to_confirm_again(world: Harness) -> None:
    """The poll's draft is cancelled before publishing: a later meet-up (which may get the same
    number) invites nobody from the poll, and the organiser can confirm a slot again."""
    poll = await start_poll(world, world.bob)
    dave = await world.guild.add_member("dave")
    await poll.select(YES_1_3, ["1"], by=dave)
    await poll.click("Clore le sondage", by=world.bob)
    proposal = world.guild.default_channel.messages[-1]
    draft = await proposal.click("Confirmer le créneau 1", by=world.bob)
    dropped = await draft.click("Annuler", by=world.bob)
    assert dropped.ephemeral
    assert await rows(world, "SELECT COUNT(*) FROM rencontres") == 0
    other = await publish(world, world.alice, titre="Autre chose", quand="samedi 15h")
    thread = thread_of(world, other)
    await world.advance(minutes=5)
    assert not [m for m in thread.messages if "Vous aviez répondu" in m.content]
    assert dave.mention not in " ".join(m.content for m in thread.messages)
    assert dave.dms == []
    again = await proposal.click("Confirmer le créneau 1", by=world.bob)
    assert "Créneau 1 confirmé" in again.text, again.text
    done = await again.click("Publier", by=world.bob)
    assert "C'est publié" in done.text
    meetup = world.guild.default_channel.messages[-1]
    [invite] = [m for m in thread_of(world, meetup).messages if "Vous aviez répondu" in m.content]
    assert dave.mention in invite.content


# -- bursts ----------------------------------------------------------------------------------------
@pytest.mark.time_scale(1)
async def test_a_burst_of_answers_ends_on_the_exact_tallies_with_few_edits(world: Harness) -> None:
    """Thirty members answer at once on Discord's real windows: every one is answered, the
    public message shows the exact tallies, in a few edits within the channel's budget, and
    no request is refused (0 × 429)."""
    poll = await start_poll(world, world.bob)
    members = [await world.guild.add_member(f"membre{n:02d}") for n in range(30)]
    before = edits_of(world, poll)
    picks = [
        (m, ["1", "2"] if n % 3 == 0 else ["2"] if n % 3 == 1 else [])
        for n, m in enumerate(members)
    ]
    replies = await world.select_together(poll, YES_1_3, picks)
    assert all(r.ephemeral and "C'est noté" in r.text for r in replies)
    # n % 3 == 0: Oui 1, 2 (Non 3); == 1: Oui 2 (Non 1, 3); == 2: Non to all three.
    assert "✅ 10 · 🟨 0 · ❌ 20" in slot_text(poll, 1)
    assert "✅ 20 · 🟨 0 · ❌ 10" in slot_text(poll, 2)
    assert "✅ 0 · 🟨 0 · ❌ 30" in slot_text(poll, 3)
    assert "30 personnes ont répondu" in poll.text
    edits = edits_of(world, poll) - before
    assert 1 <= edits <= 5, edits  # one per second at most, not one per answer
    assert world.ratelimits.hits == []


async def test_closing_twice_at_once_closes_once(world: Harness) -> None:
    poll = await start_poll(world, world.bob)
    replies = await world.click_together(poll, "Clore le sondage", by=[world.bob, world.alice])
    texts = sorted(r.text for r in replies)
    assert any("est clos ;" in t for t in texts) and any("déjà clos" in t for t in texts), texts
    proposals = [m for m in world.guild.default_channel.messages if "Meilleur créneau" in m.content]
    assert len(proposals) == 1


async def test_closed_by_hand_before_its_closing_date_it_is_not_closed_again(
    world: Harness,
) -> None:
    poll = await start_poll(world, world.bob, cloture="jeudi 12h")
    closed = await poll.click("Clore le sondage", by=world.alice)  # a moderator, Monday
    assert "est clos" in closed.text
    await world.restart()
    await world.advance(days=4)  # past Thursday noon, the closing date first set
    proposals = [m for m in world.guild.default_channel.messages if "Meilleur créneau" in m.content]
    assert len(proposals) == 1
    assert await rows(world, "SELECT COUNT(*) FROM rencontre_polls WHERE status = 'closed'") == 1


# -- bad input: a clear ephemeral answer, nothing written ------------------------------------------
async def test_bad_polls_are_refused_naming_the_slot_and_nothing_is_written(
    world: Harness,
) -> None:
    many = " ; ".join(
        f"{d:%d/%m} 18h" for d in (date(2026, 3, 3) + timedelta(n) for n in range(41))
    )
    cases: list[tuple[dict[str, Any], str]] = [
        ({"creneaux": many}, "Trop de créneaux : 41. Un sondage en compte 40 au plus."),
        ({"creneaux": "vendredi 18h"}, "au moins 2 créneaux"),
        ({"creneaux": "vendredi 18h ; 06/03 18h"}, "Les créneaux 1 et 2 tombent au même moment"),
        (
            {"creneaux": "vendredi 18h ; 2026-03-01 18:00"},
            "Créneau 2 (« 2026-03-01 18:00 ») : « 2026-03-01 18:00 » (dimanche 1 mars 2026 à"
            " 18 h) est déjà passé",
        ),
        (
            {"creneaux": "vendredi 18h ; 12/12/2030 18h"},
            "Créneau 2 (« 12/12/2030 18h ») : « 12/12/2030 18h » est trop loin",
        ),
        ({"creneaux": "vendredi 25h ; samedi 10h"}, "Créneau 1 (« vendredi 25h ») :"),
        (
            {"creneaux": "samedi 10h ; quand on pourra"},
            "Créneau 2 (« quand on pourra ») : Je n’ai pas compris",
        ),
        ({"cloture": "samedi 12h"}, "doit tomber avant le premier créneau"),
        ({"cloture": "hier 12h"}, "Je n’ai pas compris"),
        ({"titre": "x" * 101}, "101 caractères, 100 au plus"),
        ({"format": "visio", "lieu": "Lyon"}, "présentiel a un lieu"),
        ({"format": None, "lien": "https://x.org"}, "un lieu ou un lien, pas les deux"),
    ]
    for options, expected in cases:
        base: dict[str, Any] = {
            "titre": "Café",
            "creneaux": SLOTS,
            "lieu": "Lyon",
            "format": "presentiel",
        }
        merged = {k: v for k, v in (base | options).items() if v is not None}
        reply = await world.guild.slash(world.bob, "rencontre sondage", **merged)
        assert reply.ephemeral and expected in reply.text, (options, reply.text)
        assert reply.message.buttons() == [], options
    english = await world.guild.slash(
        world.carol, "rencontre sondage", titre="Walk", creneaux="friday 6pm ; yesterday 6pm"
    )
    assert "Slot 2 (“yesterday 6pm”): I didn’t understand the date" in english.text, english.text
    assert await rows(world, "SELECT COUNT(*) FROM rencontre_polls") == 0
    assert await rows(world, "SELECT COUNT(*) FROM rencontre_poll_slots") == 0
    assert world.guild.default_channel.messages == []


# -- /aide -----------------------------------------------------------------------------------------
async def test_aide_lists_polls_groups_and_entrusting_in_full(world: Harness) -> None:
    member = await aide_pages(world, world.bob)
    moderator = await aide_pages(world, world.alice)
    english = await aide_pages(world, world.carol)
    for path in ("/rencontre sondage", "/rencontre groupes", "/rencontre preparer-groupes"):
        assert path in member and path in moderator
    assert "/rencontre confier" in moderator and "/rencontre confier" not in member
    assert "/meetup poll" in english and "/meetup groups" in english
    assert "/rencontre reglages" in moderator  # the group's last command too


# -- personal data ---------------------------------------------------------------------------------
async def test_my_answers_are_exported_and_erased_and_the_tallies_follow(world: Harness) -> None:
    poll = await start_poll(world, world.bob)
    dave = await world.guild.add_member("dave")
    await poll.select(YES_1_3, ["1", "3"], by=dave)
    await poll.select(YES_1_3, ["1"], by=world.carol)
    assert "✅ 2 · 🟨 0 · ❌ 0" in slot_text(poll, 1)
    shown = await world.guild.slash(dave, "mes-donnees")
    assert "3 réponses à des sondages de date" in shown.text, shown.text
    ask = await shown.click("mesdonnees:erase:ask", by=dave)
    await ask.click("mesdonnees:erase:yes", by=dave)
    assert (
        await rows(world, f"SELECT COUNT(*) FROM rencontre_poll_answers WHERE user_id = {dave.id}")
        == 0
    )
    assert "✅ 1 · 🟨 0 · ❌ 0" in slot_text(poll, 1)  # redrawn without him
    organiser = await world.guild.slash(world.bob, "mes-donnees")
    assert "1 sondage de date lancé" in organiser.text
